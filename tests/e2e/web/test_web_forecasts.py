"""The forecast section of the site page: the owner runs a forecast and sees its chart; a
partner without a ``forecasts`` grant is told the forecasts are not shared."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.web.web_support import WebNetwork

pytestmark = pytest.mark.browser


def test_owner_runs_the_forecast_and_sees_a_chart_per_item(
    signed_in: Callable[[str], Page], web_network: WebNetwork
) -> None:
    owner = signed_in(web_network.cafe)
    owner.goto(f"/sites/{web_network.sites['CAFE-1']}")
    section = owner.locator("#forecast")
    expect(section.get_by_test_id("forecast-empty")).to_have_text("No forecast yet.")

    section.get_by_role("button", name="Run forecast (horizon 28 days)").click()

    # the first run of a server process imports and compiles the forecasting models (seconds)
    expect(owner.locator("#forecast-flash")).to_have_text(
        "Forecast 2 item(s), 56 days in all.", timeout=60_000
    )
    figures = owner.locator("#forecast figure.forecast")
    expect(figures).to_have_count(2)
    expect(figures.nth(0)).to_have_attribute("data-item-sku", "LATTE")
    expect(figures.nth(1)).to_have_attribute("data-item-sku", "FLATW")
    expect(owner.get_by_test_id("forecast-days")).to_have_text(["28", "28"])
    expect(owner.get_by_test_id("forecast-model")).to_have_text(
        [re.compile(r"\w+"), re.compile(r"\w+")]
    )
    for part in ("polyline.history", "polyline.forecast-line", "polygon.band-80"):
        expect(figures.nth(0).locator(f"svg {part}")).to_have_count(1)


def test_partner_without_a_grant_is_told_forecasts_are_not_shared(
    signed_in: Callable[[str], Page], web_network: WebNetwork
) -> None:
    partner = signed_in(web_network.roaster)
    partner.goto(f"/sites/{web_network.sites['CAFE-1']}")

    expect(partner.get_by_test_id("forecast-not-shared")).to_contain_text(
        "The forecasts of this site are not shared with you."
    )
    expect(partner.locator("#forecast-form")).to_have_count(0)
