"""The sharing page, and what a partner sees of the owner's data through grants."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.web.web_support import WebNetwork

pytestmark = pytest.mark.browser


def _grant(page: Page, partner: str, category: str, items: list[str], sites: list[str]) -> None:
    page.goto("/sharing")
    page.select_option("#grantee", label=partner)
    page.select_option("#category", value=category)
    if items:
        page.select_option("#grant-items", label=items)
    if sites:
        page.select_option("#grant-sites", label=sites)
    page.click("#grant-form button[type=submit]")
    expect(page.locator("#sharing-flash")).to_have_text(
        re.compile(rf"Grant #\d+ created: {category.replace('_', ' ')}\.")
    )


def test_a_grant_is_listed_as_active_then_as_revoked(
    signed_in: Callable[[str], Page], web_network: WebNetwork
) -> None:
    owner = signed_in(web_network.cafe)
    _grant(owner, "Bean importer", "forecasts", [], [])

    row = owner.locator("#grants-given tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td")).to_have_text(
        [
            re.compile(r"\d+"),
            "Bean importer",
            "Forecasts",
            "all items · all sites",
            "—",
            "active",
            "Revoke",
        ]
    )
    partner = signed_in(web_network.beans)
    partner.goto("/sharing")
    expect(partner.locator("#grants-received tbody tr td:nth-child(2)")).to_have_text(
        ["Cafe chain"]
    )
    expect(partner.locator("#grants-received").get_by_test_id("grant-status")).to_have_text(
        ["active"]
    )

    row.get_by_role("button", name="Revoke").click()

    expect(owner.locator("#sharing-flash")).to_have_text(re.compile(r"Grant #\d+ revoked\."))
    expect(row.get_by_test_id("grant-status")).to_have_text("revoked")
    expect(row.get_by_role("button", name="Revoke")).to_have_count(0)
    partner.reload()
    expect(partner.locator("#grants-received").get_by_test_id("grant-status")).to_have_text(
        ["revoked"]
    )


def test_a_refused_grant_is_explained_next_to_the_form(
    signed_in: Callable[[str], Page], web_network: WebNetwork
) -> None:
    owner = signed_in(web_network.cafe)
    owner.goto("/sharing")
    owner.select_option("#grantee", label="Roaster")
    owner.select_option("#category", value="demand_history")
    owner.fill("#expires-at", "2020-01-01T00:00")

    owner.click("#grant-form button[type=submit]")

    alert = owner.locator("#grant-errors .alert-error")
    expect(alert.locator(".alert-title")).to_have_text("Invalid input")
    expect(alert.locator("li")).to_have_text(["Expires at: expiry must lie in the future"])
    expect(owner.locator("#grants-given")).to_have_count(0)
    expect(owner.locator("#grantee")).to_have_value(str(web_network.members["ROAST"]))


def test_partner_sees_demand_history_only_while_granted_and_only_what_was_granted(
    signed_in: Callable[[str], Page], web_network: WebNetwork
) -> None:
    cafe_1 = f"/sites/{web_network.sites['CAFE-1']}"
    cafe_2 = f"/sites/{web_network.sites['CAFE-2']}"
    partner = signed_in(web_network.roaster)
    partner.goto(cafe_1)
    expect(partner.get_by_test_id("demand-not-shared")).to_be_visible()
    expect(partner.locator("#demand-summary")).to_have_count(0)

    owner = signed_in(web_network.cafe)
    _grant(owner, "Roaster", "demand_history", ["LATTE · Latte"], ["CAFE-1 · Cafe one"])
    expect(owner.locator("#grants-given tbody tr td:nth-child(4)")).to_have_text(["LATTE · CAFE-1"])

    partner.goto(cafe_1)
    rows = partner.locator("#demand-summary tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_have_attribute("data-item-sku", "LATTE")
    expect(rows.get_by_test_id("demand-total")).to_have_text("1,195 cup")
    expect(rows.get_by_test_id("demand-recent")).to_have_text("1,120")
    expect(partner.get_by_test_id("demand-not-shared")).to_have_count(0)
    partner.goto(cafe_2)  # the grant names CAFE-1 only
    expect(partner.get_by_test_id("demand-not-shared")).to_be_visible()

    owner.goto("/sharing")
    audit = owner.locator("#audit-log tbody tr")
    expect(audit).to_have_count(1)
    expect(audit.locator("td:not(:first-child)")).to_have_text(
        [
            f"{web_network.roaster} (ROAST)",
            "Demand history",
            f"demand site_id={web_network.sites['CAFE-1']}",
            "30",
            re.compile(r"#\d+"),
        ]
    )

    owner.locator("#grants-given").get_by_role("button", name="Revoke").click()
    expect(owner.locator("#grants-given").get_by_test_id("grant-status")).to_have_text(["revoked"])

    partner.goto(cafe_1)
    expect(partner.get_by_test_id("demand-not-shared")).to_be_visible()
    expect(partner.locator("#demand-summary")).to_have_count(0)
