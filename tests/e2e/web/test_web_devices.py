"""The device pages: a café machine's activity in the device list, its latest records with the
consumption their recipes stand for, the feedback on it, a new record arriving through the
htmx poll without a reload, and the not-found page for members it is not shared with.

The café's latte uses 0.018 kg of house blend (the recipe of ``web_support.web_snapshot``); the
flat white has no recipe, so it only consumes itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect
from tests.e2e.web.web_support import PASSWORD, LiveServer, WebNetwork

from tandem.bootstrap import Container
from tandem.domain.identity import Principal
from tandem.domain.sharing import DataCategory
from tandem.services import devices, feedback, identity, ingestion, sharing
from tandem.services.devices import RegisterDevice, RegisteredDevice
from tandem.services.feedback import SubmitFeedback

pytestmark = pytest.mark.browser

POLL_WAIT_MS = 15_000  # the panel polls every 5 s


def person(container: Container, email: str) -> Principal:
    ctx = container.services
    return identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)


def espresso_bar(container: Container, net: WebNetwork) -> RegisteredDevice:
    """The café's machine M-1 at CAFE-1, registered through the devices service."""
    command = RegisterDevice(net.sites["CAFE-1"], "M-1", "Espresso bar")
    return devices.register_device(container.services, person(container, net.cafe), command)


def brew(
    container: Container, machine: RegisteredDevice, message_id: str, quantity: int, **what: str
) -> None:
    """One device message (as over MQTT), made three minutes before now."""
    at = (datetime.now(UTC) - timedelta(minutes=3)).isoformat()
    payload = {"message_id": message_id, "quantity": quantity, "at": at, **what}
    result = ingestion.ingest_device_message(container.services, "M-1", machine.api_key, payload)
    assert (result.accepted, result.rejected) == (1, 0), result


def rate(container: Container, machine: RegisteredDevice, rating: int, comment: str) -> None:
    key = identity.authenticate_api_key(container.services, machine.api_key)
    feedback.submit_feedback(container.services, key, SubmitFeedback(rating, comment, item="LATTE"))


def cells(rows: Locator, test_id: str) -> Locator:
    return rows.get_by_test_id(test_id)


def test_a_device_shows_its_records_consumption_and_feedback_and_new_records_arrive_live(
    signed_in: Callable[[str], Page], web_network: WebNetwork, live_server: LiveServer
) -> None:
    container = live_server.container
    machine = espresso_bar(container, web_network)
    brew(container, machine, "1", 1, recipe="LATTE")
    brew(container, machine, "2", 2, recipe="LATTE")
    brew(container, machine, "3", 3, item="FLATW")
    rate(container, machine, 5, "Great crema")
    rate(container, machine, 2, "Too cold")

    cafe = signed_in(web_network.cafe)
    cafe.goto("/devices")
    row = cafe.locator("#devices tr[data-device='M-1']")
    expect(cells(row, "device-site")).to_have_text("CAFE-1 · Cafe one")
    expect(cells(row, "device-status")).to_have_text("Active")
    expect(cells(row, "device-messages")).to_have_text("3")
    expect(cells(row, "device-rating")).to_have_text("3.5 (2)")  # (5 + 2) / 2

    row.get_by_role("link", name="M-1").click()
    expect(cafe).to_have_url(re.compile(rf"/devices/{machine.device.id}$"))
    signals = cafe.locator("#signals tbody tr")
    expect(cells(signals, "signal-message-id")).to_have_text(["3", "2", "1"])
    expect(cells(signals, "signal-item")).to_have_text(["FLATW", "LATTE", "LATTE"])
    expect(cells(signals, "signal-quantity")).to_have_text(["3", "2", "1"])
    expect(cells(signals, "signal-delay")).to_have_text(["3 min"] * 3)
    expect(cafe.get_by_test_id("telemetry-messages-24h")).to_have_text("3")
    # lattes 1 + 2 = 3 cups; blend 3 × 0.018 kg = 0.054 kg; flat whites 3 cups (no recipe)
    consumption = cafe.locator("#consumption tbody tr")
    expect(consumption).to_have_count(3)
    expect(consumption.locator("td:first-child")).to_have_text(
        ["BLEND · House blend", "LATTE · Latte", "FLATW · Flat white"]
    )
    expect(cells(consumption, "consumption-recorded")).to_have_text(["0", "3", "3"])
    expect(cells(consumption, "consumption-from-recipes")).to_have_text(["0.054", "0", "0"])
    expect(cells(consumption, "consumption-total")).to_have_text(["0.054 kg", "3 cup", "3 cup"])
    daily = cafe.locator("#daily-consumption tbody tr")
    expect(cells(daily, "daily-total")).to_have_text(["0.054 kg", "3 cup", "3 cup"])

    summary = cafe.locator("#feedback-summary tr[data-item='LATTE']")
    expect(cells(summary, "feedback-count")).to_have_text("2")
    expect(cells(summary, "feedback-mean")).to_have_text("3.5")
    expect(cells(summary, "feedback-stars")).to_have_text(["0", "1", "0", "0", "1"])
    expect(cells(summary, "feedback-comment")).to_have_text(
        [re.compile(r"^2 ★ Too cold "), re.compile(r"^5 ★ Great crema ")]
    )
    expect(cafe.get_by_test_id("device-mean-rating")).to_have_text("3.5 of 2")

    cafe.evaluate("() => { window.notReloaded = true; }")
    brew(container, machine, "4", 4, recipe="LATTE")

    expect(cells(signals, "signal-message-id")).to_have_text(
        ["4", "3", "2", "1"], timeout=POLL_WAIT_MS
    )
    expect(cafe.get_by_test_id("telemetry-messages-24h")).to_have_text("4")
    # lattes 1 + 2 + 4 = 7 cups; blend 7 × 0.018 kg = 0.126 kg
    expect(cells(consumption, "consumption-total")).to_have_text(["0.126 kg", "7 cup", "3 cup"])
    assert cafe.evaluate("() => window.notReloaded") is True


def test_members_it_is_not_shared_with_get_the_not_found_page(
    signed_in: Callable[[str], Page],
    web_network: WebNetwork,
    live_server: LiveServer,
    http: Callable[[str | None], httpx.Client],
) -> None:
    machine = espresso_bar(live_server.container, web_network)
    brew(live_server.container, machine, "1", 2, recipe="LATTE")
    page = f"/devices/{machine.device.id}"

    beans = signed_in(web_network.beans)
    response = beans.goto(page)
    assert response is not None and response.status == 404
    expect(beans.locator("h1")).to_have_text("Not found")
    beans.goto("/devices")
    expect(beans.get_by_test_id("devices-empty")).to_be_visible()
    assert http(web_network.beans).get(f"{page}/telemetry").status_code == 404
    assert http(web_network.cafe).get(f"{page}/telemetry").status_code == 200

    cafe = person(live_server.container, web_network.cafe)
    grant = sharing.GrantAccess(
        web_network.members["ROAST"],
        DataCategory.DEMAND_HISTORY,
        site_ids=frozenset({web_network.sites["CAFE-1"]}),
    )
    sharing.grant_access(live_server.container.services, cafe, grant)
    roaster = signed_in(web_network.roaster)
    roaster.goto("/devices")
    roaster.locator("#devices tr[data-device='M-1']").get_by_role("link", name="M-1").click()
    expect(roaster.get_by_test_id("telemetry-messages-24h")).to_have_text("1")
    # 2 lattes × 0.018 kg = 0.036 kg of blend, shared with the roaster through the grant
    expect(roaster.get_by_test_id("consumption-total")).to_have_text(["0.036 kg", "2 cup"])
