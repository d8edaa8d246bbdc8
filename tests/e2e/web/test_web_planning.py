"""The planning pages in a browser: a run started from the page executes in a worker process,
its grid, pegging and requisitions show the hand-worked plan, a requisition becomes a draft
purchase order, a what-if run is compared with the live plan, and the bean importer sees the
roaster's plan only with a ``production_plans`` grant.

Hand-worked plan (weekly buckets from Monday 2026-11-23, 4 weeks, every day a working day).
The café orders 100 kg of BLEND for Tuesday 2026-12-01 (week 1): the roaster's sales order.

* BLEND@PLANT: nothing on hand, no safety stock, lead time 0: gross 100 in week 1, a planned
  production order of 100 due and released in week 1 (2026-11-30); projected available 0.
* GREEN@PLANT (1.18 kg per kg of BLEND, safety stock 10; the importer's offer: lead time 7 days
  = one bucket, MOQ 100, multiple 25, 4.00 EUR from 0 kg and 3.80 EUR from 120 kg): gross
  100 x 1.18 = 118 in week 1. The fence is week 1 (an order released now arrives then), so
  week 0 keeps projected available 0, below the safety stock of 10 (flagged; a
  ``below_safety_stock`` message). Week 1 needs 118 + 10 = 128, raised past the MOQ and rounded
  up to the multiple: 150 due 2026-11-30, released 2026-11-23; projected available
  0, 150 - 118 = 32, 32, 32.
* Pegging of the 150: 118 enable the BLEND order (100 of it), which serves the café's order
  line; 32 serve no demand (safety stock and lot-size remainder). End pegging: 118 to the order
  line, 32 to nothing.
* Requisition: 150 reaches the 120 kg break: 150 x 3.80 = 570.00 EUR, to be ordered by
  2026-11-30 - 7 days = 2026-11-23.
* What-if ``demand_scale`` x 2: BLEND 200 in week 1; GREEN 236 + 10 = 246 -> 250. Against the
  live plan, week of 2026-11-30: BLEND 100 -> 200, GREEN 150 -> 250, both +100.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

import httpx
import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect
from tests.e2e.web.web_support import PASSWORD, LiveServer, WebNetwork

from tandem.domain.identity import Principal
from tandem.domain.network import PlanningParameters
from tandem.domain.planning_runs import RunKind, RunStatus
from tandem.domain.sharing import DataCategory
from tandem.domain.sourcing import PriceBreak, SupplierOffer
from tandem.services import identity, planning, sharing, sourcing, stocking
from tandem.services import purchase_orders as po

pytestmark = pytest.mark.browser

AS_OF = date(2026, 11, 23)
RUN_WAIT_MS = 120_000  # the first run starts the worker process


@pytest.fixture(scope="module", autouse=True)
def _stop_workers(web_app: FastAPI) -> Iterator[None]:
    """The live server runs without lifespan: stop the planning worker processes here."""
    yield
    pool = getattr(web_app.state, "planning_pool", None)
    if pool is not None:
        pool.shutdown()


def _principal(live_server: LiveServer, email: str) -> Principal:
    ctx = live_server.container.services
    return identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)


def _set_up(live_server: LiveServer, net: WebNetwork) -> str:
    """GREEN stocked at PLANT, the importer's offer, the café's order; returns the order line's
    reference (the end demand of the pegging)."""
    ctx = live_server.container.services
    roaster, cafe = (_principal(live_server, e) for e in (net.roaster, net.cafe))
    green, plant = net.items["GREEN"], net.sites["PLANT"]
    stocking.set_item_site(ctx, roaster, green, plant, PlanningParameters(safety_stock=10.0))
    offer = SupplierOffer(
        0, 0, 0, net.members["BEANS"], green, 7.0, net.sites["PORT"], 100.0, 25.0,
        (PriceBreak(0.0, 400), PriceBreak(120.0, 380)),
    )  # fmt: skip
    sourcing.create_offer(ctx, roaster, offer)
    line = po.OrderLineInput(net.items["BLEND"], Decimal("100"), 1200, date(2026, 12, 1))
    order = po.create_order(
        ctx, cafe, po.CreatePurchaseOrder(net.members["ROAST"], net.sites["CAFE-1"], (line,))
    ).order
    po.submit_order(ctx, cafe, order.id)
    return f"{order.number}/1"


def _run_inline(live_server: LiveServer, email: str, **changes: object) -> int:
    """A run executed in this process (for the tests that are not about starting one)."""
    ctx = live_server.container.services
    command = planning.StartRun(horizon_buckets=4, as_of=AS_OF, **changes)  # type: ignore[arg-type]
    run = planning.start_run(ctx, _principal(live_server, email), command)
    assert planning.execute_run(ctx, run.id).status is RunStatus.SUCCEEDED
    return run.id


def _cells(page: Page, row: str) -> list[str]:
    return page.locator(f"#grid tr[data-row={row}] td").all_inner_texts()


def test_a_run_started_in_the_browser_plans_pegs_and_converts(
    signed_in: Callable[[str], Page], live_server: LiveServer, web_network: WebNetwork
) -> None:
    order_line = _set_up(live_server, web_network)
    page = signed_in(web_network.roaster)
    page.get_by_role("link", name="Planning").click()
    expect(page.locator("#runs")).to_contain_text("No planning runs yet")

    # a what-if scenario naming unknown codes: one message per offending delta and field
    page.select_option("#run-kind", value="what_if")
    page.fill(
        "#run-scenario",
        '[{"type": "demand_scale", "item": "NOPE", "factor": 2},'
        ' {"type": "lead_time", "supplier": "NOBODY", "add_days": 3}]',
    )
    page.get_by_test_id("start-run").click()
    expect(page.locator("#start-errors li")).to_have_text(
        [
            "scenario[0] · item: unknown item 'NOPE'",
            "scenario[1] · supplier: unknown supplier 'NOBODY'",
        ]
    )

    page.select_option("#run-kind", value="live")
    page.fill("#run-scenario", "")
    page.fill("#run-horizon", "4")
    page.fill("#run-as-of", AS_OF.isoformat())
    page.get_by_test_id("start-run").click()
    expect(page).to_have_url(re.compile(r"/planning/runs/\d+$"))
    expect(page.get_by_test_id("run-status")).to_have_text("Succeeded", timeout=RUN_WAIT_MS)
    expect(page.get_by_test_id("live-plan")).to_be_visible()
    expect(page.get_by_test_id("count-orders")).to_have_text("2")
    expect(page.get_by_test_id("exception-message")).to_have_text(
        [
            "Projected available of GREEN@PLANT is 0 in 2026-W48, below the safety stock of 10; "
            "with a lead time of 7 working days a new order can arrive in 2026-W49 at the "
            "earliest."
        ]
    )
    run_url = page.url
    page.select_option("#code", value="expedite")
    page.locator("#exception-filter button").click()
    expect(page.locator("#exceptions")).to_contain_text("No exception messages of this code.")
    page.select_option("#code", value="below_safety_stock")
    page.locator("#exception-filter button").click()
    expect(page.locator("#exception-table tbody tr")).to_have_count(1)

    page.locator("#item-site-table tr[data-item-site='GREEN@PLANT'] a").click()
    expect(page.locator("h1")).to_have_text("GREEN · Green beans @ PLANT · Roastery")
    assert _cells(page, "gross_requirements") == ["0", "118", "0", "0"]
    assert _cells(page, "projected_available") == ["0", "32", "32", "32"]
    assert _cells(page, "planned_receipts") == ["0", "150", "0", "0"]
    assert _cells(page, "planned_releases") == ["150", "0", "0", "0"]
    assert _cells(page, "safety_stock") == ["10", "10", "10", "10"]
    flagged = page.locator("#grid td[data-flag]")
    expect(flagged).to_have_count(1)
    expect(flagged).to_have_attribute("data-flag", "below-safety")
    expect(flagged).to_have_attribute("data-bucket", "0")
    order = page.locator("#order-table tr[data-order='GREEN@PLANT#1']")
    assert order.locator("td").all_inner_texts()[:8] == [
        "GREEN@PLANT#1", "Purchase", "2026-11-23", "2026-11-30", "150", "150", "Bean importer", "—"
    ]  # fmt: skip

    order.get_by_test_id("pegging-link").click()
    detail = page.locator("#pegging #pegging-detail")
    expect(detail).to_be_visible()

    def table(name: str) -> list[list[str]]:
        rows = detail.locator(f"#{name} tbody tr")
        return [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]

    assert table("one-level-pegs") == [
        ["118", "parent order BLEND@PLANT#1", "100"],
        ["32", "safety stock or lot-size remainder", "—"],
    ]
    assert table("end-pegging") == [
        ["—", "safety stock or lot-size remainder", "32"],
        [order_line, "order line", "118"],
    ]
    expect(page).to_have_url(re.compile(r"/planning/runs/\d+/item-sites/\d+$"))  # in place

    page.goto(run_url)
    page.get_by_test_id("requisitions-link").click()
    beans = page.locator("section[data-supplier=BEANS]")
    expect(beans.get_by_test_id("requisition-total")).to_have_text("570.00 EUR")
    line = beans.locator("tr[data-line='GREEN@PLANT#1']")
    expect(line.get_by_test_id("line-quantity")).to_have_text("150")
    expect(line.get_by_test_id("unit-price")).to_have_text("3.80 EUR")
    expect(line.get_by_test_id("order-by")).to_have_text("2026-11-23")
    beans.get_by_test_id("convert").click()

    expect(page).to_have_url(re.compile(r"/orders/\d+$"))
    order_id = int(page.url.rsplit("/", 1)[1])
    ctx = live_server.container.services
    placed = po.get_order(ctx, _principal(live_server, web_network.roaster), order_id)
    assert (placed.order.status.value, placed.order.seller_member_id) == (
        "draft", web_network.members["BEANS"]
    )  # fmt: skip
    assert [(x.item_id, x.quantity, x.unit_price_minor) for x in placed.lines] == [
        (web_network.items["GREEN"], Decimal("150"), 380)
    ]


def test_a_what_if_run_is_compared_with_the_live_plan_by_week(
    signed_in: Callable[[str], Page], live_server: LiveServer, web_network: WebNetwork
) -> None:
    _set_up(live_server, web_network)
    live = _run_inline(live_server, web_network.roaster)
    scenario = ({"type": "demand_scale", "item": "BLEND", "factor": 2},)
    what_if = _run_inline(live_server, web_network.roaster, kind=RunKind.WHAT_IF, scenario=scenario)
    page = signed_in(web_network.roaster)
    page.goto("/planning")
    expect(
        page.locator(f"#run-table tr[data-run='{live}']").get_by_test_id("live-plan")
    ).to_be_visible()
    expect(
        page.locator(f"#run-table tr[data-run='{what_if}'] [data-testid=live-plan]")
    ).to_have_count(0)

    page.goto(f"/planning/runs/{live}")
    page.select_option("#compare-with", value=str(what_if))
    page.locator("#compare-form button").click()
    rows = page.locator("#comparison-table tbody tr")
    expect(rows).to_have_count(2)
    assert [rows.nth(i).locator("td").all_inner_texts() for i in range(2)] == [  # by item id
        ["GREEN · Green beans", "PLANT · Roastery", "2026-11-30", "150", "250", "+100"],
        ["BLEND · House blend", "PLANT · Roastery", "2026-11-30", "100", "200", "+100"],
    ]


def test_the_supplier_sees_the_plan_only_with_a_grant_and_commits_capacity(
    signed_in: Callable[[str], Page],
    http: Callable[[str | None], httpx.Client],
    live_server: LiveServer,
    web_network: WebNetwork,
) -> None:
    _set_up(live_server, web_network)
    run_id = _run_inline(live_server, web_network.roaster)
    supplier = signed_in(web_network.beans)
    supplier.goto("/planning/shared")
    expect(supplier.get_by_test_id("no-shared-plans")).to_be_visible()
    assert http(web_network.beans).get(f"/planning/runs/{run_id}").status_code == 404

    ctx = live_server.container.services
    roaster = _principal(live_server, web_network.roaster)
    grant = sharing.GrantAccess(web_network.members["BEANS"], DataCategory.PRODUCTION_PLANS)
    sharing.grant_access(ctx, roaster, grant)

    supplier.reload()
    week = supplier.locator("[data-buyer=ROAST] tr[data-week='GREEN 2026-11-30']")
    expect(week.get_by_test_id("planned-quantity")).to_have_text("150")
    expect(week.get_by_test_id("committed-quantity")).to_have_text("—")
    week.get_by_label("Quantity").fill("120")
    week.get_by_label("Note").fill("one lot")
    week.get_by_test_id("commit").click()
    expect(week.get_by_test_id("committed-quantity")).to_have_text("120")
    assert http(web_network.beans).get(f"/planning/runs/{run_id}").status_code == 404
    forged = {
        "buyer_member_id": str(web_network.members["ROAST"]),
        "item_id": str(web_network.items["GREEN"]), "week_start": "2026-11-30", "quantity": "999",
    }  # fmt: skip
    rejected = http(web_network.beans).post("/planning/shared/commitments", data=forged)
    assert rejected.status_code == 403  # no CSRF token: nothing committed
    supplier.reload()
    expect(week.get_by_test_id("committed-quantity")).to_have_text("120")

    buyer = signed_in(web_network.roaster)
    buyer.goto("/planning/shared")
    expect(buyer.locator("#your-commitments tbody tr")).to_have_text(
        [re.compile(r"Bean importer\s*GREEN · Green beans\s*2026-11-30\s*150\s*120\s*one lot")]
    )
