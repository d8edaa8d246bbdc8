"""SQL repositories and the SQL unit of work (SQLAlchemy Core, one connection per unit)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from tandem.adapters import tables as t
from tandem.adapters.beer_game_tables import BEER_GAME_CODECS
from tandem.adapters.calendar_tables import CALENDAR_CODECS
from tandem.adapters.codec import Codec
from tandem.adapters.coordination_codecs import COORDINATION_CODECS
from tandem.adapters.flow_codecs import FLOW_CODECS, FLOW_OWNED_FIELDS
from tandem.adapters.forecast_tables import FORECAST_CODECS, FORECAST_OWNED_FIELDS
from tandem.adapters.logistics_tables import LOGISTICS_CODECS
from tandem.adapters.planning_tables import PLANNING_CODECS, PLANNING_OWNED_FIELDS
from tandem.adapters.production_tables import PRODUCTION_CODECS
from tandem.adapters.risk_tables import RISK_CODECS
from tandem.adapters.signal_codecs import (
    SIGNAL_CODECS,
    SIGNAL_OWNED_FIELDS,
    find_messages,
    increment_demand,
    insert_new_records,
)
from tandem.adapters.twin_tables import TWIN_CODECS
from tandem.domain.errors import Conflict, DuplicateCode
from tandem.domain.forecasts import ForecastPoint
from tandem.domain.idempotency import IdempotencyRecord
from tandem.domain.identity import ApiKey, Scope, SessionToken, User
from tandem.domain.inventory import StockPosition
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
from tandem.domain.sharing import AccessScope, AuditEntry, DataCategory, Grant
from tandem.domain.signals import SignalRecord

E = TypeVar("E")


def _ids_out(value: frozenset[int] | None) -> list[int] | None:
    return None if value is None else sorted(value)


def _ids_in(value: list[int] | None) -> frozenset[int] | None:
    return None if value is None else frozenset(int(v) for v in value)


class ItemSiteCodec(Codec[ItemSite]):
    """Planning parameters are a nested value object in the domain, flat columns in the table."""

    def to_row(self, entity: ItemSite) -> dict[str, Any]:
        row = {
            "owner_member_id": entity.owner_member_id,
            "item_id": entity.item_id,
            "site_id": entity.site_id,
        }
        row.update(dataclasses.asdict(entity.parameters))
        return row

    def from_row(self, row: sa.RowMapping) -> ItemSite:
        parameters = PlanningParameters(**{c: row[c] for c in t.PLANNING_PARAMETER_COLUMNS})
        return ItemSite(
            row["id"], row["owner_member_id"], row["item_id"], row["site_id"], parameters
        )


def _roles_out(roles: frozenset[MemberRole]) -> list[str]:
    return sorted(r.value for r in roles)


CODECS: dict[str, tuple[sa.Table, Codec[Any]]] = {
    "networks": (t.network, Codec(Network)),
    "members": (
        t.member,
        Codec(
            Member,
            {"roles": _roles_out},
            {"roles": lambda v: frozenset(MemberRole(r) for r in v)},
        ),
    ),
    "users": (t.app_user, Codec(User)),
    "api_keys": (
        t.api_key,
        Codec(
            ApiKey,
            {"scopes": lambda v: sorted(s.value for s in v)},
            {"scopes": lambda v: frozenset(Scope(s) for s in v)},
        ),
    ),
    "session_tokens": (t.session_token, Codec(SessionToken)),
    "sites": (t.site, Codec(Site, {"kind": lambda v: v.value}, {"kind": SiteKind})),
    "items": (t.item, Codec(Item)),
    "lanes": (t.lane, Codec(Lane, {"mode": lambda v: v.value}, {"mode": TransportMode})),
    "item_sites": (t.item_site, ItemSiteCodec(ItemSite)),
    "bom_lines": (t.bom_line, Codec(BomLine)),
    "demand": (t.demand_point, Codec(DemandPoint)),
    "forecasts": (t.forecast_point, Codec(ForecastPoint)),
    "grants": (
        t.sharing_grant,
        Codec(
            Grant,
            {"category": lambda v: v.value, "item_ids": _ids_out, "site_ids": _ids_out},
            {"category": DataCategory, "item_ids": _ids_in, "site_ids": _ids_in},
        ),
    ),
    "audit": (
        t.audit_entry,
        Codec(AuditEntry, {"category": lambda v: v.value}, {"category": DataCategory}),
    ),
    "idempotency": (t.idempotency_record, Codec(IdempotencyRecord)),
    **FLOW_CODECS,
    **FORECAST_CODECS,
    **SIGNAL_CODECS,
    **COORDINATION_CODECS,
    **PLANNING_CODECS,
    **CALENDAR_CODECS,
    **PRODUCTION_CODECS,
    **RISK_CODECS,
    **TWIN_CODECS,
    **BEER_GAME_CODECS,
    **LOGISTICS_CODECS,
}

OWNED_FIELDS = {
    "item_sites": ("item_id", "site_id"),
    "bom_lines": ("parent_item_id", "site_id"),
    "demand": ("item_id", "site_id"),
    "forecasts": ("item_id", "site_id"),
    **FLOW_OWNED_FIELDS,
    **FORECAST_OWNED_FIELDS,
    **SIGNAL_OWNED_FIELDS,
    **PLANNING_OWNED_FIELDS,
}


class SqlRepository(Generic[E]):
    def __init__(self, connection: Connection, table: sa.Table, codec: Codec[E]) -> None:
        self.connection = connection
        self.table = table
        self.codec = codec

    def _where(self, equals: dict[str, Any]) -> list[sa.ColumnElement[bool]]:
        clauses: list[sa.ColumnElement[bool]] = []
        for name, value in equals.items():
            column = self.table.c[name]
            encoded = value.value if hasattr(value, "value") else value
            clauses.append(column.is_(None) if encoded is None else column == encoded)
        return clauses

    def add(self, entity: E) -> E:
        result = self.connection.execute(self.table.insert().values(**self.codec.to_row(entity)))
        new_id = result.inserted_primary_key[0]  # type: ignore[index]
        stored: E = dataclasses.replace(entity, id=int(new_id))  # type: ignore[type-var]
        return stored

    def add_many(self, entities: Sequence[E]) -> None:
        if entities:
            rows = [self.codec.to_row(e) for e in entities]
            self.connection.execute(self.table.insert(), rows)

    def get(self, entity_id: int) -> E | None:
        row = (
            self.connection.execute(sa.select(self.table).where(self.table.c.id == entity_id))
            .mappings()
            .first()
        )
        return None if row is None else self.codec.from_row(row)

    def get_for_update(self, entity_id: int) -> E | None:
        """``get`` and lock the row until the transaction ends (``SELECT ... FOR UPDATE`` on
        PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises writers)."""
        query = sa.select(self.table).where(self.table.c.id == entity_id).with_for_update()
        row = self.connection.execute(query).mappings().first()
        return None if row is None else self.codec.from_row(row)

    def update(self, entity: E) -> None:
        entity_id = getattr(entity, "id")  # noqa: B009
        self.connection.execute(
            self.table.update()
            .where(self.table.c.id == entity_id)
            .values(**self.codec.to_row(entity))
        )

    def update_many(self, entities: Sequence[E]) -> None:
        """One executemany; bound names are prefixed (SQLAlchemy reserves the column names)."""
        if not entities:
            return
        rows = [self.codec.to_row(e) for e in entities]
        statement = (
            self.table.update()
            .where(self.table.c.id == sa.bindparam("_id"))
            .values({name: sa.bindparam(f"_{name}") for name in rows[0]})
        )
        self.connection.execute(
            statement,
            [
                {"_id": getattr(e, "id"), **{f"_{k}": v for k, v in row.items()}}  # noqa: B009
                for e, row in zip(entities, rows, strict=True)
            ],
        )

    def delete(self, entity_id: int) -> None:
        self.connection.execute(self.table.delete().where(self.table.c.id == entity_id))

    def _select(
        self,
        clauses: list[sa.ColumnElement[bool]],
        offset: int,
        limit: int | None,
        descending: bool = False,
    ) -> list[E]:
        order = self.table.c.id.desc() if descending else self.table.c.id
        query = sa.select(self.table).where(*clauses).order_by(order).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return [self.codec.from_row(r) for r in self.connection.execute(query).mappings()]

    def find(
        self,
        *,
        offset: int = 0,
        limit: int | None = None,
        descending: bool = False,
        **equals: Any,
    ) -> list[E]:
        return self._select(self._where(equals), offset, limit, descending)

    def count(self, **equals: Any) -> int:
        query = sa.select(sa.func.count()).select_from(self.table).where(*self._where(equals))
        return int(self.connection.execute(query).scalar_one())


class SqlOwnedRepository(SqlRepository[E]):
    """Reads of member-owned rows are filtered in SQL by the scope the access policy gave."""

    def __init__(
        self, connection: Connection, table: sa.Table, codec: Codec[E], fields: tuple[str, str]
    ) -> None:
        super().__init__(connection, table, codec)
        self.item_column = table.c[fields[0]]
        self.site_column = table.c[fields[1]]

    def _scope_clause(self, scope: AccessScope) -> sa.ColumnElement[bool]:
        owner = self.table.c.owner_member_id
        options: list[sa.ColumnElement[bool]] = [owner == scope.viewer_member_id]
        for rule in scope.partner_rules:
            parts: list[sa.ColumnElement[bool]] = [owner == rule.owner_member_id]
            if rule.item_ids is not None:
                parts.append(self.item_column.in_(sorted(rule.item_ids)))
            if rule.site_ids is not None:
                parts.append(self.site_column.in_(sorted(rule.site_ids)))
            options.append(sa.and_(*parts))
        return sa.or_(*options)

    def find_scoped(
        self, scope: AccessScope, *, offset: int = 0, limit: int | None = None, **equals: Any
    ) -> list[E]:
        return self._select([*self._where(equals), self._scope_clause(scope)], offset, limit)

    def count_scoped(self, scope: AccessScope, **equals: Any) -> int:
        clauses = [*self._where(equals), self._scope_clause(scope)]
        query = sa.select(sa.func.count()).select_from(self.table).where(*clauses)
        return int(self.connection.execute(query).scalar_one())


class SqlStockPositions(SqlOwnedRepository[StockPosition]):
    """Stock positions, with the ordered row locks that make allocation concurrency-safe."""

    def lock(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], StockPosition]:
        """The positions of ``(site_id, item_id)`` keys, created at zero where missing (owned by
        the site's member) and locked ``FOR UPDATE`` in key order, so that concurrent writers
        queue on the same rows instead of deadlocking or both reading the old stock."""
        wanted = sorted(set(keys))
        if not wanted:
            return {}
        site_ids = sorted({site_id for site_id, _ in wanted})
        sites = {
            row.id: row
            for row in self.connection.execute(
                sa.select(t.site.c.id, t.site.c.network_id, t.site.c.member_id).where(
                    t.site.c.id.in_(site_ids)
                )
            )
        }
        rows = [
            {
                "network_id": sites[site_id].network_id,
                "owner_member_id": sites[site_id].member_id,
                "site_id": site_id,
                "item_id": item_id,
            }
            for site_id, item_id in wanted
            if site_id in sites
        ]
        if rows:
            insert = _dialect_insert(self.connection)(self.table).on_conflict_do_nothing(
                index_elements=["site_id", "item_id"]
            )
            self.connection.execute(insert, rows)
        pairs = sa.tuple_(self.table.c.site_id, self.table.c.item_id)
        query = (
            sa.select(self.table)
            .where(pairs.in_(wanted))
            .order_by(self.table.c.site_id, self.table.c.item_id)
            .with_for_update()
        )
        found = [self.codec.from_row(r) for r in self.connection.execute(query).mappings()]
        return {(p.site_id, p.item_id): p for p in found}


class SqlDemand(SqlOwnedRepository[DemandPoint]):
    def increment(self, points: Sequence[DemandPoint]) -> list[DemandPoint]:
        return increment_demand(self.connection, self.table, self.codec, points)


class SqlSignalRecords(SqlOwnedRepository[SignalRecord]):
    def find_messages(self, sender: str, message_ids: Sequence[str]) -> list[SignalRecord]:
        return find_messages(self.connection, self.table, self.codec, sender, message_ids)

    def add_new(self, records: Sequence[SignalRecord]) -> list[SignalRecord]:
        return insert_new_records(self.connection, self.table, self.codec, records)


_SPECIAL: dict[str, type[SqlOwnedRepository[Any]]] = {
    "stock_positions": SqlStockPositions,
    "demand": SqlDemand,
    "signal_records": SqlSignalRecords,
}


def _dialect_insert(connection: Connection) -> Any:
    if connection.dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


class SqlUnitOfWork:
    """One connection and one transaction; rolled back on exit unless committed.

    Integrity errors (unique keys, foreign keys) surface as domain :class:`Conflict` errors.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None

    def __enter__(self) -> Self:
        self._connection = self.engine.connect()
        self._connection.begin()
        for name, (table, codec) in CODECS.items():
            if name in _SPECIAL:
                repo: Any = _SPECIAL[name](self._connection, table, codec, OWNED_FIELDS[name])
            elif name in OWNED_FIELDS:
                repo = SqlOwnedRepository(self._connection, table, codec, OWNED_FIELDS[name])
            else:
                repo = SqlRepository(self._connection, table, codec)
            setattr(self, name, _GuardedRepository(repo))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._connection is not None
        try:
            self.rollback()
        finally:
            self._connection.close()
            self._connection = None

    def commit(self) -> None:
        assert self._connection is not None
        try:
            self._connection.commit()
        except sa.exc.IntegrityError as error:
            # A COMMIT refused by a deferred constraint leaves SQLite's transaction open, and
            # SQLAlchemy's rollback() after a failed commit is a no-op: roll back the driver's.
            self._connection.rollback()
            self._connection.connection.rollback()
            raise _conflict(error) from error
        self._connection.begin()

    def rollback(self) -> None:
        if self._connection is not None and self._connection.in_transaction():
            self._connection.rollback()


def _conflict(error: sa.exc.IntegrityError) -> Conflict:
    text = str(error.orig).lower()
    if "unique" in text or "duplicate" in text:
        return DuplicateCode("a row with the same key already exists")
    return Conflict("the change refers to something that does not exist or is still in use")


class _GuardedRepository:
    """Turns integrity errors raised mid-transaction into domain conflicts."""

    def __init__(self, inner: SqlRepository[Any]) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if not callable(attribute):
            return attribute

        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return attribute(*args, **kwargs)
            except sa.exc.IntegrityError as error:
                raise _conflict(error) from error

        return guarded
