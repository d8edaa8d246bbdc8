"""Purchase orders in the browser: one document that buyer and seller work on together, each in
their own signed-in browser, and that nobody else can open."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.web.web_support import LiveServer, WebNetwork, stock_up

pytestmark = pytest.mark.browser


def _today() -> date:
    return datetime.now(UTC).date()


def create_order(
    page: Page, seller: str, ship_to: str, item: str, quantity: str, price: str, asked: date
) -> str:
    """Draft an order of one line on the new-order form; returns its number."""
    page.goto("/orders/new")
    page.select_option("#seller", label=seller)
    page.select_option("#ship-to", label=ship_to)
    line = page.locator("#order-lines-input tbody tr").first
    line.get_by_test_id("line-item").select_option(label=item)
    line.get_by_test_id("line-quantity").fill(quantity)
    line.get_by_test_id("line-price").fill(price)
    line.get_by_test_id("line-date").fill(asked.isoformat())
    page.click("#order-form button[type=submit]")
    expect(page.locator("#order-status")).to_have_text("Draft")
    return page.get_by_test_id("order-number").inner_text()


def line_cells(page: Page) -> list[str]:
    return [
        page.locator("#order-lines tbody tr").first.get_by_test_id(name).inner_text()
        for name in ("ordered", "confirmed", "shipped", "received", "invoiced")
    ]


def test_buyer_and_seller_take_an_order_from_draft_to_paid_in_two_browsers(
    signed_in: Callable[[str], Page], web_network: WebNetwork, live_server: LiveServer
) -> None:
    net = web_network
    stock_up(live_server.container, net.roaster, net.sites["PLANT"], net.items["BLEND"], "100")
    asked, confirmed = _today() + timedelta(days=7), _today() + timedelta(days=9)
    arrival = _today() + timedelta(days=3)
    buyer = signed_in(net.cafe)
    seller = signed_in(net.roaster)

    # the buyer drafts and submits
    number = create_order(
        buyer, "Roaster", "CAFE-1 · Cafe one", "BLEND · House blend", "40", "12.50", asked
    )
    assert re.fullmatch(r"PO-\d{6}", number)
    order_url = buyer.url
    expect(buyer.get_by_test_id("order-value")).to_have_text("500.00 EUR")
    buyer.click("#submit-form button")
    expect(buyer.locator("#order-flash")).to_have_text(f"{number} submitted to the seller.")
    expect(buyer.locator("#order-status")).to_have_text("Submitted")
    expect(buyer.locator("#order-version")).to_have_text("2")

    # the seller finds it waiting and acknowledges less than asked, later
    seller.goto("/orders")
    waiting = seller.locator("#awaiting-orders tbody tr")
    expect(waiting.locator("td")).to_have_text(
        [number, "Cafe chain", "Acknowledge", "Submitted", "2", "500.00 EUR", asked.isoformat()]
    )
    expect(seller.locator("#incoming-orders tbody tr")).to_have_count(1)
    expect(seller.locator("#outgoing-orders")).to_have_count(0)
    waiting.get_by_role("link", name=number).click()
    acknowledge = seller.locator("#acknowledge-form")
    expect(acknowledge.get_by_label("Confirmed quantity of line 1")).to_have_value("40")
    expect(acknowledge.get_by_label("Confirmed date of line 1")).to_have_value(asked.isoformat())
    acknowledge.get_by_label("Confirmed quantity of line 1").fill("30")
    acknowledge.get_by_label("Confirmed date of line 1").fill(confirmed.isoformat())
    acknowledge.locator("#ship-from").select_option(label="PLANT · Roastery")
    acknowledge.get_by_role("button", name="Acknowledge").click()
    expect(seller.locator("#order-flash")).to_have_text(f"{number} acknowledged.")
    expect(seller.locator("#order-status")).to_have_text("Acknowledged")

    # the buyer sees the confirmation, and who confirmed what, in the history
    buyer.reload()
    expect(buyer.locator("#order-status")).to_have_text("Acknowledged")
    assert line_cells(buyer) == ["40", "30", "0", "0", "0"]
    newest = buyer.locator("#history > li").first
    expect(newest.get_by_test_id("event-title")).to_have_text("Acknowledged")
    expect(newest.get_by_test_id("event-actor")).to_have_text("Roaster")
    expect(newest.locator("[data-testid=event-detail] li")).to_have_text(
        [
            f"line 1: confirmed quantity — → 30; confirmed date — → {confirmed.isoformat()}",
            "ships from PLANT · Roastery",
            "status submitted → acknowledged",
        ]
    )
    expect(buyer.locator("#history > li [data-testid=event-title]")).to_have_text(
        ["Acknowledged", "Submitted", "Created as a draft"]
    )

    # the seller ships the confirmed quantity
    seller.reload()
    ship = seller.locator("#ship-form")
    expect(ship.get_by_label("Quantity to ship of line 1")).to_have_value("30")
    ship.locator("#carrier").fill("Van Dijk Transport")
    ship.locator("#arrival").fill(arrival.isoformat())
    ship.get_by_role("button", name="Ship").click()
    expect(seller.locator("#order-flash")).to_have_text(re.compile(r"Shipment SHP-\d{6} sent\."))
    expect(seller.locator("#order-status")).to_have_text("Shipped")
    shipment = seller.locator("#order-shipments [data-shipment]").first.get_attribute(
        "data-shipment"
    )
    assert shipment is not None

    # the buyer receives two short
    buyer.reload()
    receive = buyer.locator(".receive-form")
    expect(receive.get_by_label("Received quantity of line 1")).to_have_value("30")
    receive.get_by_label("Received quantity of line 1").fill("28")
    receive.get_by_role("button", name=f"Receive {shipment}").click()
    expect(buyer.locator("#order-flash")).to_have_text(re.compile(r"Receipt GR-\d{6} recorded\."))
    assert line_cells(buyer) == ["40", "30", "30", "28", "0"]
    expect(buyer.locator("#order-status")).to_have_text("Shipped")

    # the seller sees the discrepancy, and invoices what arrived
    seller.reload()
    shipped_line = seller.locator(f"[data-shipment='{shipment}'] tbody tr")
    expect(shipped_line.locator("td")).to_have_text(
        ["1", "BLEND · House blend", "—", "30", "28", "0", "short"]
    )
    expect(seller.locator(f"[data-shipment='{shipment}']")).to_contain_text("Van Dijk Transport")
    invoice = seller.locator("#invoice-form")
    expect(invoice.get_by_label("Quantity to invoice of line 1")).to_have_value("30")
    expect(invoice.get_by_label("Unit price of line 1")).to_have_value("12.50")
    invoice.get_by_label("Quantity to invoice of line 1").fill("28")
    invoice.get_by_role("button", name="Issue invoice").click()
    expect(seller.locator("#order-flash")).to_have_text(
        re.compile(r"Invoice INV-\d{6} issued: 350\.00 EUR\.")
    )

    # the buyer sees a matched invoice and pays it, then closes the order
    buyer.reload()
    billed = buyer.locator("#order-invoice-list tbody tr")
    expect(billed).to_have_count(1)
    expect(billed.get_by_test_id("invoice-total")).to_have_text("350.00 EUR")
    expect(billed.get_by_test_id("match-status")).to_have_text("Matched")
    expect(billed.get_by_test_id("invoice-status")).to_have_text("Open")
    expect(billed.get_by_label(re.compile("Amount to pay"))).to_have_value("350.00")
    billed.get_by_role("button", name="Pay").click()
    expect(buyer.locator("#order-flash")).to_have_text("Payment of 350.00 recorded.")
    expect(billed.get_by_test_id("invoice-status")).to_have_text("Paid")
    expect(billed.get_by_test_id("invoice-open")).to_have_text("0.00 EUR")
    assert line_cells(buyer) == ["40", "30", "30", "28", "28"]
    buyer.click("#close-form button")
    expect(buyer.locator("#order-flash")).to_have_text(f"{number} closed.")
    expect(buyer.locator("#order-status")).to_have_text("Closed")

    # both see the same final document
    seller.goto(order_url)
    for page in (buyer, seller):
        expect(page.locator("#order-status")).to_have_text("Closed")
        expect(page.get_by_test_id("invoice-status")).to_have_text("Paid")
    expect(buyer.locator("#no-actions")).to_have_text("This order is closed: nothing more to do.")
    # shipped but not invoiced: the seller may still invoice the 2 that arrived short
    expect(seller.get_by_label("Quantity to invoice of line 1")).to_have_value("2")
    expect(seller.locator("#history > li [data-testid=event-title]")).to_have_text(
        [
            "Closed",
            "Invoiced",
            "Received",
            "Shipped",
            "Acknowledged",
            "Submitted",
            "Created as a draft",
        ]
    )
    received = seller.locator("#history > li").nth(2).locator("[data-testid=event-detail] li")
    expect(received).to_have_text(
        [
            re.compile(rf"receipt GR-\d{{6}} of shipment {shipment}"),
            "line 1: 28 received (short)",
        ]
    )


def test_a_member_who_is_no_party_gets_the_not_found_page(
    signed_in: Callable[[str], Page], web_network: WebNetwork
) -> None:
    buyer = signed_in(web_network.cafe)
    number = create_order(
        buyer, "Roaster", "CAFE-2 · Cafe two", "BLEND · House blend", "5", "12", _today()
    )
    buyer.click("#submit-form button")
    expect(buyer.locator("#order-status")).to_have_text("Submitted")
    order_url = buyer.url

    outsider = signed_in(web_network.beans)
    response = outsider.goto(order_url)

    assert response is not None and response.status == 404
    expect(outsider.locator("h1")).to_have_text("Not found")
    expect(outsider.locator("body")).not_to_contain_text(number)
    outsider.goto("/orders")
    expect(outsider.locator("#outgoing-orders")).to_have_count(0)
    expect(outsider.locator("#incoming-orders")).to_have_count(0)


def test_a_refused_step_is_explained_on_the_order_page(
    signed_in: Callable[[str], Page], web_network: WebNetwork
) -> None:
    """Shipping more than the seller's site holds is refused, and nothing changes."""
    buyer = signed_in(web_network.cafe)
    number = create_order(
        buyer, "Roaster", "CAFE-1 · Cafe one", "BLEND · House blend", "10", "12", _today()
    )
    buyer.click("#submit-form button")
    expect(buyer.locator("#order-status")).to_have_text("Submitted")
    seller = signed_in(web_network.roaster)
    seller.goto(buyer.url)
    seller.locator("#acknowledge-form").get_by_role("button", name="Acknowledge").click()
    expect(seller.locator("#order-flash")).to_have_text(f"{number} acknowledged.")

    seller.locator("#ship-from-site").select_option(label="PLANT · Roastery")
    seller.locator("#ship-form").get_by_role("button", name="Ship").click()

    alert = seller.locator("#order-errors .alert-error")
    expect(alert.locator(".alert-title")).to_have_text("Not enough stock available")
    expect(seller.locator("#order-status")).to_have_text("Acknowledged")
    seller.reload()
    expect(seller.locator("#order-shipments .empty")).to_have_text("Nothing shipped yet.")


def test_the_buyer_asks_for_more_and_the_seller_accepts(
    signed_in: Callable[[str], Page], web_network: WebNetwork
) -> None:
    buyer = signed_in(web_network.cafe)
    later = _today() + timedelta(days=12)
    number = create_order(
        buyer, "Roaster", "CAFE-1 · Cafe one", "BLEND · House blend", "10", "12", _today()
    )
    order_url = buyer.url
    buyer.click("#submit-form button")
    seller = signed_in(web_network.roaster)
    seller.goto(order_url)
    seller.locator("#acknowledge-form").get_by_role("button", name="Acknowledge").click()
    expect(seller.locator("#order-flash")).to_have_text(f"{number} acknowledged.")

    buyer.reload()
    buyer.locator("#change-details summary").click()
    buyer.get_by_label("New quantity of line 1").fill("15")
    buyer.get_by_label("New date of line 1").fill(later.isoformat())
    buyer.fill("#change-reason", "weekend market")
    buyer.locator("#change-form").get_by_role("button", name="Request change").click()
    expect(buyer.locator("#order-flash")).to_have_text("Change requested: the other party decides.")
    expect(buyer.locator("#pending-lines li")).to_have_text(
        [f"line 1: quantity → 15; date → {later.isoformat()}"]
    )
    expect(buyer.locator("#pending-change")).to_contain_text("Waiting for Roaster to decide.")

    seller.goto("/orders")
    waiting = seller.locator("#awaiting-orders tbody tr")
    expect(waiting.get_by_test_id("awaited-action")).to_have_text(["Decide a change request"])
    waiting.get_by_role("link", name=number).click()
    seller.get_by_role("button", name="Accept").click()
    expect(seller.locator("#order-flash")).to_have_text("Change accepted.")
    expect(seller.locator("#pending-change")).to_have_count(0)
    assert line_cells(seller) == ["15", "15", "0", "0", "0"]
    expect(
        seller.locator("#history > li").first.locator("[data-testid=event-detail] li")
    ).to_have_text(
        [
            "line 1: quantity 10 → 15; requested date "
            f"{_today().isoformat()} → {later.isoformat()}; confirmed quantity 10 → 15; "
            f"confirmed date {_today().isoformat()} → {later.isoformat()}"
        ]
    )
