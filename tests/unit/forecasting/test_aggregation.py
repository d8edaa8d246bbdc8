"""Demand history in ISO weeks and months with partial and outlier flags: worked examples and
Hypothesis properties against a naive day-by-day reference (Python's ``isocalendar``)."""

from __future__ import annotations

import calendar
import dataclasses
import doctest
import itertools
import math
import statistics
from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.forecasting import aggregation
from tandem.planning.forecasting.aggregation import (
    MAD_TO_SIGMA,
    Bucket,
    Bucketing,
    HampelRule,
    PartialBuckets,
    aggregate_demand,
    hampel,
)

MONDAY = date(2026, 3, 2)


def weekly(values: list[float], start: date = MONDAY) -> dict[date, float]:
    """Whole ISO weeks from ``start``; week ``w`` has ``values[w]`` spread as 1/7 per day
    (exact in binary only for multiples of 7, which the examples use)."""
    return {
        start + timedelta(days=7 * w + d): v / 7 for w, v in enumerate(values) for d in range(7)
    }


def plain(buckets: tuple[Bucket, ...]) -> list[tuple[object, ...]]:
    """Buckets as comparable tuples (a score of ``nan`` equals ``nan`` here)."""
    return [(*dataclasses.astuple(b)[:7], repr(b.score), b.reason) for b in buckets]


# ---------------------------------------------------------------- worked examples


def test_docstring_examples_pass() -> None:
    outcome = doctest.testmod(aggregation)
    assert (outcome.attempted, outcome.failed) == (10, 0)


def test_a_spike_week_is_flagged_with_its_reason() -> None:
    series = weekly([70.0, 77.0, 63.0, 70.0, 350.0, 77.0, 70.0, 63.0])

    found = aggregate_demand(series, Bucketing.WEEK)

    assert [b.outlier for b in found.buckets] == [False] * 4 + [True] + [False] * 3
    spike = found.buckets[4]
    # window weeks 1..7: rates 11, 9, 10, 50, 11, 10, 9 → median 10, MAD 1
    assert spike.score == pytest.approx(40 / MAD_TO_SIGMA, rel=1e-12)
    assert spike.reason == (
        "outlier: 50 per day lies 27.0 scaled MADs above the median 10 per day of the buckets "
        "around it (Hampel, k=3, t=3)"
    )
    assert (spike.start, spike.end, spike.days, spike.observed_days, spike.quantity) == (
        date(2026, 3, 30),
        date(2026, 4, 5),
        7,
        7,
        350.0,
    )
    assert found.outliers == (spike,)


def test_a_dip_is_flagged_below_the_median() -> None:
    found = aggregate_demand(weekly([70.0, 77.0, 63.0, 0.0, 70.0, 77.0, 63.0]), Bucketing.WEEK)
    assert [b.start for b in found.outliers] == [date(2026, 3, 23)]
    assert "below the median 10 per day" in found.outliers[0].reason


def test_partial_weeks_are_flagged_and_not_tested() -> None:
    days = {date(2026, 3, 4) + timedelta(days=n): 3.0 for n in range(26)}  # Wed 4 .. Sun 29 Mar

    found = aggregate_demand(days, Bucketing.WEEK)

    assert [(b.start, b.observed_days, b.quantity, b.partial) for b in found.buckets] == [
        (date(2026, 3, 2), 5, 15.0, True),
        (date(2026, 3, 9), 7, 21.0, False),
        (date(2026, 3, 16), 7, 21.0, False),
        (date(2026, 3, 23), 7, 21.0, False),
    ]
    first = found.buckets[0]
    assert (first.reason, first.outlier, math.isnan(first.score)) == (
        "partial: 5 of 7 days observed",
        False,
        True,
    )
    dropped = aggregate_demand(days, Bucketing.WEEK, partial_buckets=PartialBuckets.DROP)
    assert plain(dropped.buckets) == plain(found.buckets[1:])


def test_missing_days_inside_the_span_are_zero_and_nothing_is_invented_outside() -> None:
    found = aggregate_demand({date(2026, 3, 3): 4.0, date(2026, 3, 6): 2.0}, Bucketing.DAY)
    assert [(b.start, b.quantity) for b in found.buckets] == [
        (date(2026, 3, 3), 4.0),
        (date(2026, 3, 4), 0.0),
        (date(2026, 3, 5), 0.0),
        (date(2026, 3, 6), 2.0),
    ]
    assert (found.first_day, found.last_day) == (date(2026, 3, 3), date(2026, 3, 6))


def test_an_explicit_span_counts_unrecorded_days_as_zero_demand() -> None:
    found = aggregate_demand(
        {date(2026, 3, 10): 5.0}, Bucketing.WEEK, span=(date(2026, 3, 2), date(2026, 3, 15))
    )
    assert [(b.quantity, b.observed_days, b.partial) for b in found.buckets] == [
        (0.0, 7, False),
        (5.0, 7, False),
    ]


def test_months_expose_their_length_so_rates_compare() -> None:
    days = {date(2024, 1, 1) + timedelta(days=n): 1.0 for n in range(91)}  # Jan..Mar 2024

    found = aggregate_demand(days, Bucketing.MONTH)

    assert [(b.days, b.quantity, b.per_day, b.partial) for b in found.buckets] == [
        (31, 31.0, 1.0, False),
        (29, 29.0, 1.0, False),  # leap February
        (31, 31.0, 1.0, False),
    ]


def test_intermittent_demand_with_mostly_zeros_is_not_tested() -> None:
    found = hampel([0.0, 0.0, 4.0, 0.0, 0.0, 0.0, 9.0, 0.0, 0.0])
    assert found.outlier.tolist() == [False] * 9
    assert all(math.isnan(s) for s in found.score)


def test_a_flat_window_borrows_the_series_scale() -> None:
    # the first window (10, 10) has MAD 0; the MAD of all nine values is 2 (median 10)
    found = hampel([10.0, 10, 10, 30, 12, 8, 14, 6, 10], HampelRule(half_width=1))
    assert found.scale[0] == 2 * MAD_TO_SIGMA
    assert found.outlier.tolist() == [False, False, False, True, False, False, False, False, False]


def test_a_constant_series_has_no_outlier() -> None:
    assert not hampel([5.0] * 10).outlier.any()


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="must be a finite non-negative number"):
        aggregate_demand({MONDAY: -1.0}, Bucketing.DAY)
    with pytest.raises(ValueError, match=r"1 observation\(s\) outside the span, e.g. 2026-03-02"):
        aggregate_demand({MONDAY: 1.0}, Bucketing.DAY, span=(date(2026, 3, 3), date(2026, 3, 4)))
    with pytest.raises(ValueError, match="the span starts after it ends"):
        aggregate_demand({}, Bucketing.DAY, span=(date(2026, 3, 4), date(2026, 3, 3)))
    with pytest.raises(ValueError, match="half_width must be at least 1"):
        HampelRule(half_width=0)
    with pytest.raises(ValueError, match="threshold must be a positive number"):
        HampelRule(threshold=math.nan)


def test_no_observations_give_no_buckets() -> None:
    found = aggregate_demand({}, Bucketing.MONTH)
    assert (found.buckets, found.first_day, found.last_day) == ((), None, None)


# ---------------------------------------------------------------- properties

starts = st.dates(min_value=date(1999, 12, 1), max_value=date(2031, 1, 31))
quantities = st.integers(min_value=0, max_value=400).map(lambda q: q / 4)  # exact sums


@st.composite
def series(draw: st.DrawFn) -> dict[date, float]:
    """Up to 200 days from any start date, each recorded or missing."""
    start = draw(starts)
    values = draw(st.lists(st.one_of(st.none(), quantities), min_size=1, max_size=200))
    found = {start + timedelta(days=n): v for n, v in enumerate(values) if v is not None}
    return found or {start: 0.0}


def naive(days: dict[date, float], bucketing: Bucketing) -> dict[tuple[int, int], list[float]]:
    """Day by day over the span: ISO (year, week) or (year, month) → daily values."""
    out: dict[tuple[int, int], list[float]] = defaultdict(list)
    day = min(days)
    while day <= max(days):
        iso = day.isocalendar()
        key = (iso.year, iso.week) if bucketing is Bucketing.WEEK else (day.year, day.month)
        out[key].append(days.get(day, 0.0))
        day += timedelta(days=1)
    return dict(out)


@settings(max_examples=200, deadline=None)
@given(series())
def test_totals_are_the_same_at_every_level(days: dict[date, float]) -> None:
    totals = {b: sum(aggregate_demand(days, b).quantities) for b in Bucketing}
    assert totals == dict.fromkeys(Bucketing, sum(days.values()))


@settings(max_examples=200, deadline=None)
@given(series(), st.sampled_from([Bucketing.WEEK, Bucketing.MONTH]))
def test_buckets_match_the_naive_calendar_grouping(
    days: dict[date, float], bucketing: Bucketing
) -> None:
    found = aggregate_demand(days, bucketing).buckets
    reference = naive(days, bucketing)

    assert [sum(v) for v in reference.values()] == [b.quantity for b in found]
    assert [len(v) for v in reference.values()] == [b.observed_days for b in found]
    for bucket in found:
        if bucketing is Bucketing.WEEK:
            assert (bucket.start.weekday(), bucket.days) == (0, 7)
        else:
            length = calendar.monthrange(bucket.start.year, bucket.start.month)[1]
            assert (bucket.start.day, bucket.days) == (1, length)
        assert (bucket.end - bucket.start).days + 1 == bucket.days
        assert bucket.partial == (bucket.observed_days < bucket.days)
    assert all(a.end + timedelta(days=1) == b.start for a, b in itertools.pairwise(found))
    assert found[0].start <= min(days) <= found[0].end
    assert found[-1].start <= max(days) <= found[-1].end
    assert not any(b.partial for b in found[1:-1])


@settings(max_examples=200, deadline=None)
@given(series(), st.sampled_from(list(Bucketing)), st.integers(min_value=-6, max_value=6))
def test_flags_do_not_change_when_demand_is_scaled(
    days: dict[date, float], bucketing: Bucketing, power: int
) -> None:
    factor = 2.0**power  # exact in binary floating point, so medians scale exactly
    scaled = {d: v * factor for d, v in days.items()}
    flags = [b.outlier for b in aggregate_demand(days, bucketing).buckets]
    assert [b.outlier for b in aggregate_demand(scaled, bucketing).buckets] == flags


@settings(max_examples=200, deadline=None)
@given(series(), st.sampled_from([Bucketing.WEEK, Bucketing.MONTH]))
def test_dropping_partial_buckets_keeps_the_whole_ones_unchanged(
    days: dict[date, float], bucketing: Bucketing
) -> None:
    flagged = aggregate_demand(days, bucketing).buckets
    dropped = aggregate_demand(days, bucketing, partial_buckets=PartialBuckets.DROP).buckets
    assert plain(dropped) == plain(tuple(b for b in flagged if not b.partial))


def naive_hampel(values: list[float], k: int, t: float) -> list[bool]:
    """The rule written out with :mod:`statistics`, point by point."""
    spread = statistics.median(abs(v - statistics.median(values)) for v in values)
    flags = []
    for i, v in enumerate(values):
        window = values[max(i - k, 0) : i + k + 1]
        m = statistics.median(window)
        s = MAD_TO_SIGMA * statistics.median(abs(w - m) for w in window)
        s = s if s > 0 else MAD_TO_SIGMA * spread
        flags.append(s > 0 and abs(v - m) > t * s)
    return flags


@settings(max_examples=300, deadline=None)
@given(
    st.lists(quantities, min_size=1, max_size=60),
    st.integers(min_value=1, max_value=5),
    st.sampled_from([2.0, 2.5, 3.0, 3.5]),
)
def test_hampel_agrees_with_a_naive_reference(values: list[float], k: int, t: float) -> None:
    found = hampel(values, HampelRule(k, t))
    assert found.outlier.tolist() == naive_hampel(values, k, t)


def test_bucket_is_a_plain_value() -> None:
    bucket = Bucket(MONDAY, MONDAY, 1, 1, 2.0, False, False, math.nan, "")
    assert bucket.per_day == 2.0
