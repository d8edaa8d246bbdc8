"""Timing of the guaranteed-service tree DP (Graves & Willems 2000) on random trees.

Run: ``.venv/bin/python bench/bench_gsm_tree.py [--sizes 100,300,1000,10000] [--seed 0]
[--stockpyl-limit 600] [--no-stockpyl]`` or ``make bench`` (``python -m bench``).

Random trees: stage ``i`` joins a uniformly chosen earlier stage, the arc pointing either way;
processing times 1..5, holding costs U(0.1, 2), every sink faces demand with sigma U(1, 10) and
a service time of 0..2; ``z = 1.645``.

References measured in the same run on the same trees:

* **stockpyl 1.0.2** (``stockpyl.gsm_tree.optimize_committed_service_times``, Snyder & Shen's
  implementation of the same DP) in its own virtual environment ``.venv-stockpyl`` (created on
  demand with ``pip install stockpyl==1.0.2``), run by ``bench/stockpyl_ref.py`` as a subprocess
  with the tree as JSON on stdin; each size gets ``--stockpyl-limit`` seconds of wall time and is
  reported as ``did not finish`` beyond it. ``ratio`` = stockpyl seconds / Tandem seconds;
  ``|diff|`` is the difference of the two optimal costs.
* **HiGHS MIP** on the same tree (up to ``--mip-limit`` stages); ``mip_ok`` says whether its
  cost equals the DP's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tandem.planning.meio.gsm import (
    Arc,
    Breakpoints,
    GSMNetwork,
    Stage,
    solve_mip,
    solve_tree,
)

ROOT = Path(__file__).resolve().parent.parent
STOCKPYL_VENV = ROOT / ".venv-stockpyl"
STOCKPYL_SCRIPT = Path(__file__).resolve().parent / "stockpyl_ref.py"
STOCKPYL_VERSION = "1.0.2"


def random_tree(n: int, seed: int) -> GSMNetwork:
    """A random spanning tree with mixed arc directions."""
    rng = np.random.default_rng(seed)
    arcs = []
    has_successor = np.zeros(n, dtype=bool)
    for i in range(1, n):
        p = int(rng.integers(0, i))
        up, down = (p, i) if rng.random() < 0.5 else (i, p)
        has_successor[up] = True
        arcs.append(Arc(str(up), str(down)))
    stages = tuple(
        Stage(
            str(i),
            float(rng.integers(1, 6)),
            float(rng.uniform(0.1, 2.0)),
            demand_std=0.0 if has_successor[i] else float(rng.uniform(1.0, 10.0)),
            max_service_time=None if has_successor[i] else float(rng.integers(0, 3)),
        )
        for i in range(n)
    )
    return GSMNetwork(stages, tuple(arcs), service_factor=1.645)


def network_json(network: GSMNetwork) -> str:
    """The network in the format ``bench/stockpyl_ref.py`` reads."""
    return json.dumps(
        {
            "service_factor": network.service_factor,
            "stages": [
                {
                    "name": s.name,
                    "processing_time": s.processing_time,
                    "holding_cost": s.holding_cost,
                    "demand_std": s.demand_std,
                    "max_service_time": s.max_service_time,
                    "external_inbound_service_time": s.external_inbound_service_time,
                }
                for s in network.stages
            ],
            "arcs": [[a.upstream, a.downstream, a.quantity] for a in network.arcs],
        }
    )


def stockpyl_python() -> Path | None:
    """The interpreter of ``.venv-stockpyl``, created on demand; ``None`` if that fails."""
    python = STOCKPYL_VENV / "bin" / "python"
    probe = [str(python), "-c", "import stockpyl"]
    if python.exists() and subprocess.run(probe, check=False, capture_output=True).returncode == 0:
        return python
    print(f"creating {STOCKPYL_VENV.name} with stockpyl=={STOCKPYL_VERSION} ...", flush=True)
    steps = [
        [sys.executable, "-m", "venv", str(STOCKPYL_VENV)],
        [str(python), "-m", "pip", "install", "-q", f"stockpyl=={STOCKPYL_VERSION}"],
    ]
    for step in steps:
        done = subprocess.run(step, check=False, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"stockpyl unavailable: {' '.join(step)} failed\n{done.stderr[-2000:]}")
            return None
    return python


@dataclass(frozen=True)
class Reference:
    """One stockpyl run: its DP seconds and optimal cost, or why there is none."""

    seconds: float | None
    cost: float | None
    note: str = ""


def run_stockpyl(python: Path, network: GSMNetwork, limit: float) -> Reference:
    """Solve ``network`` with stockpyl in a subprocess, killed after ``limit`` seconds."""
    try:
        done = subprocess.run(
            [str(python), "-W", "ignore", str(STOCKPYL_SCRIPT)],
            input=network_json(network),
            capture_output=True,
            text=True,
            timeout=limit,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Reference(None, None, f"did not finish in {limit:g} s")
    if done.returncode != 0:
        return Reference(None, None, "failed: " + done.stderr.strip().splitlines()[-1])
    out = json.loads(done.stdout)
    return Reference(float(out["seconds"]), float(out["cost"]))


def time_tree_dp(network: GSMNetwork, repeat: int) -> tuple[float, float]:
    """Best wall time of ``solve_tree`` over ``repeat`` runs, and the optimal cost."""
    _ = network.structure  # build the arrays once, outside the timing
    best, cost = np.inf, np.nan
    for _ in range(repeat):
        start = time.perf_counter()
        cost = solve_tree(network).cost
        best = min(best, time.perf_counter() - start)
    return float(best), float(cost)


def mip_check(network: GSMNetwork, cost: float) -> tuple[float, str]:
    """HiGHS MIP seconds and whether its optimum equals ``cost``."""
    start = time.perf_counter()
    outcome = solve_mip(network, Breakpoints.ADAPTIVE, time_limit=300.0)
    seconds = time.perf_counter() - start
    return seconds, str(abs(outcome.solution.cost - cost) <= 1e-6 * cost)


HEADER = (
    f"{'stages':>7} {'tandem_s':>9} {'stockpyl_s':>11} {'ratio':>9} {'cost_tandem':>14}"
    f" {'cost_stockpyl':>14} {'|diff|':>9} {'mip_s':>8} {'mip_ok':>6}"
)


def row(n: int, dp_s: float, cost: float, ref: Reference | None, mip: tuple[float, str]) -> str:
    """One line of the table."""
    mip_cols = f"{mip[0]:>8.3f} {mip[1]:>6}"
    if ref is None or ref.seconds is None or ref.cost is None:
        note = "not run" if ref is None else ref.note
        return (
            f"{n:>7} {dp_s:>9.4f} {'-':>11} {'-':>9} {cost:>14.4f} {'-':>14} {'-':>9}"
            f" {mip_cols}  ({note})"
        )
    return (
        f"{n:>7} {dp_s:>9.4f} {ref.seconds:>11.3f} {ref.seconds / dp_s:>9.0f} {cost:>14.4f}"
        f" {ref.cost:>14.4f} {abs(ref.cost - cost):>9.2e} {mip_cols}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="100,300,1000,10000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mip-limit", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stockpyl-limit", type=float, default=600.0)
    parser.add_argument("--no-stockpyl", action="store_true")
    args = parser.parse_args([] if argv is None else argv)
    python = None if args.no_stockpyl else stockpyl_python()
    print(HEADER, flush=True)
    for n in (int(s) for s in args.sizes.split(",")):
        network = random_tree(n, args.seed)
        dp_s, cost = time_tree_dp(network, args.repeat)
        ref = None if python is None else run_stockpyl(python, network, args.stockpyl_limit)
        mip = mip_check(network, cost) if n <= args.mip_limit else (float("nan"), "-")
        print(row(n, dp_s, cost, ref, mip), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
