r"""Replications of the twin in batches, intervals over replications, paired differences.

**Batches.** ``replications`` are simulated in batches of ``batch_size`` (the engine vectorises
the replications of one batch); batch ``k`` of every scenario and every mode is seeded with
``SeedSequence(seed, spawn_key=(k,))``. A batch is only the unit of work an executor receives:
running the batches one after the other here or in parallel on a Dask cluster gives the same
numbers to the last bit, since nothing depends on where or in which order a batch runs.

**Estimates over replications.** Each batch returns the engine's figures per replication
(``NodeResult.per_replication``); the batches' arrays are joined into one value per replication
(``R`` in all, independent and identically distributed: Law, *Simulation Modeling and
Analysis*, 5th ed., 2015, §9.4). A mean figure (stock on hand, backlog, cost) is reported as
the mean over the ``R`` values with the 95 % half-width :math:`t_{R-1} s / \sqrt R`. A ratio
figure (fill rate, bullwhip, cost per unit) is the pooled ratio :math:`\hat r = \sum_i y_i /
\sum_i x_i` of its numerators and denominators over all replications - the engine's pooled
value - and its interval is that of the classical ratio estimator (delta method; Cochran,
*Sampling Techniques*, 3rd ed., 1977, ch. 6): each replication carries the linearised value
:math:`\hat r + (y_i - \hat r x_i) / \bar x`, whose mean is :math:`\hat r` and whose
:math:`t_{R-1} s / \sqrt R` is the ratio's half-width. At least two replications are needed
for an interval.

**Common random numbers.** Replication ``i`` draws the same demand in every scenario (batch
``k`` has the same seed everywhere, and scaling a demand keeps the draws and multiplies them),
so a difference between two scenarios is measured per replication and its interval is that of
the paired differences of those values (Law 2015, §10.2.1), narrower than that of two
independent runs when the scenarios respond alike to the same demand.
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
NODE_PARTS = (
    "filled",
    "claimed",
    "order_variance",
    "demand_variance",
    "on_hand",
    "backlog",
    "cost",
)
NETWORK_PARTS = ("total_cost", "customer_demand", "filled", "claimed", "customer_backlog")


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
    """One batch, per replication: ``nodes[name][part]`` (:data:`NODE_PARTS`), ``network[part]``
    (:data:`NETWORK_PARTS`; ``filled``/``claimed`` summed over the end-customer points) and, if
    kept, the paths of its first replication ``paths[name][path]`` (one value per day)."""

    nodes: dict[str, dict[str, FloatArray]]
    network: dict[str, FloatArray]
    paths: dict[str, dict[str, tuple[float, ...]]] | None = None


def _figures(result: NetworkResult) -> BatchFigures:
    nodes: dict[str, dict[str, FloatArray]] = {}
    for n in result.nodes:
        r = n.per_replication
        nodes[n.name] = {
            "filled": r.filled,
            "claimed": r.claimed,
            "order_variance": r.order_variance,
            "demand_variance": r.demand_variance,
            "on_hand": r.mean_on_hand,
            "backlog": r.mean_backlog,
            "cost": r.cost,
        }
    ends = list(result.demand)
    network = {
        "total_cost": result.per_replication.total_cost,
        "customer_demand": result.per_replication.customer_demand,
        "filled": _sum([nodes[k]["filled"] for k in ends]),
        "claimed": _sum([nodes[k]["claimed"] for k in ends]),
        "customer_backlog": _sum([nodes[k]["backlog"] for k in ends]),
    }
    return BatchFigures(nodes, network)


def _sum(parts: list[FloatArray]) -> FloatArray:
    return np.asarray(np.sum(parts, axis=0), dtype=np.float64)


def run_batch(job: BatchJob) -> BatchFigures:
    """Simulate one batch (a top-level function: executors pickle it)."""
    network = to_supply_network(
        job.network, job.mode, job.periods, job.replications, job.warmup, job.seed
    )
    result = simulate(network, job.network.outages)
    figures = _figures(result)
    if not job.keep_paths:
        return figures
    paths = {
        n.name: {p: tuple(float(x) for x in getattr(n, p)[0]) for p in PATHS} for n in result.nodes
    }
    return BatchFigures(figures.nodes, figures.network, paths)


@dataclass(frozen=True)
class ModeResult:
    """A network under one mode: each figure's values per replication and their estimates
    (ratios as linearised values, module docstring)."""

    name: str
    mode: Mode
    node_names: tuple[str, ...]
    node_values: dict[str, dict[str, FloatArray]]  # [node][figure] -> per replication
    network_values: dict[str, FloatArray]
    paths: dict[str, dict[str, tuple[float, ...]]]
    notes: tuple[str, ...] = field(default=())

    def node(self, name: str, figure: str) -> Estimate:
        return estimate(self.node_values[name][figure])

    def figure(self, figure: str) -> Estimate:
        return estimate(self.network_values[figure])


def estimate(values: FloatArray) -> Estimate:
    """Mean of the finite per-replication values and the t-interval half-width over them."""
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


def ratio_values(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """Linearised values of the pooled ratio ``sum(numerator) / sum(denominator)``: their mean
    is the ratio and their t-interval its delta-method interval (module docstring); ``nan``
    when the denominators sum to zero."""
    scale = float(denominator.mean())
    if not scale > 0:
        return np.full(numerator.shape, np.nan)
    pooled = float(numerator.sum()) / float(denominator.sum())
    return np.asarray(pooled + (numerator - pooled * denominator) / scale, dtype=np.float64)


def _node_values(parts: dict[str, FloatArray]) -> dict[str, FloatArray]:
    return {
        "variance_ratio": ratio_values(parts["order_variance"], parts["demand_variance"]),
        "fill_rate": ratio_values(parts["filled"], parts["claimed"]),
        "on_hand": parts["on_hand"],
        "backlog": parts["backlog"],
        "net_stock": parts["on_hand"] - parts["backlog"],
        "cost": parts["cost"],
    }


def _network_values(parts: dict[str, FloatArray]) -> dict[str, FloatArray]:
    return {
        "total_cost": parts["total_cost"],
        "cost_per_unit": ratio_values(parts["total_cost"], parts["customer_demand"]),
        "customer_fill_rate": ratio_values(parts["filled"], parts["claimed"]),
        "customer_backlog": parts["customer_backlog"],
    }


def collect(name: str, net: TwinNetwork, mode: Mode, batches: Sequence[BatchFigures]) -> ModeResult:
    """Join the batches' per-replication figures, in batch order, into each figure's values."""
    names = tuple(batches[0].nodes)
    node_values = {
        n: _node_values({p: np.concatenate([b.nodes[n][p] for b in batches]) for p in NODE_PARTS})
        for n in names
    }
    network = {p: np.concatenate([b.network[p] for b in batches]) for p in NETWORK_PARTS}
    return ModeResult(
        name, mode, names, node_values, _network_values(network), batches[0].paths or {}, net.notes
    )


@dataclass(frozen=True)
class Difference:
    """``value`` of a scenario minus the base: the paired interval over replications and, for
    comparison, the half-width two independent runs would have had."""

    paired: Estimate
    unpaired_half_width: float


def difference(base: FloatArray, other: FloatArray) -> Difference:
    """The paired difference ``other - base`` over common replications."""
    paired = estimate(other - base)
    a, b = estimate(base), estimate(other)
    return Difference(paired, math.hypot(a.half_width, b.half_width))
