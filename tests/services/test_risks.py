"""The shared risk register: the owner records and changes its risks (versions, history); a
partner reads one only through a ``risks`` grant covering every affected site; reads audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.support import World

from tandem.adapters.memory import FixedClock
from tandem.domain.errors import (
    Forbidden,
    InvalidTransition,
    NotFound,
    StaleVersion,
    ValidationFailed,
)
from tandem.domain.risks import (
    MitigationStatus,
    RiskBand,
    RiskCategory,
    RiskEventKind,
    RiskStatus,
    heat_map,
)
from tandem.domain.sharing import DataCategory
from tandem.services import risks, sharing
from tandem.services.context import PageRequest
from tandem.services.risks import RiskFields, RiskFilter

PAGE = PageRequest(0, 100)


def _sites(world: World) -> dict[str, int]:
    with world.ctx.uow() as uow:
        return {s.code: s.id for s in uow.sites.find(network_id=world.network_id)}


def _fields(world: World, *codes: str, **changes: object) -> RiskFields:
    sites = _sites(world)
    base: dict[str, object] = {
        "title": "Cafe one flooded",
        "category": RiskCategory.NATURAL_HAZARD,
        "likelihood": 3,
        "impact": 4,
        "site_ids": frozenset(sites[c] for c in codes or ("CAFE-1",)),
        "recovery_days": 10.0,
    }
    return RiskFields(**{**base, **changes})  # type: ignore[arg-type]


def _grant(world: World, *codes: str) -> int:
    sites = _sites(world)
    narrowed = frozenset(sites[c] for c in codes) if codes else None
    command = sharing.GrantAccess(world.roaster.member_id, DataCategory.RISKS, site_ids=narrowed)
    return sharing.grant_access(world.ctx, world.cafe, command).id


def _titles(world: World, who: str) -> list[str]:
    page = risks.list_risks(world.ctx, getattr(world, who), PAGE)
    return [r.title for r in page.items]


def test_created_risk_is_open_at_version_one_with_score_band_and_history(world: World) -> None:
    risk = risks.create_risk(world.ctx, world.cafe, _fields(world))

    assert (risk.status, risk.version, risk.score, risk.band) == (
        RiskStatus.OPEN,
        1,
        12,
        RiskBand.HIGH,
    )
    assert risks.get_risk(world.ctx, world.cafe, risk.id) == risk
    (event,) = risks.risk_history(world.ctx, world.cafe, risk.id)
    assert (event.kind, event.version, event.detail["likelihood"]) == (
        RiskEventKind.CREATED,
        1,
        3,
    )


def test_partner_without_a_grant_sees_nothing_not_even_a_network_admin(world: World) -> None:
    risk = risks.create_risk(world.ctx, world.cafe, _fields(world))

    assert world.roaster.is_network_admin
    assert _titles(world, "roaster") == []
    with pytest.raises(NotFound):
        risks.get_risk(world.ctx, world.roaster, risk.id)
    with pytest.raises(NotFound):
        risks.risk_history(world.ctx, world.roaster, risk.id)


def test_shared_risk_is_visible_with_a_grant_audited_and_gone_after_revocation(
    world: World, clock: FixedClock
) -> None:
    risk = risks.create_risk(world.ctx, world.cafe, _fields(world))
    grant = _grant(world)

    assert _titles(world, "roaster") == ["Cafe one flooded"]
    assert risks.get_risk(world.ctx, world.roaster, risk.id).id == risk.id
    log = sharing.read_audit_log(world.ctx, world.cafe, PAGE).items
    assert [(e.grant_id, e.category, e.resource, e.rows) for e in reversed(log)] == [
        (grant, DataCategory.RISKS, "risks", 1),
        (grant, DataCategory.RISKS, f"risk {risk.id}", 1),
    ]

    sharing.revoke_grant(world.ctx, world.cafe, grant)
    clock.advance(timedelta(seconds=1))

    assert _titles(world, "roaster") == []


def test_a_site_narrowed_grant_must_cover_every_affected_site(world: World) -> None:
    risks.create_risk(world.ctx, world.cafe, _fields(world, "CAFE-1", "CAFE-2", title="Both"))
    risks.create_risk(world.ctx, world.cafe, _fields(world, "CAFE-2", title="Two only"))
    lanes_only = _fields(world, title="Lane only", site_ids=frozenset(), lane_ids=frozenset({1}))
    risks.create_risk(world.ctx, world.cafe, lanes_only)
    _grant(world, "CAFE-2")

    assert _titles(world, "roaster") == ["Two only"]
    assert _titles(world, "beans") == []  # the grant names the roaster only

    _grant(world)  # a grant of every site covers all three

    assert _titles(world, "roaster") == ["Both", "Two only", "Lane only"]


def test_update_with_a_stale_version_is_refused_and_a_current_one_records_the_change(
    world: World,
) -> None:
    risk = risks.create_risk(world.ctx, world.cafe, _fields(world))
    changed = _fields(world, "CAFE-1", "CAFE-2", likelihood=5, impact=4)

    with pytest.raises(StaleVersion):
        risks.update_risk(world.ctx, world.cafe, risk.id, changed, expected_version=2)
    updated = risks.update_risk(world.ctx, world.cafe, risk.id, changed, expected_version=1)

    assert (updated.version, updated.score, updated.band) == (2, 20, RiskBand.CRITICAL)
    sites = _sites(world)
    event = risks.risk_history(world.ctx, world.cafe, risk.id)[-1]
    assert (event.kind, event.version) == (RiskEventKind.UPDATED, 2)
    assert event.detail == {
        "likelihood": [3, 5],
        "site_ids": [[sites["CAFE-1"]], sorted([sites["CAFE-1"], sites["CAFE-2"]])],
    }


def test_only_the_owner_changes_a_risk(world: World) -> None:
    risk = risks.create_risk(world.ctx, world.cafe, _fields(world))

    with pytest.raises(NotFound):  # not shared: the roaster cannot know it exists
        risks.change_status(world.ctx, world.roaster, risk.id, RiskStatus.CLOSED)
    _grant(world)
    with pytest.raises(Forbidden):
        risks.change_status(world.ctx, world.roaster, risk.id, RiskStatus.CLOSED)


def test_status_moves_and_a_closed_risk_can_only_be_reopened(world: World) -> None:
    risk = risks.create_risk(world.ctx, world.cafe, _fields(world))

    mitigating = risks.change_status(world.ctx, world.cafe, risk.id, RiskStatus.MITIGATING)
    closed = risks.change_status(world.ctx, world.cafe, risk.id, RiskStatus.CLOSED, 2, "dry")
    with pytest.raises(InvalidTransition):
        risks.change_status(world.ctx, world.cafe, risk.id, RiskStatus.MITIGATING)
    reopened = risks.change_status(world.ctx, world.cafe, risk.id, RiskStatus.OPEN)

    assert [r.status for r in (mitigating, closed, reopened)] == [
        RiskStatus.MITIGATING,
        RiskStatus.CLOSED,
        RiskStatus.OPEN,
    ]
    assert reopened.version == 4
    event = risks.risk_history(world.ctx, world.cafe, risk.id)[2]
    assert event.detail == {"status": ["mitigating", "closed"], "note": "dry"}


def test_mitigations_are_added_then_completed_once(world: World, clock: FixedClock) -> None:
    risk = risks.create_risk(world.ctx, world.cafe, _fields(world))
    due = date(2026, 12, 31)

    risks.add_mitigation(world.ctx, world.cafe, risk.id, "Sandbags", due)
    risks.add_mitigation(world.ctx, world.cafe, risk.id, "Second café stock")
    done = risks.finish_mitigation(world.ctx, world.cafe, risk.id, 1, expected_version=3)

    assert [(m.text, m.status, m.due_date) for m in done.mitigations] == [
        ("Sandbags", MitigationStatus.DONE, due),
        ("Second café stock", MitigationStatus.PLANNED, None),
    ]
    assert done.mitigations[0].completed_at == clock.now()
    with pytest.raises(InvalidTransition):
        risks.finish_mitigation(world.ctx, world.cafe, risk.id, 1)
    with pytest.raises(ValidationFailed):
        risks.finish_mitigation(world.ctx, world.cafe, risk.id, 3)
    kinds = [e.kind for e in risks.risk_history(world.ctx, world.cafe, risk.id)]
    assert kinds == [
        RiskEventKind.CREATED,
        RiskEventKind.MITIGATION_ADDED,
        RiskEventKind.MITIGATION_ADDED,
        RiskEventKind.MITIGATION_COMPLETED,
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"likelihood": 6}, "likelihood"),
        ({"impact": 0}, "impact"),
        ({"title": "  "}, "title"),
        ({"site_ids": frozenset()}, "site_ids"),
        ({"site_ids": frozenset({9999})}, "site_ids"),
        ({"recovery_days": -1.0}, "recovery_days"),
    ],
)
def test_invalid_risks_are_refused_and_nothing_is_stored(
    world: World, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationFailed) as raised:
        risks.create_risk(world.ctx, world.cafe, _fields(world, **changes))

    assert [v.field for v in raised.value.violations] == [field]
    assert _titles(world, "cafe") == []


def test_filters_and_the_heat_map(world: World) -> None:
    for title, likelihood, impact, code in (
        ("A", 1, 1, "CAFE-1"),
        ("B", 5, 5, "CAFE-2"),
        ("C", 5, 5, "CAFE-1"),
    ):
        fields = _fields(world, code, title=title, likelihood=likelihood, impact=impact)
        risks.create_risk(world.ctx, world.cafe, fields)
    sites = _sites(world)

    critical = risks.list_risks(world.ctx, world.cafe, PAGE, RiskFilter(band=RiskBand.CRITICAL))
    at_one = risks.list_risks(world.ctx, world.cafe, PAGE, RiskFilter(site_id=sites["CAFE-1"]))
    second = risks.list_risks(world.ctx, world.cafe, PageRequest(1, 1))

    assert [r.title for r in critical.items] == ["B", "C"]
    assert [r.title for r in at_one.items] == ["A", "C"]
    assert ([r.title for r in second.items], second.total) == (["B"], 3)
    counts = heat_map(risks.visible_risks(world.ctx, world.cafe, RiskFilter(), "heat map"))
    assert (counts[(1, 1)], counts[(5, 5)], sum(counts.values()), len(counts)) == (1, 2, 3, 25)
