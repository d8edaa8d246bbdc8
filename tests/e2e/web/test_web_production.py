"""The production pages in a browser: a resource and a routing added through the forms, the
resource load chart of a run, the Gantt chart of a schedule made with the button, and a promise.

Hand check (as in tests/services/test_production_scheduling.py): the roaster works 8 h = 480
working minutes a day on weekdays; day 0 is the first weekday from today (the live server's
clock). A = BLEND 30 (1 h + 30 x 0.2 h = 420 min, family red) due day 0 (minute 480); C = BLEND
20 (300 min, red) and B = DECAF 10 (240 min, blue) due day 1 (960); changing family takes 0.5 h.
The unique optimum is A 0-420, C 420-720, setup 30, B 750-990: B runs from day 1 at 10:30 to
day 2 at 06:30, 30 minutes late. A promise of BLEND 5 (120 min) cannot fit before any booked
order without delaying it: after B, setup 30, 1020-1140 = day 2 at 09:00.

Load: a daily run from Monday 2026-11-23 with three BLEND orders of 10 (3 h each) released
Tuesday and due Wednesday: Tuesday carries 9 h against 8 (red), the others nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.web.web_support import LiveServer, WebNetwork

from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.domain.network import Item
from tandem.domain.planning_runs import (
    PlanBucket,
    PlannedOrderRow,
    PlanningRun,
    RunKind,
    RunStatus,
)
from tandem.domain.production import ProductionOrder, ProductionOrderStatus, RoutingOperation
from tandem.services import production

pytestmark = pytest.mark.browser

MONDAY = date(2026, 11, 23)


def _working_days(count: int) -> list[date]:
    day, found = datetime.now(UTC).date(), list[date]()
    while len(found) < count:
        if day.weekday() < 5:
            found.append(day)
        day += timedelta(days=1)
    return found


def _iso(day: date, hour: int, minute: int = 0) -> str:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC).isoformat()


def _add_resource_and_routing(page: Page) -> None:
    page.goto("/production/resources")
    page.fill("#r-code", "ROASTER")
    page.fill("#r-name", "Drum roaster")
    page.select_option("#r-site", label="PLANT")
    page.fill("#r-hours", "8")
    page.fill("#r-co", "0.5")
    page.click("#resource-form button[type=submit]")
    expect(page.locator("#resources tr[data-resource='ROASTER'] td").nth(4)).to_have_text("8")
    page.select_option("#g-item", label="BLEND")
    page.select_option("#g-site", label="PLANT")
    page.fill("#g-setup", "1")
    page.fill("#g-run", "0.2")
    page.fill("#g-family", "red")
    page.click("#routing-form button[type=submit]")
    expect(page.locator("#routings tr[data-routing='BLEND']")).to_contain_text("1 h + 0.2 h/unit")


def _seed(live_server: LiveServer, net: WebNetwork) -> dict[str, int]:
    """DECAF (blue) on the same roaster, the three released orders and the run to load."""
    ctx = live_server.container.services
    roast, plant = net.members["ROAST"], net.sites["PLANT"]
    with ctx.uow() as uow:
        network_id = uow.sites.get(plant).network_id  # type: ignore[union-attr]
        decaf = uow.items.add(Item(0, network_id, roast, "DECAF", "Decaf", "kg", 14.0)).id
        roaster = uow.resources.find(member_id=roast)[0]
        uow.commit()
    who = Principal(roast, network_id, "test", ALL_SCOPES)
    spec = production.RoutingSpec(decaf, plant, (RoutingOperation(roaster.id, 0.0, 0.4),), "blue")
    production.create_routing(ctx, who, spec)
    day0, day1, _ = _working_days(3)
    now = datetime.now(UTC)
    ids = {}
    with ctx.uow() as uow:
        for name, item, quantity, due in (("A", net.items["BLEND"], 30, day0),
                                          ("B", decaf, 10, day1),
                                          ("C", net.items["BLEND"], 20, day1)):  # fmt: skip
            ids[name] = uow.production_orders.add(ProductionOrder(
                0, network_id, roast, item, plant, quantity, due,
                ProductionOrderStatus.RELEASED, now,
            )).id  # fmt: skip
        run = uow.planning_runs.add(PlanningRun(
            0, network_id, roast, RunKind.LIVE, RunStatus.SUCCEEDED, MONDAY, 5, PlanBucket.DAY,
            [], now, 1.0,
        ))  # fmt: skip
        for k in range(3):
            uow.planned_orders.add(PlannedOrderRow(
                0, run.id, roast, f"BLEND@PLANT#{k + 1}", net.items["BLEND"], plant,
                "production", date(2026, 11, 24), date(2026, 11, 25), 10.0, 10.0,
            ))  # fmt: skip
        uow.commit()
    ids["run"] = run.id
    return ids


def test_load_chart_gantt_and_promise_show_the_hand_checked_numbers(
    signed_in: Callable[[str], Page], web_network: WebNetwork, live_server: LiveServer
) -> None:
    page = signed_in(web_network.roaster)
    _add_resource_and_routing(page)
    ids = _seed(live_server, web_network)

    page.goto(f"/production/load?run={ids['run']}")
    tuesday = page.locator("svg[data-resource='ROASTER'] rect[data-bucket='2026-11-24']")
    expect(tuesday).to_have_attribute("data-load", "9.0")
    expect(tuesday).to_have_attribute("data-capacity", "8.0")
    expect(tuesday).to_have_class("load-bar overloaded")
    monday = page.locator("svg[data-resource='ROASTER'] rect[data-bucket='2026-11-23']")
    expect(monday).to_have_attribute("data-load", "0.0")
    overload = page.locator("#overloads tr[data-bucket='2026-11-24']")
    expect(overload.locator("td").nth(4)).to_have_text("1")
    expect(overload.locator(".order-ref")).to_have_count(3)

    page.goto("/production/schedule")
    expect(page.locator("#no-schedule")).to_be_visible()
    page.click("#schedule-button")
    day0, day1, day2 = _working_days(3)
    bar_b = page.locator(f"#gantt rect.gantt-bar[data-order='{ids['B']}']")
    expect(bar_b).to_have_attribute("data-start", _iso(day1, 10, 30))
    expect(bar_b).to_have_attribute("data-end", _iso(day2, 6, 30))
    expect(bar_b).to_have_attribute("data-start-minute", "750")
    expect(bar_b).to_have_class("gantt-bar tardy")
    expect(page.locator(f"#gantt rect.setup[data-order='{ids['B']}']")).to_have_attribute(
        "data-setup-minutes", "30"
    )
    bar_a = page.locator(f"#gantt rect.gantt-bar[data-order='{ids['A']}']")
    expect(bar_a).to_have_attribute("data-start", _iso(day0, 6))
    expect(bar_a).to_have_attribute("data-end", _iso(day0, 13))
    expect(page.locator(f"#scheduled-orders tr[data-order='{ids['B']}'] td").nth(5)).to_have_text(
        "30"
    )

    page.goto("/production/ctp")
    page.select_option("#c-routing", label="BLEND @ PLANT")
    page.fill("#c-quantity", "5")
    page.fill("#c-date", day2.isoformat())
    page.click("#ctp-form button[type=submit]")
    result = page.locator("#ctp-result")
    expect(result).to_have_attribute("data-earliest", _iso(day2, 9))
    expect(result).to_have_attribute("data-on-time", "yes")
