"""Signing in and out, the session cookie, CSRF protection and error pages."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Page, expect
from tests.e2e.web.web_support import PASSWORD, WebNetwork, form_token

from tandem.bootstrap import Container
from tandem.domain.identity import Principal
from tandem.services import identity, sharing
from tandem.services.context import PageRequest

Http = Callable[[str | None], httpx.Client]


def _principal(container: Container, email: str) -> Principal:
    ctx = container.services
    return identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)


@pytest.mark.browser
def test_login_opens_the_page_that_asked_for_it_with_a_strict_session_cookie(
    page: Page, web_network: WebNetwork
) -> None:
    site_path = f"/sites/{web_network.sites['CAFE-1']}"
    page.goto(site_path)
    assert page.url.endswith(f"/login?next={site_path}")

    page.fill("#email", web_network.cafe)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")

    expect(page.locator("h1")).to_have_text("Cafe one")
    assert page.url.endswith(site_path)
    expect(page.get_by_test_id("signed-in-as")).to_have_text(f"{web_network.cafe} (CAFE)")
    session = [c for c in page.context.cookies() if c["name"] == "tandem_session"]
    assert len(session) == 1
    assert (session[0]["httpOnly"], session[0]["sameSite"], session[0]["secure"]) == (
        True,
        "Lax",
        False,
    )


@pytest.mark.browser
def test_login_with_a_wrong_password_shows_an_error_and_sets_no_session(
    page: Page, web_network: WebNetwork
) -> None:
    page.goto("/login")
    page.fill("#email", web_network.cafe)
    page.fill("#password", "not-the-password")
    page.click("button[type=submit]")

    expect(page.locator("#login-error")).to_have_text("Unknown e-mail or wrong password.")
    expect(page.locator("#email")).to_have_value(web_network.cafe)
    assert [c["name"] for c in page.context.cookies() if c["name"] == "tandem_session"] == []
    page.goto("/network")
    assert "/login?next=/network" in page.url


@pytest.mark.browser
def test_signing_out_ends_the_session(
    signed_in: Callable[[str], Page], web_network: WebNetwork
) -> None:
    page = signed_in(web_network.roaster)
    page.click("text=Sign out")

    expect(page.locator("h1")).to_have_text("Sign in to Tandem")
    page.goto("/sharing")
    assert page.url.endswith("/login?next=/sharing")


def test_session_cookie_carries_the_configured_attributes(
    http: Http, web_network: WebNetwork
) -> None:
    client = http(None)
    token = form_token(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": web_network.cafe, "password": PASSWORD, "csrf_token": token},
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/network"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("tandem_session=")
    )
    attributes = sorted(part.strip().lower() for part in cookie.split(";")[1:])
    assert attributes == ["httponly", "max-age=7200", "path=/", "samesite=lax"]


def test_login_without_the_form_token_is_refused(http: Http, web_network: WebNetwork) -> None:
    client = http(None)
    response = client.post("/login", data={"email": web_network.cafe, "password": PASSWORD})

    assert response.status_code == 403
    assert "This form has expired" in response.text
    assert "tandem_session" not in response.headers.get("set-cookie", "")


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_login_never_redirects_off_the_site(
    http: Http, web_network: WebNetwork, target: str
) -> None:
    client = http(None)
    token = form_token(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": web_network.cafe, "password": PASSWORD, "csrf_token": token, "next": target},
    )

    assert (response.status_code, response.headers["location"]) == (303, "/network")


def test_a_form_post_without_the_session_csrf_token_changes_nothing(
    http: Http, web_network: WebNetwork, web_container: Container
) -> None:
    client = http(web_network.cafe)
    grant = {"grantee": str(web_network.members["ROAST"]), "category": "demand_history"}

    plain = client.post("/sharing/grants", data=grant)
    garbled = client.post("/sharing/grants", data={**grant, "csrf_token": "jeton-forgé"})
    forged = client.post(
        "/sharing/grants",
        data={**grant, "csrf_token": "0" * 64},
        headers={"HX-Request": "true", "X-CSRF-Token": "0" * 64},
    )

    assert (plain.status_code, garbled.status_code) == (403, 403)
    assert "This form has expired" in plain.text
    assert (forged.status_code, forged.headers["HX-Retarget"]) == (403, "#flash")
    cafe = _principal(web_container, web_network.cafe)
    given = sharing.list_grants(web_container.services, cafe, "given", PageRequest())
    assert given.total == 0


def test_a_form_post_with_the_token_works_without_javascript(
    http: Http, web_network: WebNetwork, web_container: Container
) -> None:
    client = http(web_network.cafe)
    token = form_token(client.get("/sharing").text)
    response = client.post(
        "/sharing/grants",
        data={
            "grantee": str(web_network.members["ROAST"]),
            "category": "forecasts",
            "csrf_token": token,
        },
    )

    assert (response.status_code, response.headers["location"]) == (303, "/sharing")
    cafe = _principal(web_container, web_network.cafe)
    given = sharing.list_grants(web_container.services, cafe, "given", PageRequest())
    assert [(g.grantee_member_id, g.category.value) for g in given.items] == [
        (web_network.members["ROAST"], "forecasts")
    ]


@pytest.mark.parametrize("path", ["/network", "/sites/1", "/items", "/sharing", "/members/1"])
def test_pages_ask_for_a_login_first(http: Http, path: str) -> None:
    response = http(None).get(path)

    assert (response.status_code, response.headers["location"]) == (303, f"/login?next={path}")


@pytest.mark.parametrize(
    "path", ["/sites/999999", "/sites/not-a-number", "/items/999999", "/members/999999"]
)
def test_unknown_ids_show_the_not_found_page(
    http: Http, web_network: WebNetwork, path: str
) -> None:
    response = http(web_network.cafe).get(path)

    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text
    assert "Traceback" not in response.text


def test_sites_of_another_network_are_not_found(
    http: Http, web_network: WebNetwork, other_network: WebNetwork
) -> None:
    site = web_network.sites["CAFE-1"]
    assert http(web_network.cafe).get(f"/sites/{site}").status_code == 200

    response = http(other_network.cafe).get(f"/sites/{site}")

    assert response.status_code == 404


def test_pages_are_sent_with_security_headers(http: Http, web_network: WebNetwork) -> None:
    response = http(web_network.cafe).get("/network")

    assert response.status_code == 200
    assert response.headers["content-security-policy"].startswith("default-src 'self';")
    assert (
        response.headers["x-frame-options"],
        response.headers["x-content-type-options"],
        response.headers["cache-control"],
    ) == ("DENY", "nosniff", "no-store")
