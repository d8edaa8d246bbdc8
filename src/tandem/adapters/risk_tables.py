"""Tables and row codecs of the shared risk register: ``risk`` and its history ``risk_event``.

They share :data:`tandem.adapters.tables.metadata`; ``tandem.adapters`` imports this module so the
metadata is always complete. Affected sites, lanes and items are JSON id lists and mitigations a
JSON list: a risk is read and written whole (it carries a ``version``), and the ids are a record
of what was declared, so deleting a lane must not rewrite (or be blocked by) the register.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from tandem.adapters.codec import Codec, enum_codec
from tandem.adapters.tables import UtcDateTime, metadata
from tandem.domain.risks import (
    Mitigation,
    MitigationStatus,
    Risk,
    RiskCategory,
    RiskEvent,
    RiskEventKind,
    RiskStatus,
)


def _fk(name: str, target: str, nullable: bool = False, index: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey(target), nullable=nullable, index=index)


risk = sa.Table(
    "risk",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk("network_id", "network.id", index=True),
    _fk("owner_member_id", "member.id", index=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("category", sa.String(32), nullable=False),
    sa.Column("likelihood", sa.Integer, nullable=False),
    sa.Column("impact", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("description", sa.String(2000), nullable=False),
    sa.Column("site_ids", sa.JSON, nullable=False),
    sa.Column("lane_ids", sa.JSON, nullable=False),
    sa.Column("item_ids", sa.JSON, nullable=False),
    sa.Column("owner_name", sa.String(200), nullable=False),
    sa.Column("mitigations", sa.JSON, nullable=False),
    sa.Column("review_date", sa.Date, nullable=True),
    sa.Column("recovery_days", sa.Float, nullable=True),
    sa.Column("version", sa.Integer, nullable=False),
    _fk("created_by_user_id", "app_user.id", nullable=True),
    sa.CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood_range"),
    sa.CheckConstraint("impact BETWEEN 1 AND 5", name="impact_range"),
)

risk_event = sa.Table(
    "risk_event",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk("risk_id", "risk.id", index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    _fk("actor_member_id", "member.id"),
    sa.Column("detail", sa.JSON, nullable=False),
    _fk("actor_user_id", "app_user.id", nullable=True),
    # One event per version: a lost update of the risk would write a duplicate and fail here.
    sa.UniqueConstraint("risk_id", "version"),
)


def _ids_out(value: frozenset[int]) -> list[int]:
    return sorted(value)


def _ids_in(value: list[int]) -> frozenset[int]:
    return frozenset(int(v) for v in value)


def _mitigations_out(value: tuple[Mitigation, ...]) -> list[dict[str, Any]]:
    return [
        {
            "text": m.text,
            "status": m.status.value,
            "due_date": None if m.due_date is None else m.due_date.isoformat(),
            "completed_at": None
            if m.completed_at is None
            else m.completed_at.astimezone(UTC).isoformat(),
        }
        for m in value
    ]


def _mitigations_in(value: list[dict[str, Any]]) -> tuple[Mitigation, ...]:
    return tuple(
        Mitigation(
            str(m["text"]),
            MitigationStatus(m["status"]),
            None if m["due_date"] is None else date.fromisoformat(m["due_date"]),
            None
            if m["completed_at"] is None
            else datetime.fromisoformat(m["completed_at"]).astimezone(UTC),
        )
        for m in value
    )


_IDS = ("site_ids", "lane_ids", "item_ids")

RISK_CODECS: dict[str, tuple[sa.Table, Codec[Any]]] = {
    "risks": (
        risk,
        Codec(
            Risk,
            {
                **dict.fromkeys(_IDS, _ids_out),
                "category": lambda v: v.value,
                "status": lambda v: v.value,
                "mitigations": _mitigations_out,
            },
            {
                **dict.fromkeys(_IDS, _ids_in),
                "category": RiskCategory,
                "status": RiskStatus,
                "mitigations": _mitigations_in,
            },
        ),
    ),
    "risk_events": (risk_event, enum_codec(RiskEvent, kind=RiskEventKind)),
}

# Unique keys the in-memory twins honour like the tables above.
RISK_UNIQUE: dict[str, tuple[tuple[str, ...], ...]] = {
    "risks": (),
    "risk_events": (("risk_id", "version"),),
}
