"""The ``working_calendar`` table: a member's working weekdays and holidays, optionally per site.

It shares :data:`tandem.adapters.tables.metadata`; ``tandem.adapters`` imports this module so the
metadata is always complete. ``(member_id, site_id)`` is unique; a member-wide calendar has
``site_id`` NULL, which SQL keeps distinct, so the service locks the member row before it
stores one (see :mod:`tandem.services.planning.calendars`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from tandem.adapters.codec import Codec
from tandem.adapters.tables import UtcDateTime, metadata
from tandem.domain.calendars import WorkingCalendar

working_calendar = sa.Table(
    "working_calendar",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("network_id", sa.Integer, sa.ForeignKey("network.id"), nullable=False),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("member.id"), nullable=False, index=True),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("working_weekdays", sa.JSON, nullable=False),
    sa.Column("holidays", sa.JSON, nullable=False),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("site.id"), nullable=True),
    sa.Column("updated_at", UtcDateTime, nullable=True),
    sa.UniqueConstraint("member_id", "site_id"),
)


def _days_out(value: tuple[date, ...]) -> list[str]:
    return [d.isoformat() for d in value]


def _days_in(value: list[str]) -> tuple[date, ...]:
    return tuple(date.fromisoformat(d) for d in value)


CALENDAR_CODECS: dict[str, tuple[sa.Table, Codec[Any]]] = {
    "working_calendars": (
        working_calendar,
        Codec(
            WorkingCalendar,
            {"working_weekdays": list, "holidays": _days_out},
            {"working_weekdays": lambda v: tuple(int(d) for d in v), "holidays": _days_in},
        ),
    ),
}

# Unique keys the in-memory twin honours (``None`` counts as one site: one member-wide calendar).
CALENDAR_UNIQUE: dict[str, tuple[tuple[str, ...], ...]] = {
    "working_calendars": (("member_id", "site_id"),),
}
