"""Invoices, ageing and scorecards in the browser: receivables and payables with their match
status, the ageing buckets, settling a blocked invoice, and the supplier scorecard."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.web.web_support import LiveServer, WebNetwork, order_flow

pytestmark = pytest.mark.browser

BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "days_over_90", "total")


def _today() -> date:
    return datetime.now(UTC).date()


def ageing_row(page: Page, table: str, counterparty: str) -> list[str]:
    row = page.locator(f"#{table} tbody tr[data-counterparty='{counterparty}']")
    return [row.locator(f"[data-bucket='{b}']").inner_text() for b in BUCKETS]


def test_an_open_invoice_ages_into_its_bucket_on_both_sides(
    signed_in: Callable[[str], Page], web_network: WebNetwork, live_server: LiveServer
) -> None:
    """Issued today on 30 days' terms, the invoice is due in 30 days: current today, 15 days
    overdue (1-30) 45 days from now, and 70 days overdue (61-90) 100 days from now."""
    order_flow(
        live_server.container, web_network, _today(), received="30", invoiced="30"
    )  # 30 x 12.50
    roaster = signed_in(web_network.roaster)
    roaster.goto("/invoices")
    receivable = roaster.locator("#receivables-table tbody tr")
    expect(receivable).to_have_count(1)
    expect(receivable.get_by_test_id("invoice-total")).to_have_text("375.00 EUR")
    expect(receivable.get_by_test_id("match-status")).to_have_text("Matched")
    due = (_today() + timedelta(days=30)).isoformat()
    expect(receivable.locator("td").nth(4)).to_have_text(due)
    none, amount = "0.00 EUR", "375.00 EUR"
    assert ageing_row(roaster, "ageing-ar-table", "CAFE") == [
        amount,
        none,
        none,
        none,
        none,
        amount,
    ]

    roaster.goto(f"/invoices?as_of={(_today() + timedelta(days=45)).isoformat()}")
    assert ageing_row(roaster, "ageing-ar-table", "CAFE") == [
        none,
        amount,
        none,
        none,
        none,
        amount,
    ]
    expect(roaster.locator("#ageing-ap .empty")).to_have_text("Nothing open.")

    cafe = signed_in(web_network.cafe)
    cafe.goto(f"/invoices?as_of={(_today() + timedelta(days=100)).isoformat()}")
    assert ageing_row(cafe, "ageing-ap-table", "ROAST") == [none, none, none, amount, none, amount]
    expect(cafe.locator("#payables-table tbody tr td").nth(1)).to_have_text("Roaster")


def test_a_blocked_invoice_is_released_paid_in_part_and_credited(
    signed_in: Callable[[str], Page], web_network: WebNetwork, live_server: LiveServer
) -> None:
    order_flow(live_server.container, web_network, _today(), received="28", invoiced="30")
    cafe = signed_in(web_network.cafe)
    cafe.goto("/invoices")
    payable = cafe.locator("#payables-table tbody tr")
    expect(payable.get_by_test_id("match-status")).to_have_text("Blocked")
    expect(payable.get_by_test_id("match-reason")).to_have_text(
        "line 1: invoiced 30.000 > received 28.000 (+0%)"
    )
    payable.locator("td a").first.click()
    expect(cafe.locator("#pay-form")).to_have_count(0)
    cafe.fill("#release-note", "two bags short, credit agreed by phone")
    cafe.click("#release-form button")
    expect(cafe.locator("#invoice-flash")).to_have_text(
        re.compile(r"Invoice INV-\d{6} released for payment\.")
    )
    expect(cafe.locator("#match-status")).to_have_text("Released")
    expect(cafe.locator("#match-reason")).to_have_text(
        "line 1: invoiced 30.000 > received 28.000 (+0%) | released: two bags short, "
        "credit agreed by phone"
    )
    expect(cafe.locator("#pay-amount")).to_have_value("375.00")
    cafe.fill("#pay-amount", "350")
    cafe.click("#pay-form button")
    expect(cafe.locator("#invoice-flash")).to_have_text("Payment of 350.00 recorded.")
    expect(cafe.locator("#invoice-status")).to_have_text("Partially paid")
    expect(cafe.locator("#invoice-open")).to_have_text("25.00 EUR")
    expect(cafe.locator("#payments tbody td:last-child")).to_have_text(["350.00 EUR"])
    cafe.fill("#pay-amount", "30")
    cafe.click("#pay-form button")
    expect(cafe.locator("#invoice-errors .alert-title")).to_have_text(
        "Payment exceeds the open amount"
    )

    roaster = signed_in(web_network.roaster)
    roaster.goto(cafe.url)
    expect(roaster.locator("#pay-form")).to_have_count(0)
    roaster.get_by_label("Credit amount").fill("25")
    roaster.get_by_label("Credit reason").fill("two bags short")
    roaster.locator("#credit-form button").click()
    expect(roaster.locator("#invoice-flash")).to_have_text(
        re.compile(r"Credit note CN-\d{6} issued: 25\.00\.")
    )
    expect(roaster.locator("#invoice-status")).to_have_text("Paid")
    expect(roaster.locator("#invoice-open")).to_have_text("0.00 EUR")
    expect(roaster.locator("#credit-notes tbody td:nth-child(3)")).to_have_text(["two bags short"])


def test_the_scorecard_measures_the_supplier_from_the_shared_flows(
    signed_in: Callable[[str], Page], web_network: WebNetwork, live_server: LiveServer
) -> None:
    """40 ordered, 30 confirmed for yesterday, 30 shipped, 28 received today (late and short),
    30 invoiced (blocked by the match)."""
    yesterday = _today() - timedelta(days=1)
    order_flow(live_server.container, web_network, yesterday, received="28", invoiced="30")
    cafe = signed_in(web_network.cafe)
    cafe.goto("/scorecards")
    row = cafe.locator("#scorecard-table tbody tr[data-supplier='ROAST']")
    expect(row.locator("td")).to_have_text(
        [
            "Roaster",
            "1",
            "0 %",
            "70 %",
            "-1 d (n=1)",
            "—",
            "100 %",
            "0 %",
            "0.00 EUR (+0.0 %)",
        ]
    )
    dpo = cafe.locator("#ccc-metrics [data-metric='DPO'] dd")
    expect(dpo).to_have_text("90 days")
    inputs = cafe.locator("#ccc-inputs tr")
    expect(inputs.filter(has_text="Purchases").locator("td")).to_have_text("375.00 EUR")
    expect(inputs.filter(has_text="Payables at the end").locator("td")).to_have_text("375.00 EUR")

    roaster = signed_in(web_network.roaster)
    roaster.goto("/scorecards")
    expect(roaster.locator("#scorecards .empty")).to_have_text(
        "You have not ordered from anybody yet."
    )
