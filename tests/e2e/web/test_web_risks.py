"""The risk pages in a browser: a risk added by the café shows in its register and heat map, is
invisible to the roaster until the café grants ``risks``; the TTS/TTR table of the test network
shows the hand-checked values and the flag, and a what-if of strategic stock doubles PLANT's TTS.

Hand check (the network of :func:`web_support.web_snapshot`, seen by the café without grants):
demand per day over the last 28 days is exactly the base: LATTE 40 at CAFE-1 and 25 at CAFE-2,
FLATW 15 at CAFE-1. A latte takes 0.018 kg of BLEND, so CAFE-1 uses 0.72 and CAFE-2 0.45 kg a
day. With 7.2 kg BLEND and 150 FLATW at CAFE-1 and 2.25 kg BLEND at CAFE-2, PLANT (to the café
an unlimited source of BLEND and FLATW with no visible stock) can be down for
min(7.2 / 0.72, 150 / 15, 2.25 / 0.45) = min(10, 10, 5) = 5 days: TTS 5 < TTR 7, flagged. Over
7 days CAFE-2 makes 2.25 / 0.018 = 125 of 175 lattes: 50 x 3.5 = 175 EUR lost. The cafés
themselves make no latte while down: CAFE-1 loses 280 x 3.5 = 980 (its FLATW stock lasts),
CAFE-2 175 x 3.5 = 612.5. With 2.25 kg more BLEND at CAFE-2, PLANT's TTS is min(10, 10, 10).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.web.web_support import PASSWORD, LiveServer, WebNetwork, stock_up

from tandem.domain.sharing import DataCategory
from tandem.services import identity, sharing

pytestmark = pytest.mark.browser


def _add_risk(page: Page, title: str) -> None:
    page.goto("/risks")
    page.fill("#r-title", title)
    page.select_option("#r-category", "natural_hazard")
    page.select_option("#r-likelihood", "4")
    page.select_option("#r-impact", "5")
    page.select_option("#r-sites", label="CAFE-1 · Cafe one")
    page.fill("#r-recovery", "12")
    page.get_by_test_id("add-risk").click()


def test_a_risk_added_in_the_browser_is_shown_to_partners_only_with_a_grant(
    signed_in: Callable[[str], Page], web_network: WebNetwork, live_server: LiveServer
) -> None:
    cafe = signed_in(web_network.cafe)

    _add_risk(cafe, "Cafe one flooded")

    row = cafe.locator("#risk-table tbody tr", has_text="Cafe one flooded")
    expect(row.get_by_test_id("risk-score")).to_have_text("20")
    expect(row.get_by_test_id("risk-status")).to_have_text("Open")
    expect(cafe.locator("#heat-map td[data-cell='4-5']")).to_have_text("1")
    expect(cafe.locator("#heat-map td[data-cell='5-4']")).to_have_text("0")
    expect(cafe.get_by_test_id("risk-count")).to_have_text("1")

    roaster = signed_in(web_network.roaster)
    roaster.goto("/risks")
    expect(roaster.locator("#risk-table")).to_have_count(0)
    expect(roaster.locator("#heat-map td[data-cell='4-5']")).to_have_text("0")

    ctx = live_server.container.services
    owner = identity.authenticate_token(ctx, identity.login(ctx, web_network.cafe, PASSWORD).token)
    command = sharing.GrantAccess(web_network.members["ROAST"], DataCategory.RISKS)
    sharing.grant_access(ctx, owner, command)
    roaster.reload()

    expect(roaster.locator("#risk-table tbody tr")).to_have_count(1)
    expect(roaster.locator("#risk-table tbody tr", has_text="Cafe one flooded")).to_be_visible()
    expect(roaster.locator("#heat-map td[data-cell='4-5']")).to_have_text("1")


def test_the_owner_moves_a_risk_and_completes_a_mitigation(
    signed_in: Callable[[str], Page], web_network: WebNetwork
) -> None:
    cafe = signed_in(web_network.cafe)
    _add_risk(cafe, "Milk shortage")
    cafe.locator("#risk-table a", has_text="Milk shortage").click()

    cafe.fill("#m-text", "Second dairy")
    cafe.get_by_role("button", name="Add mitigation").click()
    cafe.locator("#mitigation-table").get_by_role("button", name="Done").click()
    cafe.select_option("#new-status", "mitigating")
    cafe.get_by_role("button", name="Change status").click()

    expect(cafe.locator(".card h2").get_by_test_id("risk-status")).to_have_text("Mitigating")
    expect(cafe.get_by_test_id("mitigation-status")).to_contain_text("Done")
    expect(cafe.locator("#risk-history tbody tr td:nth-child(2)")).to_have_text(
        ["Created", "Mitigation added", "Mitigation completed", "Status changed"]
    )


def _node(page: Page, code: str, cell: str) -> str:
    return page.locator(f"#analysis-table tr[data-site='{code}']").get_by_test_id(cell).inner_text()


def test_the_analysis_table_shows_the_hand_checked_tts_flag_and_what_if(
    signed_in: Callable[[str], Page], web_network: WebNetwork, live_server: LiveServer
) -> None:
    sites, items = web_network.sites, web_network.items
    stock_up(live_server.container, web_network.cafe, sites["CAFE-1"], items["BLEND"], "7.2")
    stock_up(live_server.container, web_network.cafe, sites["CAFE-1"], items["FLATW"], "150")
    stock_up(live_server.container, web_network.cafe, sites["CAFE-2"], items["BLEND"], "2.25")
    cafe = signed_in(web_network.cafe)
    cafe.goto("/risks/analysis")

    cafe.fill("#a-ttr", "7")
    cafe.get_by_test_id("run-analysis").click()

    expect(cafe.locator("#analysis-table tbody tr")).to_have_count(3)
    assert [_node(cafe, "PLANT", c) for c in ("member", "tts", "ttr", "flag", "lost-margin")] == [
        "ROAST",
        "5",
        "7",
        "TTS < TTR",
        "175 EUR",
    ]
    assert [_node(cafe, code, "rank") for code in ("CAFE-1", "CAFE-2", "PLANT")] == ["1", "2", "3"]
    assert _node(cafe, "CAFE-2", "lost-margin") == "612.5 EUR"
    expect(cafe.locator("#left-out")).to_contain_text("Planning parameters")

    cafe.select_option("#x-site", label="CAFE-2")
    cafe.select_option("#x-item", label="BLEND")
    cafe.fill("#x-quantity", "2.25")
    cafe.get_by_test_id("run-analysis").click()

    expect(
        cafe.locator("#analysis-table tr[data-site='PLANT']").get_by_test_id("tts-after")
    ).to_have_text("10")
    assert _node(cafe, "PLANT", "tts") == "5"
    assert _node(cafe, "PLANT", "lost-after") == "0 EUR"
