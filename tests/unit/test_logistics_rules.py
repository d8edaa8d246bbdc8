"""Rules of loads, tenders and tracking (domain/logistics.py) and the arrival estimator
(domain/logistics_eta.py): lifecycles, validation naming fields, hand-checked estimates, and
properties: the estimate does not depend on the order reports arrive in, and matches a naive
re-derivation from the definitions."""

from __future__ import annotations

import doctest
import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.domain import logistics_eta
from tandem.domain.logistics import (
    LOAD_TRANSITIONS,
    EtaBasis,
    LoadStatus,
    Milestone,
    TrackingEvent,
    TrackingSource,
    TrackingStatus,
    status_after,
    tracking_violations,
    window_violations,
)
from tandem.domain.logistics_eta import Schedule, Transit, estimate_arrival, late_probability

T0 = datetime(2026, 11, 23, 8, tzinfo=UTC)
PLAN = Schedule(T0, T0 + timedelta(days=1), T0 + timedelta(days=1, hours=8), 7)
LANE = Transit(1.0, 0.2, True)


def _event(
    n: int, status: TrackingStatus, hours: float, delay: float | None = None
) -> TrackingEvent:
    at = T0 + timedelta(hours=hours)
    return TrackingEvent(
        n, 1, 1, f"m-{n}", status, at, at, TrackingSource.API, "user:1", delay_hours=delay
    )


def test_the_estimator_docstrings_hold() -> None:
    assert doctest.testmod(logistics_eta).failed == 0


def test_status_follows_the_furthest_milestone_in_any_order() -> None:
    accepted = LoadStatus.ACCEPTED
    assert status_after(accepted, []) is accepted
    assert status_after(accepted, [Milestone.NONE]) is accepted  # an exception alone
    assert (
        status_after(accepted, [Milestone.DEPARTED, Milestone.PICKED_UP]) is LoadStatus.IN_TRANSIT
    )
    assert status_after(LoadStatus.IN_TRANSIT, [Milestone.DELIVERED, Milestone.ARRIVED]) is (
        LoadStatus.DELIVERED
    )


def test_windows_name_the_offending_field() -> None:
    late = T0 + timedelta(hours=4)
    found = window_violations(
        (late, T0), (T0 - timedelta(hours=1), T0 - timedelta(hours=2)), "load"
    )
    assert [v.field for v in found] == ["pickup_to", "delivery_to", "delivery_to"]
    naive = window_violations((T0.replace(tzinfo=None), T0), (T0, T0), "load")
    assert [(v.field, v.message) for v in naive] == [("pickup_from", "must carry a time zone")]


def test_only_an_exception_reports_a_delay_and_positions_come_in_pairs() -> None:
    event = _event(1, TrackingStatus.DEPARTED, 0, delay=2.0)
    halfway = TrackingEvent(2, 1, 1, "", TrackingStatus.ARRIVED, T0, T0, TrackingSource.API, "x",
                            latitude=52.0)  # fmt: skip
    assert [v.field for v in tracking_violations(event, "event")] == ["delay_hours"]
    assert [v.field for v in tracking_violations(halfway, "event")] == ["message_id", "longitude"]


def test_a_known_arrival_is_late_only_after_the_window() -> None:
    inside = estimate_arrival(PLAN, LANE, [_event(1, TrackingStatus.DELIVERED, 31.5)])
    after = estimate_arrival(PLAN, LANE, [_event(1, TrackingStatus.ARRIVED, 32.5)])
    assert (inside.basis, inside.late_probability, inside.late_risk) == (
        EtaBasis.DELIVERED, 0.0, False)  # fmt: skip
    assert (after.basis, after.late_probability, after.late_risk) == (EtaBasis.ARRIVED, 1.0, True)


def test_a_planned_transit_without_spread_is_late_only_when_the_eta_is() -> None:
    planned = logistics_eta.planned_transit(PLAN)
    assert planned == Transit(1.0, 0.0, False)  # delivery_from - pickup_from = 1 day
    assert late_probability(1.0, planned) == 0.0
    assert late_probability(0.999, planned) == 1.0


def test_a_load_cannot_be_cancelled_once_picked_up_nor_revived_once_closed() -> None:
    assert LoadStatus.CANCELLED not in LOAD_TRANSITIONS[LoadStatus.IN_TRANSIT]
    assert LOAD_TRANSITIONS[LoadStatus.DELIVERED] == frozenset()
    assert LOAD_TRANSITIONS[LoadStatus.CANCELLED] == frozenset()
    assert LOAD_TRANSITIONS[LoadStatus.REJECTED] == {LoadStatus.TENDERED, LoadStatus.CANCELLED}


STATUSES = st.sampled_from(list(TrackingStatus))
REPORTS = st.lists(
    st.tuples(STATUSES, st.integers(0, 40), st.sampled_from([None, 1.5, 5.0])), max_size=6
)


def _naive(reports: list[TrackingEvent]) -> tuple[datetime, float]:
    """The definitions, spelled out: known arrival, else start + mean + delays since start."""
    for status in (TrackingStatus.DELIVERED, TrackingStatus.ARRIVED):
        times = sorted(e.at for e in reports if e.status is status)
        if times:
            return times[0], 1.0 if times[0] > PLAN.delivery_to else 0.0
    starts = [sorted(e.at for e in reports if e.status is s)
              for s in (TrackingStatus.DEPARTED, TrackingStatus.PICKED_UP)]  # fmt: skip
    start = starts[0][0] if starts[0] else starts[1][0] if starts[1] else PLAN.pickup_from
    planned = not starts[0] and not starts[1]
    delay = sum((e.delay_hours or 0) for e in reports
                if e.status is TrackingStatus.EXCEPTION and (planned or e.at >= start))  # fmt: skip
    slack = (PLAN.delivery_to - start).total_seconds() / 86400 - delay / 24
    z = (slack - LANE.mean_days) / LANE.std_days
    return start + timedelta(days=1, hours=delay), 0.5 * math.erfc(z / math.sqrt(2))


@settings(max_examples=200, deadline=None)
@given(REPORTS, st.randoms(use_true_random=False))
def test_the_estimate_ignores_arrival_order_and_matches_the_definition(
    raw: list[tuple[TrackingStatus, int, float | None]], shuffler: object
) -> None:
    reports = [
        _event(n, s, h, d if s is TrackingStatus.EXCEPTION else None)
        for n, (s, h, d) in enumerate(raw, start=1)
    ]
    shuffled = list(reports)
    shuffler.shuffle(shuffled)  # type: ignore[attr-defined]
    first, second = estimate_arrival(PLAN, LANE, reports), estimate_arrival(PLAN, LANE, shuffled)
    assert first == second
    eta, probability = _naive(reports)
    assert first.estimated_arrival == eta
    assert first.late_probability == pytest.approx(probability, abs=1e-12)
    assert first.late_risk == (eta > PLAN.delivery_to or probability > 0.3)
