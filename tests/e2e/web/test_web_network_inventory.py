"""The network inventory page in a browser, on the hand-checked network of
:mod:`tests.inventory_plan_cases` (tagged per test): the roaster, with its partners' grants,
sees the stage graph, (a)/(b)/(c) side by side, the landed cost per end point and member, the
fair shares, and puts the optimum to the vote.

Numbers (service tests): (a) costs 192.30 a year by hand; the optimum here is (b), all safety
stock at the cafés (43.52 and 40.29 kg, net lead times 7 and 8 days), 150.46 a year.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import replace

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.web.web_support import LiveServer
from tests.inventory_plan_cases import (
    PASSWORD,
    grant_to_roaster,
    plan_ids,
    plan_snapshot,
    store_forecasts,
)

from tandem.domain.identity import Principal
from tandem.services import identity, transfer

pytestmark = pytest.mark.browser


@pytest.fixture
def roaster_email(live_server: LiveServer) -> str:
    """A tagged copy of the plan network with its forecasts and grants; the roaster's e-mail."""
    tag = uuid.uuid4().hex[:10]
    base = plan_snapshot()
    users = tuple(replace(u, email=u.email.replace("@", f"-{tag}@")) for u in base.users)
    ctx = live_server.container.services
    network_id = transfer.import_snapshot(ctx, replace(base, code=f"plan-{tag}", users=users))
    ids = plan_ids(ctx, network_id.network_id)

    def principal(name: str) -> Principal:
        token = identity.login(ctx, f"{name}-{tag}@example.com", PASSWORD).token
        return identity.authenticate_token(ctx, token)

    store_forecasts(ctx, ids)
    grant_to_roaster(ctx, principal("beans"), principal("cafe"), ids.members["ROAST"])
    return f"roaster-{tag}@example.com"


def _cells(page: Page, row: str, testids: tuple[str, ...]) -> list[str]:
    return [page.locator(row).get_by_test_id(t).inner_text() for t in testids]


def test_page_compares_placements_and_proposes_the_optimum(
    signed_in: Callable[[str], Page], roaster_email: str
) -> None:
    page = signed_in(roaster_email)
    page.goto("/coordination")
    page.locator("#network-plan-link").click()
    expect(page.locator("h1")).to_have_text("Network inventory plan")

    expect(page.locator("#stage-graph g[data-stage]")).to_have_count(5)
    expect(page.get_by_test_id("stage-label")).to_have_text(
        ["S=2 · net 0 d", "S=5 · net 0 d", "S=6 · net 0 d", "S=0 · net 7 d", "S=0 · net 8 d"]
    )
    assert _cells(page, "tr[data-policy='buffer_everywhere']", ("ss-value", "holding-cost")) == [
        "769.19",
        "192.3",
    ]
    assert _cells(page, "tr[data-policy='optimal']", ("ss-value", "holding-cost")) == [
        "601.86",
        "150.46",
    ]
    expect(
        page.locator("#member-table tr[data-member='CAFE'] [data-testid='change-a']")
    ).to_have_text("84.77")
    expect(
        page.locator("#member-table tr[data-member='ROAST'] [data-testid='change-a']")
    ).to_have_text("-88.14")
    expect(page.get_by_test_id("landed-total")).to_have_text(["7.22", "7.21"])
    proportional = page.locator("table[data-rule='proportional'] [data-testid='allocated']")
    expect(proportional).to_have_text(["30.1", "68.96", "51.4"])
    shapley = page.locator("table[data-rule='shapley'] [data-testid='allocated']")
    expect(shapley).to_have_text(["29.3", "59.76", "61.41"])
    expect(page.locator("#exclusions")).to_have_text("Every member's stocking points are included.")

    page.fill("#title", "Blend at 95 %")
    page.get_by_test_id("propose").click()
    expect(page).to_have_url(re.compile(r"/coordination/proposals/\d+$"))
    expect(page.locator("h1")).to_have_text("Blend at 95 %")


def test_service_level_form_recomputes_the_plan(
    signed_in: Callable[[str], Page], roaster_email: str
) -> None:
    page = signed_in(roaster_email)
    page.goto("/coordination/network")
    page.fill("#service_level", "0.99")
    page.locator("#plan-form button").click()

    expect(page).to_have_url(re.compile(r"service_level=0\.99"))
    # (a) scales with z: 192.2983 × z(0.99) / z(0.95) = 192.2983 × 2.3263 / 1.6449
    expect(
        page.locator("tr[data-policy='buffer_everywhere'] [data-testid='holding-cost']")
    ).to_have_text("271.97")


def test_without_shared_demand_the_page_explains_what_is_missing(
    signed_in: Callable[[str], Page], live_server: LiveServer
) -> None:
    """Regression: with no demand the viewer may see, the page was the error page
    ("No stocking point with demand"); it is the normal page, its form and what to share."""
    tag = uuid.uuid4().hex[:10]
    base = plan_snapshot()
    users = tuple(replace(u, email=u.email.replace("@", f"-{tag}@")) for u in base.users)
    ctx = live_server.container.services
    transfer.import_snapshot(ctx, replace(base, code=f"plan-{tag}", users=users))

    page = signed_in(f"roaster-{tag}@example.com")
    response = page.goto("/coordination/network")

    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text("Network inventory plan")
    expect(page.locator("#plan-form")).to_be_visible()
    expect(page.get_by_test_id("plan-empty")).to_contain_text(
        "No visible stocking point has a forecast or demand history: nothing to protect."
    )
    expect(page.get_by_test_id("plan-empty").locator("code")).to_have_text(
        ["forecasts", "demand_history", "planning_parameters", "bills_of_materials"]
    )
    expect(page.locator("#stage-graph")).to_have_count(0)
    expect(page.get_by_test_id("propose")).to_have_count(0)
