"""Forecast throughput end to end: ``tandem forecast run`` against statsforecast called directly.

Input: ``BENCH_SERIES`` (default 10,000) synthetic weekly series of 104 weeks, seeded: 20 %
smooth seasonal Poisson demand, 80 % intermittent (occurrence 5-50 %, sizes 1 + Poisson), as a
CSV file ``unique_id,ds,y`` with Monday dates. Every measure reads that file and writes a
forecast CSV with the same columns (``unique_id,ds,forecast,lo_80,hi_80,lo_95,hi_95,model``),
horizon 8, 3 cross-validation windows.

* **tandem, local**: ``tandem forecast run IN --horizon 8 -o OUT`` in this process (the CLI
  code: read, validate every row, infer the weekly grid, classify, plan, cross-validate every
  candidate, choose one model per group, refit it, intervals, write). The season length is 52,
  the weekly default; 104 weeks cannot hold two years of training before 3 windows, so every
  series is planned with ``m = 1``.
* **reference**: the same job written directly on pandas + statsforecast in this process, as a
  careful analyst would: read the CSV, classify by ADI/CV² (vectorised), per candidate set one
  ``StatsForecast.cross_validation`` of all its candidates (same models, ``h = 8``, 3 windows
  ``8`` apart, refitted), RMSE per series and model scaled by the in-sample naive RMSE, one
  model per group by the mean scaled error, one ``forecast`` of the chosen model per group
  (``level=[80, 95]`` where it has native intervals, else intervals from the quantiles of its
  cross-validation errors), clip at zero, write the CSV.
* **tandem, dask**: ``--executor dask --workers 2``: a 2-process LocalCluster started and
  closed by the run; and the same run on a 2-worker cluster that is already up
  (``TANDEM_DASK_SCHEDULER``), which leaves out the start-up and the workers' first imports.

The reference chooses the same model as tandem for every series (checked, printed), and the
Dask output files must be byte-identical to the local one (checked). The column "in sf" is the
CPU time inside ``StatsForecast.cross_validation`` and ``.forecast`` (the same work on both
sides, what no implementation avoids), "outside" the rest: the overhead is their difference.
``BENCH_RUNS`` (default 3) repeats every measure, interleaved (reference and local swap places
every run); medians. Wall and CPU seconds of this process are both given: on a shared machine
CPU time is the steadier measure of the in-process work; the Dask runs use other processes, so
only wall time counts there. The machine is shared: read the ratios. A quick run:
``BENCH_SERIES=500 BENCH_RUNS=1 python -m bench forecast_throughput``.
"""

from __future__ import annotations

import logging
import math
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from distributed import LocalCluster
from typer.testing import CliRunner

SERIES = int(os.environ.get("BENCH_SERIES", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
WEEKS, HORIZON, WINDOWS, LEVELS = 104, 8, 3, (80, 95)
WORKERS = 2
SMOOTH_SHARE = 0.2


def synthetic_weekly(series: int = SERIES, seed: int = 7) -> pd.DataFrame:
    """``series`` weekly series of 104 weeks: 20 % smooth seasonal Poisson, 80 % intermittent."""
    rng = np.random.default_rng(seed)
    t = np.arange(WEEKS)
    smooth = round(series * SMOOTH_SHARE)
    level = rng.uniform(20, 200, (smooth, 1))
    season = 1 + 0.3 * np.sin(2 * np.pi * (t + rng.integers(0, 52, (smooth, 1))) / 52)
    sporadic = series - smooth
    occurs = rng.random((sporadic, WEEKS)) < rng.uniform(0.05, 0.5, (sporadic, 1))
    sizes = 1 + rng.poisson(rng.uniform(1, 10, (sporadic, 1)), (sporadic, WEEKS))
    y = np.vstack([rng.poisson(level * season), occurs * sizes]).astype(float)
    order = rng.permutation(series)  # classes interleaved by id, as in real item masters
    ids = np.repeat([f"sku{i:06d}" for i in range(series)], WEEKS)
    dates = np.datetime64("2023-01-02") + 7 * t.astype("timedelta64[D]")
    return pd.DataFrame({"unique_id": ids, "ds": np.tile(dates, series), "y": y[order].ravel()})


class StatsforecastClock:
    """CPU seconds this process spends inside ``StatsForecast.cross_validation`` and
    ``.forecast``, whoever calls them (a measuring instrument: it wraps the two methods)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> StatsforecastClock:
        from statsforecast.core import StatsForecast

        self._saved = {n: getattr(StatsForecast, n) for n in ("cross_validation", "forecast")}
        for name, method in self._saved.items():
            setattr(StatsForecast, name, self._clocked(method))
        return self

    def _clocked(self, method: Callable[..., object]) -> Callable[..., object]:
        def clocked(*args: object, **kwargs: object) -> object:
            started = time.process_time()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds += time.process_time() - started

        return clocked

    def __exit__(self, *exc: object) -> None:
        from statsforecast.core import StatsForecast

        for name, method in self._saved.items():
            setattr(StatsForecast, name, method)


# --- the reference: the same job straight on pandas + statsforecast -------------------------


def _classes(frame: pd.DataFrame) -> pd.Series:
    """Syntetos-Boylan class per series (the same estimators and cut-offs as the engine)."""
    g = frame.groupby("unique_id", sort=True)["y"]
    n, k = g.size(), g.agg(lambda y: int((y > 0).sum()))
    positive = frame[frame["y"] > 0].groupby("unique_id")["y"]
    cv2 = (positive.var(ddof=0) / positive.mean() ** 2).reindex(n.index)
    adi = n / k.where(k > 0)
    out = pd.Series("smooth", index=n.index)
    out[(adi <= 1.32) & (cv2 > 0.49)] = "erratic"
    out[(adi > 1.32) & (cv2 <= 0.49)] = "intermittent"
    out[(adi > 1.32) & (cv2 > 0.49)] = "lumpy"
    out[(k == 1) | (n < 3)] = "insufficient"
    out[k == 0] = "no_demand"
    return out


def _naive_scale(frame: pd.DataFrame, held: int) -> pd.Series:
    """In-sample naive RMSE of each series before its cross-validation windows."""
    train = frame.groupby("unique_id", sort=False).head(WEEKS - held)
    d = train.groupby("unique_id", sort=True)["y"].diff()
    return np.sqrt((d**2).groupby(train["unique_id"]).mean())


def reference(source: Path, target: Path) -> None:
    """Read, select by cross-validation, forecast, write."""
    from statsforecast import StatsForecast

    from tandem.planning.forecasting import DemandClass, Model, candidates

    frame = pd.read_csv(source, parse_dates=["ds"])
    classes = _classes(frame)
    scale = _naive_scale(frame, WINDOWS * HORIZON)
    pieces = []
    groups: dict[tuple[Model, ...], list[str]] = {}
    for uid, name in classes.items():
        groups.setdefault(candidates(DemandClass(name)), []).append(str(uid))
    for models, ids in groups.items():
        part = frame[frame["unique_id"].isin(ids)]
        names = [m.value for m in models]
        sf = StatsForecast(models=[m.build(1) for m in models], freq="W-MON", n_jobs=1)
        cv = sf.cross_validation(df=part, h=HORIZON, n_windows=WINDOWS, step_size=HORIZON)
        rmse = np.sqrt((cv[names].sub(cv["y"], axis=0) ** 2).groupby(cv["unique_id"]).mean())
        s = scale.reindex(rmse.index)
        best = models[int(np.argmin((rmse[s > 0].div(s[s > 0], axis=0)).mean().to_numpy()))]
        sf = StatsForecast(models=[best.build(1)], freq="W-MON", n_jobs=1)
        native = {"level": list(LEVELS)} if best.native_intervals else {}
        future = sf.forecast(df=part, h=HORIZON, **native)
        out = future.rename(columns={best.value: "forecast"})
        if best.native_intervals:
            for lv in LEVELS:
                out[f"lo_{lv}"] = out.pop(f"{best.value}-lo-{lv}")
                out[f"hi_{lv}"] = out.pop(f"{best.value}-hi-{lv}")
        else:
            errors = (cv[best.value] - cv["y"]).abs().groupby(cv["unique_id"])
            for lv in LEVELS:
                rank = math.ceil((WINDOWS * HORIZON + 1) * lv / 100)
                width = errors.agg(lambda e, r=rank: np.sort(e.to_numpy())[min(r, len(e)) - 1])
                half = out["unique_id"].map(width)
                out[f"lo_{lv}"], out[f"hi_{lv}"] = out["forecast"] - half, out["forecast"] + half
        out["model"] = best.value
        pieces.append(out)
    result = pd.concat(pieces).sort_values(["unique_id", "ds"], kind="stable")
    numbers = ["forecast", *(f"{b}_{lv}" for lv in LEVELS for b in ("lo", "hi"))]
    result[numbers] = result[numbers].clip(lower=0.0)
    result["ds"] = result["ds"].dt.strftime("%Y-%m-%d")
    result[["unique_id", "ds", *numbers, "model"]].to_csv(target, index=False, float_format="%.4f")


# --- tandem through its command line ---------------------------------------------------------


def tandem_run(source: Path, target: Path, *extra: str, env: dict[str, str] | None = None) -> None:
    from tandem.cli.main import app

    args = ["forecast", "run", str(source), "--horizon", str(HORIZON), "-o", str(target)]
    result = CliRunner().invoke(app, [*args, *extra], env=env)
    if result.exit_code != 0:
        raise RuntimeError(f"tandem forecast run failed: {result.output}")


MEASURES = ("ref", "local", "dask", "dask_up")


def _timed(fn: Callable[[], object]) -> tuple[float, float, float]:
    """Wall-clock seconds, CPU seconds of this process, and CPU seconds inside statsforecast."""
    with StatsforecastClock() as clock:
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - wall, time.process_time() - cpu, clock.seconds


def _cluster() -> LocalCluster:
    return LocalCluster(
        n_workers=WORKERS,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )


def main() -> None:
    os.environ.pop("TANDEM_DASK_SCHEDULER", None)
    wall: dict[str, list[float]] = {k: [] for k in (*MEASURES, "start")}
    cpu: dict[str, list[float]] = {k: [] for k in ("ref", "local", "ref_sf", "local_sf")}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source, small = work / "demand.csv", work / "small.csv"
        synthetic_weekly().to_csv(source, index=False)
        synthetic_weekly(50).to_csv(small, index=False)
        out = {k: work / f"{k}.csv" for k in MEASURES}
        reference(small, out["ref"])  # imports and numba caches, on neither side's clock
        tandem_run(small, out["local"])
        dask_args = ("--executor", "dask", "--workers", str(WORKERS))
        for run in range(RUNS):
            for side in ("ref", "local") if run % 2 == 0 else ("local", "ref"):
                job = reference if side == "ref" else tandem_run
                seconds, used, in_sf = _timed(partial(job, source, out[side]))
                wall[side].append(seconds)
                cpu[side].append(used)
                cpu[f"{side}_sf"].append(in_sf)
            wall["dask"].append(_timed(partial(tandem_run, source, out["dask"], *dask_args))[0])
            started = time.perf_counter()
            with _cluster() as cluster:
                wall["start"].append(time.perf_counter() - started)
                env = {"TANDEM_DASK_SCHEDULER": cluster.scheduler_address}
                tandem_run(small, out["dask_up"], env=env)  # the workers' first imports
                wall["dask_up"].append(
                    _timed(partial(tandem_run, source, out["dask_up"], env=env))[0]
                )
        _report(wall, cpu, out, (load, os.getloadavg()[0]))


def _report(
    wall: dict[str, list[float]],
    cpu: dict[str, list[float]],
    out: dict[str, Path],
    load: tuple[float, float],
) -> None:
    w = {k: statistics.median(v) for k, v in wall.items()}
    c = {k: statistics.median(v) for k, v in cpu.items()}
    outside = {
        side: statistics.median(a - b for a, b in zip(cpu[side], cpu[f"{side}_sf"], strict=True))
        for side in ("ref", "local")
    }
    print(
        f"\n{SERIES:,} weekly series x {WEEKS} weeks, h={HORIZON}, {WINDOWS} windows; "
        f"medians of {RUNS} run(s); {os.cpu_count()} CPUs, load average {load[0]:.1f} at the "
        f"start, {load[1]:.1f} at the end"
    )
    print(
        f"{'measure':<58}{'wall s':>8}{'series/s':>9}{'vs ref':>8}{'vs local':>9}"
        f"{'CPU s':>8}{'in sf':>7}{'outside':>8}"
    )
    rows = [
        ("reference: pandas + statsforecast, same models and CV", "ref"),
        ("tandem forecast run, local (1 process)", "local"),
        (f"tandem forecast run --executor dask --workers {WORKERS}", "dask"),
        (f"tandem forecast run, running {WORKERS}-worker cluster", "dask_up"),
    ]
    for name, key in rows:
        used = (
            f"{c[key]:>8.1f}{c[f'{key}_sf']:>7.1f}{outside[key]:>8.1f}"
            if key in c
            else f"{'-':>8}{'-':>7}{'-':>8}"
        )
        print(
            f"{name:<58}{w[key]:>8.1f}{SERIES / w[key]:>9.0f}{w[key] / w['ref']:>8.2f}"
            f"{w[key] / w['local']:>9.2f}{used}"
        )
    print(
        f"platform overhead: CPU outside statsforecast {outside['local']:.1f} s vs "
        f"{outside['ref']:.1f} s, {100 * (outside['local'] - outside['ref']) / c['ref']:+.1f} % "
        f"of the reference's CPU; total CPU {100 * (c['local'] / c['ref'] - 1):+.1f} %, wall "
        f"{100 * (w['local'] / w['ref'] - 1):+.1f} % (these include the noise of a shared "
        f"machine: compare the two 'in sf' columns, the same work on both sides)"
    )
    print(
        f"dask speed-up vs local (wall): {w['local'] / w['dask']:.2f}x with a cluster started by "
        f"the run ({w['start']:.1f} s to start), {w['local'] / w['dask_up']:.2f}x on a running "
        f"cluster"
    )
    mine = pd.read_csv(out["local"], dtype={"unique_id": str})
    theirs = pd.read_csv(out["ref"], dtype={"unique_id": str})
    same_model = (mine["model"].to_numpy() == theirs["model"].to_numpy()).mean()
    gap = np.abs(mine["forecast"].to_numpy() - theirs["forecast"].to_numpy()).max()
    identical = all(out[k].read_bytes() == out["local"].read_bytes() for k in ("dask", "dask_up"))
    used = ", ".join(f"{m} {n // HORIZON}" for m, n in mine["model"].value_counts().items())
    print(
        f"models chosen: {used}; the reference chose the same model for {100 * same_model:.1f} % "
        f"of series, largest forecast difference {gap:.4f}; "
        f"dask files byte-identical to local: {'yes' if identical else 'NO'}"
    )


if __name__ == "__main__":
    main()
