"""The coordination pages in a browser: two members see their shares before voting, approve
one after the other, and the stocking points take the adopted stock; or one rejects.

The proposal is created through the service (the worked example of :mod:`tests.proposal_cases`:
the roaster receives 69.30 and ends at 50.70 against 60 alone; the café chain pays 69.30 and
ends at 118.30 against 140 alone).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.web.web_support import PASSWORD, LiveServer, WebNetwork
from tests.proposal_cases import coffee_draft, coffee_points, set_before

from tandem.domain.identity import Principal
from tandem.services import identity, proposals, stocking

pytestmark = pytest.mark.browser


def _principal(live_server: LiveServer, email: str) -> Principal:
    ctx = live_server.container.services
    return identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)


@pytest.fixture
def proposal_id(live_server: LiveServer, web_network: WebNetwork) -> int:
    ctx = live_server.container.services
    owners = {
        "ROAST": _principal(live_server, web_network.roaster),
        "CAFE": _principal(live_server, web_network.cafe),
    }
    set_before(ctx, owners, web_network.items, web_network.sites)
    points = coffee_points(ctx, owners["ROAST"].network_id)
    return proposals.create_proposal(ctx, owners["ROAST"], coffee_draft(points)).id


def _open(page: Page, proposal_id: int) -> None:
    page.goto("/coordination")
    row = page.locator(f"#proposal-table tr[data-proposal='{proposal_id}']")
    expect(row.get_by_test_id("proposal-status")).to_have_text("Open")
    row.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("Coffee network at 95 %")


def _share(page: Page, member_code: str) -> list[str]:
    row = page.locator(f"#share-table tr[data-member='{member_code}']")
    cells = ("cost-a", "cost-c", "transfer", "cost-after", "member-vote")
    return [row.get_by_test_id(cell).inner_text() for cell in cells]


def test_two_approvals_in_the_browser_adopt_the_proposal(
    signed_in: Callable[[str], Page],
    web_network: WebNetwork,
    live_server: LiveServer,
    proposal_id: int,
) -> None:
    roaster = signed_in(web_network.roaster)
    _open(roaster, proposal_id)
    # every member sees every member's share before voting
    assert _share(roaster, "ROAST") == ["60", "120", "+69.30", "50.7", "pending"]
    assert _share(roaster, "CAFE") == ["140", "49", "-69.30", "118.3", "pending"]
    assert _share(roaster, "BEANS") == ["0", "0", "+0.00", "0", "not affected"]
    expect(roaster.get_by_test_id("saving")).to_have_text("31 EUR")
    # the roaster reads its own stocking point; the café chain's two are aggregated
    expect(roaster.locator("#placement-table tbody tr")).to_have_count(1)
    expect(roaster.locator("#placement-table").get_by_test_id("safety-stock")).to_have_text(
        "25 → 50"
    )
    expect(roaster.locator("#hidden-table tr[data-member='CAFE'] td")).to_have_text(
        ["Cafe chain", "2", "2", "49"]
    )

    roaster.fill("#comment", "fine by the roastery")
    roaster.get_by_test_id("approve").click()

    expect(roaster.get_by_test_id("proposal-status")).to_have_text("Open")
    expect(roaster.get_by_test_id("pending")).to_have_text("Still to vote: Cafe chain.")
    expect(roaster.locator("#vote-form")).to_have_count(0)
    cafe = signed_in(web_network.cafe)
    _open(cafe, proposal_id)
    assert _share(cafe, "ROAST")[-1] == "Approve"

    cafe.get_by_test_id("approve").click()

    expect(cafe.get_by_test_id("proposal-status")).to_have_text("Adopted")
    expect(cafe.locator("#event-table td:nth-child(2)")).to_have_text(
        ["Created", "Voted", "Voted", "Adopted"]
    )
    expect(cafe.locator("#event-table tr", has_text="Adopted").locator("td").nth(3)).to_have_text(
        "parameters written to 3 stocking points"
    )
    cafe.goto(f"/sites/{web_network.sites['CAFE-1']}")
    latte = cafe.locator("#stocking-points tbody tr", has_text="LATTE")
    # service level, review days, safety stock, reorder point, order-up-to
    expect(latte.locator("td.num").nth(0)).to_have_text("95 %")
    expect(latte.locator("td.num").nth(2)).to_have_text("40")
    expect(latte.locator("td.num").nth(4)).to_have_text("100")
    ctx, owner = live_server.container.services, _principal(live_server, web_network.roaster)
    plant_blend = coffee_points(ctx, owner.network_id).plant_blend
    point = stocking.get_item_site(ctx, owner, plant_blend)
    assert (point.parameters.safety_stock, point.parameters.order_up_to_level) == (50.0, 95.0)


def test_one_rejection_in_the_browser_rejects_and_changes_no_stock(
    signed_in: Callable[[str], Page], web_network: WebNetwork, proposal_id: int
) -> None:
    cafe = signed_in(web_network.cafe)
    _open(cafe, proposal_id)

    cafe.fill("#comment", "too little at CAFE-2")
    cafe.get_by_test_id("reject").click()

    expect(cafe.get_by_test_id("proposal-status")).to_have_text("Rejected")
    expect(cafe.locator("#event-table tr", has_text="Voted").locator("td").nth(3)).to_have_text(
        "rejected — “too little at CAFE-2”"
    )
    roaster = signed_in(web_network.roaster)
    roaster.goto(f"/coordination/proposals/{proposal_id}")
    expect(roaster.locator("#vote-form")).to_have_count(0)
    expect(roaster.locator("#withdraw-form")).to_have_count(0)
    roaster.goto(f"/sites/{web_network.sites['PLANT']}")
    blend = roaster.locator("#stocking-points tbody tr", has_text="BLEND")
    expect(blend.locator("td.num").nth(2)).to_have_text("25")
    roaster.goto("/coordination?status=rejected")
    expect(roaster.locator("#proposal-table tbody tr")).to_have_count(1)
    expect(roaster.get_by_test_id("proposal-status")).to_have_text(re.compile("Rejected"))
