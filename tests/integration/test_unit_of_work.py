"""The SQL unit of work: one transaction, visible to others only on commit, rolled back
otherwise; integrity errors surface as domain conflicts; SQLite runs with foreign keys and WAL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tandem.adapters.database import create_engine
from tandem.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from tandem.adapters.sql import SqlUnitOfWork
from tandem.adapters.tables import metadata
from tandem.domain.errors import Conflict, DuplicateCode
from tandem.domain.idempotency import IdempotencyRecord
from tandem.domain.identity import ApiKey, Scope, SessionToken, User
from tandem.domain.network import (
    BomLine,
    DemandPoint,
    Item,
    ItemSite,
    Lane,
    Member,
    MemberRole,
    Network,
    Site,
    SiteKind,
    TransportMode,
)
from tests.integration.network_seed import Seed

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
ROLES = frozenset({MemberRole.RETAILER})


def _counts(engine: Engine) -> dict[str, int]:
    """Committed rows per table, as a second connection sees them."""
    with engine.connect() as connection:
        return {
            name: int(
                connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            )
            for name, table in sorted(metadata.tables.items())
        }


def _count(engine: Engine, table: str) -> int:
    return _counts(engine)[table]


EMPTY = dict.fromkeys(sorted(metadata.tables), 0)


def test_changes_are_invisible_to_another_connection_until_commit(
    engine: Engine, observer: Engine
) -> None:
    with SqlUnitOfWork(engine) as uow:
        network = uow.networks.add(Network(0, "coffee", "Coffee chain"))
        assert uow.networks.get(network.id) == network  # visible inside its own transaction
        assert _count(observer, "network") == 0

        uow.commit()
        assert _count(observer, "network") == 1

        uow.networks.add(Network(0, "tea", "Tea chain"))  # commit() opened a new transaction
        assert uow.networks.count() == 2
        assert _count(observer, "network") == 1
    assert _count(observer, "network") == 1
    with SqlUnitOfWork(engine) as uow:
        assert uow.networks.find() == [network]


def test_rollback_discards_and_the_unit_of_work_goes_on(engine: Engine, observer: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.networks.add(Network(0, "coffee", "Coffee chain"))
        uow.rollback()
        assert uow.networks.count() == 0
        tea = uow.networks.add(Network(0, "tea", "Tea chain"))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.networks.find() == [tea]
    assert _count(observer, "network") == 1


def _write_a_little_network_then_fail(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        network = uow.networks.add(Network(0, "coffee", "Coffee chain"))
        member = uow.members.add(Member(0, network.id, "CAFE", "Cafe", ROLES))
        site = uow.sites.add(Site(0, network.id, member.id, "S", "S", SiteKind.STORE, 1.0, 2.0))
        item = uow.items.add(Item(0, network.id, member.id, "LATTE", "Latte", "cup", 3.5))
        uow.demand.add_many(
            [DemandPoint(0, member.id, site.id, item.id, date(2026, 1, d), 1.0) for d in (1, 2)]
        )
        assert uow.demand.count() == 2
        raise RuntimeError("boom")


def test_an_exception_inside_the_unit_of_work_writes_nothing(
    engine: Engine, observer: Engine
) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        _write_a_little_network_then_fail(engine)
    assert _counts(observer) == EMPTY


def test_leaving_without_commit_writes_nothing(engine: Engine, observer: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.idempotency.add(IdempotencyRecord(0, "user:1", "k", "f", NOW))
    assert _counts(observer) == EMPTY


def _unique_cases(seed: Seed) -> list[tuple[str, Any, Any, bool]]:
    """(repository, first, second, is the second a duplicate of the first)."""
    (m1, m2, _), (s1, s2, _), (i1, i2, _) = seed.members, seed.sites, seed.items
    net, other = seed.network.id, seed.other_network.id
    site = Site(0, net, m1.id, "DC", "Hub", SiteKind.WAREHOUSE, 1.0, 2.0)
    item = Item(0, net, m1.id, "SKU", "Thing", "kg", 1.0)
    line = BomLine(0, m1.id, i1.id, i2.id, 1.0)
    lane = Lane(0, net, s1.id, s2.id, TransportMode.VAN, 1.0, 0.1, 1.0)
    point = DemandPoint(0, m2.id, s2.id, i1.id, date(2026, 1, 1), 5.0)
    record = IdempotencyRecord(0, "user:1", "key", "f", NOW)
    return [
        ("networks", Network(0, "n", "N"), Network(0, "n", "Other name"), True),
        ("members", Member(0, net, "M", "M", ROLES), Member(0, net, "M", "Other", ROLES), True),
        ("members", Member(0, net, "M", "M", ROLES), Member(0, other, "M", "M", ROLES), False),
        (
            "api_keys",
            ApiKey(0, m1.id, "a", "abc", "h1", frozenset({Scope.INGEST})),
            ApiKey(0, m2.id, "b", "abc", "h2", frozenset({Scope.INGEST})),
            True,
        ),
        ("sites", site, replace(site, name="Other", member_id=m2.id), True),
        ("sites", site, replace(site, network_id=other), False),
        ("items", item, replace(item, name="Other"), True),
        ("items", item, replace(item, sku="SKU-2"), False),
        ("item_sites", ItemSite(0, m1.id, i1.id, s1.id), ItemSite(0, m2.id, i1.id, s1.id), True),
        ("item_sites", ItemSite(0, m1.id, i1.id, s1.id), ItemSite(0, m1.id, i1.id, s2.id), False),
        ("bom_lines", line, replace(line, quantity_per=2.0), True),  # both for every site
        ("bom_lines", replace(line, site_id=s1.id), replace(line, site_id=s1.id), True),
        ("bom_lines", line, replace(line, site_id=s1.id), False),
        ("lanes", lane, lane, False),
        ("demand", point, replace(point, quantity=6.0), True),
        ("demand", point, replace(point, day=date(2026, 1, 2)), False),
        ("idempotency", record, replace(record, fingerprint="g"), True),
        ("idempotency", record, replace(record, principal="user:2"), False),
    ]


TABLE_OF = {
    "networks": "network",
    "members": "member",
    "api_keys": "api_key",
    "sites": "site",
    "items": "item",
    "item_sites": "item_site",
    "bom_lines": "bom_line",
    "lanes": "lane",
    "demand": "demand_point",
    "idempotency": "idempotency_record",
}


def test_unique_keys_surface_as_duplicate_code_mid_transaction_like_the_twin(
    engine: Engine, seed: Seed, observer: Engine
) -> None:
    before = _counts(observer)
    for repository, first, second, duplicate in _unique_cases(seed):
        twin = InMemoryUnitOfWork(InMemoryStore())
        with SqlUnitOfWork(engine) as uow, twin:
            for store in (uow, twin):
                getattr(store, repository).add(first)
                if duplicate:
                    with pytest.raises(DuplicateCode):
                        getattr(store, repository).add(second)
                else:
                    getattr(store, repository).add(second)
            if not duplicate:  # (PostgreSQL refuses every statement after a failed one)
                assert getattr(uow, repository).count() == before[TABLE_OF[repository]] + 2
        assert _counts(observer) == before, (repository, first, second)


def test_user_e_mail_and_session_token_hash_are_unique(engine: Engine, seed: Seed) -> None:
    member = seed.members[0].id
    with SqlUnitOfWork(engine) as uow:
        user = uow.users.add(User(0, member, "a@example.com", "A", "x"))
        uow.session_tokens.add(SessionToken(0, user.id, "h", NOW, NOW))
        uow.commit()
    with SqlUnitOfWork(engine) as uow, pytest.raises(DuplicateCode):
        uow.users.add(User(0, member, "a@example.com", "B", "y"))
    with SqlUnitOfWork(engine) as uow, pytest.raises(DuplicateCode):
        uow.session_tokens.add(SessionToken(0, user.id, "h", NOW, NOW))


def test_foreign_key_violations_surface_as_conflict(
    engine: Engine, seed: Seed, observer: Engine
) -> None:
    before = _counts(observer)
    missing = 10_000
    attempts = [
        lambda uow: uow.members.add(Member(0, missing, "X", "X", ROLES)),
        lambda uow: uow.sites.update(replace(seed.sites[0], member_id=missing)),
        lambda uow: uow.bom_lines.add(
            BomLine(0, seed.members[0].id, seed.items[0].id, seed.items[1].id, 1.0, missing)
        ),
        lambda uow: uow.networks.delete(seed.network.id),  # still has members, sites, items
        lambda uow: uow.members.delete(seed.members[0].id),
    ]
    for attempt in attempts:
        with SqlUnitOfWork(engine) as uow, pytest.raises(Conflict) as raised:
            attempt(uow)
        assert type(raised.value) is Conflict
        assert raised.value.code == "conflict"
        assert isinstance(raised.value.__cause__, sa.exc.IntegrityError)
    assert _counts(observer) == before


def _defer_foreign_keys(uow: SqlUnitOfWork, engine: Engine) -> None:
    """Make the member → network foreign key checked at COMMIT instead of at INSERT."""
    assert uow._connection is not None  # the test reaches into the transaction on purpose
    if engine.dialect.name == "sqlite":
        uow._connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    else:
        uow._connection.exec_driver_sql(
            "ALTER TABLE member ALTER CONSTRAINT fk_member_network_id_network "
            "DEFERRABLE INITIALLY DEFERRED"
        )


def test_a_foreign_key_violation_found_at_commit_is_conflict_and_rolls_back(
    engine: Engine, observer: Engine
) -> None:
    """Regression: on SQLite a refused COMMIT left the transaction open, so the unit of work
    could not go on ('cannot start a transaction within a transaction')."""
    with SqlUnitOfWork(engine) as uow:
        _defer_foreign_keys(uow, engine)
        uow.networks.add(Network(0, "coffee", "Coffee chain"))
        uow.members.add(Member(0, 10_000, "GHOST", "Ghost", ROLES))  # accepted for now
        with pytest.raises(Conflict) as raised:
            uow.commit()
        assert type(raised.value) is Conflict
        assert uow.networks.count() == 0  # the whole transaction was rolled back
        tea = uow.networks.add(Network(0, "tea", "Tea chain"))
        uow.commit()
    assert _count(observer, "member") == 0
    with SqlUnitOfWork(engine) as uow:
        assert uow.networks.find() == [tea]


@pytest.mark.postgres
def test_a_unique_violation_found_at_commit_is_duplicate_code(postgres_engine: Engine) -> None:
    """Only PostgreSQL can defer a unique check to COMMIT (SQLite checks every row at once)."""
    with postgres_engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE network DROP CONSTRAINT uq_network_code")
        connection.exec_driver_sql(
            "ALTER TABLE network ADD CONSTRAINT uq_network_code UNIQUE (code) "
            "DEFERRABLE INITIALLY DEFERRED"
        )
    with SqlUnitOfWork(postgres_engine) as uow:
        uow.networks.add(Network(0, "coffee", "Coffee chain"))
        uow.networks.add(Network(0, "coffee", "Coffee again"))  # accepted for now
        with pytest.raises(DuplicateCode):
            uow.commit()
        assert uow.networks.count() == 0
        tea = uow.networks.add(Network(0, "tea", "Tea chain"))
        uow.commit()
    with SqlUnitOfWork(postgres_engine) as uow:
        assert uow.networks.find() == [tea]


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'nested' / 'tandem.db'}")
    try:
        # two DBAPI connections at once, each set up by the engine's connect hook (raw ones: an
        # application transaction would start with BEGIN IMMEDIATE and make the second wait)
        connections = [engine.raw_connection() for _ in range(2)]
        try:
            for connection in connections:
                cursor = connection.cursor()
                pragmas = [
                    cursor.execute(f"PRAGMA {name}").fetchone()[0]
                    for name in ("foreign_keys", "journal_mode", "busy_timeout")
                ]
                cursor.close()
                assert pragmas == [1, "wal", 30000]
        finally:
            for connection in connections:
                connection.close()
    finally:
        engine.dispose()
    assert (tmp_path / "nested" / "tandem.db").is_file()


def test_sqlite_in_memory_database_keeps_foreign_keys_on() -> None:
    engine = create_engine("sqlite://")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "memory"
    finally:
        engine.dispose()
