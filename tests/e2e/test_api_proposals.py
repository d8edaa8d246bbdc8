"""Network inventory proposals over HTTP: read, vote, adopt, withdraw, history, errors.

The proposal is created through the service (creation over the API belongs to the optimiser);
its numbers are the worked example of :mod:`tests.proposal_cases`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from tests.proposal_cases import coffee_draft, coffee_points, set_before

from tandem.domain.identity import Principal
from tandem.services import identity, proposals

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

BASE = "/api/v1/inventory-proposals"


def _principal(world: ApiWorld, code: str) -> Principal:
    return identity.authenticate_token(world.container.services, world.tokens[code])


@pytest.fixture
def proposal_id(api_world: ApiWorld) -> int:
    ctx = api_world.container.services
    owners = {code: _principal(api_world, code) for code in ("ROAST", "CAFE")}
    set_before(ctx, owners, api_world.items, api_world.sites)
    points = coffee_points(ctx, owners["ROAST"].network_id)
    return proposals.create_proposal(ctx, owners["ROAST"], coffee_draft(points)).id


def _vote(world: ApiWorld, who: str, pid: int, choice: str, **headers: str) -> Any:
    return world.post(who, f"{BASE}/{pid}/votes", {"choice": choice, "comment": ""}, **headers)


def _point(world: ApiWorld, sku: str, site: str) -> int:
    rows = world.rows("CAFE" if site.startswith("CAFE") else "ROAST", "/api/v1/item-sites")
    found = [
        r["id"]
        for r in rows
        if (r["item_id"], r["site_id"]) == (world.items[sku], world.sites[site])
    ]
    assert len(found) == 1
    return int(found[0])


def test_every_member_reads_the_shares_before_voting(api_world: ApiWorld, proposal_id: int) -> None:
    m = api_world.members
    listed = api_world.get("BEANS", BASE)
    assert [(p["id"], p["status"], p["version"]) for p in listed.json()["items"]] == [
        (proposal_id, "open", 1)
    ]
    body = api_world.get("BEANS", f"{BASE}/{proposal_id}").json()
    assert body["proposal"]["totals"] == {
        "buffer_everywhere": 200.0,
        "push_to_customer": 190.0,
        "optimal": 169.0,
        "saving": 31.0,
    }
    shares = {s["member_id"]: s for s in body["shares"]}
    assert (shares[m["ROAST"]]["transfer"], shares[m["CAFE"]]["transfer"]) == (69.3, -69.3)
    assert shares[m["ROAST"]]["cost_after_transfer"] == pytest.approx(50.7, abs=1e-12)
    assert shares[m["CAFE"]]["gain"] == pytest.approx(21.7, abs=1e-12)
    assert (
        body["affected_member_ids"] == body["pending_member_ids"] == sorted((m["ROAST"], m["CAFE"]))
    )
    # the bean importer owns none of the stock and holds no grant: aggregated per member
    assert body["placements"] == []
    assert [
        (h["owner_member_id"], h["stocking_points"], h["changed"])
        for h in body["hidden_placements"]
    ] == [(m["ROAST"], 1, 1), (m["CAFE"], 2, 2)]
    cafe = api_world.get("CAFE", f"{BASE}/{proposal_id}").json()
    assert [
        (p["site_id"], p["current_safety_stock"], p["safety_stock"]) for p in cafe["placements"]
    ] == [(api_world.sites["CAFE-1"], 120.0, 40.0), (api_world.sites["CAFE-2"], 80.0, 30.0)]


def test_two_approvals_adopt_and_the_stocking_points_show_the_new_stock(
    api_world: ApiWorld, proposal_id: int
) -> None:
    first = _vote(api_world, "ROAST", proposal_id, "approve")
    assert first.status_code == 200, first.text
    assert (first.json()["proposal"]["status"], first.json()["pending_member_ids"]) == (
        "open",
        [api_world.members["CAFE"]],
    )

    last = _vote(api_world, "CAFE", proposal_id, "approve")

    assert (last.status_code, last.json()["proposal"]["status"]) == (200, "adopted")
    point = api_world.get("CAFE", f"/api/v1/item-sites/{_point(api_world, 'LATTE', 'CAFE-1')}")
    assert point.json()["parameters"] == {
        "target_service_level": 0.95,
        "review_period_days": 7.0,
        "safety_stock": 40.0,
        "reorder_point": 100.0,
        "order_up_to_level": 100.0,
        "min_order_quantity": None,
        "order_multiple": None,
        "holding_cost_rate": None,
        "processing_days": None,
        "added_cost": None,
        "handling_cost": None,
        "order_quantity": None,
    }
    events = api_world.get("BEANS", f"{BASE}/{proposal_id}/events", limit=2, offset=2).json()
    assert (events["total"], [e["kind"] for e in events["items"]]) == (4, ["voted", "adopted"])
    adopted = events["items"][1]["detail"]
    assert adopted["parameters"] == []  # the bean importer reads none of the three points
    assert adopted["written_elsewhere"] == {
        str(api_world.members["ROAST"]): 1,
        str(api_world.members["CAFE"]): 2,
    }


def test_errors_have_stable_codes(api_world: ApiWorld, proposal_id: int) -> None:
    not_affected = _vote(api_world, "BEANS", proposal_id, "approve")
    assert (not_affected.status_code, not_affected.json()["code"]) == (403, "member_not_affected")
    assert _vote(api_world, "ROAST", proposal_id, "approve").status_code == 200
    changed = _vote(api_world, "ROAST", proposal_id, "reject")
    assert (changed.status_code, changed.json()["code"]) == (409, "vote_conflict")
    assert changed.headers["content-type"] == "application/problem+json"
    assert (
        _vote(api_world, "CAFE", proposal_id, "reject").json()["proposal"]["status"] == "rejected"
    )
    late = api_world.post("ROAST", f"{BASE}/{proposal_id}/withdraw")
    assert (late.status_code, late.json()["code"]) == (409, "proposal_not_open")
    wrong = _vote(api_world, "CAFE", proposal_id, "maybe")
    assert wrong.status_code == 422
    missing = api_world.get("CAFE", f"{BASE}/999999")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert api_world.get(None, BASE).status_code == 401


def test_withdraw_by_the_creator_only(api_world: ApiWorld, proposal_id: int) -> None:
    refused = api_world.post("CAFE", f"{BASE}/{proposal_id}/withdraw")
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    done = api_world.post("ROAST", f"{BASE}/{proposal_id}/withdraw")
    assert (done.status_code, done.json()["proposal"]["status"]) == (200, "withdrawn")
    assert api_world.get("CAFE", BASE, status="open").json()["total"] == 0
    assert api_world.get("CAFE", BASE, status="withdrawn").json()["total"] == 1


def test_a_retried_vote_with_an_idempotency_key_gets_the_first_answer(
    api_world: ApiWorld, proposal_id: int
) -> None:
    key = {"Idempotency-Key": "vote-1"}
    first = _vote(api_world, "ROAST", proposal_id, "approve", **key)
    retry = _vote(api_world, "ROAST", proposal_id, "approve", **key)
    assert (first.status_code, retry.status_code) == (200, 200)
    assert retry.json() == first.json()
    events = api_world.get("ROAST", f"{BASE}/{proposal_id}/events").json()
    assert [e["kind"] for e in events["items"]] == ["created", "voted"]
