"""Every repository of the SQL unit of work round-trips its entities exactly, on both backends.

For each entity type: add → get returns an equal entity (datetimes back in UTC, sets as sets,
enums as enums, ``None`` as ``None``); find with equality filters (``None`` meaning IS NULL),
offset and limit in id order, and count agree with a naive filter and the in-memory twin;
update and delete touch exactly one row. Every check reads on a fresh connection, after commit.
"""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tandem.adapters.memory import InMemoryRepository, InMemoryStore
from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.forecasts import ForecastPoint
from tandem.domain.idempotency import IdempotencyRecord
from tandem.domain.identity import ALL_SCOPES, ApiKey, Scope, SessionToken, User
from tandem.domain.network import (
    BomLine,
    DemandPoint,
    Item,
    ItemSite,
    Lane,
    Member,
    MemberRole,
    Network,
    PlanningParameters,
    Site,
    SiteKind,
    TransportMode,
)
from tandem.domain.sharing import AuditEntry, DataCategory, Grant
from tests.integration.beer_game_repo_cases import BEER_GAME_CASES
from tests.integration.calendar_repo_cases import CALENDAR_CASES
from tests.integration.coordination_cases import COORDINATION_CASES
from tests.integration.flow_cases import CEST, FLOW_CASES, NOW, Case
from tests.integration.forecast_cases import FORECAST_CASES
from tests.integration.logistics_repo_cases import LOGISTICS_CASES
from tests.integration.network_seed import Seed
from tests.integration.planning_cases import PLANNING_CASES
from tests.integration.production_repo_cases import PRODUCTION_CASES
from tests.integration.risk_repo_cases import RISK_CASES
from tests.integration.signal_cases import SIGNAL_CASES
from tests.integration.twin_repo_cases import TWIN_CASES

NEW_YORK_WINTER = timezone(timedelta(hours=-5))


def _user(uow: SqlUnitOfWork, seed: Seed, email: str = "owner@example.com") -> User:
    return uow.users.add(User(0, seed.members[0].id, email, "Owner", "plain$secret-password"))


def _grant(uow: SqlUnitOfWork, seed: Seed) -> Grant:
    first, second, _ = seed.members
    return uow.grants.add(
        Grant(0, seed.network.id, first.id, second.id, DataCategory.DEMAND_HISTORY, None, None, NOW)
    )


def _networks(_uow: SqlUnitOfWork, _seed: Seed) -> list[Network]:
    return [
        Network(0, "n-1", "First", ""),
        Network(0, "n-2", "Second", "with a description"),
        Network(0, "n-3", "Third ☕", "with a description"),
    ]


def _members(_uow: SqlUnitOfWork, seed: Seed) -> list[Member]:
    return [
        Member(0, seed.network.id, "CARRY", "Carrier", frozenset({MemberRole.CARRIER}), "DE"),
        Member(0, seed.other_network.id, "ALL", "Does all", frozenset(MemberRole)),
        Member(
            0,
            seed.other_network.id,
            "CARRY",
            "Carrier too",
            frozenset({MemberRole.RETAILER, MemberRole.DISTRIBUTOR}),
            "DE",
        ),
    ]


def _users(_uow: SqlUnitOfWork, seed: Seed) -> list[User]:
    first, second, _ = seed.members
    return [
        User(0, first.id, "admin@example.com", "Ada Admin", "plain$x", True, True),
        User(0, second.id, "left@example.com", "Lee Left", "!disabled", False, False),
        User(0, second.id, "plain@example.com", "Pat Plain", "plain$y"),
    ]


def _api_keys(_uow: SqlUnitOfWork, seed: Seed) -> list[ApiKey]:
    first, second, _ = seed.members
    return [
        ApiKey(0, first.id, "erp", "a1b2c3", "f" * 64, frozenset({Scope.INGEST})),
        ApiKey(0, first.id, "all", "d4e5f6", "e" * 64, ALL_SCOPES, True),
        ApiKey(
            0, second.id, "bi", "0a0b0c", "d" * 64, frozenset({Scope.DATA_READ, Scope.NETWORK_READ})
        ),
    ]


def _session_tokens(uow: SqlUnitOfWork, seed: Seed) -> list[SessionToken]:
    first = _user(uow, seed)
    second = _user(uow, seed, "second@example.com")
    return [
        SessionToken(0, first.id, "1" * 64, NOW, NOW + timedelta(hours=12)),
        SessionToken(0, first.id, "2" * 64, NOW.astimezone(CEST), NOW + timedelta(hours=12)),
        SessionToken(
            0,
            second.id,
            "3" * 64,
            datetime(2026, 1, 31, 23, 59, 59, 999999, tzinfo=NEW_YORK_WINTER),
            datetime(2026, 2, 1, 5, 0, 0, 1, tzinfo=UTC),
        ),
    ]


def _sites(_uow: SqlUnitOfWork, seed: Seed) -> list[Site]:
    first, second, _ = seed.members
    net = seed.network.id
    return [
        Site(0, net, first.id, "DC", "Hub", SiteKind.DISTRIBUTION_CENTRE, -33.8688, 151.2093),
        Site(0, net, second.id, "ST", "Shop", SiteKind.STORE, 0.0, -180.0, "Quito", "EC"),
        Site(0, net, second.id, "DV", "Shelf", SiteKind.DEVICE, 89.999999, 179.5, "Quito", "EC"),
    ]


def _items(_uow: SqlUnitOfWork, seed: Seed) -> list[Item]:
    first, second, _ = seed.members
    net = seed.network.id
    return [
        Item(0, net, first.id, "SKU-1", "Espresso", "kg", 0.1, "coffee"),
        Item(0, net, second.id, "SKU-2", "Cup", "each", 0.0),
        Item(0, net, second.id, "SKU-3", "Lid", "each", 1e-9, "coffee"),
    ]


def _item_sites(_uow: SqlUnitOfWork, seed: Seed) -> list[ItemSite]:
    (i1, i2, _), (s1, s2, _) = seed.items, seed.sites
    full = PlanningParameters(0.95, 7.0, 12.5, 40.0, 80.0, 10.0, 5.0, 0.25, 1.5, 2.0, 0.1, 60.0)
    partial = PlanningParameters(target_service_level=0.9, order_multiple=6.0)
    return [
        ItemSite(0, s1.member_id, i1.id, s1.id),
        ItemSite(0, s2.member_id, i1.id, s2.id, full),
        ItemSite(0, s2.member_id, i2.id, s2.id, partial),
    ]


def _bom_lines(_uow: SqlUnitOfWork, seed: Seed) -> list[BomLine]:
    (i1, i2, i3), (s1, _, _) = seed.items, seed.sites
    return [
        BomLine(0, i1.member_id, i1.id, i2.id, 2.0),
        BomLine(0, i1.member_id, i1.id, i2.id, 0.333, s1.id),
        BomLine(0, i2.member_id, i2.id, i3.id, 1.5),
    ]


def _lanes(_uow: SqlUnitOfWork, seed: Seed) -> list[Lane]:
    (i1, _, _), (s1, s2, s3) = seed.items, seed.sites
    net = seed.network.id
    return [
        Lane(0, net, s3.id, s1.id, TransportMode.SEA, 21.0, 3.5, 0.02, duty_rate=0.075),
        Lane(0, net, s1.id, s2.id, TransportMode.VAN, 0.5, 0.0, 0.3, 120.0, i1.id),
        Lane(0, net, s1.id, s2.id, TransportMode.AIR, 1.0, 0.1, 4.0, None, i1.id),
    ]


def _demand(_uow: SqlUnitOfWork, seed: Seed) -> list[DemandPoint]:
    (i1, i2, _), (_, s2, _) = seed.items, seed.sites
    return [
        DemandPoint(0, s2.member_id, s2.id, i1.id, date(2026, 1, 1), 12.0),
        DemandPoint(0, s2.member_id, s2.id, i1.id, date(2026, 1, 2), 0.0),
        DemandPoint(0, s2.member_id, s2.id, i2.id, date(2024, 2, 29), 7.25),
    ]


def _forecasts(_uow: SqlUnitOfWork, seed: Seed) -> list[ForecastPoint]:
    (i1, i2, _), (_, s2, _) = seed.items, seed.sites
    owner = s2.member_id
    return [
        ForecastPoint(
            0, owner, s2.id, i1.id, date(2026, 1, 1), 12.5, 10.0, 15.0, 8.5, 16.5, "AutoETS", NOW
        ),
        ForecastPoint(
            0, owner, s2.id, i1.id, date(2026, 1, 2), 0.0, None, None, None, None, "Naive", NOW
        ),
        ForecastPoint(
            0,
            owner,
            s2.id,
            i2.id,
            date(2024, 2, 29),
            7.25,
            7.0,
            7.5,
            6.0,
            8.0,
            "TSB",
            NOW.astimezone(CEST),
        ),
    ]


def _grants(_uow: SqlUnitOfWork, seed: Seed) -> list[Grant]:
    (m1, m2, m3), (i1, i2, _), (s1, _, _) = seed.members, seed.items, seed.sites
    net = seed.network.id
    return [
        Grant(0, net, m1.id, m2.id, DataCategory.DEMAND_HISTORY, None, None, NOW),
        Grant(
            0,
            net,
            m1.id,
            m3.id,
            DataCategory.FORECASTS,
            frozenset({i2.id, i1.id}),
            None,
            NOW.astimezone(CEST),
            NOW + timedelta(days=30),
            None,
            "only two items",
        ),
        Grant(
            0,
            net,
            m2.id,
            m3.id,
            DataCategory.DEMAND_HISTORY,
            frozenset(),
            frozenset({s1.id}),
            NOW,
            NOW + timedelta(days=1),
            NOW + timedelta(hours=1),
        ),
    ]


def _audit(uow: SqlUnitOfWork, seed: Seed) -> list[AuditEntry]:
    grant = _grant(uow, seed)

    def entry(reader: str, resource: str, rows: int, at: datetime) -> AuditEntry:
        return AuditEntry(
            0,
            seed.network.id,
            grant.id,
            grant.grantor_member_id,
            grant.grantee_member_id,
            reader,
            DataCategory.DEMAND_HISTORY,
            resource,
            rows,
            at,
        )

    return [
        entry("cafe@example.com (CAFE)", "demand", 3, NOW),
        entry("api-key:bi (CAFE)", "demand item_id=1", 0, NOW.astimezone(CEST)),
        entry("cafe@example.com (CAFE)", "demand", 1000, NOW + timedelta(seconds=1)),
    ]


def _idempotency(_uow: SqlUnitOfWork, _seed: Seed) -> list[IdempotencyRecord]:
    return [
        IdempotencyRecord(0, "user:1", "key-1", "a" * 64, NOW),
        IdempotencyRecord(0, "user:1", "key-2", "b" * 64, NOW, 201, '{"id": 7, "name": "Café"}'),
        IdempotencyRecord(0, "user:2", "key-1", "a" * 64, NOW.astimezone(CEST), 200, ""),
    ]


CASES = [
    Case(
        "networks",
        _networks,
        lambda e, _seed: replace(e, name="Renamed", description=""),
        (("description",), ("code", "name")),
    ),
    Case(
        "members",
        _members,
        lambda e, _seed: replace(e, roles=frozenset({MemberRole.SUPPLIER}), country=""),
        (("network_id",), ("network_id", "code"), ("country",)),
    ),
    Case(
        "users",
        _users,
        lambda e, _seed: replace(
            e, display_name="Renamed", is_active=False, is_network_admin=False
        ),
        (("member_id",), ("is_active",), ("is_network_admin", "member_id"), ("email",)),
    ),
    Case(
        "api_keys",
        _api_keys,
        lambda e, _seed: replace(e, revoked=True, scopes=frozenset({Scope.DATA_WRITE})),
        (("member_id",), ("member_id", "revoked"), ("prefix",)),
    ),
    Case(
        "session_tokens",
        _session_tokens,
        lambda e, _seed: replace(e, expires_at=e.expires_at.astimezone(CEST) + timedelta(hours=1)),
        (("user_id",), ("token_hash",), ("created_at",), ("user_id", "expires_at")),
    ),
    Case(
        "sites",
        _sites,
        lambda e, _seed: replace(e, kind=SiteKind.CARRIER_HUB, latitude=-90.0, city=""),
        (("kind",), ("member_id",), ("member_id", "kind"), ("city", "country")),
    ),
    Case(
        "items",
        _items,
        lambda e, _seed: replace(e, unit_value=99.99, family="", sku="SKU-9"),
        (("member_id",), ("family",), ("unit", "member_id")),
    ),
    Case(
        "item_sites",
        _item_sites,
        lambda e, _seed: replace(e, parameters=PlanningParameters(safety_stock=3.0)),
        (("item_id",), ("site_id",), ("owner_member_id", "item_id")),
    ),
    Case(
        "bom_lines",
        _bom_lines,
        lambda e, seed: replace(e, quantity_per=4.0, site_id=seed.sites[2].id),
        (("site_id",), ("parent_item_id", "site_id"), ("owner_member_id",)),
    ),
    Case(
        "lanes",
        _lanes,
        lambda e, _seed: replace(e, mode=TransportMode.RAIL, capacity_per_day=50.0, item_id=None),
        (("item_id",), ("capacity_per_day",), ("from_site_id", "to_site_id"), ("mode",)),
    ),
    Case(
        "demand",
        _demand,
        lambda e, _seed: replace(e, quantity=e.quantity + 0.5, day=date(2025, 12, 31)),
        (("day",), ("site_id", "item_id"), ("item_id", "day")),
    ),
    Case(
        "forecasts",
        _forecasts,
        lambda e, _seed: replace(e, forecast=e.forecast + 0.5, lo_80=None, model="Theta"),
        (("day",), ("site_id", "item_id"), ("model",), ("lo_80",)),
    ),
    Case(
        "grants",
        _grants,
        lambda e, seed: replace(
            e, revoked_at=NOW.astimezone(CEST), site_ids=frozenset(s.id for s in seed.sites)
        ),
        (
            ("item_ids",),
            ("site_ids",),
            ("category", "grantee_member_id"),
            ("expires_at",),
            ("revoked_at",),
        ),
    ),
    Case(
        "audit",
        _audit,
        lambda e, _seed: replace(e, rows=e.rows + 1, resource="demand site_id=2"),
        (("grant_id",), ("reader",), ("at",), ("resource", "category")),
    ),
    Case(
        "idempotency",
        _idempotency,
        lambda e, _seed: replace(e, status_code=409, body='{"code": "conflict"}'),
        (("principal",), ("principal", "key"), ("status_code",), ("body",)),
    ),
    *FLOW_CASES,
    *FORECAST_CASES,
    *SIGNAL_CASES,
    *COORDINATION_CASES,
    *RISK_CASES,
    *BEER_GAME_CASES,
    *PLANNING_CASES,
    *CALENDAR_CASES,
    *PRODUCTION_CASES,
    *TWIN_CASES,
    *LOGISTICS_CASES,
]


def _in_utc(entity: Any) -> Any:
    """The entity as storage gives it back: every datetime converted to UTC."""
    changes = {
        f.name: getattr(entity, f.name).astimezone(UTC)
        for f in dataclasses.fields(entity)
        if isinstance(getattr(entity, f.name), datetime)
    }
    return replace(entity, **changes)


def _assert_exact(got: Any, expected: Any) -> None:
    assert type(got) is type(expected)
    assert got == expected
    for f in dataclasses.fields(got):
        value, wanted = getattr(got, f.name), getattr(expected, f.name)
        assert type(value) is type(wanted), f.name
        if isinstance(value, datetime):
            assert value.tzinfo is UTC, f.name


def _filters(case: Case, rows: list[Any]) -> list[dict[str, Any]]:
    """Equality filters built from the values the rows hold (``None`` included).

    JSON columns (sets of ids) are only ever filtered on ``None``: no caller looks a grant up
    by its exact item set, and PostgreSQL's ``json`` type has no equality operator.
    """
    found: list[dict[str, Any]] = []
    for fields in case.filters:
        for row in rows:
            equals = {name: getattr(row, name) for name in fields}
            if equals not in found and not any(isinstance(v, frozenset) for v in equals.values()):
                found.append(equals)
    return found


def _matching(rows: list[Any], equals: dict[str, Any]) -> list[Any]:
    return [r for r in rows if all(getattr(r, k) == v for k, v in equals.items())]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_repository_round_trips_and_queries_exactly(engine: Engine, seed: Seed, case: Case) -> None:
    with SqlUnitOfWork(engine) as uow:
        fresh = case.make(uow, seed)
        uow.commit()
        before = getattr(uow, case.repository).find()
        added = [getattr(uow, case.repository).add(entity) for entity in fresh]
        uow.commit()
    assert [a.id for a in added] == sorted({a.id for a in added})
    assert min(a.id for a in added) > max((b.id for b in before), default=0)
    stored = [_in_utc(a) for a in added]
    rows = before + stored
    memory: InMemoryRepository[Any] = InMemoryRepository()
    memory.rows = {r.id: r for r in rows}

    with SqlUnitOfWork(engine) as uow:
        repo = getattr(uow, case.repository)
        for entity in stored:
            _assert_exact(repo.get(entity.id), entity)
        assert repo.get(rows[-1].id + 1) is None
        assert repo.find() == rows
        assert repo.count() == len(rows)
        assert repo.find(limit=2) == rows[:2]
        assert repo.find(offset=1) == rows[1:]
        assert repo.find(offset=1, limit=2) == rows[1:3]
        assert repo.find(offset=len(rows)) == []
        filters = _filters(case, stored)
        assert len(filters) >= len(case.filters)
        for equals in filters:
            expected = _matching(rows, equals)
            assert expected, equals  # filters come from stored rows: each matches one at least
            assert repo.find(**equals) == expected == memory.find(**equals), equals
            assert repo.count(**equals) == len(expected) == memory.count(**equals), equals
            assert repo.find(offset=1, limit=1, **equals) == expected[1:2], equals
            elsewhere = {
                k: v.astimezone(NEW_YORK_WINTER) if isinstance(v, datetime) else v
                for k, v in equals.items()
            }
            assert repo.find(**elsewhere) == expected, elsewhere  # the same instants

    first, second, third = stored
    changed = case.change(first, seed)
    assert changed != first
    with SqlUnitOfWork(engine) as uow:
        getattr(uow, case.repository).update(changed)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        repo = getattr(uow, case.repository)
        _assert_exact(repo.get(first.id), _in_utc(changed))
        assert repo.find() == [*before, _in_utc(changed), second, third]
        repo.delete(second.id)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        repo = getattr(uow, case.repository)
        assert repo.get(second.id) is None
        assert repo.find() == [*before, _in_utc(changed), third]
        assert repo.count() == len(rows) - 1
        repo.delete(second.id)  # deleting what is gone is a no-op, like the in-memory twin
        assert repo.count() == len(rows) - 1


def test_every_unit_of_work_repository_has_a_round_trip_case() -> None:
    assert sorted(c.repository for c in CASES) == sorted(InMemoryStore.REPOSITORIES)


def test_grant_without_narrowing_is_stored_as_sql_null_and_found_by_none(
    engine: Engine, seed: Seed
) -> None:
    """Regression: ``item_ids=None`` used to be stored as the JSON text 'null', which
    ``find(item_ids=None)`` (IS NULL) never found, unlike the in-memory twin."""
    whole, narrowed, *_ = [_in_utc(g) for g in _grants(None, seed)]  # type: ignore[arg-type]
    with SqlUnitOfWork(engine) as uow:
        whole = uow.grants.add(whole)
        narrowed = uow.grants.add(narrowed)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.grants.find(item_ids=None) == [whole]
        assert uow.grants.find(site_ids=None) == [whole, narrowed]
        assert uow.grants.count(item_ids=None, site_ids=None) == 1
    with engine.connect() as connection:
        table = sa.table("sharing_grant", sa.column("id"), sa.column("item_ids"))
        nulls = connection.execute(sa.select(table.c.id).where(table.c.item_ids.is_(None)))
        assert nulls.scalars().all() == [whole.id]


def test_a_naive_datetime_is_refused(engine: Engine, seed: Seed) -> None:
    naive = NOW.replace(tzinfo=None)
    with SqlUnitOfWork(engine) as uow, pytest.raises(sa.exc.StatementError, match="naive"):
        uow.idempotency.add(IdempotencyRecord(0, "user:1", "k", "f", naive))
