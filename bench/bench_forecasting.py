"""Forecasting engine: held-out accuracy on real demand, and throughput against statsforecast.

Accuracy. For each data set the last ``h`` periods of every series are held out; the engine
selects a model per series on the data before them (nested rolling-origin cross-validation,
:func:`tandem.planning.forecasting.backtest`) and every candidate is scored on the same hold-out.
The table gives mean MASE and RMSSE over series (scale: in-sample seasonal naive), each model on
the series it is a candidate for, next to the automatic selection on those same series; a last
line gives the selection with ``SelectionScope.GROUP`` (one model per group of like series).

Throughput. 10,000 synthetic weekly series of 104 weeks (20 % smooth, 80 % intermittent, as in
SKU-level data) through ``AutoForecaster.fit`` (validation, classification, cross-validation,
selection, refit, intervals), against the same work written directly on statsforecast in the
same run: per demand-class group one ``cross_validation`` call with the same models, windows and
horizon, one ``forecast`` of every candidate, and a pandas pick of the best per series. The ratio
is the platform's overhead. ``BENCH_RUNS`` (default 1) repeats the throughput pair; medians.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

from tandem.planning.forecasting import (
    AUTO,
    AutoForecaster,
    DemandClass,
    Model,
    SelectionScope,
    backtest,
    candidates,
    classify,
)

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "demand"
M3_SAMPLE = 400
SERIES, WEEKS, HORIZON = int(os.environ.get("BENCH_SERIES", "10000")), 104, 8


def _raf() -> pd.DataFrame:
    return pd.read_csv(DATA / "raf_demand_monthly.csv")


def _man() -> pd.DataFrame:
    frame = pd.read_csv(DATA / "man_demand_weekly.csv")
    return frame.rename(columns={"week": "ds"})


def _carparts() -> pd.DataFrame:
    frame = pd.read_csv(DATA / "carparts_monthly.csv")
    complete = frame.groupby("unique_id")["y"].transform(lambda y: y.notna().all())
    return frame[complete]


def _m3_monthly() -> pd.DataFrame:
    rows = []
    with (DATA / "m3_monthly_quarterly_yearly_other.csv").open() as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            fields = line.rstrip("\n").split(",")
            if int(fields[2]) != 18:
                continue
            values = [float(v) for v in fields[6 : 6 + int(fields[1])]]
            rows.extend((fields[0].replace(" ", ""), t, v) for t, v in enumerate(values))
    frame = pd.DataFrame(rows, columns=["unique_id", "ds", "y"])
    ids = sorted(frame["unique_id"].unique())
    keep = np.random.default_rng(0).choice(len(ids), M3_SAMPLE, replace=False)
    return frame[frame["unique_id"].isin([ids[i] for i in keep])]


SETS = [
    ("RAF spare parts (monthly)", _raf, 12, 12),
    ("MAN SKUs (weekly)", _man, 52, 16),
    ("car parts (monthly)", _carparts, 12, 12),
    (f"M3 monthly (sample {M3_SAMPLE})", _m3_monthly, 12, 18),
]


def accuracy_table() -> None:
    for name, load, season, h in SETS:
        frame = load()
        started = time.perf_counter()
        report = backtest(AutoForecaster(horizon=h, season_length=season), frame, windows=1)
        elapsed = time.perf_counter() - started
        classes = ", ".join(f"{c.value} {n}" for c, n in sorted(report.classes.items()))
        print(
            f"\n{name}: h={h}, m={season}, {report.score(AUTO).accuracy.series:,} series "
            f"({classes}; {len(report.excluded)} too short), {elapsed:.0f} s"
        )
        print(
            f"{'model':<18}{'series':>7}{'MASE':>8}{'RMSSE':>8}{'WAPE':>8}{'bias':>8}"
            f"{'auto MASE':>11}{'auto RMSSE':>12}"
        )
        for s in report.scores:
            a = s.accuracy
            print(
                f"{s.model:<18}{a.series:>7,}{a.mase:>8.3f}{a.rmsse:>8.3f}{a.wape:>8.3f}"
                f"{a.bias:>+8.3f}{s.auto.mase:>11.3f}{s.auto.rmsse:>12.3f}"
            )
        top = sorted(report.chosen.items(), key=lambda kv: -kv[1])[:5]
        print("auto chose: " + ", ".join(f"{m.value} {n}" for m, n in top))
        engine = AutoForecaster(horizon=h, season_length=season, scope=SelectionScope.GROUP)
        group = backtest(engine, frame, windows=1)
        a = group.score(AUTO).accuracy
        top = sorted(group.chosen.items(), key=lambda kv: -kv[1])[:3]
        print(
            f"{'auto, group scope':<18}{a.series:>7,}{a.mase:>8.3f}{a.rmsse:>8.3f}{a.wape:>8.3f}"
            f"{a.bias:>+8.3f}   chose " + ", ".join(f"{m.value} {n}" for m, n in top)
        )


def synthetic_weekly(seed: int = 0) -> pd.DataFrame:
    """Smooth seasonal Poisson demand (20 %) and intermittent demand (80 %), 104 weeks."""
    rng = np.random.default_rng(seed)
    t = np.arange(WEEKS)
    smooth = SERIES // 5
    level = rng.uniform(20, 200, (smooth, 1))
    season = 1 + 0.3 * np.sin(2 * np.pi * (t + rng.integers(0, 52, (smooth, 1))) / 52)
    ys = [rng.poisson(level * season).astype(float)]
    occurs = rng.random((SERIES - smooth, WEEKS)) < rng.uniform(0.05, 0.5, (SERIES - smooth, 1))
    ys.append(occurs * (1 + rng.poisson(rng.uniform(1, 10, (SERIES - smooth, 1)), occurs.shape)))
    y = np.vstack(ys)
    ids = np.repeat([f"s{i:05d}" for i in range(SERIES)], WEEKS)
    return pd.DataFrame({"unique_id": ids, "ds": np.tile(t, SERIES), "y": y.ravel()})


def direct_statsforecast(frame: pd.DataFrame, season: int) -> float:
    """The same job written straight on statsforecast, for reference; returns the seconds spent
    in its ``cross_validation`` calls alone."""
    from statsforecast import StatsForecast

    groups: dict[tuple[Model, ...], list[str]] = {}
    for uid, y in frame.groupby("unique_id", sort=False)["y"]:
        groups.setdefault(candidates(classify(y.to_numpy()).demand_class), []).append(str(uid))
    picked = []
    in_cv = 0.0
    for models, ids in groups.items():
        part = frame[frame["unique_id"].isin(ids)]
        sf = StatsForecast(models=[m.build(season) for m in models], freq=1, n_jobs=1)
        started = time.perf_counter()
        cv = sf.cross_validation(df=part, h=HORIZON, n_windows=3, step_size=HORIZON)
        in_cv += time.perf_counter() - started
        names = [m.value for m in models]
        rmse = (cv[names].sub(cv["y"], axis=0) ** 2).groupby(cv["unique_id"]).mean()
        native = all(m.native_intervals for m in models)
        future = sf.forecast(df=part, h=HORIZON, **({"level": [80, 95]} if native else {}))
        best = rmse.idxmin(axis=1)
        picked.append(future.assign(model=future["unique_id"].map(best)))
    pd.concat(picked)
    return in_cv


def throughput() -> None:
    frame = synthetic_weekly()
    classes = dict.fromkeys(DemandClass, 0)
    for _, y in frame.groupby("unique_id")["y"]:
        classes[classify(y.to_numpy()).demand_class] += 1
    runs = int(os.environ.get("BENCH_RUNS", "1"))
    engine_s, reference_s, cv_s = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        cv_s.append(direct_statsforecast(frame, 52))
        reference_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        AutoForecaster(horizon=HORIZON, season_length=52).fit(frame)
        engine_s.append(time.perf_counter() - started)
    ref, eng = statistics.median(reference_s), statistics.median(engine_s)
    cv = statistics.median(cv_s)
    mix = ", ".join(f"{c.value} {n}" for c, n in classes.items() if n)
    print(f"\nthroughput: {SERIES:,} weekly series x {WEEKS} weeks, h={HORIZON}, 3 windows ({mix})")
    print(f"{'measure':<52}{'median s':>10}{'series/s':>10}{'ratio':>8}")
    print(
        f"{'reference: statsforecast CV + forecast, same models':<52}{ref:>10.1f}"
        f"{SERIES / ref:>10.0f}{1.0:>8.2f}"
    )
    print(
        f"{'  of which its cross_validation calls alone':<52}{cv:>10.1f}"
        f"{SERIES / cv:>10.0f}{cv / ref:>8.2f}"
    )
    print(f"{'tandem: AutoForecaster.fit':<52}{eng:>10.1f}{SERIES / eng:>10.0f}{eng / ref:>8.2f}")
    print(f"({runs} run(s), one process, n_jobs=1)")


def main() -> None:
    if not DATA.exists():
        print(f"skipped: {DATA} not found (the shared data sets sit beside the repository)")
        return
    accuracy_table()
    throughput()


if __name__ == "__main__":
    main()
