"""TTS/TTR over the platform's network: hand-solved values (see :mod:`tests.risk_cases`), the
sharing rules (a partner without grants gets only its own part and is told what was left out),
TTR from the register, and what-ifs that raise TTS as computed by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from tests.risk_cases import RiskWorld, load_risk_world, share_everything_with_roaster

from tandem.domain.errors import ValidationFailed
from tandem.domain.forecasts import ForecastPoint
from tandem.domain.network import DemandPoint
from tandem.domain.risks import RiskCategory, RiskNetworkInfeasible, RiskStatus
from tandem.domain.sharing import DataCategory
from tandem.services import lanes, risks
from tandem.services.context import ServiceContext
from tandem.services.risk_analysis import (
    AnalysisRequest,
    ExtraStock,
    RiskAnalysis,
    SecondSource,
    analyse_risks,
    forecast_rates,
    history_rates,
)


@pytest.fixture
def world(ctx: ServiceContext) -> RiskWorld:
    return load_risk_world(ctx)


def _table(analysis: RiskAnalysis) -> list[tuple[object, ...]]:
    return [
        (
            n.site_code,
            n.base.tts_days,
            n.ttr_days,
            n.base.exposed,
            n.base.lost_margin,
            n.exposure_rank,
        )
        for n in analysis.nodes
    ]


def _roast_fire(world: RiskWorld, recovery_days: float | None = 14.0) -> int:
    fields = risks.RiskFields(
        "Roastery fire",
        RiskCategory.PLANT,
        2,
        5,
        site_ids=frozenset({world.sites["PLANT"]}),
        recovery_days=recovery_days,
    )
    return risks.create_risk(world.ctx, world.roaster, fields).id


def test_roaster_with_every_grant_gets_the_hand_solved_table(world: RiskWorld) -> None:
    share_everything_with_roaster(world)
    fire = _roast_fire(world)

    analysis = analyse_risks(world.ctx, world.roaster, AnalysisRequest(default_ttr_days=7.0))

    # (node, TTS, TTR, TTS < TTR, lost margin, rank): tests/risk_cases.py solves each by hand
    table = _table(analysis)
    assert [row[0] for row in table] == ["PLANT", "CAFE-1", "CAFE-2", "PORT"]
    assert [row[1:4] for row in table] == [
        (pytest.approx(9.375), 14.0, True),
        (0.0, 7.0, True),
        (0.0, 7.0, True),
        (pytest.approx(22.375), 7.0, False),
    ]
    assert [row[4] for row in table] == pytest.approx([1295.0, 1225.0, 735.0, 0.0])
    assert [row[5] for row in table] == [1, 2, 3, 4]
    assert analysis.nodes[0].ttr_risk_ids == (fire,)
    assert analysis.nodes[0].base.lost_units == pytest.approx(370.0)
    assert analysis.left_out == ()
    demand = {(d.site_id, d.item_id): (d.rate, d.source) for d in analysis.demand}
    latte = world.items["LATTE"]
    assert demand == {
        (world.sites["CAFE-1"], latte): (50.0, "history"),
        (world.sites["CAFE-2"], latte): (30.0, "forecast"),
    }


def test_partner_without_grants_gets_its_own_part_and_what_was_left_out(
    world: RiskWorld,
) -> None:
    _roast_fire(world)  # the roaster's own risk: invisible to the café

    analysis = analyse_risks(world.ctx, world.cafe, AnalysisRequest(default_ttr_days=7.0))

    # PLANT is only a source of BLEND to the café: 8 / 1.0 and 3 / 0.6 days of own stock.
    # Lost over 7 days with PLANT down: CAFE-2 makes 150 of 210 lattes: 60 x 3.5 = 210.
    assert _table(analysis) == [
        ("CAFE-1", 0.0, 7.0, True, pytest.approx(1225.0), 1),
        ("CAFE-2", 0.0, 7.0, True, pytest.approx(735.0), 2),
        ("PLANT", pytest.approx(5.0), 7.0, True, pytest.approx(210.0), 3),
    ]
    assert analysis.nodes[2].ttr_risk_ids == ()
    left = {(x.member_code, x.category, x.rows) for x in analysis.left_out}
    assert left == {
        ("ROAST", DataCategory.PLANNING_PARAMETERS, 1),
        ("ROAST", DataCategory.BILLS_OF_MATERIALS, 1),
        ("ROAST", DataCategory.INVENTORY_POSITIONS, 2),
        ("BEANS", DataCategory.PLANNING_PARAMETERS, 1),
        ("BEANS", DataCategory.INVENTORY_POSITIONS, 1),
    }
    assert analysis.notes == (
        "BLEND at PLANT: its stocking points are not shared with you; treated as an "
        "unlimited source with no stock",
    )


def test_roaster_without_grants_sees_no_demand_so_every_tts_is_capped(world: RiskWorld) -> None:
    analysis = analyse_risks(world.ctx, world.roaster, AnalysisRequest(default_ttr_days=7.0))

    assert [(n.site_code, n.base.tts_capped, n.base.exposed) for n in analysis.nodes] == [
        ("PLANT", True, False),
        ("PORT", True, False),
    ]
    assert analysis.demand == ()


def test_partner_reads_through_grants_are_audited(world: RiskWorld) -> None:
    share_everything_with_roaster(world)

    analyse_risks(world.ctx, world.roaster, AnalysisRequest())

    with world.ctx.uow() as uow:
        entries = uow.audit.find(reader_member_id=world.roaster.member_id)
    read = {(e.owner_member_id, e.category, e.rows) for e in entries}
    cafe, beans = world.members["CAFE"], world.members["BEANS"]
    assert read == {
        (cafe, DataCategory.PLANNING_PARAMETERS, 2),
        (cafe, DataCategory.BILLS_OF_MATERIALS, 1),
        (cafe, DataCategory.INVENTORY_POSITIONS, 2),
        (cafe, DataCategory.FORECASTS, 3),
        (cafe, DataCategory.DEMAND_HISTORY, 3),
        (beans, DataCategory.PLANNING_PARAMETERS, 1),
        (beans, DataCategory.INVENTORY_POSITIONS, 1),
    }


def test_strategic_stock_raises_tts_as_solved_by_hand(world: RiskWorld) -> None:
    share_everything_with_roaster(world)
    extra = ExtraStock(world.sites["CAFE-2"], world.items["BLEND"], 4.0)

    analysis = analyse_risks(
        world.ctx, world.roaster, AnalysisRequest(default_ttr_days=7.0, extra_stock=(extra,))
    )

    # 15 + 4 BLEND over 1.6 a day: CAFE-1 draws 3.875 of PLANT's 4, CAFE-2 0.125
    plant = next(n for n in analysis.nodes if n.site_code == "PLANT")
    assert plant.base.tts_days == pytest.approx(9.375)
    assert plant.what_if is not None
    assert plant.what_if.tts_days == pytest.approx(11.875)
    assert plant.what_if.lost_margin == pytest.approx(0.0)  # 11.875 >= 7


def test_second_source_raises_tts_as_solved_by_hand(world: RiskWorld) -> None:
    share_everything_with_roaster(world)
    source = SecondSource(world.sites["PORT"], world.sites["CAFE-2"], world.items["BLEND"], 0.6)

    analysis = analyse_risks(
        world.ctx, world.roaster, AnalysisRequest(default_ttr_days=14.0, second_sources=(source,))
    )

    # CAFE-2's 0.6 BLEND a day now come from PORT; CAFE-1 lasts 8 + PLANT's 4 = 12 days
    by_site = {n.site_code: n for n in analysis.nodes}
    assert by_site["PLANT"].what_if is not None
    assert by_site["PLANT"].what_if.tts_days == pytest.approx(12.0)
    assert by_site["PLANT"].what_if.exposed is True  # 12 < 14
    assert by_site["CAFE-2"].what_if is not None
    assert by_site["CAFE-2"].what_if.tts_days == 0.0


def test_ttr_is_the_longest_recovery_of_the_active_risks_naming_the_site(
    world: RiskWorld,
) -> None:
    share_everything_with_roaster(world)
    closed = _roast_fire(world, 30.0)
    risks.change_status(world.ctx, world.roaster, closed, RiskStatus.CLOSED)
    _roast_fire(world, None)
    longest = _roast_fire(world, 12.0)
    _roast_fire(world, 10.0)

    analysis = analyse_risks(world.ctx, world.roaster, AnalysisRequest(default_ttr_days=7.0))

    # the closed 30-day risk and the one without a recovery time do not count
    plant = next(n for n in analysis.nodes if n.site_code == "PLANT")
    assert plant.ttr_days == 12.0
    assert plant.ttr_risk_ids == (longest, longest + 1)
    # 80 lattes a day for 12 days, 750 made from 15 BLEND: 210 x 3.5
    assert plant.base.lost_margin == pytest.approx(735.0)


def test_lane_capacity_below_demand_is_reported_as_infeasible(world: RiskWorld) -> None:
    share_everything_with_roaster(world)
    with world.ctx.uow() as uow:
        lane = next(x for x in uow.lanes.find() if x.to_site_id == world.sites["CAFE-1"])
    fields = lanes.LaneFields(
        lane.from_site_id, lane.to_site_id, lane.mode, 1.0, 0.2, 0.3, capacity_per_day=0.5
    )
    lanes.update_lane(world.ctx, world.roaster, lane.id, fields)

    with pytest.raises(RiskNetworkInfeasible) as raised:
        analyse_risks(world.ctx, world.roaster, AnalysisRequest())

    assert raised.value.code == "risk_network_infeasible"


def test_what_if_on_a_site_outside_the_analysed_network_is_refused(world: RiskWorld) -> None:
    extra = ExtraStock(world.sites["PORT"], world.items["GREEN"], 5.0)  # the café cannot see PORT

    with pytest.raises(ValidationFailed) as raised:
        analyse_risks(world.ctx, world.cafe, AnalysisRequest(extra_stock=(extra,)))

    assert [v.location for v in raised.value.violations] == ["extra_stock[1]"]


def test_history_rate_is_the_total_over_the_last_four_weeks_per_day() -> None:
    def point(day: int, quantity: float) -> DemandPoint:
        return DemandPoint(0, 1, 2, 3, date(2026, 1, day), quantity)

    # days 1..30: the window is days 3..30 (28 days); days 1 and 2 fall outside
    points = [point(d, 10.0) for d in range(3, 31)] + [point(1, 999.0), point(2, 999.0)]
    short = [
        DemandPoint(0, 1, 5, 3, date(2026, 1, 1), 6.0),
        DemandPoint(0, 1, 5, 3, date(2026, 1, 3), 3.0),
    ]

    assert history_rates(points + short) == {(3, 2): 10.0, (3, 5): 3.0}  # 9 over 3 days


def test_forecast_rate_is_the_mean_from_today_on() -> None:
    def point(day: int, value: float) -> ForecastPoint:
        at = datetime(2026, 1, 1, tzinfo=UTC)
        return ForecastPoint(0, 1, 2, 3, date(2026, 1, day), value, None, None, None, None, "N", at)

    rates = forecast_rates([point(1, 100.0), point(5, 4.0), point(6, 8.0)], date(2026, 1, 5))

    assert rates == {(3, 2): 6.0}
    assert forecast_rates([point(1, 100.0)], date(2026, 1, 5)) == {(3, 2): 100.0}
