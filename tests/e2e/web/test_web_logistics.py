"""The logistics pages in a browser: the roaster tenders a load to the carrier HAUL on its
loads page, HAUL accepts it on the load board and reports picked up and departed; the café sees
the expected arrival on its inbound page, and a late-risk alert after HAUL reports a 5-hour
delay.

Hand check (lane PLANT > CAFE-1: van, mean 1 day, std 0.2 day; pick-up D 08:00-12:00, delivery
D+1 08:00-16:00, D two days from today, UTC): departed D 10:00 → ETA D+1 10:00; slack 30 h =
1.25 d, z = 1.25, P(late) = 0.106: on time. Exception +5 h → ETA D+1 15:00 (inside the window)
but slack 1.0417 d, z = 0.208, P(late) = 0.417 > 0.3: at risk.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.web.web_support import PASSWORD, LiveServer, WebNetwork, stock_up

from tandem.domain.network import Member, MemberRole, TransportMode
from tandem.services import identity
from tandem.services import purchase_orders as po
from tandem.services.logistics import loads

pytestmark = pytest.mark.browser


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def _field(day: date, hour: int) -> str:
    """The value of a ``datetime-local`` field (UTC)."""
    return f"{day.isoformat()}T{hour:02d}:00"


def _world(live_server: LiveServer, net: WebNetwork, day: date) -> tuple[str, str]:
    """A carrier member HAUL with a user, and a planned load of 30 kg of an acknowledged order of
    the café; returns the carrier's e-mail and the load number."""
    ctx = live_server.container.services
    with ctx.uow() as uow:
        network_id = uow.members.get(net.members["ROAST"]).network_id  # type: ignore[union-attr]
        haul = uow.members.add(
            Member(0, network_id, "HAUL", "Hanse Haulage", frozenset({MemberRole.CARRIER}))
        )
        uow.commit()
    email = net.roaster.replace("roaster-", "haul-")
    identity.add_user(ctx, identity.AddUser(haul.id, email, "Hal Haul", PASSWORD))
    cafe, roaster = (
        identity.authenticate_token(ctx, identity.login(ctx, who, PASSWORD).token)
        for who in (net.cafe, net.roaster)
    )
    stock_up(live_server.container, net.roaster, net.sites["PLANT"], net.items["BLEND"], "100")
    line = po.OrderLineInput(net.items["BLEND"], Decimal("30"), 1250, day + timedelta(days=1))
    order = po.create_order(
        ctx, cafe, po.CreatePurchaseOrder(net.members["ROAST"], net.sites["CAFE-1"], (line,))
    ).order
    po.submit_order(ctx, cafe, order.id)
    confirmed = po.LineConfirmation(1, Decimal("30"), day + timedelta(days=1))
    lines = po.acknowledge_order(
        ctx, roaster, order.id, po.AcknowledgeOrder((confirmed,), net.sites["PLANT"])
    ).lines
    command = loads.CreateLoad(
        net.sites["PLANT"], TransportMode.VAN, _at(day, 8), _at(day, 12),
        _at(day + timedelta(days=1), 8), _at(day + timedelta(days=1), 16),
        (loads.PlanLine(Decimal("30"), order_line_id=lines[0].id),),
    )  # fmt: skip
    return email, loads.create_load(ctx, roaster, command).load.number


def _report(page: Page, number: str, status: str, day: date, hour: int, delay: str = "") -> None:
    page.goto("/logistics/board")
    card = page.locator(f"#carried article[data-load='{number}']")
    card.locator("select[name=status]").select_option(status)
    card.locator("input[name=at]").fill(_field(day, hour))
    card.locator("input[name=delay_hours]").fill(delay)
    card.get_by_test_id("report").click()
    expect(page.locator(f"#carried article[data-load='{number}']")).to_be_visible()


def test_tender_accept_track_and_the_consignee_sees_eta_and_late_risk(
    signed_in: Callable[[str], Page], web_network: WebNetwork, live_server: LiveServer
) -> None:
    day = datetime.now(UTC).date() + timedelta(days=2)
    carrier_email, number = _world(live_server, web_network, day)

    roaster = signed_in(web_network.roaster)
    roaster.goto("/logistics/loads")
    row = roaster.locator(f"#load-table tr[data-load='{number}']")
    row.locator("select[name=carrier]").select_option(label="Hanse Haulage")
    row.locator("input[name=rate]").fill("250.00")
    row.locator("input[name=respond_by]").fill(_field(day - timedelta(days=1), 18))
    row.get_by_test_id("tender").click()
    expect(roaster.locator(f"tr[data-load='{number}']").get_by_test_id("load-status")).to_have_text(
        "Tendered"
    )

    carrier = signed_in(carrier_email)
    carrier.goto("/logistics/board")
    offered = carrier.locator(f"#tender-table tr[data-load='{number}']")
    expect(offered.get_by_test_id("rate")).to_contain_text("250.00")
    offered.get_by_test_id("accept").click()
    card = carrier.locator(f"#carried article[data-load='{number}']")
    expect(card.get_by_test_id("load-status")).to_have_text("Accepted")
    _report(carrier, number, "picked_up", day, 9)
    _report(carrier, number, "departed", day, 10)
    expect(card.get_by_test_id("load-status")).to_have_text("In transit")

    cafe = signed_in(web_network.cafe)
    cafe.goto("/logistics/inbound")
    inbound = cafe.locator(f"#inbound-table tr[data-load='{number}']")
    arrival = day + timedelta(days=1)
    expect(inbound.get_by_test_id("eta")).to_have_text(f"{arrival.isoformat()} 10:00 UTC")
    expect(inbound.get_by_test_id("on-time")).to_be_visible()
    expect(cafe.get_by_test_id("alert-count")).to_have_text("0")

    _report(carrier, number, "exception", day, 14, delay="5")
    cafe.reload()
    expect(inbound.get_by_test_id("eta")).to_have_text(f"{arrival.isoformat()} 15:00 UTC")
    expect(inbound.get_by_test_id("late-risk")).to_be_visible()
    expect(cafe.get_by_test_id("alert-count")).to_have_text("1")
    expect(cafe.get_by_test_id("alert")).to_contain_text("42 % likely late")
    expect(inbound.get_by_test_id("timeline").locator("li")).to_have_count(3)
