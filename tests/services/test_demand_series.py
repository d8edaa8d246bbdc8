"""Demand history of one item-site in ISO weeks or months with partial and outlier flags, read
through the ``demand_history`` scope (own rows, or a partner's through an audited grant)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.support import World

from tandem.domain.errors import NotFound, ValidationFailed, Violation
from tandem.domain.sharing import DataCategory
from tandem.services import demand, sharing
from tandem.services.context import PageRequest
from tandem.services.demand import DemandObservation
from tandem.services.demand_series import bucketed, demand_series

START = date(2026, 7, 1)  # a Wednesday: ISO week 27 of 2026 began on Monday 29 June
# per-day demand of the 5 days of the first (partial) week, the 7 whole weeks, and the 2 days
# of the last (partial) week: week 4 (27 July - 2 August) is a spike
PER_DAY = [10.0] * 5 + [v for v in (10.0, 11.0, 9.0, 50.0, 10.0, 12.0, 10.0) for _ in range(7)]
PER_DAY += [10.0, 10.0]
DAYS = len(PER_DAY)  # 56: 1 July .. 25 August
ALL = PageRequest(0, 1000)


def ids(world: World) -> tuple[int, int]:
    with world.ctx.uow() as uow:
        site = uow.sites.find(code="CAFE-1")[0]
        item = uow.items.find(sku="LATTE")[0]
    return site.id, item.id


@pytest.fixture
def recorded(world: World) -> World:
    site, item = ids(world)
    rows = [
        DemandObservation(site, item, START + timedelta(days=n), q) for n, q in enumerate(PER_DAY)
    ]
    demand.record_demand(world.ctx, world.cafe, rows)
    return world


def test_weekly_series_has_iso_weeks_partial_ends_and_the_spike_flagged(recorded: World) -> None:
    site, item = ids(recorded)

    series = demand_series(recorded.ctx, recorded.cafe, site, item, "week")

    assert (series.first_day, series.last_day) == (START, date(2026, 8, 25))
    assert [
        (b.start, b.end, b.observed_days, b.quantity, b.partial, b.outlier) for b in series.buckets
    ] == [
        (date(2026, 6, 29), date(2026, 7, 5), 5, 50.0, True, False),
        (date(2026, 7, 6), date(2026, 7, 12), 7, 70.0, False, False),
        (date(2026, 7, 13), date(2026, 7, 19), 7, 77.0, False, False),
        (date(2026, 7, 20), date(2026, 7, 26), 7, 63.0, False, False),
        (date(2026, 7, 27), date(2026, 8, 2), 7, 350.0, False, True),
        (date(2026, 8, 3), date(2026, 8, 9), 7, 70.0, False, False),
        (date(2026, 8, 10), date(2026, 8, 16), 7, 84.0, False, False),
        (date(2026, 8, 17), date(2026, 8, 23), 7, 70.0, False, False),
        (date(2026, 8, 24), date(2026, 8, 30), 2, 20.0, True, False),
    ]
    assert [b.reason for b in series.buckets if b.reason] == [
        "partial: 5 of 7 days observed",
        "outlier: 50 per day lies 27.0 scaled MADs above the median 10 per day of the buckets "
        "around it (Hampel, k=3, t=3)",
        "partial: 2 of 7 days observed",
    ]


def test_monthly_series_exposes_month_lengths_and_keeps_the_total(recorded: World) -> None:
    site, item = ids(recorded)

    series = demand_series(recorded.ctx, recorded.cafe, site, item, "month")

    # July: 5 x 10 + 70 + 77 + 63 + 5 x 50; August: 2 x 50 + 70 + 84 + 70 + 2 x 10
    assert [(b.start, b.days, b.observed_days, b.quantity, b.partial) for b in series.buckets] == [
        (date(2026, 7, 1), 31, 31, 510.0, False),
        (date(2026, 8, 1), 31, 25, 344.0, True),
    ]
    assert sum(b.quantity for b in series.buckets) == sum(PER_DAY) == 854.0


def test_dropping_partial_weeks_keeps_only_whole_ones(recorded: World) -> None:
    site, item = ids(recorded)

    series = demand_series(recorded.ctx, recorded.cafe, site, item, "week", partial="drop")

    assert [b.quantity for b in series.buckets] == [70.0, 77.0, 63.0, 350.0, 70.0, 84.0, 70.0]
    assert series.partial == "drop"


def test_since_and_until_narrow_the_span_and_days_between_records_are_zero(world: World) -> None:
    site, item = ids(world)
    rows = [DemandObservation(site, item, date(2026, 7, d), 4.0) for d in (1, 2, 9)]
    demand.record_demand(world.ctx, world.cafe, rows)

    days = demand_series(world.ctx, world.cafe, site, item, "day", since=date(2026, 6, 1))
    narrowed = demand_series(
        world.ctx, world.cafe, site, item, "day", date(2026, 7, 2), date(2026, 7, 5)
    )

    # nothing invented before the first record, zeros between records
    assert [(b.start, b.quantity) for b in days.buckets] == [
        (date(2026, 7, d), 4.0 if d in (1, 2, 9) else 0.0) for d in range(1, 10)
    ]
    assert [(b.start, b.quantity) for b in narrowed.buckets] == [
        (date(2026, 7, 2), 4.0),
        (date(2026, 7, 3), 0.0),
        (date(2026, 7, 4), 0.0),
        (date(2026, 7, 5), 0.0),
    ]


def test_partner_sees_an_empty_series_without_a_grant(recorded: World) -> None:
    site, item = ids(recorded)

    series = demand_series(recorded.ctx, recorded.roaster, site, item)

    assert (series.buckets, series.first_day, series.last_day) == ((), None, None)
    assert sharing.read_audit_log(recorded.ctx, recorded.cafe, ALL).total == 0


def test_partner_with_a_grant_sees_the_same_series_and_the_read_is_audited(
    recorded: World,
) -> None:
    site, item = ids(recorded)
    grant = sharing.grant_access(
        recorded.ctx,
        recorded.cafe,
        sharing.GrantAccess(recorded.roaster.member_id, DataCategory.DEMAND_HISTORY),
    )

    seen = demand_series(recorded.ctx, recorded.roaster, site, item)

    assert seen == demand_series(recorded.ctx, recorded.cafe, site, item)
    log = sharing.read_audit_log(recorded.ctx, recorded.cafe, ALL).items
    assert [(e.grant_id, e.reader_member_id, e.category, e.resource, e.rows) for e in log] == [
        (
            grant.id,
            recorded.roaster.member_id,
            DataCategory.DEMAND_HISTORY,
            f"demand series site_id={site} item_id={item}",
            DAYS,
        )
    ]


def test_a_window_after_the_last_record_holds_no_bucket(recorded: World) -> None:
    site, item = ids(recorded)

    series = demand_series(recorded.ctx, recorded.cafe, site, item, since=date(2026, 9, 1))

    assert (series.buckets, series.first_day, series.last_day) == ((), None, None)


def test_unknown_frequency_and_partial_rule_are_refused(recorded: World) -> None:
    site, item = ids(recorded)
    with pytest.raises(ValidationFailed) as caught:
        demand_series(recorded.ctx, recorded.cafe, site, item, "fortnight", partial="keep")  # type: ignore[arg-type]
    assert caught.value.violations == [
        Violation("query", "must be day, week or month", "freq"),
        Violation("query", "must be flag or drop", "partial"),
    ]


def test_unknown_site_or_item_and_a_reversed_span_are_refused(recorded: World) -> None:
    site, item = ids(recorded)
    with pytest.raises(NotFound, match="site 999 not found"):
        demand_series(recorded.ctx, recorded.cafe, 999, item)
    with pytest.raises(NotFound, match="item 999 not found"):
        demand_series(recorded.ctx, recorded.cafe, site, 999)
    with pytest.raises(ValidationFailed) as caught:
        demand_series(
            recorded.ctx, recorded.cafe, site, item, since=START, until=START - timedelta(1)
        )
    assert caught.value.violations == [Violation("query", "must not be after until", "since")]


def test_bucketed_points_match_the_service(recorded: World) -> None:
    site, item = ids(recorded)
    points = demand.read_demand(recorded.ctx, recorded.cafe, ALL, item, site).items

    found = bucketed(points, "week")

    assert found.buckets == demand_series(recorded.ctx, recorded.cafe, site, item).buckets
    assert bucketed([], "week").buckets == ()
