"""Every kind of failure leaves the API as an RFC 9457 problem with the right status and code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tandem.services import network

if TYPE_CHECKING:
    from fastapi.testclient import TestClient
    from tests.e2e.conftest import ApiWorld

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "code", "errors"}
MISSING = 1_000_000


def site_body(**overrides: Any) -> dict[str, Any]:
    body = {"code": "NEW", "name": "New site", "kind": "warehouse", "latitude": 52.0}
    return {**body, "longitude": 5.0, **overrides}


@dataclass(frozen=True)
class Case:
    name: str
    send: Callable[[ApiWorld], httpx.Response]
    status: int
    code: str
    errors: list[tuple[str, str | None]]

    def __str__(self) -> str:
        return self.name


CASES = [
    Case(
        "field-out-of-range",
        lambda api: api.post("ROAST", "/api/v1/sites", site_body(latitude=91)),
        422,
        "request_validation",
        [("body", "body.latitude")],
    ),
    Case(
        "fields-missing",
        lambda api: api.post("ROAST", "/api/v1/items", {"name": "No sku"}),
        422,
        "request_validation",
        [("body", "body.sku"), ("body", "body.unit"), ("body", "body.unit_value")],
    ),
    Case(
        "unknown-field",
        lambda api: api.post("ROAST", "/api/v1/sites", site_body(colour="red")),
        422,
        "request_validation",
        [("body", "body.colour")],
    ),
    Case(
        "bad-query",
        lambda api: api.get("ROAST", "/api/v1/sites", kind="castle", limit=0),
        422,
        "request_validation",
        [("query", "query.limit"), ("query", "query.kind")],
    ),
    Case(
        "bad-path-id",
        lambda api: api.get("ROAST", "/api/v1/sites/abc"),
        422,
        "request_validation",
        [("path", "path.site_id")],
    ),
    Case(
        "id-beyond-any-key",
        lambda api: api.get("ROAST", f"/api/v1/items/{2**40}"),
        422,
        "request_validation",
        [("path", "path.item_id")],
    ),
    Case(
        "malformed-json",
        lambda api: api.client.post(
            "/api/v1/sites",
            content=b'{"code": ',
            headers={**api.auth("ROAST"), "Content-Type": "application/json"},
        ),
        400,
        "malformed_body",
        [("body", None)],
    ),
    Case(
        "rule-of-the-model",
        lambda api: api.post(
            "ROAST",
            "/api/v1/lanes",
            {
                "from_site_id": api.sites["PLANT"],
                "to_site_id": api.sites["PLANT"],
                "mode": "road",
                "lead_time_mean_days": 1,
                "lead_time_std_days": 0,
                "cost_per_unit": 1,
            },
        ),
        422,
        "validation_failed",
        [("lane", "to_site")],
    ),
    Case(
        "no-credentials",
        lambda api: api.get(None, "/api/v1/sites"),
        401,
        "authentication_failed",
        [],
    ),
    Case(
        "admin-only",
        lambda api: api.post(
            "CAFE", "/api/v1/members", {"code": "NEW", "name": "New", "roles": ["carrier"]}
        ),
        403,
        "forbidden",
        [],
    ),
    Case(
        "other-members-site",
        lambda api: api.put("CAFE", f"/api/v1/sites/{api.sites['PLANT']}", site_body()),
        403,
        "forbidden",
        [],
    ),
    Case(
        "other-members-bom-line",
        lambda api: api.delete("CAFE", f"/api/v1/bom-lines/{bom_line(api, 'ROAST')}"),
        404,
        "not_found",
        [],
    ),
    Case(
        "duplicate-code",
        lambda api: api.post("ROAST", "/api/v1/sites", site_body(code="PLANT")),
        409,
        "duplicate_code",
        [],
    ),
    Case(
        "still-in-use",
        lambda api: api.delete("ROAST", f"/api/v1/sites/{api.sites['PLANT']}"),
        409,
        "in_use",
        [],
    ),
    Case(
        "unknown-route",
        lambda api: api.get("ROAST", "/api/v1/warehouses"),
        404,
        "not_found",
        [],
    ),
    Case(
        "method-not-allowed",
        lambda api: api.client.patch("/api/v1/sites", headers=api.auth("ROAST")),
        405,
        "method_not_allowed",
        [],
    ),
]

UNKNOWN_IDS = [
    "members",
    "sites",
    "items",
    "lanes",
    "item-sites",
    "bom-lines",
    "grants",
]


def bom_line(api: ApiWorld, owner: str) -> int:
    line: int = api.rows(owner, "/api/v1/bom-lines")[0]["id"]
    return line


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert set(problem) == PROBLEM_KEYS
    assert problem["type"] == f"https://tandem.dev/problems/{code}"
    assert (problem["status"], problem["code"]) == (status, code)
    assert problem["instance"] == response.request.url.path
    return problem


@pytest.mark.parametrize("case", CASES, ids=str)
def test_error_renders_as_problem_naming_the_fields(api_world: ApiWorld, case: Case) -> None:
    problem = assert_problem(case.send(api_world), case.status, case.code)

    assert [(e["location"], e["field"]) for e in problem["errors"]] == case.errors


@pytest.mark.parametrize("resource", UNKNOWN_IDS)
def test_unknown_id_is_not_found(api_world: ApiWorld, resource: str) -> None:
    problem = assert_problem(
        api_world.get("ROAST", f"/api/v1/{resource}/{MISSING}"), 404, "not_found"
    )

    assert problem["detail"].endswith(f"{MISSING} not found")


def test_bom_cycle_names_the_items_on_the_cycle(api_world: ApiWorld) -> None:
    # BLEND already contains GREEN; GREEN containing BLEND closes a cycle.
    body = {
        "parent_item_id": api_world.items["GREEN"],
        "component_item_id": api_world.items["BLEND"],
        "quantity_per": 1,
    }
    problem = assert_problem(api_world.post("BEANS", "/api/v1/bom-lines", body), 422, "bom_cycle")

    assert problem["detail"] == "bill of materials has a cycle: GREEN > BLEND > GREEN"
    assert problem["errors"] == [
        {
            "location": "bom line",
            "field": "component",
            "message": "closes the cycle GREEN > BLEND > GREEN",
        }
    ]
    assert api_world.rows("BEANS", "/api/v1/bom-lines") == []


def test_missing_credentials_ask_for_a_bearer_token(api_world: ApiWorld) -> None:
    response = api_world.get(None, "/api/v1/me")

    assert_problem(response, 401, "authentication_failed")
    assert response.headers["www-authenticate"] == "Bearer"


def test_unexpected_error_is_a_500_problem_without_internals(
    api_world: ApiWorld, api_lenient_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("password=hunter2 at db.internal:5432")

    monkeypatch.setattr(network, "list_sites", broken)
    response = api_lenient_client.get("/api/v1/sites", headers=api_world.auth("ROAST"))

    problem = assert_problem(response, 500, "internal_error")
    assert problem["detail"] == "an unexpected error occurred; it has been logged"
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text


def test_body_that_is_not_utf8_is_a_malformed_body_problem(api_world: ApiWorld) -> None:
    response = api_world.client.post(
        "/api/v1/items",
        content=b"\xff\xfe\x00",
        headers={**api_world.auth("CAFE"), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["code"], body["errors"][0]["location"]) == ("malformed_body", "body")
