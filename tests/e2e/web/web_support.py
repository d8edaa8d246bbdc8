"""Helpers of the web UI tests: the test network, and signing in through the browser or HTTP."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
from playwright.sync_api import Page, expect

from tandem.bootstrap import Container
from tandem.domain.network import MemberRole, SiteKind, TransportMode
from tandem.domain.snapshot import (
    BomRow,
    DemandRow,
    ItemRow,
    ItemSiteRow,
    LaneRow,
    MemberRow,
    NetworkSnapshot,
    SiteRow,
    UserRow,
)

PASSWORD = "correct-horse-battery"
SECRET_KEY = "web-tests-secret-key-0123456789abcdef"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

DEMAND_START = date(2026, 3, 1)
DEMAND_DAYS = 30
WEEKLY = (-3, -2, -1, 0, 1, 2, 3)  # sums to zero over a week
# (site, item, base quantity): the café member's demand history.
DEMAND_SERIES = (("CAFE-1", "LATTE", 40), ("CAFE-1", "FLATW", 15), ("CAFE-2", "LATTE", 25))


def web_snapshot(tag: str) -> NetworkSnapshot:
    """Three members (roaster, café chain, bean importer), four sites, three lanes, and 30 days
    of café demand. Over the 30 days each series totals ``30 × base - 5``; over its last 28 days
    ``28 × base`` (whole weeks)."""
    demand = tuple(
        DemandRow(site, item, DEMAND_START + timedelta(days=n), base + WEEKLY[n % 7])
        for site, item, base in DEMAND_SERIES
        for n in range(DEMAND_DAYS)
    )
    return NetworkSnapshot(
        f"coffee-{tag}",
        "Coffee chain",
        "A roaster, a café chain and a bean importer around Amsterdam.",
        members=(
            MemberRow("ROAST", "Roaster", frozenset({MemberRole.MANUFACTURER}), "NL"),
            MemberRow("CAFE", "Cafe chain", frozenset({MemberRole.RETAILER}), "NL"),
            MemberRow("BEANS", "Bean importer", frozenset({MemberRole.SUPPLIER}), "NL"),
        ),
        users=(
            UserRow(f"roaster-{tag}@example.com", "ROAST", "Rita Roaster", PASSWORD, True),
            UserRow(f"cafe-{tag}@example.com", "CAFE", "Carl Cafe", PASSWORD),
            UserRow(f"beans-{tag}@example.com", "BEANS", "Bea Beans", PASSWORD),
        ),
        sites=(
            SiteRow("PLANT", "ROAST", "Roastery", SiteKind.PLANT, 52.37, 4.90, "Amsterdam"),
            SiteRow("CAFE-1", "CAFE", "Cafe one", SiteKind.STORE, 52.36, 4.88, "Amsterdam"),
            SiteRow("CAFE-2", "CAFE", "Cafe two", SiteKind.STORE, 52.09, 5.12, "Utrecht"),
            SiteRow("PORT", "BEANS", "Port warehouse", SiteKind.WAREHOUSE, 51.90, 4.48),
        ),
        items=(
            ItemRow("GREEN", "BEANS", "Green beans", "kg", 4.0, "green coffee"),
            ItemRow("BLEND", "ROAST", "House blend", "kg", 12.0, "roasted coffee"),
            ItemRow("LATTE", "CAFE", "Latte", "cup", 3.5, "drinks"),
            ItemRow("FLATW", "CAFE", "Flat white", "cup", 3.8, "drinks"),
        ),
        item_sites=(
            ItemSiteRow("BLEND", "PLANT"),
            ItemSiteRow("LATTE", "CAFE-1"),
            ItemSiteRow("FLATW", "CAFE-1"),
            ItemSiteRow("LATTE", "CAFE-2"),
        ),
        bom=(BomRow("BLEND", "GREEN", 1.18), BomRow("LATTE", "BLEND", 0.018)),
        lanes=(
            LaneRow("PORT", "PLANT", TransportMode.FULL_TRUCKLOAD, 2, 0.5, 0.1),
            LaneRow("PLANT", "CAFE-1", TransportMode.VAN, 1, 0.2, 0.3),
            LaneRow("PLANT", "CAFE-2", TransportMode.VAN, 1, 0.3, 0.4),
        ),
        demand=demand,
    )


@dataclass(frozen=True)
class LiveServer:
    url: str
    container: Container


@dataclass(frozen=True)
class WebNetwork:
    """One test's network: the users' e-mails and the database ids by code."""

    roaster: str
    cafe: str
    beans: str
    sites: dict[str, int]
    items: dict[str, int]
    members: dict[str, int]


def sign_in(page: Page, email: str, password: str = PASSWORD, next_page: str = "") -> None:
    """Fill the login form and wait for the page behind it."""
    page.goto(f"/login?next={next_page}" if next_page else "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    expect(page.get_by_test_id("signed-in-as")).to_be_visible()


LOGIN_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = LOGIN_TOKEN.search(html)
    assert found is not None, "the page has no form token"
    return found.group(1)


def http_sign_in(client: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    token = form_token(client.get("/login").text)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


# ---------------------------------------------------------------- flows (orders, stock, money)


def stock_up(container: Container, email: str, site_id: int, item_id: int, quantity: str) -> None:
    """Receive ``quantity`` of an item at a site of the user's member, through the inventory
    service (test setup: a seller needs stock to ship)."""
    from decimal import Decimal

    from tandem.domain.inventory import MovementKind
    from tandem.services import identity, inventory

    ctx = container.services
    principal = identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)
    movement = inventory.RecordMovement(
        site_id, item_id, MovementKind.RECEIPT, Decimal(quantity), reference="test setup"
    )
    inventory.record_movement(ctx, principal, movement)


def order_flow(
    container: Container,
    net: WebNetwork,
    due: date,
    confirmed: str = "30",
    received: str | None = None,
    invoiced: str | None = None,
    damaged: str = "0",
) -> int:
    """Through the services: the café orders 40 kg of house blend at 12.50 from the roaster for
    CAFE-1, the roaster confirms ``confirmed`` for ``due`` and ships it from PLANT (lot L-7,
    stocked first); then, if asked, the café receives ``received`` (``damaged`` of them
    damaged) and the roaster invoices ``invoiced``. Returns the order's id."""
    from decimal import Decimal

    from tandem.services import identity, invoices, receipts, shipments
    from tandem.services import purchase_orders as po

    ctx = container.services
    cafe, roaster = (
        identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)
        for email in (net.cafe, net.roaster)
    )
    stock_up(container, net.roaster, net.sites["PLANT"], net.items["BLEND"], "100")
    line = po.OrderLineInput(net.items["BLEND"], Decimal("40"), 1250, due)
    draft = po.create_order(
        ctx, cafe, po.CreatePurchaseOrder(net.members["ROAST"], net.sites["CAFE-1"], (line,))
    )
    order_id = draft.order.id
    po.submit_order(ctx, cafe, order_id)
    confirmation = po.LineConfirmation(1, Decimal(confirmed), due)
    acknowledged = po.acknowledge_order(
        ctx, roaster, order_id, po.AcknowledgeOrder((confirmation,), net.sites["PLANT"])
    )
    line_id = acknowledged.lines[0].id
    ship = shipments.ShipGoods(order_id, (shipments.ShipLine(line_id, Decimal(confirmed), "L-7"),))
    shipped = shipments.ship(ctx, roaster, ship)
    if received is not None:
        counted = receipts.ReceiveLine(shipped.lines[0].id, Decimal(received), Decimal(damaged))
        receipts.receive(ctx, cafe, receipts.ReceiveShipment(shipped.shipment.id, (counted,)))
    if invoiced is not None:
        billed = invoices.InvoiceLineInput(line_id, Decimal(invoiced))
        invoices.issue_invoice(ctx, roaster, invoices.IssueInvoice(order_id, (billed,)))
    return order_id
