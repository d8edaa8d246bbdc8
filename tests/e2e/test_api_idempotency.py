"""``Idempotency-Key``: a retried POST or PUT gets the first response and writes nothing twice."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tandem.services import network

if TYPE_CHECKING:
    from fastapi.testclient import TestClient
    from tests.e2e.conftest import ApiWorld

SITES = "/api/v1/sites"


def site(code: str = "DEPOT") -> dict[str, Any]:
    return {"code": code, "name": "Depot", "kind": "warehouse", "latitude": 52.1, "longitude": 5.1}


def roaster_sites(api: ApiWorld) -> list[str]:
    return [row["code"] for row in api.rows("ROAST", SITES, member_id=api.members["ROAST"])]


def test_retried_post_returns_the_first_response_and_creates_one_row(api_world: ApiWorld) -> None:
    first = api_world.post("ROAST", SITES, site(), **{"Idempotency-Key": "create-depot"})
    retry = api_world.post("ROAST", SITES, site(), **{"Idempotency-Key": "create-depot"})

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.content == first.content
    assert retry.headers["location"] == first.headers["location"]
    assert retry.headers["content-type"] == "application/json"
    assert "idempotent-replayed" not in first.headers
    assert retry.headers["idempotent-replayed"] == "true"
    assert roaster_sites(api_world) == ["PLANT", "DEPOT"]


def test_retried_put_is_replayed(api_world: ApiWorld) -> None:
    body = {"item_id": api_world.items["BLEND"], "site_id": api_world.sites["PLANT"]}
    body["parameters"] = {"safety_stock": 40}
    first = api_world.put("ROAST", "/api/v1/item-sites", body, **{"Idempotency-Key": "ss-40"})
    retry = api_world.put("ROAST", "/api/v1/item-sites", body, **{"Idempotency-Key": "ss-40"})

    assert (first.status_code, retry.status_code) == (200, 200)
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"


def test_same_key_with_another_body_is_refused_and_writes_nothing(api_world: ApiWorld) -> None:
    api_world.post("ROAST", SITES, site("DEPOT"), **{"Idempotency-Key": "k"})

    response = api_world.post("ROAST", SITES, site("OTHER"), **{"Idempotency-Key": "k"})

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "idempotency_key_reused"
    assert roaster_sites(api_world) == ["PLANT", "DEPOT"]


def test_keys_belong_to_the_caller(api_world: ApiWorld) -> None:
    roaster = api_world.post("ROAST", SITES, site("R-DEPOT"), **{"Idempotency-Key": "same"})
    cafe = api_world.post("CAFE", SITES, site("C-DEPOT"), **{"Idempotency-Key": "same"})

    assert (roaster.status_code, cafe.status_code) == (201, 201)
    assert "idempotent-replayed" not in cafe.headers
    assert cafe.json()["member_id"] == api_world.members["CAFE"]


def test_failed_request_releases_its_key_so_a_retry_runs_again(api_world: ApiWorld) -> None:
    duplicate = site("PLANT")
    first = api_world.post("ROAST", SITES, duplicate, **{"Idempotency-Key": "dup"})
    retry = api_world.post("ROAST", SITES, duplicate, **{"Idempotency-Key": "dup"})

    assert (first.status_code, retry.status_code) == (409, 409)
    assert "idempotent-replayed" not in retry.headers


def test_crashed_request_releases_its_key(
    api_world: ApiWorld, api_lenient_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = {**api_world.auth("ROAST"), "Idempotency-Key": "crash"}
    with monkeypatch.context() as patch:
        patch.setattr(network, "add_site", _crash)
        crashed = api_lenient_client.post(SITES, json=site(), headers=headers)

    retry = api_lenient_client.post(SITES, json=site(), headers=headers)

    assert (crashed.status_code, retry.status_code) == (500, 201)
    assert "idempotent-replayed" not in retry.headers
    assert roaster_sites(api_world) == ["PLANT", "DEPOT"]


def _crash(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("lost the database connection")


def test_login_is_exempt_and_opens_a_new_session_each_time(api_world: ApiWorld) -> None:
    body = {"email": "cafe@example.com", "password": "correct-horse-battery"}
    first = api_world.post(None, "/api/v1/auth/login", body, **{"Idempotency-Key": "login"})
    second = api_world.post(None, "/api/v1/auth/login", body, **{"Idempotency-Key": "login"})

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json()["token"] != second.json()["token"]


def test_overlong_key_is_refused(api_world: ApiWorld) -> None:
    response = api_world.post("ROAST", SITES, site(), **{"Idempotency-Key": "k" * 201})

    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert problem["errors"] == [
        {"location": "header", "field": "Idempotency-Key", "message": "1 to 200 characters"}
    ]
    assert roaster_sites(api_world) == ["PLANT"]


def test_key_without_credentials_is_unauthorised(api_world: ApiWorld) -> None:
    response = api_world.post(None, SITES, site(), **{"Idempotency-Key": "anon"})

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_concurrent_requests_with_one_key_create_exactly_one_row(api_world: ApiWorld) -> None:
    start = threading.Barrier(2)
    responses: list[httpx.Response] = []

    def send() -> None:
        start.wait()
        responses.append(api_world.post("ROAST", SITES, site(), **{"Idempotency-Key": "race"}))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    fresh = [
        r for r in responses if r.status_code == 201 and "idempotent-replayed" not in r.headers
    ]
    others = [r for r in responses if r not in fresh]
    assert len(fresh) == 1
    assert len(others) == 1
    other = others[0]
    if other.status_code == 201:  # the second arrived after the first had finished: a replay
        assert (other.headers["idempotent-replayed"], other.content) == ("true", fresh[0].content)
    else:  # the second arrived while the first ran
        assert (other.status_code, other.json()["code"]) == (409, "idempotency_in_progress")
    assert roaster_sites(api_world) == ["PLANT", "DEPOT"]
