r"""Replications of the twin in batches, common random numbers and paired differences.

**Batches.** ``replications`` are simulated in batches of ``batch_size`` (the engine vectorises
the replications of one batch); batch ``k`` of every scenario and every mode is seeded with
``SeedSequence(seed, spawn_key=(k,))``. A batch is the unit of work an executor receives, so
running the batches one after the other here or in parallel on a Dask cluster gives the same
numbers to the last bit: nothing depends on where or in which order a batch runs.

**Estimates.** Each figure is the engine's value for a batch (pooled over its replications);
the reported value is the mean over the ``B`` batches and the 95 % half-width
:math:`t_{B-1} s / \sqrt B` over the batch values (batch means: the batches are independent and
identically distributed; Law, *Simulation Modeling and Analysis*, 5th ed., 2015, §9.4). At
least two batches are needed for an interval.

**Common random numbers.** Batch ``k`` draws the same demand in every scenario (scaling a
demand keeps the draws and multiplies them), so a difference between two scenarios is measured
per batch and its interval is that of the paired differences (Law 2015, §10.2.1), narrower than
that of two independent runs when the scenarios respond alike to the same demand.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from tandem.domain.errors import ValidationFailed, Violation
from tandem.planning.simulation import Estimate, NetworkResult
from tandem.services.twin.model import Mode, TwinNetwork, to_supply_network
from tandem.services.twin.windows import simulate

if TYPE_CHECKING:
    from tandem.planning.forecasting.executor import ForecastExecutor

__all__ = [
    "NETWORK_FIGURES",
    "NODE_FIGURES",
    "BatchFigures",
    "BatchJob",
    "Difference",
    "ModeResult",
    "RunOptions",
    "batch_seed",
    "run_batch",
    "run_mode",
]

ExecutorFactory = Callable[[], AbstractContextManager["ForecastExecutor"]]
FloatArray = NDArray[np.float64]

NODE_FIGURES = ("variance_ratio", "fill_rate", "on_hand", "backlog", "net_stock", "cost")
NETWORK_FIGURES = ("total_cost", "cost_per_unit", "customer_fill_rate", "customer_backlog")
PATHS = ("orders", "on_hand", "backlog")


@dataclass(frozen=True)
class RunOptions:
    """Days simulated (``periods``, the first ``warmup`` not measured), replications, batch
    size and seed."""

    periods: int = 120
    replications: int = 20
    batch_size: int = 4
    warmup: int = 14
    seed: int = 0

    def __post_init__(self) -> None:
        found = []
        if not 1 <= self.periods <= 3650:
            found.append(Violation("options", "must lie in [1, 3650]", "periods"))
        if not 0 <= self.warmup < self.periods:
            found.append(Violation("options", "must lie in [0, periods)", "warmup"))
        if not 1 <= self.replications <= 1000:
            found.append(Violation("options", "must lie in [1, 1000]", "replications"))
        if not 1 <= self.batch_size <= 1000:
            found.append(Violation("options", "must lie in [1, 1000]", "batch_size"))
        if not 0 <= self.seed < 2**63:
            found.append(Violation("options", "must lie in [0, 2^63)", "seed"))
        if found:
            raise ValidationFailed(
                "invalid twin options: " + "; ".join(map(str, found)), violations=found
            )

    @property
    def batches(self) -> int:
        """Batches run: replications rounded up to whole batches."""
        return math.ceil(self.replications / min(self.batch_size, self.replications))

    @property
    def per_batch(self) -> int:
        return min(self.batch_size, self.replications)


def batch_seed(seed: int, batch: int) -> int:
    """The seed of batch ``batch``: independent streams, the same for every scenario."""
    state = np.random.SeedSequence(seed, spawn_key=(batch,)).generate_state(2, np.uint32)
    return int(state[0]) << 32 | int(state[1])


@dataclass(frozen=True)
class BatchJob:
    network: TwinNetwork
    mode: Mode
    periods: int
    replications: int
    warmup: int
    seed: int
    keep_paths: bool = False


@dataclass(frozen=True)
class BatchFigures:
    """One batch: ``nodes[name][figure]``, ``network[figure]`` and, if kept, the paths of its
    first replication ``paths[name][path]`` (one value per day)."""

    nodes: dict[str, dict[str, float]]
    network: dict[str, float]
    paths: dict[str, dict[str, tuple[float, ...]]] | None = None


def _figures(result: NetworkResult, net: TwinNetwork) -> BatchFigures:
    nodes: dict[str, dict[str, float]] = {}
    for n in result.nodes:
        nodes[n.name] = {
            "variance_ratio": n.variance_ratio.value,
            "fill_rate": n.fill_rate.value,
            "on_hand": n.mean_on_hand.value,
            "backlog": n.mean_backlog.value,
            "net_stock": n.mean_on_hand.value - n.mean_backlog.value,
            "cost": n.cost.value,
        }
    weights = {name: float(d[:, result.warmup :].mean()) for name, d in result.demand.items()}
    total = sum(weights.values())
    fill = sum(w * nodes[k]["fill_rate"] for k, w in weights.items()) / total if total else 1.0
    network = {
        "total_cost": result.total_cost.value,
        "cost_per_unit": result.cost_per_unit.value,
        "customer_fill_rate": fill,
        "customer_backlog": sum(nodes[k]["backlog"] for k in result.demand),
    }
    return BatchFigures(nodes, network)


def run_batch(job: BatchJob) -> BatchFigures:
    """Simulate one batch (a top-level function: executors pickle it)."""
    network = to_supply_network(
        job.network, job.mode, job.periods, job.replications, job.warmup, job.seed
    )
    result = simulate(network, job.network.outages)
    figures = _figures(result, job.network)
    if not job.keep_paths:
        return figures
    paths = {
        n.name: {p: tuple(float(x) for x in getattr(n, p)[0]) for p in PATHS} for n in result.nodes
    }
    return BatchFigures(figures.nodes, figures.network, paths)


@dataclass(frozen=True)
class ModeResult:
    """A network under one mode: per-batch values and their estimates."""

    name: str
    mode: Mode
    node_names: tuple[str, ...]
    node_values: dict[str, dict[str, FloatArray]]  # [node][figure] -> per batch
    network_values: dict[str, FloatArray]
    paths: dict[str, dict[str, tuple[float, ...]]]
    notes: tuple[str, ...] = field(default=())

    def node(self, name: str, figure: str) -> Estimate:
        return estimate(self.node_values[name][figure])

    def figure(self, figure: str) -> Estimate:
        return estimate(self.network_values[figure])


def estimate(values: FloatArray) -> Estimate:
    """Mean of the finite batch values and the t-interval half-width over them."""
    finite = values[np.isfinite(values)]
    mean = float(finite.mean()) if finite.size else float("nan")
    return Estimate.of(mean, values)


def run_mode(
    name: str,
    net: TwinNetwork,
    mode: Mode,
    options: RunOptions,
    executor: ExecutorFactory | None = None,
) -> ModeResult:
    """All batches of ``net`` under ``mode``, here or on the executor."""
    jobs = [
        BatchJob(
            net,
            mode,
            options.periods,
            options.per_batch,
            options.warmup,
            batch_seed(options.seed, k),
            keep_paths=k == 0,
        )
        for k in range(options.batches)
    ]
    if executor is None:
        batches = [run_batch(job) for job in jobs]
    else:
        with executor() as running:
            batches = running.map_partitions(run_batch, jobs)
    return collect(name, net, mode, batches)


def collect(name: str, net: TwinNetwork, mode: Mode, batches: Sequence[BatchFigures]) -> ModeResult:
    """Stack batch figures into per-figure arrays."""
    names = tuple(batches[0].nodes)
    node_values = {
        n: {f: np.array([b.nodes[n][f] for b in batches]) for f in NODE_FIGURES} for n in names
    }
    network_values = {f: np.array([b.network[f] for b in batches]) for f in NETWORK_FIGURES}
    return ModeResult(
        name, mode, names, node_values, network_values, batches[0].paths or {}, net.notes
    )


@dataclass(frozen=True)
class Difference:
    """``value`` of a scenario minus the base: the paired interval over batches and, for
    comparison, the half-width two independent runs would have had."""

    paired: Estimate
    unpaired_half_width: float


def difference(base: FloatArray, other: FloatArray) -> Difference:
    """The paired difference ``other - base`` over common batches."""
    paired = estimate(other - base)
    a, b = estimate(base), estimate(other)
    return Difference(paired, math.hypot(a.half_width, b.half_width))
