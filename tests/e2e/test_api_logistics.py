"""Loads, tenders and tracking over HTTP, on SQLite and PostgreSQL: the roaster (ROAST) loads
80 kg of an acknowledged order of the café (CAFE), tenders it to the carrier HAUL, who accepts
and reports; the café sees the ETA and the late-risk alert. Lane PLANT > CAFE-1: van, mean 1 day,
std 0.2 day. Clock: 2026-11-21 09:00 UTC."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import httpx
import pytest

from tandem.domain.inventory import MovementKind
from tandem.domain.network import Member, MemberRole
from tandem.domain.orders import OrderStatus, PurchaseOrder, PurchaseOrderLine
from tandem.services import identity, inventory

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

PASSWORD = "correct-horse-battery"


@pytest.fixture
def world(api_world: ApiWorld) -> ApiWorld:
    """A carrier member HAUL signed in, the acknowledged order and the roaster's stock."""
    services = api_world.container.services
    with services.uow() as uow:
        network_id = uow.members.get(api_world.members["CAFE"]).network_id  # type: ignore[union-attr]
        haul = uow.members.add(
            Member(0, network_id, "HAUL", "Hanse Haulage", frozenset({MemberRole.CARRIER}))
        )
        po = uow.purchase_orders.add(
            PurchaseOrder(
                0, network_id, "PO-000001", api_world.members["CAFE"], api_world.members["ROAST"],
                api_world.sites["CAFE-1"], OrderStatus.ACKNOWLEDGED, 3, api_world.clock.now(),
                ship_from_site_id=api_world.sites["PLANT"],
            )
        )  # fmt: skip
        line = uow.purchase_order_lines.add(
            PurchaseOrderLine(0, po.id, 1, api_world.items["BLEND"], Decimal(100), 1250,
                              date(2026, 11, 24), Decimal(80))
        )  # fmt: skip
        uow.commit()
    identity.add_user(services, identity.AddUser(haul.id, "haul@example.com", "Hal", PASSWORD))
    api_world.tokens["HAUL"] = identity.login(services, "haul@example.com", PASSWORD).token
    api_world.members["HAUL"] = haul.id
    api_world.members["LINE"] = line.id
    roaster = identity.authenticate_token(services, api_world.tokens["ROAST"])
    stock = inventory.RecordMovement(
        api_world.sites["PLANT"], api_world.items["BLEND"], MovementKind.RECEIPT, Decimal(200)
    )
    inventory.record_movement(services, roaster, stock)
    return api_world


def _load(world: ApiWorld) -> dict[str, object]:
    body = {
        "origin_site_id": world.sites["PLANT"], "mode": "van",
        "pickup_from": "2026-11-23T08:00:00Z", "pickup_to": "2026-11-23T12:00:00Z",
        "delivery_from": "2026-11-24T08:00:00Z", "delivery_to": "2026-11-24T16:00:00Z",
        "lines": [{"quantity": "80", "order_line_id": world.members["LINE"]}],
        "planned_cost_minor": 30000,
    }  # fmt: skip
    response = world.post("ROAST", "/api/v1/loads", body)
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == f"/api/v1/loads/{response.json()['id']}"
    return response.json()  # type: ignore[no-any-return]


def _tendered(world: ApiWorld) -> tuple[int, int]:
    load = _load(world)
    body = {"carrier_member_id": world.members["HAUL"], "rate_minor": 25000,
            "respond_by": "2026-11-22T09:00:00Z"}  # fmt: skip
    response = world.post("ROAST", f"/api/v1/loads/{load['id']}/tenders", body)
    assert response.status_code == 201, response.text
    return int(str(load["id"])), int(response.json()["id"])


def _event(
    world: ApiWorld, load_id: int, message_id: str, status: str, at: str, **extra: object
) -> httpx.Response:
    body = {"message_id": message_id, "status": status, "at": at, **extra}
    return world.post("HAUL", f"/api/v1/loads/{load_id}/events", body)


def test_tender_accept_track_and_see_the_late_risk_alert(world: ApiWorld) -> None:
    load_id, tender_id = _tendered(world)
    board = world.rows("HAUL", "/api/v1/tenders", status="open")
    assert [(t["id"], t["load"]["id"], t["rate_minor"]) for t in board] == [
        (tender_id, load_id, 25000)
    ]
    accepted = world.post("HAUL", f"/api/v1/tenders/{tender_id}/accept")
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["status"], accepted.json()["load"]["status"]) == (
        "accepted", "accepted")  # fmt: skip
    again = world.post("HAUL", f"/api/v1/tenders/{tender_id}/accept")
    assert (again.status_code, again.json()["code"]) == (409, "invalid_state_transition")

    picked = _event(world, load_id, "m-1", "picked_up", "2026-11-23T09:00:00Z")
    assert picked.status_code == 201, picked.text
    assert (picked.json()["load_status"], len(picked.json()["shipment_ids"])) == ("in_transit", 1)
    repeat = _event(world, load_id, "m-1", "picked_up", "2026-11-23T09:00:00Z")
    assert (repeat.status_code, repeat.json()["duplicate"]) == (200, True)
    _event(world, load_id, "m-2", "departed", "2026-11-23T10:00:00Z")
    inbound = world.get("CAFE", "/api/v1/inbound").json()["items"]
    # departed 23rd 10:00 + 1 day lane = 24th 10:00; P(late) = 1 - Phi(1.25) = 0.10565
    assert [(x["load"]["id"], x["expected_arrival"], x["late_risk"]) for x in inbound] == [
        (load_id, "2026-11-24T10:00:00Z", False)
    ]
    assert world.get("CAFE", "/api/v1/inbound/alerts").json()["items"] == []
    delayed = _event(world, load_id, "m-3", "exception", "2026-11-23T14:00:00Z", delay_hours=5)
    assert delayed.json()["eta"]["estimated_arrival"] == "2026-11-24T15:00:00Z"
    (alert,) = world.get("CAFE", "/api/v1/inbound/alerts").json()["items"]
    assert (alert["load"]["id"], round(alert["eta"]["late_probability"], 5)) == (load_id, 0.41748)
    events = world.get("CAFE", f"/api/v1/loads/{load_id}/events").json()
    assert [e["status"] for e in events] == ["picked_up", "departed", "exception"]


def test_problems_of_logistics_have_stable_codes(world: ApiWorld) -> None:
    load_id, tender_id = _tendered(world)
    assert world.get("BEANS", f"/api/v1/loads/{load_id}").status_code == 404
    refused = world.post("HAUL", f"/api/v1/tenders/{tender_id}/reject", {"reason": ""})
    assert refused.status_code == 422
    rejected = world.post("HAUL", f"/api/v1/tenders/{tender_id}/reject", {"reason": "no truck"})
    assert rejected.json()["load"]["status"] == "rejected"
    early = _event(world, load_id, "m-1", "picked_up", "2026-11-23T09:00:00Z")
    assert (early.status_code, early.json()["code"]) == (403, "forbidden")
    naive = world.post("ROAST", f"/api/v1/loads/{load_id}/tenders", {
        "carrier_member_id": world.members["HAUL"], "rate_minor": 1,
        "respond_by": "2026-11-22T09:00:00"})  # fmt: skip
    assert naive.status_code == 422
    cancelled = world.post("ROAST", f"/api/v1/loads/{load_id}/cancel", {"reason": "moved"})
    assert cancelled.json()["status"] == "cancelled"
    cards = world.get("ROAST", "/api/v1/performance/carrier-scorecards",
                      since="2026-11-01", until="2026-12-01").json()["items"]  # fmt: skip
    assert [
        (c["carrier_member_id"], c["tenders_answered"], c["acceptance_rate"]) for c in cards
    ] == [(world.members["HAUL"], 1, 0.0)]
