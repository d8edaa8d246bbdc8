"""The twin in a browser: build a scenario with a node_down change, run it against the base and
read the backlog difference; the traditional-vs-SCM report with its three columns.

The chain and its hand calculation are those of tests/services/test_twin_services.py: the store
closed on days 5-7 leaves backlogs 10, 20, 30, 20 at the ends of days 5-8, a mean of
80 / 20 = 4 units over 20 days; the base never backlogs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from tests.services.test_twin_services import adopt, twin_snapshot

from tandem.bootstrap import Container
from tandem.services import transfer

pytestmark = pytest.mark.browser

RUN = {"periods": "20", "replications": "2", "batch_size": "1", "warmup": "0", "seed": "0"}


@pytest.fixture
def chain(web_container: Container) -> tuple[str, str]:
    tag = uuid.uuid4().hex[:8]
    transfer.import_snapshot(web_container.services, twin_snapshot(tag=tag))
    return f"planner{tag}@roast.example", f"chain{tag}"


def _options(page: Page, prefix: str) -> None:
    for name, value in RUN.items():
        page.fill(f"#{prefix}-{name}", value)


def test_a_store_closed_three_days_backlogs_4_units_a_day_more_than_the_base(
    signed_in: Callable[[str], Page], chain: tuple[str, str]
) -> None:
    page = signed_in(chain[0])
    page.goto("/twin")
    page.get_by_role("link", name="what-if scenarios").click()
    expect(page.locator("h1")).to_have_text("What-if scenarios")
    page.fill("#s-name", "store closed")
    page.get_by_test_id("create-scenario").click()
    card = page.locator("article[data-scenario='store closed']")
    card.locator("select[name='type']").select_option("node_down")
    card.locator("select[name='site']").select_option("STORE")
    card.locator("input[name='from_day']").fill("5")
    card.locator("input[name='to_day']").fill("7")
    card.get_by_test_id("add-delta").click()
    expect(card.get_by_test_id("deltas")).to_contain_text("type=node_down")
    expect(card.get_by_test_id("deltas")).to_contain_text("site=STORE")
    page.locator("#run-form input[name='run']").check()
    _options(page, "o")
    page.get_by_test_id("run-scenarios").click()
    expect(page.get_by_test_id("customer_backlog-0")).to_have_text("0.000 ± 0.000")
    expect(page.get_by_test_id("customer_backlog-1")).to_have_text("4.000 ± 0.000")
    expect(page.get_by_test_id("customer_backlog-diff-1")).to_have_text("4.000 ± 0.000")
    expect(page.get_by_test_id("customer_fill_rate-1")).to_have_text("0.800 ± 0.000")
    expect(page.locator("figure[data-chart='orders-BLEND@STORE'] polyline")).to_have_count(2)


def test_a_bad_change_is_named(signed_in: Callable[[str], Page], chain: tuple[str, str]) -> None:
    page = signed_in(chain[0])
    page.goto("/twin/scenarios")
    page.fill("#s-name", "broken")
    page.get_by_test_id("create-scenario").click()
    card = page.locator("article[data-scenario='broken']")
    card.locator("select[name='type']").select_option("node_down")
    card.get_by_test_id("add-delta").click()
    for field in ("Site", "From day", "To day"):
        expect(page.locator(".alert-list")).to_contain_text(f"{field}: is required")


def test_the_report_shows_traditional_shared_and_adopted_columns(
    signed_in: Callable[[str], Page], chain: tuple[str, str], web_container: Container
) -> None:
    adopt(web_container.services, chain[1], {"PLANT": 40.0, "DC": 30.0, "STORE": 20.0})
    page = signed_in(chain[0])
    page.goto("/twin")
    _options(page, "r")
    page.get_by_test_id("run-report").click()
    for mode in ("traditional", "shared", "adopted"):
        expect(page.get_by_test_id(f"column-{mode}")).to_have_text(mode)
    expect(page.get_by_test_id("adopted")).to_contain_text("Adopted policy: proposal")
    expect(page.locator("#bullwhip-table tr[data-stage='BLEND@DC']")).to_have_count(1)
    expect(page.locator("#member-table")).to_contain_text("ROAST")
