"""Inventory by site: the viewer's stock positions (on hand, allocated, in transit, available),
partners' positions granted as ``inventory_positions``, the recent movements of one position,
and a form to record a receipt, issue or adjustment at one of the viewer's sites.

Partners' rows are read through grants and audited like every partner read (the services do
both); an empty partner section means nothing is shared with the viewer.
"""

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.domain.errors import TandemError
from tandem.domain.inventory import MovementKind, StockMovement, StockPosition
from tandem.services import inventory
from tandem.services.context import MAX_PAGE, PageRequest
from tandem.web.core import Viewer, Web, status_of, web_route_class
from tandem.web.flows import Directory, Fields, directory, install_filters

RECENT_MOVEMENTS = 20
RECORDABLE = (
    MovementKind.RECEIPT,
    MovementKind.ISSUE,
    MovementKind.CONSUMPTION,
    MovementKind.ADJUSTMENT,
)

MOVEMENT_FIELDS = ("site", "item", "kind", "quantity", "lot", "reference", "note")

Text = Annotated[str, Form(max_length=500)]


def parse_movement(
    site: str, item: str, kind: str, quantity: str, lot: str, reference: str, note: str
) -> inventory.RecordMovement:
    f = Fields("movement")
    site_id = f.identifier(site, "site", "choose one of your sites")
    item_id = f.identifier(item, "item", "choose an item")
    if kind not in {k.value for k in RECORDABLE}:
        f.fail("kind", "choose receipt, issue, consumption or adjustment")
    amount = f.quantity(quantity, "quantity")
    f.raise_if_any("Invalid stock movement")
    assert amount is not None
    return inventory.RecordMovement(
        site_id, item_id, MovementKind(kind), amount, lot.strip(), reference.strip(), note.strip()
    )


def _by_site(
    positions: tuple[StockPosition, ...], d: Directory
) -> list[tuple[int, list[StockPosition]]]:
    grouped: dict[int, list[StockPosition]] = defaultdict(list)
    for p in positions:
        grouped[p.site_id].append(p)

    def site_key(site_id: int) -> str:
        site = d.sites.get(site_id)
        return site.code if site else str(site_id)

    return [
        (site_id, sorted(grouped[site_id], key=lambda p: d.item_label(p.item_id)))
        for site_id in sorted(grouped, key=site_key)
    ]


def _recent(web: Web, viewer: Viewer, site_id: int, item_id: int) -> list[StockMovement]:
    ctx, principal = web.services, viewer.principal
    count = inventory.list_movements(ctx, principal, PageRequest(0, 1), site_id, item_id).total
    start = max(0, count - RECENT_MOVEMENTS)
    page = PageRequest(start, RECENT_MOVEMENTS)
    found = inventory.list_movements(ctx, principal, page, site_id, item_id).items
    return sorted(found, key=lambda m: m.id, reverse=True)


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    install_filters(web)

    def page(
        request: Request,
        viewer: Viewer,
        site_id: int | None,
        item_id: int | None,
        error: TandemError | None = None,
        values: dict[str, str] | None = None,
    ) -> HTMLResponse:
        ctx, principal = web.services, viewer.principal
        d = directory(web, viewer)
        positions = inventory.list_positions(ctx, principal, PageRequest(0, MAX_PAGE)).items
        mine = tuple(p for p in positions if p.owner_member_id == viewer.member_id)
        theirs = tuple(p for p in positions if p.owner_member_id != viewer.member_id)
        chosen = None
        movements: list[StockMovement] = []
        if site_id is not None and item_id is not None:
            chosen = next(
                (p for p in positions if (p.site_id, p.item_id) == (site_id, item_id)), None
            )
            if chosen is not None:
                movements = _recent(web, viewer, site_id, item_id)
        context: dict[str, Any] = {
            "own_sites": _by_site(mine, d),
            "partner_sites": _by_site(theirs, d),
            "chosen": chosen,
            "movements": movements,
            "my_sites": d.own_sites(viewer.member_id),
            "items": sorted(d.items.values(), key=lambda i: i.sku),
            "kinds": RECORDABLE,
            "d": d,
            "error": error,
            "values": values or dict.fromkeys(MOVEMENT_FIELDS, ""),
        }
        status_code = status_of(error) if error else 200
        return web.render(
            request, "inventory.html", viewer, status_code=status_code, nav="inventory", **context
        )

    @router.get("/inventory", response_class=HTMLResponse)
    def inventory_page(
        request: Request,
        viewer: SignedIn,
        site_id: Annotated[int | None, Query()] = None,
        item_id: Annotated[int | None, Query()] = None,
    ) -> HTMLResponse:
        return page(request, viewer, site_id, item_id)

    @router.post("/inventory/movements", dependencies=[Depends(web.check_csrf)])
    def record(
        request: Request,
        viewer: SignedIn,
        site: Text = "",
        item: Text = "",
        kind: Text = "",
        quantity: Text = "",
        lot: Text = "",
        reference: Text = "",
        note: Text = "",
    ) -> Response:
        try:
            command = parse_movement(site, item, kind, quantity, lot, reference, note)
            moved = inventory.record_movement(web.services, viewer.principal, command)
        except TandemError as error:
            values = {"site": site, "item": item, "kind": kind, "quantity": quantity}
            values |= {"lot": lot, "reference": reference, "note": note}
            return page(request, viewer, None, None, error, values)
        target = f"/inventory?site_id={moved.site_id}&item_id={moved.item_id}"
        return RedirectResponse(f"{target}#movements", status_code=303)

    return router
