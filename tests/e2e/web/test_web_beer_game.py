"""The beer game in a browser (Sterman 1989, Management Science 35(3), 321-339): one person plays
the retailer against three base-stock bots for all 36 weeks; two people in two browsers must
both order before the week advances.

A retailer who orders exactly the incoming customer demand plays the equilibrium base-stock
policy (level 28: its position is 28 before every order, so it orders what it sold). The board
is then the batch engine's ``BeerGame`` with base stock 28, 28, 28, 24, whose cost 792 is
derived by hand in the engine's tests; the coordinated benchmark is 180.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.web.web_support import WebNetwork

from tandem.planning.simulation import BaseStock, BeerGame, BeerGameBoard

pytestmark = pytest.mark.browser


def _create(page: Page, seats: dict[str, str], mine: str) -> None:
    page.goto("/twin/beer-game")
    for role, choice in seats.items():
        page.select_option(f"#seat-{role}", choice)
    page.select_option("#my-seat", mine)
    page.get_by_test_id("create-game").click()
    expect(page.locator("h1")).to_contain_text("Beer game #")


def _order(page: Page, week: int, quantity: float) -> None:
    page.fill("#quantity", f"{quantity:g}")
    page.get_by_test_id("place-order").click()
    expect(page.locator("#board")).to_have_attribute("data-week", str(week + 1))


def test_a_retailer_against_three_bots_costs_what_the_batch_engine_says(
    signed_in: Callable[[str], Page], web_network: WebNetwork
) -> None:
    batch = BeerGame([BaseStock(s) for s in BeerGameBoard().equilibrium_base_stock()]).run()
    assert batch.total_cost == 792.0
    page = signed_in(web_network.cafe)
    page.get_by_role("link", name="Twin").click()
    expect(page.locator("h1")).to_have_text("The beer game")
    bots = dict.fromkeys(("wholesaler", "distributor", "factory"), "base_stock")
    _create(page, {"retailer": "person", **bots}, "retailer")
    expect(page.locator("#seat-table tr[data-role='factory'] td").nth(1)).to_have_text(
        "base-stock bot"
    )
    cost = 0.0
    for week in range(1, 37):
        expect(page.get_by_test_id("week")).to_have_text(str(week))
        cost += float(batch.weekly_cost[0, week - 1])
        # what the retailer sees is the batch engine's retailer row, week by week
        expect(page.get_by_test_id("my-cost")).to_have_text(f"{cost:.2f}")
        inventory = batch.inventory[0, week - 1]
        expect(page.get_by_test_id("inventory")).to_have_text(f"{inventory:g}")
        demand = float(page.get_by_test_id("incoming-order").inner_text())
        assert demand == (4.0 if week < 5 else 8.0)
        _order(page, week, demand)

    expect(page.locator("#board")).to_have_attribute("data-status", "finished")
    expect(page.get_by_test_id("total-cost")).to_have_text("792.00")
    expect(page.get_by_test_id("benchmark-cost")).to_have_text("180.00")
    expect(page.get_by_test_id("cost")).to_have_text(["330.00", "242.00", "154.00", "66.00"])
    expect(page.get_by_test_id("cost-ratio")).to_have_text("4.4×")
    # the order waves: demand and four echelons, 36 points each
    lines = page.locator("#order-waves polyline")
    expect(lines).to_have_count(5)
    for k in range(5):
        assert len((lines.nth(k).get_attribute("points") or "").split()) == 36


def test_two_people_must_both_order_before_the_week_advances(
    signed_in: Callable[[str], Page], web_network: WebNetwork
) -> None:
    cafe = signed_in(web_network.cafe)
    bots = {"distributor": "sterman", "factory": "sterman"}
    _create(cafe, {"retailer": "person", "wholesaler": "person", **bots}, "retailer")
    expect(cafe.get_by_test_id("waiting")).to_contain_text("every person's seat is taken")
    code = cafe.get_by_test_id("join-code").inner_text()

    roaster = signed_in(web_network.roaster)
    roaster.goto("/twin/beer-game")
    roaster.fill("#join-code", code.lower())
    roaster.select_option("#join-seat", "wholesaler")
    roaster.get_by_test_id("join-game").click()
    expect(roaster.get_by_test_id("week")).to_have_text("1")
    # the café's waiting board polls and brings the order form without a reload
    expect(cafe.get_by_test_id("place-order")).to_be_visible(timeout=5000)
    expect(cafe.locator("#seat-table tr[data-role='wholesaler'] td").nth(1)).to_have_text(
        "Rita Roaster"
    )

    cafe.fill("#quantity", "6")
    cafe.get_by_test_id("place-order").click()
    expect(cafe.get_by_test_id("waiting")).to_have_text("You ordered 6. Waiting for: wholesaler.")
    expect(cafe.get_by_test_id("week")).to_have_text("1")

    roaster.fill("#quantity", "4")
    roaster.get_by_test_id("place-order").click()
    expect(roaster.get_by_test_id("week")).to_have_text("2")
    expect(cafe.get_by_test_id("week")).to_have_text("2", timeout=5000)
    expect(cafe.get_by_test_id("place-order")).to_be_visible()
    # week 2: the retailer sold 4 from 12 + 4, and sees nothing of the wholesaler's books
    expect(cafe.get_by_test_id("inventory")).to_have_text("12")
    expect(cafe.get_by_test_id("my-cost")).to_have_text("12.00")
