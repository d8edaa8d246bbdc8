"""Supplier scorecards and cash-to-cash over HTTP, on SQLite and PostgreSQL.

The transactions are the ones of the service tests (:func:`seed_flows`), written through the
container's unit of work; the café is the third party of the roaster's purchases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from tests.services.test_performance import Codes, seed_flows

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

OCTOBER = {"since": "2026-10-01", "until": "2026-11-01"}


@pytest.fixture
def codes(api_world: ApiWorld) -> Codes:
    with api_world.container.services.uow() as uow:
        member = uow.members.get(api_world.members["ROAST"])
        assert member is not None
        return seed_flows(uow, member.network_id)


def roaster_card(codes: Codes) -> dict[str, Any]:
    return {
        "buyer_member_id": codes.members["ROAST"],
        "seller_member_id": codes.members["BEANS"],
        "since": "2026-10-01",
        "until": "2026-11-01",
        "delivery": {
            "lines_due": 3,
            "lines_on_time_in_full": 1,
            "otif_rate": 1 / 3,
            "ordered_quantity": "300.000",
            "filled_quantity": "280.000",
            "fill_rate": 280 / 300,
            "promised_lead_time": {"count": 3, "mean_days": 7.0, "std_days": 2.0},
            "actual_lead_time": {"count": 2, "mean_days": 7.0, "std_days": 8**0.5},
        },
        "receiving": {
            "receipt_lines": 3,
            "receipt_lines_with_discrepancy": 1,
            "discrepancy_rate": 1 / 3,
        },
        "invoicing": {
            "invoices": 2,
            "invoices_matched": 1,
            "match_rate": 0.5,
            "invoiced_minor": 113_000,
            "value_at_order_price_minor": 112_000,
            "price_variance_minor": 1_000,
            "price_variance_pct": 25 / 28,
        },
    }


def test_buyer_lists_the_scorecards_of_its_suppliers(api_world: ApiWorld, codes: Codes) -> None:
    response = api_world.get("ROAST", "/api/v1/performance/supplier-scorecards", **OCTOBER)

    assert response.status_code == 200, response.text
    assert response.json() == {"items": [roaster_card(codes)]}


def test_seller_reads_the_scorecard_its_buyer_keeps(api_world: ApiWorld, codes: Codes) -> None:
    path = f"/api/v1/performance/supplier-scorecards/{codes.members['BEANS']}"

    by_buyer = api_world.get("ROAST", path, **OCTOBER)
    by_seller = api_world.get("BEANS", path, buyer_member_id=codes.members["ROAST"], **OCTOBER)
    by_third = api_world.get("CAFE", path, buyer_member_id=codes.members["ROAST"], **OCTOBER)

    assert (by_buyer.status_code, by_seller.status_code) == (200, 200)
    assert by_buyer.json() == by_seller.json() == roaster_card(codes)
    assert by_third.status_code == 404
    assert by_third.json()["code"] == "not_found"


def test_an_inverted_period_is_a_validation_problem(api_world: ApiWorld, codes: Codes) -> None:
    response = api_world.get(
        "ROAST",
        "/api/v1/performance/supplier-scorecards",
        since="2026-11-01",
        until="2026-10-01",
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


def test_member_reads_its_cash_to_cash(api_world: ApiWorld, codes: Codes) -> None:
    response = api_world.get("ROAST", "/api/v1/performance/cash-to-cash", days=30)

    assert response.status_code == 200, response.text
    assert response.json() == {
        "member_id": codes.members["ROAST"],
        "as_of": "2026-11-21",
        "days": 30,
        "start": "2026-10-23T00:00:00Z",
        "end": "2026-11-22T00:00:00Z",
        "opening_inventory_minor": 400_000,
        "closing_inventory_minor": 400_000,
        "average_inventory_minor": 400_000.0,
        "cogs_minor": 600_000,
        "revenue_minor": 450_000,
        "purchases_minor": 240_000,
        "receivables_minor": 300_000,
        "payables_minor": 240_000,
        "dio": {"days": 20.0, "reason": None},
        "dso": {"days": 20.0, "reason": None},
        "dpo": {"days": 30.0, "reason": None},
        "ccc": {"days": 10.0, "reason": None},
    }


def test_missing_metrics_carry_their_reason(api_world: ApiWorld, codes: Codes) -> None:
    response = api_world.get(
        "BEANS", "/api/v1/performance/cash-to-cash", as_of="2026-11-21", days=30
    )

    body = response.json()
    assert (body["revenue_minor"], body["receivables_minor"]) == (240_000, 240_000)
    assert (body["dio"], body["dso"], body["dpo"], body["ccc"]) == (
        {"days": None, "reason": "no cost of goods sold in the 30-day window"},
        {"days": 30.0, "reason": None},
        {"days": None, "reason": "no purchases in the 30-day window"},
        {"days": None, "reason": "DIO, DPO cannot be computed"},
    )


def test_network_admin_compares_every_member(api_world: ApiWorld, codes: Codes) -> None:
    path = "/api/v1/performance/cash-to-cash/network"

    response = api_world.get("ROAST", path, days=30)
    refused = api_world.get("CAFE", path, days=30)

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [(i["member_id"], i["ccc"]["days"], i["dpo"]["days"]) for i in items] == [
        (codes.members["ROAST"], 10.0, 30.0),
        (codes.members["CAFE"], None, 20.0),
        (codes.members["BEANS"], None, None),
    ]
    assert refused.status_code == 403


def test_a_window_out_of_range_is_refused(api_world: ApiWorld) -> None:
    response = api_world.get("CAFE", "/api/v1/performance/cash-to-cash", days=0)

    assert response.status_code == 422
    assert response.json()["code"] == "request_validation"
