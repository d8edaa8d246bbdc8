"""The small coffee network with recipes, for the signal, device and feedback service tests.

The café's latte is made from the roaster's blend, milk and a cup (dyadic quantities, so sums are
exact in binary floating point); at CAFE-2 a stronger site recipe replaces it. The roaster's own
bill (blend from green beans) must never be exploded at the café: the café buys the blend.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from tests.support import PASSWORD, small_snapshot

from tandem.adapters.memory import FixedClock
from tandem.domain.identity import Principal
from tandem.domain.snapshot import BomRow, ItemRow
from tandem.services import identity, transfer
from tandem.services.context import ServiceContext

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)  # the FixedClock's default


@dataclass(frozen=True)
class RecipeWorld:
    ctx: ServiceContext
    clock: FixedClock
    cafe: Principal
    roaster: Principal
    beans: Principal
    sites: dict[str, int]
    items: dict[str, int]

    def demand(self) -> dict[tuple[str, str, str], float]:
        """Every stored demand point as ``(site code, SKU, ISO day) -> quantity``."""
        site_codes = {v: k for k, v in self.sites.items()}
        skus = {v: k for k, v in self.items.items()}
        with self.ctx.uow() as uow:
            points = uow.demand.find()
        return {
            (site_codes[p.site_id], skus[p.item_id], p.day.isoformat()): p.quantity for p in points
        }

    def stored_signals(self) -> int:
        with self.ctx.uow() as uow:
            return uow.signal_records.count()


def recipe_world(ctx: ServiceContext, clock: FixedClock) -> RecipeWorld:
    base = small_snapshot()
    snapshot = replace(
        base,
        items=(
            *base.items,
            ItemRow("MILK", "BEANS", "Whole milk", "l", 1.1),
            ItemRow("CUP", "BEANS", "Cup 12 oz", "pcs", 0.09),
        ),
        bom=(
            BomRow("BLEND", "GREEN", 1.2),
            BomRow("LATTE", "BLEND", 0.015625),
            BomRow("LATTE", "MILK", 0.25),
            BomRow("LATTE", "CUP", 1.0),
            BomRow("LATTE", "BLEND", 0.03125, "CAFE-2"),
            BomRow("LATTE", "MILK", 0.375, "CAFE-2"),
        ),
    )
    network_id = transfer.import_snapshot(ctx, snapshot).network_id
    with ctx.uow() as uow:
        sites = {s.code: s.id for s in uow.sites.find(network_id=network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=network_id)}

    def sign_in(email: str) -> Principal:
        return identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)

    return RecipeWorld(
        ctx,
        clock,
        sign_in("cafe@example.com"),
        sign_in("roaster@example.com"),
        sign_in("beans@example.com"),
        sites,
        items,
    )
