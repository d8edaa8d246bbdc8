"""Validation of the long unique_id, ds, y table and the inference of its time grid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tandem.planning.forecasting import (
    ForecastInputError,
    Frequency,
    InputProblem,
    parse_frequency,
    prepare_table,
)


def _frame(ds: list[str], y: list[str] | None = None, ids: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unique_id": ids or ["a"] * len(ds),
            "ds": ds,
            "y": y or ["1"] * len(ds),
        }
    )


def _problems(frame: pd.DataFrame, **kwargs: object) -> tuple[InputProblem, ...]:
    with pytest.raises(ForecastInputError) as caught:
        prepare_table(frame, **kwargs)  # type: ignore[arg-type]
    return caught.value.problems


@pytest.mark.parametrize(
    ("ds", "frequency", "after"),
    [
        (["2024-01-01", "2024-02-01", "2024-03-01"], Frequency.MONTHLY, "2024-04-01"),
        (["2024-01-31", "2024-02-29", "2024-03-31"], Frequency.MONTHLY, "2024-04-30"),
        (["2024-01-15", "2024-02-15", "2024-03-15"], Frequency.MONTHLY, "2024-04-15"),
        (["2024-01-01", "2024-01-08", "2024-01-15"], Frequency.WEEKLY, "2024-01-22"),
        (["2024-02-28", "2024-02-29", "2024-03-01"], Frequency.DAILY, "2024-03-02"),
        (["2023-10-01", "2024-01-01", "2024-04-01"], Frequency.QUARTERLY, "2024-07-01"),
        (["2022-12-31", "2023-12-31", "2024-12-31"], Frequency.YEARLY, "2025-12-31"),
    ],
)
def test_frequency_is_inferred_and_the_next_period_keeps_its_place(
    ds: list[str], frequency: Frequency, after: str
) -> None:
    table = prepare_table(_frame(ds))
    assert table.calendar.frequency is frequency
    nxt = table.labels(table.start + table.lengths)
    assert str(nxt[0]) == after


def test_integer_ds_are_plain_periods_and_rows_are_sorted() -> None:
    table = prepare_table(
        pd.DataFrame({"unique_id": ["b", "a", "a"], "ds": [7, 2, 1], "y": [3.0, 2.0, 1.0]})
    )
    assert table.calendar.frequency is Frequency.PERIOD
    assert table.ids == ("a", "b")
    assert table.y.tolist() == [1.0, 2.0, 3.0]
    assert table.start.tolist() == [1, 7]


def test_every_bad_cell_is_named_by_row_and_column() -> None:
    frame = _frame(
        ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01"],
        ["1", "abc", "-2", "", "inf"],
    )
    assert [(p.row, p.column, p.message) for p in _problems(frame)] == [
        (1, "y", "y is not a number: 'abc'"),
        (2, "y", "y is negative: -2 (demand cannot be below zero)"),
        (3, "y", "y is missing"),
        (4, "y", "y is not finite: 'inf'"),
    ]


def test_missing_columns_are_listed() -> None:
    problems = _problems(pd.DataFrame({"id": ["a"], "ds": ["2024-01-01"]}))
    assert [(p.column, p.message) for p in problems] == [
        ("unique_id", "column is missing"),
        ("y", "column is missing"),
    ]


def test_unparseable_date_is_named() -> None:
    (problem,) = _problems(_frame(["2024-01-01", "2024-13-01", "2024-03-01"]))
    assert (problem.row, problem.column) == (1, "ds")
    assert (
        problem.message == "ds is not a date: '2024-13-01' (expected ISO format, e.g. 2024-01-31)"
    )


def test_duplicate_unique_id_and_ds_names_both_rows() -> None:
    (problem,) = _problems(_frame(["2024-02-01", "2024-01-01", "2024-02-01"]))
    assert problem.row == 2
    assert problem.message == "duplicate (unique_id, ds) = ('a', 2024-02-01), first seen in row 0"


def test_gap_is_refused_unless_read_as_zero_demand() -> None:
    frame = _frame(["2024-01-01", "2024-02-01", "2024-05-01"], ["4", "5", "6"])
    (problem,) = _problems(frame)
    assert (problem.row, problem.series) == (2, "a")
    assert (
        problem.message
        == "series 'a' has no row for 2024-03-01 (2 period(s) missing before this row)"
    )
    filled = prepare_table(frame, fill_gaps=True)
    assert filled.y.tolist() == [4.0, 5.0, 0.0, 0.0, 6.0]


def test_mixed_frequencies_cannot_be_inferred() -> None:
    frame = _frame(
        ["2024-01-01", "2024-02-01", "2024-01-01", "2024-01-08"], ids=["m", "m", "w", "w"]
    )
    (problem,) = _problems(frame)
    assert problem.column == "ds"
    with pytest.raises(ForecastInputError, match="the table may mix frequencies"):
        prepare_table(frame)


def test_given_frequency_names_dates_off_its_grid() -> None:
    frame = _frame(["2024-01-01", "2024-02-01", "2024-03-05"])
    (problem,) = _problems(frame, frequency=Frequency.MONTHLY)
    assert problem.row == 2
    assert problem.message == "ds 2024-03-05 is not on the monthly grid of 2024-01-01 (series 'a')"


def test_single_dates_cannot_reveal_the_frequency_but_can_be_given_one() -> None:
    frame = _frame(["2024-01-01", "2024-01-01"], ids=["a", "b"])
    with pytest.raises(ForecastInputError, match="cannot infer the frequency"):
        prepare_table(frame)
    assert prepare_table(frame, frequency=Frequency.WEEKLY).calendar.frequency is Frequency.WEEKLY


@pytest.mark.parametrize(
    ("text", "frequency"),
    [
        ("m", Frequency.MONTHLY),
        ("MS", Frequency.MONTHLY),
        ("W-MON", Frequency.WEEKLY),
        ("D", Frequency.DAILY),
    ],
)
def test_frequency_spellings(text: str, frequency: Frequency) -> None:
    assert parse_frequency(text) is frequency


def test_unknown_frequency_spelling_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown frequency 'fortnightly'"):
        parse_frequency("fortnightly")


def test_frame_round_trips_period_numbers_and_hold_out() -> None:
    table = prepare_table(_frame(["2024-01-01", "2024-02-01", "2024-03-01"], ["1", "2", "3"]))
    frame = table.frame(drop_last=1)
    assert frame["y"].tolist() == [1.0, 2.0]
    assert np.diff(frame["ds"].to_numpy()).tolist() == [1]
