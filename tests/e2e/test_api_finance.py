"""The capital flow over HTTP: invoice, match, pay, credit, ledger, ageing and dunning."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from tests.finance_support import OrderLineRow, SeededOrder, seed_order

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

NOW = "2026-11-21T09:00:00Z"


@pytest.fixture
def api_order(api_world: ApiWorld) -> SeededOrder:
    """CAFE buys 100 kg BLEND at 12.50/kg from ROAST; 80 shipped, 60 received."""
    network_id = api_world.get("CAFE", "/api/v1/network").json()["network"]["id"]
    row = OrderLineRow("BLEND", "100", 1250, shipped="80", received="60")
    return seed_order(api_world.container.services, network_id, "CAFE", "ROAST", "CAFE-1", [row])


def issue(api: ApiWorld, order: SeededOrder, quantity: str, who: str = "ROAST") -> Any:
    body = {
        "order_id": order.id,
        "lines": [{"order_line_id": order.line_ids[0], "quantity": quantity}],
    }
    return api.post(who, "/api/v1/invoices", body)


def problem(response: Any) -> tuple[int, str]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return response.status_code, response.json()["code"]


def test_invoice_is_issued_matched_and_paid_in_two_parts(
    api_world: ApiWorld, api_order: SeededOrder
) -> None:
    response = issue(api_world, api_order, "60")

    assert response.status_code == 201, response.text
    invoice = response.json()
    path = f"/api/v1/invoices/{invoice['id']}"
    assert response.headers["location"] == path
    line_id = invoice["lines"][0]["id"]
    assert invoice == {
        "id": invoice["id"],
        "number": f"INV-{invoice['id']:06d}",
        "order_id": api_order.id,
        "seller_member_id": api_world.members["ROAST"],
        "buyer_member_id": api_world.members["CAFE"],
        "issued_at": NOW,
        "due_date": "2026-12-21",
        "currency": "EUR",
        "total_minor": 75000,
        "paid_minor": 0,
        "credited_minor": 0,
        "open_minor": 75000,
        "status": "open",
        "match_status": "matched",
        "match_reason": "",
        "dunning_level": 0,
        "lines": [
            {
                "id": line_id,
                "order_line_id": api_order.line_ids[0],
                "item_id": api_world.items["BLEND"],
                "quantity": "60.000",
                "unit_price_minor": 1250,
                "amount_minor": 75000,
            }
        ],
        "payments": [],
        "credit_notes": [],
        "dunning_notices": [],
    }

    first = api_world.post(
        "CAFE", "/api/v1/payments", {"invoice_id": invoice["id"], "amount_minor": 30000}
    )
    second = api_world.post(
        "CAFE",
        "/api/v1/payments",
        {"invoice_id": invoice["id"], "amount_minor": 45000, "reference": "bank 2"},
    )

    assert first.status_code == 201, first.text
    assert first.headers["location"] == f"/api/v1/payments/{first.json()['id']}"
    assert second.json() == {
        "id": second.json()["id"],
        "invoice_id": invoice["id"],
        "payer_member_id": api_world.members["CAFE"],
        "payee_member_id": api_world.members["ROAST"],
        "amount_minor": 45000,
        "paid_at": NOW,
        "reference": "bank 2",
    }
    paid = api_world.get("ROAST", path).json()
    assert (paid["status"], paid["paid_minor"], paid["open_minor"]) == ("paid", 75000, 0)
    assert paid["payments"] == [first.json(), second.json()]
    assert api_world.rows("ROAST", "/api/v1/payments", role="seller") == paid["payments"]
    assert api_world.get("ROAST", f"/api/v1/payments/{first.json()['id']}").json() == first.json()


def test_retried_payment_with_the_same_key_is_paid_once(
    api_world: ApiWorld, api_order: SeededOrder
) -> None:
    invoice = issue(api_world, api_order, "60").json()
    body = {"invoice_id": invoice["id"], "amount_minor": 30000}

    first = api_world.post("CAFE", "/api/v1/payments", body, **{"Idempotency-Key": "pay-1"})
    retry = api_world.post("CAFE", "/api/v1/payments", body, **{"Idempotency-Key": "pay-1"})

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.content == first.content
    assert retry.headers["idempotent-replayed"] == "true"
    assert [p["amount_minor"] for p in api_world.rows("CAFE", "/api/v1/payments")] == [30000]
    after = api_world.get("CAFE", f"/api/v1/invoices/{invoice['id']}").json()
    assert (after["paid_minor"], after["open_minor"], after["status"]) == (
        30000,
        45000,
        "partially_paid",
    )
    balance = api_world.get("CAFE", "/api/v1/finance/trial-balance").json()
    assert balance["accounts"][0] == {
        "account": "cash",
        "debit_minor": 0,
        "credit_minor": 30000,
        "balance_minor": -30000,
    }


def test_refusals_have_their_problem_codes_and_write_nothing(
    api_world: ApiWorld, api_order: SeededOrder
) -> None:
    too_much = issue(api_world, api_order, "80.001")
    by_buyer = issue(api_world, api_order, "1", who="CAFE")
    by_third = issue(api_world, api_order, "1", who="BEANS")
    invoice = issue(api_world, api_order, "60").json()
    overpaid = api_world.post(
        "CAFE", "/api/v1/payments", {"invoice_id": invoice["id"], "amount_minor": 75001}
    )
    zero = api_world.post(
        "CAFE", "/api/v1/payments", {"invoice_id": invoice["id"], "amount_minor": 0}
    )
    stranger = api_world.post(
        "BEANS", "/api/v1/payments", {"invoice_id": invoice["id"], "amount_minor": 1}
    )
    over_credit = api_world.post(
        "ROAST",
        f"/api/v1/invoices/{invoice['id']}/credit-notes",
        {"amount_minor": 75001, "reason": "too much"},
    )

    assert problem(too_much) == (409, "invoice_exceeds_shipped")
    assert too_much.json()["errors"] == [
        {
            "location": "lines[0]",
            "field": "quantity",
            "message": "line 1: invoiced 80.001 > shipped and not yet invoiced 80.000 "
            "(shipped 80.000, invoiced 0.000)",
        }
    ]
    assert problem(by_buyer) == (403, "forbidden")
    assert problem(by_third) == (404, "not_found")
    assert problem(overpaid) == (409, "payment_exceeds_open_amount")
    assert problem(zero) == (422, "request_validation")
    assert problem(stranger) == (404, "not_found")
    assert problem(over_credit) == (409, "credit_exceeds_open_amount")
    assert problem(api_world.get("BEANS", f"/api/v1/invoices/{invoice['id']}")) == (
        404,
        "not_found",
    )
    assert api_world.rows("CAFE", "/api/v1/payments") == []
    assert [i["id"] for i in api_world.rows("ROAST", "/api/v1/invoices")] == [invoice["id"]]
    assert api_world.rows("BEANS", "/api/v1/invoices") == []
    journal = api_world.get("ROAST", "/api/v1/finance/journal").json()
    assert [(e["kind"], e["reference"]) for e in journal["items"]] == [
        ("invoice", f"invoice:{invoice['id']}")
    ]


def test_blocked_invoice_is_rematched_released_credited_and_paid(
    api_world: ApiWorld, api_order: SeededOrder
) -> None:
    invoice = issue(api_world, api_order, "80").json()
    path = f"/api/v1/invoices/{invoice['id']}"

    blocked_payment = api_world.post(
        "CAFE", "/api/v1/payments", {"invoice_id": invoice["id"], "amount_minor": 1}
    )
    still_blocked = api_world.post("CAFE", f"{path}/rematch")
    seller_release = api_world.post("ROAST", f"{path}/release", {"note": "fine"})
    released = api_world.post("CAFE", f"{path}/release", {"note": "20 kg arrive Monday"})
    note = api_world.post(
        "ROAST", f"{path}/credit-notes", {"amount_minor": 25000, "reason": "late delivery"}
    )
    payment = api_world.post(
        "CAFE", "/api/v1/payments", {"invoice_id": invoice["id"], "amount_minor": 75000}
    )

    assert (invoice["match_status"], invoice["match_reason"]) == (
        "blocked",
        "line 1: invoiced 80.000 > received 60.000 (+0%)",
    )
    assert problem(blocked_payment) == (409, "invoice_blocked")
    assert still_blocked.json()["match_status"] == "blocked"
    assert problem(seller_release) == (403, "forbidden")
    assert released.status_code == 200
    assert released.json()["match_reason"] == (
        "line 1: invoiced 80.000 > received 60.000 (+0%) | released: 20 kg arrive Monday"
    )
    assert note.status_code == 201
    assert note.json() == {
        "id": note.json()["id"],
        "number": f"CN-{note.json()['id']:06d}",
        "invoice_id": invoice["id"],
        "amount_minor": 25000,
        "reason": "late delivery",
        "issued_at": NOW,
    }
    assert payment.status_code == 201
    final = api_world.get("CAFE", path).json()
    assert (final["status"], final["open_minor"], final["credit_notes"]) == (
        "paid",
        0,
        [note.json()],
    )
    blocked_list = api_world.rows("CAFE", "/api/v1/invoices", match_status="released")
    assert [i["id"] for i in blocked_list] == [invoice["id"]]


def test_ledger_ageing_and_dunning(api_world: ApiWorld, api_order: SeededOrder) -> None:
    invoice = issue(api_world, api_order, "60").json()
    api_world.post("CAFE", "/api/v1/payments", {"invoice_id": invoice["id"], "amount_minor": 5000})

    balance = api_world.get("ROAST", "/api/v1/finance/trial-balance").json()
    ageing = api_world.get(
        "ROAST", "/api/v1/finance/ageing", side="receivable", as_of="2027-01-21"
    ).json()
    payable = api_world.get("CAFE", "/api/v1/finance/ageing", side="payable").json()
    run = api_world.client.post(
        "/api/v1/finance/dunning-runs",
        params={"as_of": "2027-01-21"},
        headers=api_world.auth("ROAST"),
    )
    again = api_world.client.post(
        "/api/v1/finance/dunning-runs",
        params={"as_of": "2027-01-21"},
        headers=api_world.auth("ROAST"),
    )

    assert balance == {
        "member_id": api_world.members["ROAST"],
        "currency": "EUR",
        "accounts": [
            {"account": "cash", "debit_minor": 5000, "credit_minor": 0, "balance_minor": 5000},
            {
                "account": "receivables",
                "debit_minor": 75000,
                "credit_minor": 5000,
                "balance_minor": 70000,
            },
            {"account": "payables", "debit_minor": 0, "credit_minor": 0, "balance_minor": 0},
            {
                "account": "revenue",
                "debit_minor": 0,
                "credit_minor": 75000,
                "balance_minor": -75000,
            },
            {"account": "purchases", "debit_minor": 0, "credit_minor": 0, "balance_minor": 0},
        ],
        "debit_minor": 80000,
        "credit_minor": 80000,
    }
    overdue = {"current": 0, "days_1_30": 0, "days_31_60": 70000, "days_61_90": 0}
    amounts = {**overdue, "days_over_90": 0, "total": 70000}
    assert ageing == {
        "side": "receivable",
        "as_of": "2027-01-21",
        "currency": "EUR",
        "rows": [
            {
                "counterparty_member_id": api_world.members["CAFE"],
                "counterparty_code": "CAFE",
                "amounts": amounts,
            }
        ],
        "totals": amounts,
    }
    assert (payable["as_of"], payable["totals"]["current"]) == ("2026-11-21", 70000)
    assert run.status_code == 200, run.text
    notices = run.json()["notices"]
    assert run.json() == {
        "as_of": "2027-01-21",
        "notices": [
            {
                "id": notices[0]["id"],
                "invoice_id": invoice["id"],
                "level": 2,
                "days_overdue": 31,
                "issued_at": NOW,
            }
        ],
    }
    assert again.json() == {"as_of": "2027-01-21", "notices": []}
    assert (
        api_world.get("CAFE", f"/api/v1/invoices/{invoice['id']}").json()["dunning_notices"]
        == notices
    )
