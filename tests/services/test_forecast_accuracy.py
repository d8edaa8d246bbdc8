"""Forecast accuracy over time: archived forecasts scored against the demand that arrived
afterwards, per item-site and overall, worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.support import World

from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.sharing import DataCategory
from tandem.services import demand, forecasts, sharing
from tandem.services.context import PageRequest
from tandem.services.demand import DemandObservation
from tandem.services.forecast_accuracy import AccuracyScore, forecast_accuracy

ALL = PageRequest(0, 1000)
START = date(2026, 7, 6)  # a Monday
WEEKS = 8
WEEKLY = (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0)
ORIGIN = START + timedelta(days=7 * WEEKS - 1)
# The history repeats one week (base - 3 .. base + 3), so the run forecasts seasonal naive:
# base - 3 .. base + 3 over the next week. The in-sample naive differences of 56 such days are
# 48 steps of +1 and 7 steps of -6: mean absolute 90 / 55 = 18/11.
NAIVE_MAE = 18 / 11


def ids(world: World) -> dict[str, int]:
    with world.ctx.uow() as uow:
        found = {i.sku: i.id for i in uow.items.find()}
        found.update({s.code: s.id for s in uow.sites.find()})
    return found


def record(world: World, site: str, values: list[float], start: date) -> None:
    i = ids(world)
    rows = [
        DemandObservation(i[site], i["LATTE"], start + timedelta(days=n), q)
        for n, q in enumerate(values)
    ]
    demand.record_demand(world.ctx, world.cafe, rows)


@pytest.fixture
def forecast_then_actuals(world: World) -> World:
    """CAFE-1 (base 40) and CAFE-2 (base 20) forecast a week ahead; then the week's demand
    arrives: 40 a day at CAFE-1 (errors -3..+3), 21 a day at CAFE-2 (errors -4..+2)."""
    for site, base in (("CAFE-1", 40.0), ("CAFE-2", 20.0)):
        record(world, site, [base + WEEKLY[n % 7] for n in range(7 * WEEKS)], START)
    forecasts.run_forecasts(world.ctx, world.cafe, 7)
    record(world, "CAFE-1", [40.0] * 7, ORIGIN + timedelta(days=1))
    record(world, "CAFE-2", [21.0] * 7, ORIGIN + timedelta(days=1))
    return world


def test_each_series_is_scored_by_hand(forecast_then_actuals: World) -> None:
    world, i = forecast_then_actuals, ids(forecast_then_actuals)

    report = forecast_accuracy(world.ctx, world.cafe)

    first, second = report.series
    assert (first.site_id, first.item_id, first.origins, first.models) == (
        i["CAFE-1"],
        i["LATTE"],
        1,
        ("SeasonalNaive",),
    )
    assert (first.first_day, first.last_day) == (
        ORIGIN + timedelta(days=1),
        ORIGIN + timedelta(days=7),
    )
    # CAFE-1: errors -3..3, sum 0, sum |e| 12, actual 280
    assert first.score == AccuracyScore(
        7, 280.0, 280.0, 0.0, 0.0, 12 / 280, pytest.approx((12 / 7) / NAIVE_MAE, rel=1e-12)
    )
    # CAFE-2: forecasts 17..23 (140), actual 21 a day (147): errors -4..2, sum -7, sum |e| 13
    assert second.score == AccuracyScore(
        7, 140.0, 147.0, -1.0, -7 / 147, 13 / 147, pytest.approx((13 / 7) / NAIVE_MAE, rel=1e-12)
    )


def test_overall_pools_errors_and_averages_mase_over_series(forecast_then_actuals: World) -> None:
    world = forecast_then_actuals

    report = forecast_accuracy(world.ctx, world.cafe)

    assert report.evaluated == 2
    assert report.overall == AccuracyScore(
        14,
        420.0,
        427.0,
        -0.5,
        -7 / 427,
        25 / 427,
        pytest.approx((12 / 7 + 13 / 7) / 2 / NAIVE_MAE, rel=1e-12),
    )


def test_forecasts_of_days_without_actuals_yet_are_not_scored(
    forecast_then_actuals: World,
) -> None:
    world, i = forecast_then_actuals, ids(forecast_then_actuals)
    forecasts.run_forecasts(world.ctx, world.cafe, 7)  # a second origin: the week after

    report = forecast_accuracy(world.ctx, world.cafe, site_id=i["CAFE-1"])

    (series,) = report.series
    assert (series.origins, series.score.points) == (1, 7)
    with world.ctx.uow() as uow:
        assert uow.forecast_snapshots.count(site_id=i["CAFE-1"]) == 14


def test_since_and_until_select_forecast_days(forecast_then_actuals: World) -> None:
    world, i = forecast_then_actuals, ids(forecast_then_actuals)
    # CAFE-1's last three forecast days: 41, 42, 43 against 40
    since = ORIGIN + timedelta(days=5)

    report = forecast_accuracy(world.ctx, world.cafe, site_id=i["CAFE-1"], since=since)

    assert report.series[0].score == AccuracyScore(
        3, 126.0, 120.0, 2.0, 6 / 120, 6 / 120, pytest.approx(2.0 / NAIVE_MAE, rel=1e-12)
    )
    until = forecast_accuracy(world.ctx, world.cafe, until=ORIGIN)
    assert (until.evaluated, until.overall.points, until.overall.mase) == (0, 0, None)


def test_nothing_archived_gives_an_empty_report(world: World) -> None:
    report = forecast_accuracy(world.ctx, world.cafe)

    assert (report.series, report.evaluated) == ((), 0)
    assert report.overall == AccuracyScore(0, 0.0, 0.0, None, None, None, None)


def test_a_partner_needs_both_grants_to_see_scores_and_both_reads_are_audited(
    forecast_then_actuals: World,
) -> None:
    world = forecast_then_actuals
    share = sharing.GrantAccess
    forecasts_grant = sharing.grant_access(
        world.ctx, world.cafe, share(world.roaster.member_id, DataCategory.FORECASTS)
    )

    forecasts_only = forecast_accuracy(world.ctx, world.roaster)
    demand_grant = sharing.grant_access(
        world.ctx, world.cafe, share(world.roaster.member_id, DataCategory.DEMAND_HISTORY)
    )
    both = forecast_accuracy(world.ctx, world.roaster)

    assert [(s.site_id, s.score.points) for s in forecasts_only.series] == [
        (s.site_id, 0) for s in both.series
    ]
    assert forecasts_only.evaluated == 0
    assert both == forecast_accuracy(world.ctx, world.cafe)
    log = sharing.read_audit_log(world.ctx, world.cafe, ALL).items
    assert sorted((e.grant_id, e.resource, e.rows) for e in log) == [
        (forecasts_grant.id, "forecast accuracy", 14),
        (forecasts_grant.id, "forecast accuracy", 14),
        (demand_grant.id, "forecast accuracy actuals", 2 * (7 * WEEKS + 7)),
    ]


def test_since_after_until_is_refused(world: World) -> None:
    with pytest.raises(ValidationFailed) as caught:
        forecast_accuracy(world.ctx, world.cafe, since=START, until=START - timedelta(days=1))
    assert caught.value.violations == [Violation("query", "must not be after until", "since")]
