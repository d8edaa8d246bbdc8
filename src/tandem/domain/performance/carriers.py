"""The carrier scorecard: how one carrier served one shipper over a period, from the tenders
and tracking reports on the platform.

* Tender acceptance rate: accepted / answered, over the tenders offered in the period; a tender
  counts as answered once accepted, rejected or expired (an expiry is a refusal by silence); open
  and withdrawn tenders do not count. A standard carrier KPI of freight procurement (Caplice,
  C., "Electronic markets for truckload transportation", *Production and Operations
  Management* 16(4), 2007, 423-436: primary carriers' tender acceptance).
* On-time pick-up and on-time delivery: the share of the carrier's accepted loads whose window
  ends in the period and is due (ended before the time of measurement, or reported) that were
  picked up by ``pickup_to`` / delivered by ``delivery_to`` (the first such report counts).
  SCOR (ASCM) RL.2.2-style delivery performance applied to the transport leg.

Every rate is ``None`` when nothing was due (see :mod:`tandem.domain.performance`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tandem.domain.logistics import (
    Load,
    LoadStatus,
    Tender,
    TenderStatus,
    TrackingEvent,
    TrackingStatus,
)
from tandem.domain.performance.measures import midnight, ratio

ANSWERED = frozenset({TenderStatus.ACCEPTED, TenderStatus.REJECTED, TenderStatus.EXPIRED})


@dataclass(frozen=True)
class OnTime:
    due: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return ratio(self.on_time, self.due)


@dataclass(frozen=True)
class CarrierScorecard:
    shipper_member_id: int
    carrier_member_id: int
    since: date
    until: date
    tenders_offered: int
    tenders_answered: int
    tenders_accepted: int
    pickup: OnTime
    delivery: OnTime

    @property
    def acceptance_rate(self) -> float | None:
        return ratio(self.tenders_accepted, self.tenders_answered)


def _first(events: Sequence[TrackingEvent], status: TrackingStatus) -> datetime | None:
    times = [e.at for e in events if e.status is status]
    return min(times) if times else None


def _on_time(
    loads: Sequence[Load],
    events: dict[int, list[TrackingEvent]],
    status: TrackingStatus,
    window_end: str,
    period: tuple[datetime, datetime],
    as_of: datetime,
) -> OnTime:
    due = on_time = 0
    for load in loads:
        end: datetime = getattr(load, window_end)
        if not period[0] <= end < period[1] or load.status is LoadStatus.CANCELLED:
            continue
        reported = _first(events.get(load.id, []), status)
        if reported is None and end >= as_of:
            continue  # not due yet
        due += 1
        on_time += reported is not None and reported <= end
    return OnTime(due, on_time)


def score_carrier(
    shipper_member_id: int,
    carrier_member_id: int,
    tenders: Sequence[Tender],
    loads: Sequence[Load],
    events: Sequence[TrackingEvent],
    since: date,
    until: date,
    as_of: datetime,
) -> CarrierScorecard:
    """The scorecard over ``[since, until)`` of the tenders from the shipper to the carrier,
    the loads the carrier accepted and their reports, measured at ``as_of``."""
    period = (midnight(since), midnight(until))
    offered = [
        t
        for t in tenders
        if t.shipper_member_id == shipper_member_id
        and t.carrier_member_id == carrier_member_id
        and period[0] <= t.offered_at < period[1]
    ]
    answered = [t for t in offered if t.status in ANSWERED]
    accepted_loads = {
        t.load_id
        for t in tenders
        if t.status is TenderStatus.ACCEPTED
        and (t.shipper_member_id, t.carrier_member_id) == (shipper_member_id, carrier_member_id)
    }
    carried = [x for x in loads if x.id in accepted_loads]
    by_load: dict[int, list[TrackingEvent]] = {}
    for event in events:
        by_load.setdefault(event.load_id, []).append(event)
    return CarrierScorecard(
        shipper_member_id,
        carrier_member_id,
        since,
        until,
        len(offered),
        len(answered),
        sum(1 for t in answered if t.status is TenderStatus.ACCEPTED),
        _on_time(carried, by_load, TrackingStatus.PICKED_UP, "pickup_to", period, as_of),
        _on_time(carried, by_load, TrackingStatus.DELIVERED, "delivery_to", period, as_of),
    )
