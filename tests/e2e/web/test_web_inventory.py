"""The inventory page: exact stock positions per site as goods move between members, the
movements of a position, partners' positions through a grant, and movements entered by hand."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect
from tests.e2e.web.web_support import LiveServer, WebNetwork, order_flow

pytestmark = pytest.mark.browser

FIGURES = ("on-hand", "allocated", "in-transit", "available")


def position(page: Page, table: str, sku: str) -> Locator:
    return page.locator(f"#{table} tr[data-item='{sku}']")


def figures(row: Locator) -> list[str]:
    return [row.get_by_test_id(name).inner_text() for name in FIGURES]


def test_positions_follow_a_shipment_and_its_receipt_exactly(
    signed_in: Callable[[str], Page], web_network: WebNetwork, live_server: LiveServer
) -> None:
    due = datetime.now(UTC).date() + timedelta(days=5)
    order_id = order_flow(live_server.container, web_network, due)  # 30 shipped, in transit
    cafe = signed_in(web_network.cafe)
    roaster = signed_in(web_network.roaster)

    cafe.goto("/inventory")
    expect(position(cafe, "positions-CAFE-1", "BLEND")).to_be_visible()
    assert figures(position(cafe, "positions-CAFE-1", "BLEND")) == ["0 kg", "0", "30", "0"]
    roaster.goto("/inventory")
    assert figures(position(roaster, "positions-PLANT", "BLEND")) == ["70 kg", "0", "0", "70"]

    cafe.goto(f"/orders/{order_id}")
    receive = cafe.locator(".receive-form")
    receive.get_by_label("Received quantity of line 1").fill("28")
    receive.get_by_label("Damaged quantity of line 1").fill("1.5")
    receive.get_by_role("button", name="Receive").click()
    expect(cafe.locator("#order-flash")).to_contain_text("recorded.")

    cafe.goto("/inventory")
    row = position(cafe, "positions-CAFE-1", "BLEND")
    assert figures(row) == ["26.5 kg", "0", "0", "26.5"]
    row.get_by_role("link", name="Movements").click()
    movements = cafe.locator("#movement-list tbody tr")
    expect(movements).to_have_count(1)
    expect(movements.locator("td:not(:first-child)")).to_have_text(
        ["Receipt", "+26.5", "L-7", re.compile(r"receipt:\d+"), "—"]
    )


def test_a_partner_sees_positions_only_through_a_grant(
    signed_in: Callable[[str], Page], web_network: WebNetwork, live_server: LiveServer
) -> None:
    due = datetime.now(UTC).date() + timedelta(days=5)
    order_flow(live_server.container, web_network, due, received="30")
    roaster = signed_in(web_network.roaster)
    roaster.goto("/inventory")
    expect(roaster.get_by_test_id("partner-stock-not-shared")).to_be_visible()

    cafe = signed_in(web_network.cafe)
    cafe.goto("/sharing")
    cafe.select_option("#grantee", label="Roaster")
    cafe.select_option("#category", value="inventory_positions")
    cafe.click("#grant-form button[type=submit]")
    expect(cafe.locator("#sharing-flash")).to_contain_text("inventory positions")

    roaster.reload()
    expect(roaster.get_by_test_id("partner-stock-not-shared")).to_have_count(0)
    shared = position(roaster, "partner-positions-CAFE-1", "BLEND")
    assert figures(shared) == ["30 kg", "0", "0", "30"]
    expect(roaster.locator("#partner-positions h3")).to_have_text(["CAFE-1 Cafe one · Cafe chain"])


def test_a_movement_recorded_by_hand_changes_the_position(
    signed_in: Callable[[str], Page], web_network: WebNetwork
) -> None:
    cafe = signed_in(web_network.cafe)
    cafe.goto("/inventory")
    expect(cafe.locator("#own-positions .empty")).to_have_text(
        "No stock recorded at your sites yet."
    )

    def record(kind: str, quantity: str) -> None:
        cafe.goto("/inventory")
        cafe.select_option("#movement-site", label="CAFE-2 · Cafe two")
        cafe.select_option("#movement-item", label="LATTE · Latte")
        cafe.select_option("#movement-kind", value=kind)
        cafe.fill("#movement-quantity", quantity)
        cafe.fill("#movement-reference", f"count-{kind}")
        cafe.click("#movement-form button[type=submit]")

    record("receipt", "120")
    record("adjustment", "-2.25")

    assert figures(position(cafe, "positions-CAFE-2", "LATTE")) == [
        "117.75 cup",
        "0",
        "0",
        "117.75",
    ]
    expect(cafe.locator("#movement-list tbody tr td:nth-child(2)")).to_have_text(
        ["Adjustment", "Receipt"]
    )
    expect(cafe.locator("#movement-list tbody tr td:nth-child(3)")).to_have_text(["-2.25", "+120"])

    record("issue", "500")

    alert = cafe.locator("#movement-errors .alert-error")
    expect(alert.locator(".alert-title")).to_have_text("Not enough stock available")
    expect(cafe.locator("#movement-quantity")).to_have_value("500")
    assert figures(position(cafe, "positions-CAFE-2", "LATTE"))[0] == "117.75 cup"
