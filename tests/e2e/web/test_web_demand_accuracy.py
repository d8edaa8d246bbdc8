"""The site page shows each item's ISO-week demand with its outlier weeks, and next to each
forecast chart the accuracy of past forecasts once actual demand has arrived."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.web.web_support import PASSWORD, LiveServer, WebNetwork

from tandem.services import demand, identity
from tandem.services.demand import DemandObservation

pytestmark = pytest.mark.browser

RATES = (10.0, 11.0, 9.0, 50.0, 10.0, 12.0, 10.0)  # flat whites per day, week by week


def record(server: LiveServer, email: str, rows: list[DemandObservation]) -> None:
    ctx = server.container.services
    principal = identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)
    demand.record_demand(ctx, principal, rows)


def test_owner_sees_the_outlier_week_of_an_item(
    signed_in: Callable[[str], Page], web_network: WebNetwork, live_server: LiveServer
) -> None:
    site, flat_white = web_network.sites["CAFE-2"], web_network.items["FLATW"]
    monday = date(2026, 4, 6)
    days = [r for r in RATES for _ in range(7)]
    rows = [
        DemandObservation(site, flat_white, monday + timedelta(n), q) for n, q in enumerate(days)
    ]
    record(live_server, web_network.cafe, rows)

    owner = signed_in(web_network.cafe)
    owner.goto(f"/sites/{site}")

    flat_row = owner.locator('#demand-summary tr[data-item-sku="FLATW"]')
    expect(flat_row.get_by_test_id("demand-outlier-weeks")).to_have_text("outliers: 2026-W18")
    expect(flat_row.locator("circle.outlier")).to_have_count(1)
    latte_row = owner.locator('#demand-summary tr[data-item-sku="LATTE"]')
    expect(latte_row.get_by_test_id("demand-outlier-weeks")).to_have_text("no outlier week")


def test_accuracy_of_past_forecasts_appears_once_actuals_arrive(
    signed_in: Callable[[str], Page], web_network: WebNetwork, live_server: LiveServer
) -> None:
    site, latte = web_network.sites["CAFE-1"], web_network.items["LATTE"]
    owner = signed_in(web_network.cafe)
    owner.goto(f"/sites/{site}")
    owner.get_by_role("button", name="Run forecast (horizon 28 days)").click()
    # the server's first forecast loads statsforecast and compiles its models (seconds)
    expect(owner.locator("#forecast-flash")).to_be_visible(timeout=60_000)
    accuracy = owner.locator('#forecast figure[data-item-sku="LATTE"]').get_by_test_id(
        "forecast-accuracy"
    )
    expect(accuracy).to_have_text("No past forecast to score yet.")

    # 30 days of history (1-30 March) forecast naively at 38 a day; then 40 a day arrives
    first = date(2026, 3, 31)
    record(
        live_server,
        web_network.cafe,
        [DemandObservation(site, latte, first + timedelta(n), 40.0) for n in range(7)],
    )
    owner.reload()

    # errors -2 on 280 cups: WAPE 5 %, bias -5 %; MASE 2 / (49/29) = 1.18
    expect(accuracy).to_have_text(
        "Past forecasts, 7 forecast days scored: WAPE 5 %, bias -5.0 %, MASE 1.18",
        use_inner_text=True,
    )
