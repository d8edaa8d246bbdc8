"""Table and row codec of the digital twin's stored what-if scenarios: ``twin_scenario``.

It shares :data:`tandem.adapters.tables.metadata`; ``tandem.adapters`` imports this module so the
metadata is always complete. A scenario is stored compactly: its deltas as given (a JSON list),
never a copy of the network.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tandem.adapters.codec import Codec
from tandem.adapters.tables import UtcDateTime, metadata
from tandem.domain.scenarios import Scenario

twin_scenario = sa.Table(
    "twin_scenario",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("network_id", sa.Integer, sa.ForeignKey("network.id"), nullable=False, index=True),
    sa.Column(
        "owner_member_id", sa.Integer, sa.ForeignKey("member.id"), nullable=False, index=True
    ),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("deltas", sa.JSON, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by_user_id", sa.Integer, sa.ForeignKey("app_user.id"), nullable=True),
    sa.UniqueConstraint("owner_member_id", "name"),
)

TWIN_CODECS: dict[str, tuple[sa.Table, Codec[Any]]] = {
    "twin_scenarios": (twin_scenario, Codec(Scenario, {"deltas": list}, {"deltas": list})),
}

# Unique keys the in-memory twins honour like the table above.
TWIN_UNIQUE: dict[str, tuple[tuple[str, ...], ...]] = {
    "twin_scenarios": (("owner_member_id", "name"),),
}
