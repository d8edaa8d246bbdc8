"""The routes map and the load planner in a real browser, on the hand-checked freight world
(``tests/services/logistics_world.py``, numbers worked out in
``tests/services/test_logistics_planning.py``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from tests.services.logistics_world import MONDAY, FreightWorld, email, freight_world, order

from tandem.bootstrap import Container


@pytest.fixture
def freight(web_container: Container) -> tuple[FreightWorld, str]:
    tag = uuid.uuid4().hex[:10]
    world = freight_world(web_container.services, cost_per_km=1.0, tag=tag)
    for shop, bags in (("SHOP-A", 50), ("SHOP-B", 60), ("SHOP-C", 30)):
        order(world, shop, [("BAG", bags, MONDAY)], from_site="DEPOT")
    order(world, "DC", [("BAG", 60, MONDAY + timedelta(days=2))])
    return world, tag


def test_planned_routes_show_on_the_map_with_their_stops_in_order(
    freight: tuple[FreightWorld, str], signed_in: Callable[[str], Page]
) -> None:
    _, tag = freight
    page = signed_in(email("ship", tag))
    page.goto("/logistics/routes?depot=DEPOT&day=2026-11-23")
    expect(page.locator("#no-routes")).to_be_visible()
    page.click("#plan-routes")
    # Two vans: SHOP-A alone (2 x 14.455 km = 28.9) and SHOP-B with SHOP-C (75.7), 104.6 km;
    # 300 + 104.60 = 404.60 (tests/services/test_logistics_planning.py).
    expect(page.locator("#routes-summary")).to_have_text("2 routes, 104.6 km, cost 404.60")
    expect(page.locator("#routes-map polyline.route-line")).to_have_count(2)
    expect(page.locator("#routes-map g.route-stop")).to_have_count(3)
    cards = page.locator("section.route-card")
    rows = [
        [cell.strip() for cell in row.split("\t")]
        for k in range(cards.count())
        for row in cards.nth(k).locator("tbody tr").all_inner_texts()
    ]
    first_rows = sorted((r[0], r[1], r[2], r[4]) for r in rows)
    # SHOP-A: leave 06:45, arrive 07:00 as it opens, 14.5 km out. The two-drop van reaches
    # whichever of B (28.9 km) or C (14.5 km) it visits first at 07:00 too.
    assert ("1", "SHOP-A", "07:00", "14.5") in first_rows
    assert sorted(r[1] for r in rows) == ["SHOP-A", "SHOP-B", "SHOP-C"]
    assert sorted(r[4] for r in rows if r[1] != "SHOP-A") in (["14.5", "32.3"], ["28.9", "32.3"])


def test_the_load_planner_shows_loads_with_utilisation_bars(
    freight: tuple[FreightWorld, str], signed_in: Callable[[str], Page]
) -> None:
    _, tag = freight
    page = signed_in(email("ship", tag))
    page.goto("/logistics/plan")
    page.fill("#p-from", "2026-11-23")
    page.fill("#p-to", "2026-11-27")
    page.fill("#p-window", "3")
    page.click("#plan-form button[type=submit]")
    # Depot vans to the shops (164.46, 178.91, 164.46) and line A to the DC by air (180: the
    # van would cost 150 + 88.99): 687.83 (tests/e2e/test_api_logistics_planning.py).
    expect(page.locator("#plan-summary")).to_contain_text("4 loads, cost 687.83")
    expect(page.locator("#plan-loads tbody tr")).to_have_count(4)
    row = page.locator("#plan-loads tbody tr", has_text="DEPOT → SHOP-B")
    expect(row.locator("td.utilisation").first).to_contain_text("60%")
