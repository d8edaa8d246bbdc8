"""Shared test helpers: a small three-member coffee network and signed-in members."""

from __future__ import annotations

from dataclasses import dataclass

from tandem.domain.identity import Principal
from tandem.domain.network import MemberRole, SiteKind, TransportMode
from tandem.domain.snapshot import (
    ItemRow,
    ItemSiteRow,
    LaneRow,
    MemberRow,
    NetworkSnapshot,
    SiteRow,
    UserRow,
)
from tandem.services import identity
from tandem.services.context import ServiceContext

PASSWORD = "correct-horse-battery"


def small_snapshot() -> NetworkSnapshot:
    return NetworkSnapshot(
        "coffee",
        "Coffee chain",
        members=(
            MemberRow("ROAST", "Roaster", frozenset({MemberRole.MANUFACTURER})),
            MemberRow("CAFE", "Cafe chain", frozenset({MemberRole.RETAILER})),
            MemberRow("BEANS", "Bean importer", frozenset({MemberRole.SUPPLIER})),
        ),
        users=(
            UserRow("roaster@example.com", "ROAST", "Rita Roaster", PASSWORD, True),
            UserRow("cafe@example.com", "CAFE", "Carl Cafe", PASSWORD),
            UserRow("beans@example.com", "BEANS", "Bea Beans", PASSWORD),
        ),
        sites=(
            SiteRow("PLANT", "ROAST", "Roastery", SiteKind.PLANT, 52.37, 4.90),
            SiteRow("CAFE-1", "CAFE", "Cafe one", SiteKind.STORE, 52.36, 4.88),
            SiteRow("CAFE-2", "CAFE", "Cafe two", SiteKind.STORE, 52.35, 4.91),
            SiteRow("PORT", "BEANS", "Port warehouse", SiteKind.WAREHOUSE, 51.90, 4.48),
        ),
        items=(
            ItemRow("GREEN", "BEANS", "Green beans", "kg", 4.0),
            ItemRow("BLEND", "ROAST", "House blend", "kg", 12.0),
            ItemRow("LATTE", "CAFE", "Latte", "cup", 3.5),
        ),
        item_sites=(
            ItemSiteRow("BLEND", "PLANT"),
            ItemSiteRow("LATTE", "CAFE-1"),
            ItemSiteRow("LATTE", "CAFE-2"),
        ),
        lanes=(
            LaneRow("PORT", "PLANT", TransportMode.FULL_TRUCKLOAD, 2, 0.5, 0.1),
            LaneRow("PLANT", "CAFE-1", TransportMode.VAN, 1, 0.2, 0.3),
        ),
    )


@dataclass(frozen=True)
class World:
    ctx: ServiceContext
    roaster: Principal
    cafe: Principal
    beans: Principal
    network_id: int

    def sign_in(self, email: str) -> Principal:
        token = identity.login(self.ctx, email, PASSWORD).token
        return identity.authenticate_token(self.ctx, token)
