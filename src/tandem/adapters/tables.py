"""SQLAlchemy Core tables of the platform. Singular snake_case names, ``_at`` timestamps,
an explicit naming convention so Alembic diffs stay stable."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        converted = value.astimezone(UTC)
        return converted.replace(tzinfo=None) if dialect.name == "sqlite" else converted

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Quantity(sa.types.TypeDecorator[Decimal]):
    """An exact quantity to the thousandth, stored as an integer of thousandths (milli-units) so
    sums and in-SQL increments are exact on every backend."""

    impl = sa.BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value) * 1000
        if scaled != scaled.to_integral_value():
            raise ValueError(f"quantity {value} has more than three decimals")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / 1000).quantize(MILLI)


MILLI = Decimal("0.001")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, nullable: bool = False, ondelete: str | None = None) -> Any:
    return sa.Column(
        name, sa.Integer, sa.ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True
    )


network = sa.Table(
    "network",
    metadata,
    _id(),
    sa.Column("code", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("currency", sa.String(3), nullable=False, server_default="EUR"),
)

member = sa.Table(
    "member",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("roles", sa.JSON, nullable=False),
    sa.Column("country", sa.String(64), nullable=False, server_default=""),
    sa.UniqueConstraint("network_id", "code"),
)

app_user = sa.Table(
    "app_user",
    metadata,
    _id(),
    _fk("member_id", "member.id"),
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("is_network_admin", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
)

api_key = sa.Table(
    "api_key",
    metadata,
    _id(),
    _fk("member_id", "member.id"),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("prefix", sa.String(32), nullable=False, unique=True),
    sa.Column("secret_hash", sa.String(128), nullable=False),
    sa.Column("scopes", sa.JSON, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
)

session_token = sa.Table(
    "session_token",
    metadata,
    _id(),
    _fk("user_id", "app_user.id", ondelete="CASCADE"),
    sa.Column("token_hash", sa.String(128), nullable=False, unique=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
)

site = sa.Table(
    "site",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("member_id", "member.id"),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("latitude", sa.Float, nullable=False),
    sa.Column("longitude", sa.Float, nullable=False),
    sa.Column("city", sa.String(120), nullable=False, server_default=""),
    sa.Column("country", sa.String(64), nullable=False, server_default=""),
    sa.Column("allows_backorders", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint("network_id", "code"),
)

item = sa.Table(
    "item",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("member_id", "member.id"),
    sa.Column("sku", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("unit", sa.String(32), nullable=False),
    sa.Column("unit_value", sa.Float, nullable=False),
    sa.Column("family", sa.String(120), nullable=False, server_default=""),
    sa.Column("weight_kg", sa.Float, nullable=True),
    sa.Column("volume_m3", sa.Float, nullable=True),
    sa.UniqueConstraint("network_id", "sku"),
)

PLANNING_PARAMETER_COLUMNS = (
    "target_service_level",
    "review_period_days",
    "safety_stock",
    "reorder_point",
    "order_up_to_level",
    "min_order_quantity",
    "order_multiple",
    "holding_cost_rate",
    "processing_days",
    "added_cost",
    "handling_cost",
    "order_quantity",
)

item_site = sa.Table(
    "item_site",
    metadata,
    _id(),
    _fk("owner_member_id", "member.id"),
    _fk("item_id", "item.id"),
    _fk("site_id", "site.id"),
    *(sa.Column(name, sa.Float, nullable=True) for name in PLANNING_PARAMETER_COLUMNS),
    sa.UniqueConstraint("item_id", "site_id"),
)

bom_line = sa.Table(
    "bom_line",
    metadata,
    _id(),
    _fk("owner_member_id", "member.id"),
    _fk("parent_item_id", "item.id"),
    _fk("component_item_id", "item.id"),
    sa.Column("quantity_per", sa.Float, nullable=False),
    _fk("site_id", "site.id", nullable=True),
    sa.UniqueConstraint("parent_item_id", "component_item_id", "site_id"),
    # NULLs are distinct in the constraint above: this keeps one every-site line per pair.
    sa.Index(
        "uq_bom_line_parent_item_id_component_item_id_every_site",
        "parent_item_id",
        "component_item_id",
        unique=True,
        sqlite_where=sa.text("site_id IS NULL"),
        postgresql_where=sa.text("site_id IS NULL"),
    ),
)

lane = sa.Table(
    "lane",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("from_site_id", "site.id"),
    _fk("to_site_id", "site.id"),
    sa.Column("mode", sa.String(32), nullable=False),
    sa.Column("lead_time_mean_days", sa.Float, nullable=False),
    sa.Column("lead_time_std_days", sa.Float, nullable=False),
    sa.Column("cost_per_unit", sa.Float, nullable=False),
    sa.Column("capacity_per_day", sa.Float, nullable=True),
    _fk("item_id", "item.id", nullable=True),
    sa.Column("duty_rate", sa.Float, nullable=False, server_default="0"),
)

demand_point = sa.Table(
    "demand_point",
    metadata,
    _id(),
    _fk("owner_member_id", "member.id"),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("site.id"), nullable=False),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id"), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("quantity", sa.Float, nullable=False),
    sa.UniqueConstraint("site_id", "item_id", "day"),
    sa.Index("ix_demand_point_item_site_day", "item_id", "site_id", "day"),
)

forecast_point = sa.Table(
    "forecast_point",
    metadata,
    _id(),
    _fk("owner_member_id", "member.id"),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("site.id"), nullable=False),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id"), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("forecast", sa.Float, nullable=False),
    sa.Column("lo_80", sa.Float, nullable=True),
    sa.Column("hi_80", sa.Float, nullable=True),
    sa.Column("lo_95", sa.Float, nullable=True),
    sa.Column("hi_95", sa.Float, nullable=True),
    sa.Column("model", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("site_id", "item_id", "day"),
    sa.Index("ix_forecast_point_item_site_day", "item_id", "site_id", "day"),
)

sharing_grant = sa.Table(
    "sharing_grant",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("grantor_member_id", "member.id"),
    _fk("grantee_member_id", "member.id"),
    sa.Column("category", sa.String(40), nullable=False),
    # none_as_null: ``None`` (no narrowing) is SQL NULL, not the JSON text 'null', so that
    # ``find(item_ids=None)`` (IS NULL) finds it.
    sa.Column("item_ids", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("site_ids", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=True),
    sa.Column("revoked_at", UtcDateTime, nullable=True),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
)

audit_entry = sa.Table(
    "audit_entry",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("grant_id", "sharing_grant.id"),
    _fk("owner_member_id", "member.id"),
    _fk("reader_member_id", "member.id"),
    sa.Column("reader", sa.String(320), nullable=False),
    sa.Column("category", sa.String(40), nullable=False),
    sa.Column("resource", sa.String(500), nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
)

idempotency_record = sa.Table(
    "idempotency_record",
    metadata,
    _id(),
    sa.Column("principal", sa.String(120), nullable=False),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("fingerprint", sa.String(128), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("status_code", sa.Integer, nullable=True),
    sa.Column("body", sa.Text, nullable=True),
    sa.UniqueConstraint("principal", "key"),
)
