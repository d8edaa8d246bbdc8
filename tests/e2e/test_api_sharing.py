"""Grants over HTTP: given and received lists, parties only, validation of the grant."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld


def give(api: ApiWorld, **extra: Any) -> dict[str, Any]:
    body = {"grantee_member_id": api.members["ROAST"], "category": "demand_history", **extra}
    response = api.post("CAFE", "/api/v1/grants", body)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/api/v1/grants/{response.json()['id']}"
    grant: dict[str, Any] = response.json()
    return grant


def test_grant_is_listed_for_both_parties_and_hidden_from_others(api_world: ApiWorld) -> None:
    expires_at = api_world.clock.now() + timedelta(days=30)
    grant = give(
        api_world,
        site_ids=[api_world.sites["CAFE-2"], api_world.sites["CAFE-1"]],
        expires_at=expires_at.isoformat(),
        note="forecast collaboration",
    )
    assert grant == {
        "id": grant["id"],
        "network_id": grant["network_id"],
        "grantor_member_id": api_world.members["CAFE"],
        "grantee_member_id": api_world.members["ROAST"],
        "category": "demand_history",
        "item_ids": None,
        "site_ids": sorted([api_world.sites["CAFE-1"], api_world.sites["CAFE-2"]]),
        "created_at": "2026-11-21T09:00:00Z",
        "expires_at": "2026-12-21T09:00:00Z",
        "revoked_at": None,
        "note": "forecast collaboration",
        "status": "active",
    }

    given = api_world.get("CAFE", "/api/v1/grants", direction="given").json()
    received = api_world.get("ROAST", "/api/v1/grants", direction="received").json()
    outsider = api_world.get("BEANS", f"/api/v1/grants/{grant['id']}")

    assert [g["id"] for g in given["items"]] == [grant["id"]]
    assert [g["id"] for g in received["items"]] == [grant["id"]]
    assert api_world.get("ROAST", "/api/v1/grants", direction="given").json()["total"] == 0
    assert api_world.get("ROAST", f"/api/v1/grants/{grant['id']}").json() == grant
    assert (outsider.status_code, outsider.json()["code"]) == (404, "not_found")


def test_only_the_grantor_revokes(api_world: ApiWorld) -> None:
    grant = give(api_world)

    by_grantee = api_world.post("ROAST", f"/api/v1/grants/{grant['id']}/revoke")
    by_grantor = api_world.post("CAFE", f"/api/v1/grants/{grant['id']}/revoke")

    assert by_grantee.status_code == 404
    assert by_grantor.json()["revoked_at"] == "2026-11-21T09:00:00Z"


def test_grant_to_oneself_or_in_the_past_is_refused(api_world: ApiWorld) -> None:
    body = {
        "grantee_member_id": api_world.members["CAFE"],
        "category": "demand_history",
        "expires_at": (api_world.clock.now() - timedelta(days=1)).isoformat(),
    }

    response = api_world.post("CAFE", "/api/v1/grants", body)

    assert response.status_code == 422
    assert [(e["location"], e["field"]) for e in response.json()["errors"]] == [
        ("grant", "grantee"),
        ("grant", "expires_at"),
    ]


def test_expiry_needs_a_time_zone_and_direction_a_known_value(api_world: ApiWorld) -> None:
    naive = api_world.post(
        "CAFE",
        "/api/v1/grants",
        {
            "grantee_member_id": api_world.members["ROAST"],
            "category": "demand_history",
            "expires_at": "2027-01-01T00:00:00",
        },
    )
    direction = api_world.get("CAFE", "/api/v1/grants", direction="sideways")

    assert [e["field"] for e in naive.json()["errors"]] == ["body.expires_at"]
    assert [e["field"] for e in direction.json()["errors"]] == ["query.direction"]
