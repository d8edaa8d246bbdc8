"""Expected arrival of a load and the risk that it arrives late: a pure estimator.

The estimate rests on the strongest evidence reported so far, whatever order the reports came
in (each is placed by its own ``at``):

* delivered, or arrived, at the last drop: the arrival is known (basis ``delivered`` /
  ``arrived``); late is then a fact, the probability 1 or 0;
* otherwise the transit starts at the first ``departed``, else the first ``picked_up``, else the
  planned start of the pick-up window (basis ``departed`` / ``picked_up`` / ``planned``), and

      ETA = start + mean transit + sum of the delays reported by exceptions since the start

  (every exception counts while the basis is the plan).

The transit time ``X`` is the lane's lead time (mean and standard deviation, in days); with no
lane, the planned transit ``delivery_from - pickup_from`` without spread. Late risk uses the
normal approximation of the transit time common in lead-time modelling (Silver, Pyke & Thomas,
*Inventory and Production Management in Supply Chains*, 4th ed., 2017, §6.10; Chopra & Meindl,
*Supply Chain Management*, 6th ed., 2016, ch. 12)::

    P(late) = P(start + delay + X > delivery_to) = 1 - Phi((slack - mean) / std),
    slack   = delivery_to - start - delay  (days)

with ``P(late)`` 1 or 0 when ``std`` is 0. A load is at risk when ``ETA > delivery_to`` or
``P(late)`` exceeds the threshold (0.3 by default).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tandem.domain.logistics import EtaBasis, TrackingEvent, TrackingStatus

DEFAULT_THRESHOLD = 0.3
SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class Transit:
    """Transit time of the load's trip in days: from the lane, or planned (``std_days`` 0)."""

    mean_days: float
    std_days: float
    from_lane: bool


@dataclass(frozen=True)
class Schedule:
    """The planned windows the estimate is measured against, and the last drop's site."""

    pickup_from: datetime
    delivery_from: datetime
    delivery_to: datetime
    last_site_id: int


@dataclass(frozen=True)
class Estimate:
    estimated_arrival: datetime
    basis: EtaBasis
    late_probability: float
    late_risk: bool


def planned_transit(schedule: Schedule) -> Transit:
    """Without a lane: the planned transit ``delivery_from - pickup_from``, certain."""
    days = (schedule.delivery_from - schedule.pickup_from).total_seconds() / SECONDS_PER_DAY
    return Transit(max(days, 0.0), 0.0, False)


def normal_tail(z: float) -> float:
    """``1 - Phi(z)`` of the standard normal distribution.

    >>> round(normal_tail(0.0), 6), round(normal_tail(1.0), 6)
    (0.5, 0.158655)
    """
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def late_probability(slack_days: float, transit: Transit) -> float:
    """``P(X > slack)`` for the transit time ``X ~ N(mean, std^2)``."""
    if transit.std_days <= 0:
        return 1.0 if slack_days < transit.mean_days else 0.0
    return normal_tail((slack_days - transit.mean_days) / transit.std_days)


def _first(
    events: Sequence[TrackingEvent], status: TrackingStatus, last_site_id: int | None
) -> TrackingEvent | None:
    found = [
        e
        for e in events
        if e.status is status
        and (last_site_id is None or e.site_id is None or e.site_id == last_site_id)
    ]
    return min(found, key=lambda e: (e.at, e.id)) if found else None


def _known(event: TrackingEvent, basis: EtaBasis, schedule: Schedule) -> Estimate:
    late = event.at > schedule.delivery_to
    return Estimate(event.at, basis, 1.0 if late else 0.0, late)


def _start(events: Sequence[TrackingEvent], schedule: Schedule) -> tuple[datetime, EtaBasis]:
    departed = _first(events, TrackingStatus.DEPARTED, None)
    if departed is not None:
        return departed.at, EtaBasis.DEPARTED
    picked = _first(events, TrackingStatus.PICKED_UP, None)
    if picked is not None:
        return picked.at, EtaBasis.PICKED_UP
    return schedule.pickup_from, EtaBasis.PLANNED


def reported_delay_hours(
    events: Sequence[TrackingEvent], start: datetime, basis: EtaBasis
) -> float:
    """Hours of delay the exceptions reported since ``start`` (all of them on a planned basis:
    a delay reported before the trip began still moves it)."""
    return sum(
        e.delay_hours or 0.0
        for e in events
        if e.status is TrackingStatus.EXCEPTION and (basis is EtaBasis.PLANNED or e.at >= start)
    )


def estimate_arrival(
    schedule: Schedule,
    transit: Transit,
    events: Sequence[TrackingEvent],
    threshold: float = DEFAULT_THRESHOLD,
) -> Estimate:
    """The expected arrival at the last drop and its late risk, from ``events`` in any order.

    >>> from datetime import UTC
    >>> plan = Schedule(datetime(2026, 11, 23, 8, tzinfo=UTC), datetime(2026, 11, 25, tzinfo=UTC),
    ...                 datetime(2026, 11, 25, 12, tzinfo=UTC), 7)
    >>> e = estimate_arrival(plan, Transit(2.0, 0.5, True), [])
    >>> e.estimated_arrival.isoformat(), e.basis.value, round(e.late_probability, 4), e.late_risk
    ('2026-11-25T08:00:00+00:00', 'planned', 0.3694, True)
    """
    for status, basis in (
        (TrackingStatus.DELIVERED, EtaBasis.DELIVERED),
        (TrackingStatus.ARRIVED, EtaBasis.ARRIVED),
    ):
        known = _first(events, status, schedule.last_site_id)
        if known is not None:
            return _known(known, basis, schedule)
    start, basis = _start(events, schedule)
    delay_hours = reported_delay_hours(events, start, basis)
    eta = start + timedelta(days=transit.mean_days, hours=delay_hours)
    slack = (schedule.delivery_to - start).total_seconds() / SECONDS_PER_DAY - delay_hours / 24
    probability = late_probability(slack, transit)
    return Estimate(eta, basis, probability, eta > schedule.delivery_to or probability > threshold)
