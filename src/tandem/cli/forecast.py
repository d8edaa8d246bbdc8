"""``tandem forecast ...``: forecasts and backtests of a demand CSV file (no database needed).

The input is a long table ``unique_id,ds,y`` (ISO dates, or integer periods). The engine,
``tandem.planning.forecasting``, is imported when a command runs, so other commands do not pay
for pandas and statsforecast.
"""

from __future__ import annotations

import json
import math
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tandem.cli.main import app, console, errors, fail
from tandem.domain.errors import ValidationFailed, Violation

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from contextlib import AbstractContextManager

    import pandas as pd

    from tandem.planning.forecasting import AutoForecaster, DemandTable, ForecastInputError
    from tandem.planning.forecasting.executor import ForecastExecutor

forecast_app = typer.Typer(
    help="Demand forecasting: automatic model selection per series, from CSV files.",
    no_args_is_help=True,
)
app.add_typer(forecast_app, name="forecast")


class Metric(StrEnum):
    """The scaled error that selects a model (values of ``SelectionMetric``)."""

    RMSSE = "rmsse"
    MASE = "mase"


class Scope(StrEnum):
    """Per-series or per-group selection (values of ``SelectionScope``)."""

    SERIES = "series"
    GROUP = "group"


class Executor(StrEnum):
    """Where the partitions of series are computed."""

    LOCAL = "local"
    DASK = "dask"


INPUT = typer.Argument(..., help="CSV file with columns unique_id,ds,y.", show_default=False)
HORIZON = typer.Option(..., "--horizon", min=1, help="Periods to forecast.", show_default=False)
SEASON = typer.Option(
    None, "--season-length", min=1, help="Periods per cycle \\[default: 7 D, 52 W, 12 M, 4 Q, 1 Y]."
)
FREQ = typer.Option(
    None, "--freq", help="D, W, M, Q, Y, or P (integer periods) \\[default: inferred from ds]."
)
METRIC = typer.Option(Metric.RMSSE, "--metric", help="Scaled error that selects the model.")
FILL = typer.Option(False, "--fill-gaps", help="Read missing periods as zero demand.")
SCOPE = typer.Option(
    Scope.GROUP,
    "--scope",
    help="series: best model per series; group: one model per group of like series.",
)
EXECUTOR = typer.Option(
    None,
    "--executor",
    help="local: this process; dask: a Dask cluster, the one at TANDEM_DASK_SCHEDULER or else "
    "--workers processes started for this run. Same results either way. "
    "\\[default: dask if TANDEM_DASK_SCHEDULER is set, else local]",
    show_default=False,
)
WORKERS = typer.Option(
    None,
    "--workers",
    min=1,
    help="Worker processes of the Dask cluster started for the run (not with "
    "TANDEM_DASK_SCHEDULER) \\[default: one per CPU].",
    show_default=False,
)


def _violations(error: ForecastInputError) -> list[Violation]:
    out = []
    for p in error.problems:
        if p.row is not None:
            where = f"line {p.row + 2}"
        elif p.series is not None:
            where = f"series {p.series!r}"
        else:
            where = f"column {p.column}" if p.column else "table"
        out.append(Violation(where, p.message))
    return out


def _load(path: Path, freq: str | None, fill_gaps: bool) -> DemandTable:
    import pandas as pd

    from tandem.planning.forecasting import ForecastInputError, parse_frequency, prepare_table

    try:
        frequency = None if freq is None else parse_frequency(freq)
    except ValueError as error:
        fail(ValidationFailed(str(error)))
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        fail(ValidationFailed(f"no such file: {path}"))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        fail(ValidationFailed(f"{path} is not a readable CSV file: {error}"))
    try:
        return prepare_table(frame, frequency, fill_gaps=fill_gaps)
    except ForecastInputError as error:
        rows = [p for p in error.problems if p.row is not None]
        detail = (
            f"{path}: {len(error.problems)} problem(s) in the demand table, first at line "
            f"{rows[0].row + 2 if rows[0].row is not None else '?'}"
            if rows
            else f"{path}: {error.message}"
        )
        fail(ValidationFailed(detail, violations=_violations(error)))


def _progress(label: str) -> Progress:
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
        disable=not errors.is_terminal,
    )


def _tracked(bar: Progress) -> Callable[[int, int], None]:
    task = bar.add_task("work", total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return update


def _engine(
    horizon: int, season: int, windows: int, metric: Metric, scope: Scope
) -> AutoForecaster:
    from tandem.planning.forecasting import AutoForecaster, SelectionMetric, SelectionScope

    return AutoForecaster(
        horizon,
        season,
        windows,
        SelectionMetric(metric.value),
        (80, 95),
        scope=SelectionScope(scope.value),
    )


def _season(table: DemandTable, season_length: int | None) -> int:
    return season_length or table.calendar.frequency.default_season_length


def _executor(
    choice: Executor | None, workers: int | None
) -> tuple[AbstractContextManager[ForecastExecutor], str]:
    """The executor of this run (see ``bootstrap.forecast_executor``) and a note on it."""
    from tandem.bootstrap import forecast_executor
    from tandem.config import Settings

    settings = Settings()
    scheduler = settings.dask_scheduler or None
    dask = choice is Executor.DASK or (choice is None and scheduler is not None)
    if workers is not None and not dask:
        fail(ValidationFailed("--workers sizes a Dask cluster: use it with --executor dask"))
    if not dask:
        note = ""
    elif scheduler is not None:
        note = f"; Dask cluster at {scheduler}"
    else:
        note = f"; Dask, {workers or os.cpu_count() or 1} local worker(s)"
    return forecast_executor(settings, dask, workers), note


@forecast_app.command("run")
def run(
    input_file: Path = INPUT,
    horizon: int = HORIZON,
    output: Path = typer.Option(
        ..., "--output", "-o", help="CSV file to write.", show_default=False
    ),
    season_length: int | None = SEASON,
    freq: str | None = FREQ,
    windows: int = typer.Option(3, "--windows", min=1, help="Cross-validation windows per series."),
    metric: Metric = METRIC,
    scope: Scope = SCOPE,
    fill_gaps: bool = FILL,
    executor: Executor | None = EXECUTOR,
    workers: int | None = WORKERS,
) -> None:
    """Forecast every series with its best model; write forecasts and 80/95 % intervals.

    OUTPUT has the columns unique_id,ds,forecast,lo_80,hi_80,lo_95,hi_95,model.
    """
    runner, note = _executor(executor, workers)
    table = _load(input_file, freq, fill_gaps)
    m = _season(table, season_length)
    engine = _engine(horizon, m, windows, metric, scope)
    with runner as where, _progress("forecasting") as bar:
        result = engine.fit(table, _tracked(bar), executor=where)
    frame = result.forecasts
    _write(frame, output)
    counts = frame.groupby("model").size() // horizon
    models = ", ".join(
        f"{name} {int(n)}" for name, n in counts.sort_values(ascending=False).items()
    )
    console.print(
        f"wrote {len(frame):,} forecasts of {len(table.ids):,} series to {output} "
        f"(season length {m}; models: {models}{note})",
        soft_wrap=True,
    )


def _write(frame: pd.DataFrame, output: Path) -> None:
    out = frame.copy()
    if out["ds"].dtype.kind == "M":
        out["ds"] = out["ds"].dt.strftime("%Y-%m-%d")
    try:
        out.to_csv(output, index=False, float_format="%.4f")
    except OSError as error:
        fail(ValidationFailed(f"cannot write {output}: {error.strerror}"))


@forecast_app.command("backtest")
def backtest(
    input_file: Path = INPUT,
    horizon: int = HORIZON,
    windows: int = typer.Option(1, "--windows", min=1, help="Held-out windows of HORIZON periods."),
    season_length: int | None = SEASON,
    freq: str | None = FREQ,
    selection_windows: int = typer.Option(
        3, "--selection-windows", min=1, help="Cross-validation windows that select a model."
    ),
    metric: Metric = METRIC,
    scope: Scope = SCOPE,
    fill_gaps: bool = FILL,
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    executor: Executor | None = EXECUTOR,
    workers: int | None = WORKERS,
) -> None:
    """Accuracy on held-out periods of every model and of the automatic selection.

    MASE and RMSSE are means over series; WAPE and bias (forecast − actual, relative) pool all
    points. Each model is scored on the series it is tried on; "auto MASE" is the selection on
    those same series.
    """
    from tandem.planning.forecasting import backtest as run_backtest

    runner, note = _executor(executor, workers)
    table = _load(input_file, freq, fill_gaps)
    m = _season(table, season_length)
    engine = _engine(horizon, m, selection_windows, metric, scope)
    with runner as where, _progress("backtesting") as bar:
        report = run_backtest(engine, table, windows, _tracked(bar), executor=where)
    if not report.scores:
        fail(
            ValidationFailed(
                f"no series is long enough to hold out {windows} window(s) of {horizon} periods "
                "and still select a model"
            )
        )
    if as_json:
        console.print_json(json.dumps(_report_json(report, m)))
        return
    table_out = Table(title=f"held-out accuracy: {windows} window(s) of {horizon} periods")
    for name in ("model", "series", "MASE", "RMSSE", "WAPE", "bias", "auto MASE"):
        table_out.add_column(name, justify="left" if name == "model" else "right")
    for score in report.scores:
        a = score.accuracy
        table_out.add_row(
            score.model,
            f"{a.series:,}",
            *(_num(v) for v in (a.mase, a.rmsse, a.wape, a.bias, score.auto.mase)),
        )
    console.print(table_out)
    chosen = ", ".join(f"{k.value} {v}" for k, v in sorted(report.chosen.items(), key=_by_count))
    console.print(f"season length {m}; auto chose: {chosen}{note}", soft_wrap=True)
    if report.excluded:
        console.print(f"{len(report.excluded):,} series too short, left out", soft_wrap=True)


def _by_count(item: tuple[Any, int]) -> tuple[int, str]:
    return (-item[1], str(item[0]))


def _num(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.3f}"


def _clean(value: float) -> float | None:
    return None if math.isnan(value) or math.isinf(value) else round(value, 6)


def _report_json(report: Any, season_length: int) -> dict[str, Any]:
    def scores() -> Iterator[dict[str, Any]]:
        for s in report.scores:
            yield {
                "model": s.model,
                "series": s.accuracy.series,
                **{k: _clean(getattr(s.accuracy, k)) for k in ("mase", "rmsse", "wape", "bias")},
                "auto": {k: _clean(getattr(s.auto, k)) for k in ("mase", "rmsse", "wape", "bias")},
            }

    return {
        "horizon": report.horizon,
        "windows": report.windows,
        "season_length": season_length,
        "classes": {k.value: v for k, v in sorted(report.classes.items())},
        "chosen": {k.value: v for k, v in sorted(report.chosen.items())},
        "excluded": list(report.excluded),
        "scores": list(scores()),
    }
