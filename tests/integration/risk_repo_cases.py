"""Round-trip cases of the risk register repositories (risks and their history), run by
``test_repositories``: three entities each, with edge values (empty and multi-element id sets,
mitigations with and without dates, non-UTC datetimes, ``None``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.risks import (
    Mitigation,
    MitigationStatus,
    Risk,
    RiskCategory,
    RiskEvent,
    RiskEventKind,
    RiskStatus,
)
from tests.integration.flow_cases import CEST, NOW, Case
from tests.integration.network_seed import Seed


def _risk(seed: Seed, network_id: int, title: str) -> Risk:
    return Risk(
        0, network_id, seed.members[1].id, title, RiskCategory.PLANT, 3, 4, RiskStatus.OPEN,
        NOW, NOW, site_ids=frozenset({seed.sites[0].id}),
    )  # fmt: skip


def _risks(_uow: SqlUnitOfWork, seed: Seed) -> list[Risk]:
    done = Mitigation("Sprinklers ☔", MitigationStatus.DONE, date(2026, 12, 31), NOW)
    return [
        _risk(seed, seed.network.id, "Roastery fire"),
        replace(
            _risk(seed, seed.network.id, "Port strike"),
            category=RiskCategory.GEOPOLITICAL, likelihood=5, impact=5,
            status=RiskStatus.MITIGATING, created_at=NOW.astimezone(CEST),
            description="ü" * 2000, site_ids=frozenset(s.id for s in seed.sites),
            lane_ids=frozenset({7, 3}), item_ids=frozenset({seed.items[0].id}),
            owner_name="Carl Cafe", mitigations=(done, Mitigation("Second port")),
            review_date=date(2027, 2, 28), recovery_days=21.5, version=4,
        ),
        replace(_risk(seed, seed.other_network.id, "Tea blight"), recovery_days=0.0),
    ]  # fmt: skip


def _events(uow: SqlUnitOfWork, seed: Seed) -> list[RiskEvent]:
    parent = uow.risks.add(_risk(seed, seed.network.id, "Parent"))
    cafe = seed.members[1].id
    return [
        RiskEvent(0, parent.id, 1, RiskEventKind.CREATED, NOW, cafe, {"title": "Parent"}),
        RiskEvent(0, parent.id, 2, RiskEventKind.UPDATED, NOW.astimezone(CEST), cafe,
                  {"likelihood": [3, 5], "site_ids": [[1], [1, 2]]}),
        RiskEvent(0, parent.id, 3, RiskEventKind.STATUS_CHANGED, NOW, cafe, {}, None),
    ]  # fmt: skip


RISK_CASES = [
    Case(
        "risks",
        _risks,
        lambda e, _s: replace(
            e, status=RiskStatus.CLOSED, version=e.version + 1, mitigations=(), lane_ids=frozenset()
        ),
        (("network_id",), ("owner_member_id", "status"), ("review_date",), ("recovery_days",)),
    ),
    Case(
        "risk_events",
        _events,
        lambda e, _s: replace(e, detail={"changed": [1, 2]}),
        (("risk_id",), ("kind",), ("risk_id", "version"), ("at",)),
    ),
]
