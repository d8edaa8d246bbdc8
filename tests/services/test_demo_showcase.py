"""The demo's collaboration: grants, forecasts, an open network inventory proposal, risks and
twin scenarios, all made through the services; and the weekly demand mean of the inventory
plan that the demo's weekend-closed wholesale forecasts needed.

The demo network here has eight weeks of history ending on Friday 2026-11-20, so every forecast
starts on a Saturday, when the distribution centres' wholesale demand is zero.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from statistics import fmean

import pytest
from tests.inventory_plan_cases import PASSWORD, grant_to_roaster, plan_ids, plan_snapshot

from tandem.adapters.memory import (
    FixedClock,
    InMemoryStore,
    PlainPasswordHasher,
    in_memory_uow_factory,
)
from tandem.domain.coordination import ProposalStatus, VoteChoice
from tandem.domain.forecasts import ForecastPoint
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.domain.network import DemandPoint, SiteKind
from tandem.domain.sharing import DataCategory
from tandem.domain.snapshot import NetworkSnapshot
from tandem.services import identity, inventory_plan, proposals, risks, sharing, transfer
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.demo_network import build_demo_snapshot
from tandem.services.demo_showcase import (
    FORECAST_HORIZON_DAYS,
    PLAN_METHOD,
    ShowcaseStep,
    seed_demo_showcase,
)
from tandem.services.twin import scenarios

HISTORY_DAYS = 56
LAST_DAY = date(2026, 11, 20)  # a Friday


@dataclass(frozen=True)
class Showcased:
    store: InMemoryStore
    ctx: ServiceContext
    snapshot: NetworkSnapshot
    steps: list[ShowcaseStep]

    def principal(self, code: str) -> Principal:
        member = next(m for m in self.store.members.find() if m.code == code)
        return Principal(member.id, member.network_id, code, ALL_SCOPES)

    def member_code(self, member_id: int) -> str:
        with self.ctx.uow() as uow:
            member = uow.members.get(member_id)
        assert member is not None
        return member.code


@pytest.fixture(scope="module")
def demo() -> Showcased:
    store = InMemoryStore()
    ctx = ServiceContext(in_memory_uow_factory(store), FixedClock(), PlainPasswordHasher())
    start = LAST_DAY - timedelta(days=HISTORY_DAYS - 1)
    snapshot = build_demo_snapshot(start=start, days=HISTORY_DAYS)
    transfer.import_snapshot(ctx, snapshot)
    return Showcased(store, ctx, snapshot, seed_demo_showcase(ctx, snapshot.code))


def test_members_grant_what_a_chain_planned_by_the_roaster_needs(demo: Showcased) -> None:
    grants = Counter(
        (demo.member_code(g.grantor_member_id), demo.member_code(g.grantee_member_id))
        for g in demo.store.grants.find()
    )
    # BOHNE→ELBE: demand history, forecasts, parameters, BOMs, stock (5); NORDLOG→ELBE:
    # forecasts, stock, parameters, risks (4); VERDE→ELBE: parameters, stock, risks (3);
    # CUPWORKS and ALPENMILCH→ELBE: parameters, stock (2 each); BOHNE→NORDLOG: demand history,
    # forecasts (2); ELBE→NORDLOG risks, ELBE→BOHNE risks, NORDLOG→BOHNE risks, ELBE→VERDE
    # production plans (1 each): 22.
    assert grants == {
        ("BOHNE", "ELBE"): 5, ("NORDLOG", "ELBE"): 4, ("VERDE", "ELBE"): 3,
        ("CUPWORKS", "ELBE"): 2, ("ALPENMILCH", "ELBE"): 2, ("BOHNE", "NORDLOG"): 2,
        ("ELBE", "NORDLOG"): 1, ("ELBE", "BOHNE"): 1, ("NORDLOG", "BOHNE"): 1,
        ("ELBE", "VERDE"): 1,
    }  # fmt: skip
    assert demo.steps[0].summary == "22 grants from 6 members"


def test_distribution_centres_and_cafes_are_forecast_but_not_the_machines(demo: Showcased) -> None:
    sites = {s.id: s for s in demo.store.sites.find()}
    series = Counter(
        sites[p.site_id].kind
        for p in demo.store.forecasts.find()
        if demo.member_code(p.owner_member_id) in ("BOHNE", "NORDLOG")
    )
    # 3 DCs x 4 wholesale bags, 16 cafés x 2 retail bags, each 28 days ahead; no machine.
    assert series == {
        SiteKind.DISTRIBUTION_CENTRE: 12 * FORECAST_HORIZON_DAYS,
        SiteKind.STORE: 32 * FORECAST_HORIZON_DAYS,
    }
    assert demo.steps[1].summary.startswith("44 series of BOHNE and NORDLOG, 28 days ahead")


def test_roaster_proposes_the_network_plan_and_the_distributor_approves(
    demo: Showcased,
) -> None:
    elbe = demo.principal("ELBE")
    listed = proposals.list_proposals(demo.ctx, elbe, PageRequest(0, 10))
    detail = proposals.get_proposal(demo.ctx, elbe, listed.items[0].id)

    assert listed.total == 1
    proposal = detail.proposal
    assert (proposal.status, proposal.version, proposal.service_level) == (
        ProposalStatus.OPEN, 2, 0.95,
    )  # fmt: skip
    assert (proposal.method, proposal.optimal) == (PLAN_METHOD.value, True)
    assert proposal.cost_optimal < min(
        proposal.cost_buffer_everywhere, proposal.cost_push_to_customer
    )
    assert [(demo.member_code(v.member_id), v.choice) for v in detail.votes] == [
        ("NORDLOG", VoteChoice.APPROVE)
    ]
    pending = sorted(demo.member_code(m) for m in detail.pending)
    assert pending == ["ALPENMILCH", "BOHNE", "CUPWORKS", "ELBE", "VERDE"]
    # Every stocking point of the network is placed: HANSA, the carrier, stocks nothing.
    with demo.ctx.uow() as uow:
        placements = uow.proposal_placements.find(proposal_id=proposal.id)
    assert len(placements) == len(demo.snapshot.item_sites) == 360


def test_roasters_plan_protects_every_demand_series(demo: Showcased) -> None:
    request = inventory_plan.PlanRequest(0.95, method=PLAN_METHOD)
    plan = inventory_plan.plan_inventory(demo.ctx, demo.principal("ELBE"), request)
    sources = Counter(s.demand_source for s in plan.stages if s.demand_std > 0)

    # 44 forecast series; the 17 machines' 5 drinks each (85) from shared history.
    assert sources == {"forecast": 44, "history": 85}
    history = [w for w in plan.warnings if "it has no forecast; demand mean" in w]
    assert len(history) == 85
    assert plan.exclusions == ()


def test_wholesale_demand_mean_is_the_forecasts_weekly_average(demo: Showcased) -> None:
    """Regression: the first forecast day (a Saturday, wholesale closed) gave a mean of 0 with
    a positive σ, and the landed-cost roll-up refused a stage holding stock without demand."""
    sites = {s.code: s.id for s in demo.store.sites.find()}
    items = {i.sku: i.id for i in demo.store.items.find()}
    points = sorted(
        demo.store.forecasts.find(site_id=sites["DC-N"], item_id=items["RC-HOUSE-1KG"]),
        key=lambda p: p.day,
    )
    request = inventory_plan.PlanRequest(0.95, method=PLAN_METHOD)
    plan = inventory_plan.plan_inventory(demo.ctx, demo.principal("ELBE"), request)
    stage = next(s for s in plan.stages if (s.item, s.site) == ("RC-HOUSE-1KG", "DC-N"))

    assert (points[0].day, points[0].forecast) == (date(2026, 11, 21), 0.0)
    assert stage.demand_source == "forecast"
    assert stage.demand_mean == pytest.approx(fmean(p.forecast for p in points[:7]))
    assert stage.demand_mean > 0


def test_risks_are_registered_and_shared_with_the_members_they_hit(demo: Showcased) -> None:
    def titles(code: str) -> list[str]:
        page = risks.list_risks(demo.ctx, demo.principal(code), PageRequest(0, 50))
        return [r.title for r in page.items]

    with demo.ctx.uow() as uow:
        stored = sorted(uow.risks.find(), key=lambda r: r.id)
    assert [(demo.member_code(r.owner_member_id), r.likelihood, r.impact, r.recovery_days,
             len(r.mitigations)) for r in stored] == [
        ("VERDE", 3, 4, 21.0, 2), ("ELBE", 2, 5, 10.0, 2), ("NORDLOG", 2, 4, 14.0, 1),
        ("NORDLOG", 3, 4, 5.0, 2),
    ]  # fmt: skip
    assert len(titles("ELBE")) == 4  # its own, VERDE's and NORDLOG's two
    assert titles("BOHNE") == [stored[1].title, stored[2].title, stored[3].title]
    assert titles("HANSA") == []
    assert demo.steps[3].summary == "4 risks with 7 mitigations"


def test_roaster_saves_two_twin_scenarios(demo: Showcased) -> None:
    saved = scenarios.list_scenarios(demo.ctx, demo.principal("ELBE"))

    assert [s.name for s in saved] == [
        "DC North down for 3 days",
        "Café demand +20 % for four weeks",
    ]
    assert saved[0].deltas == [{"type": "node_down", "site": "DC-N", "from_day": 14, "to_day": 16}]
    assert len(saved[1].deltas) == 16 + 17  # every café and every smart machine
    assert scenarios.list_scenarios(demo.ctx, demo.principal("NORDLOG")) == []


# ---------------------------------------------------------------- the weekly mean, by hand


def _hand_checked(ctx: ServiceContext, forecast: list[float]) -> Principal:
    """The cases' network with a week of CAFE-1 forecasts (each ± 10 x 1.2816, cut at 0), no
    CAFE-2 forecast, and three days of history at both cafés; the roaster signs in."""
    ids = plan_ids(ctx, transfer.import_snapshot(ctx, plan_snapshot()).network_id)
    z80, at = 1.2815515655446004, datetime(2026, 11, 1, tzinfo=UTC)
    history = {"CAFE-1": (8.0, 12.0, 10.0), "CAFE-2": (18.0, 22.0, 20.0)}
    with ctx.uow() as uow:
        for k, mean in enumerate(forecast):
            day = date(2026, 11, 1) + timedelta(days=k)
            uow.forecasts.add(ForecastPoint(
                0, ids.members["CAFE"], ids.sites["CAFE-1"], ids.items["BLEND"], day, mean,
                max(0.0, mean - 10 * z80), mean + 10 * z80, None, None, "test", at,
            ))  # fmt: skip
        for site, quantities in history.items():
            for k, quantity in enumerate(quantities):
                uow.demand.add(DemandPoint(
                    0, ids.members["CAFE"], ids.sites[site], ids.items["BLEND"],
                    date(2026, 10, 1 + k), quantity,
                ))  # fmt: skip
        uow.commit()

    def sign_in(email: str) -> Principal:
        return identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)

    cafe = sign_in("cafe@example.com")
    grant_to_roaster(ctx, sign_in("beans@example.com"), cafe, ids.members["ROAST"])
    history_grant = sharing.GrantAccess(ids.members["ROAST"], DataCategory.DEMAND_HISTORY)
    sharing.grant_access(ctx, cafe, history_grant)
    return sign_in("roaster@example.com")


def _cafe_stages(roaster: Principal, ctx: ServiceContext) -> dict[str, tuple[str, float, float]]:
    plan = inventory_plan.plan_inventory(ctx, roaster, inventory_plan.PlanRequest(0.95))
    return {
        s.site: (s.demand_source, s.demand_mean, round(s.demand_std, 9))
        for s in plan.stages
        if s.site.startswith("CAFE")
    }


def test_demand_mean_averages_the_first_week_of_the_forecast(ctx: ServiceContext) -> None:
    # Sunday closed, then 14 a day, then a day past the week: (0 + 6 x 14) / 7 = 12. σ from
    # Sunday's interval (0, 12.8155) is 12.8155 / 2 / 1.2816 = 5; no lead-time variability
    # into CAFE-1. CAFE-2 from history 18, 22, 20: mean 20, σ 2, folded with σ_L 0.5 over
    # L = 2 days: √(4 + 20² x 0.25 / 2) = √54.
    roaster = _hand_checked(ctx, [0.0] + [14.0] * 6 + [99.0])

    assert _cafe_stages(roaster, ctx) == {
        "CAFE-1": ("forecast", 12.0, 5.0),
        "CAFE-2": ("history", 20.0, round(math.sqrt(54), 9)),
    }


def test_a_forecast_zero_all_week_falls_back_to_history(ctx: ServiceContext) -> None:
    # CAFE-1 history 8, 12, 10: mean 10, sample σ 2.
    roaster = _hand_checked(ctx, [0.0] * 7)
    plan = inventory_plan.plan_inventory(ctx, roaster, inventory_plan.PlanRequest(0.95))

    assert _cafe_stages(roaster, ctx)["CAFE-1"] == ("history", 10.0, 2.0)
    assert plan.warnings[0] == (
        "BLEND at CAFE-1: its forecast is zero for a week; demand mean and standard deviation "
        "come from the raw demand history, which overstates the forecast error — run the "
        "forecasts first"
    )
