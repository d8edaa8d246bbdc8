"""Alembic migrations build exactly the schema of ``tandem.adapters.tables``, on both backends,
and tear it down again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from tandem.adapters import migrations
from tandem.adapters.database import create_engine
from tandem.adapters.sql import SqlUnitOfWork
from tandem.adapters.tables import metadata
from tandem.domain.errors import DuplicateCode
from tandem.domain.network import BomLine, Item, Member, MemberRole, Network

HEAD = ScriptDirectory(str(migrations.PROJECT_ROOT / "migrations")).get_current_head()
TABLES = sorted(metadata.tables)


def _drop_everything(engine: Engine) -> None:
    metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


@pytest.fixture
def empty_engine(database_url: str) -> Iterator[Engine]:
    """An engine on a database without a single table (not even ``alembic_version``)."""
    engine = create_engine(database_url)
    _drop_everything(engine)
    yield engine
    _drop_everything(engine)
    engine.dispose()


def _unquoted(default: str) -> str:
    text = default.strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        text = text[1:-1]
    return text


def _compare_server_default(
    context: MigrationContext,
    inspected_column: Any,
    metadata_column: Any,
    inspected_default: str | None,
    metadata_default: Any,
    rendered_metadata_default: str | None,
) -> bool | None:
    """Alembic's own comparison, except for SQLite's empty-string defaults: SQLite reflects
    ``DEFAULT ''`` as ``('')``, which Alembic's SQLite unquoting (``'(.+)'``) cannot strip."""
    if context.dialect.name != "sqlite" or None in (inspected_default, rendered_metadata_default):
        return None
    assert inspected_default is not None and rendered_metadata_default is not None
    return _unquoted(inspected_default) != _unquoted(rendered_metadata_default)


def _schema_differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "compare_server_default": _compare_server_default},
        )
        return list(compare_metadata(context, metadata))


def _table_names(engine: Engine) -> list[str]:
    return sorted(sa.inspect(engine).get_table_names())


def test_upgrade_head_on_an_empty_database_builds_exactly_the_table_metadata(
    empty_engine: Engine,
) -> None:
    assert _table_names(empty_engine) == []
    assert migrations.current_revision(empty_engine) is None

    migrations.upgrade(empty_engine)

    assert migrations.current_revision(empty_engine) == HEAD
    assert _table_names(empty_engine) == sorted([*TABLES, "alembic_version"])
    assert _schema_differences(empty_engine) == []


def test_downgrade_base_leaves_only_the_alembic_version_table(empty_engine: Engine) -> None:
    migrations.upgrade(empty_engine)

    migrations.downgrade(empty_engine)

    assert _table_names(empty_engine) == ["alembic_version"]
    assert migrations.current_revision(empty_engine) is None
    if empty_engine.dialect.name == "postgresql":  # the SERIAL sequences went with their tables
        assert sa.inspect(empty_engine).get_sequence_names() == []


def test_upgrade_downgrade_upgrade_round_trip_gives_a_working_schema(
    empty_engine: Engine,
) -> None:
    migrations.upgrade(empty_engine)
    migrations.downgrade(empty_engine)

    migrations.upgrade(empty_engine)

    assert migrations.current_revision(empty_engine) == HEAD
    assert _schema_differences(empty_engine) == []
    with SqlUnitOfWork(empty_engine) as uow:
        network = uow.networks.add(Network(0, "coffee", "Coffee chain"))
        member = uow.members.add(
            Member(0, network.id, "ROAST", "Roaster", frozenset({MemberRole.MANUFACTURER}))
        )
        blend, beans = (
            uow.items.add(Item(0, network.id, member.id, sku, sku.title(), "kg", 1.0))
            for sku in ("BLEND", "BEANS")
        )
        line = uow.bom_lines.add(BomLine(0, member.id, blend.id, beans.id, 1.2))
        uow.commit()
    with SqlUnitOfWork(empty_engine) as uow:
        assert uow.networks.find() == [network]
        assert uow.members.find() == [member]
        assert uow.bom_lines.find() == [line]
    with SqlUnitOfWork(empty_engine) as uow, pytest.raises(DuplicateCode):
        # the partial unique index of 0002: one every-site line per parent and component
        uow.bom_lines.add(BomLine(0, member.id, blend.id, beans.id, 2.0))


def test_the_migrated_schema_fills_server_defaults_like_the_metadata(
    empty_engine: Engine,
) -> None:
    """Rows written without the optional columns (as by hand or by an older client)."""
    migrations.upgrade(empty_engine)
    tables = metadata.tables
    with empty_engine.begin() as connection:
        network_id = connection.execute(
            sa.insert(tables["network"]).values(code="c", name="C")
        ).inserted_primary_key[0]
        member_id = connection.execute(
            sa.insert(tables["member"]).values(
                network_id=network_id, code="M", name="M", roles=["retailer"]
            )
        ).inserted_primary_key[0]
        connection.execute(
            sa.insert(tables["app_user"]).values(
                member_id=member_id, email="a@example.com", display_name="A", password_hash="x"
            )
        )
    with empty_engine.connect() as connection:
        network = connection.execute(sa.select(tables["network"])).mappings().one()
        member = connection.execute(sa.select(tables["member"])).mappings().one()
        user = connection.execute(sa.select(tables["app_user"])).mappings().one()
    assert dict(network) == {
        "id": network_id,
        "code": "c",
        "name": "C",
        "description": "",
        "currency": "EUR",
    }
    assert member["country"] == ""
    assert (user["is_network_admin"], user["is_active"]) == (False, True)
