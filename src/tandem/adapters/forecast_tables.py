"""The forecast archive: every forecast a run made, by origin, for accuracy tracking.

``forecast_point`` holds the live forecast (replaced by each run); ``forecast_snapshot`` keeps
what each run forecast from each origin, so forecasts can be scored once actual demand arrives
(:mod:`tandem.services.forecast_accuracy`). The table joins the shared
:data:`tandem.adapters.tables.metadata`; ``tandem.adapters`` imports this module.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tandem.adapters.codec import Codec
from tandem.adapters.tables import UtcDateTime, metadata
from tandem.domain.forecasts import ForecastSnapshot

forecast_snapshot = sa.Table(
    "forecast_snapshot",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "owner_member_id", sa.Integer, sa.ForeignKey("member.id"), nullable=False, index=True
    ),
    sa.Column("site_id", sa.Integer, sa.ForeignKey("site.id"), nullable=False),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id"), nullable=False),
    sa.Column("origin", sa.Date, nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("forecast", sa.Float, nullable=False),
    sa.Column("model", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("site_id", "item_id", "origin", "day"),
    sa.Index("ix_forecast_snapshot_item_site_day", "item_id", "site_id", "day"),
)

FORECAST_CODECS: dict[str, tuple[sa.Table, Codec[Any]]] = {
    "forecast_snapshots": (forecast_snapshot, Codec(ForecastSnapshot)),
}

# Member-owned rows readable by partners only through ``forecasts`` grants.
FORECAST_OWNED_FIELDS = {"forecast_snapshots": ("item_id", "site_id")}
