"""Signing in and out: the session cookie and the login form's own CSRF protection.

The login form is protected before any session exists by a double-submit token: a random nonce in
a short-lived ``tandem_login`` cookie (SameSite=Lax, so a cross-site POST does not carry it) and
its HMAC in a hidden field.
"""

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.domain.errors import AuthenticationFailed
from tandem.services import identity
from tandem.web.core import (
    CSRF_FIELD,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    CsrfRejected,
    Web,
    safe_next,
    same_secret,
    sign,
    web_route_class,
)

LOGIN_FORM_SECONDS = 3600


def _login_page(
    web: Web, request: Request, nonce: str, next_page: str, error: str = "", email: str = ""
) -> HTMLResponse:
    response = web.render(
        request,
        "login.html",
        status_code=401 if error else 200,
        login_token=sign(web.settings.secret_key, "login", nonce),
        csrf_field=CSRF_FIELD,
        next_page=safe_next(next_page),
        error=error,
        email=email,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=LOGIN_FORM_SECONDS,
        path="/login",
        secure=web.settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )
    return response


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)

    @router.get("/login", response_class=HTMLResponse)
    def login_form(
        request: Request, next_page: Annotated[str, Query(alias="next")] = "/network"
    ) -> HTMLResponse:
        nonce = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
        return _login_page(web, request, nonce, next_page)

    @router.post("/login")
    def login(
        request: Request,
        email: Annotated[str, Form(max_length=320)],
        password: Annotated[str, Form(max_length=1024)],
        csrf_token: Annotated[str, Form()] = "",
        next_page: Annotated[str, Form(alias="next")] = "/network",
    ) -> Response:
        nonce = request.cookies.get(LOGIN_COOKIE, "")
        expected = sign(web.settings.secret_key, "login", nonce)
        if not nonce or not same_secret(csrf_token, expected):
            raise CsrfRejected
        try:
            issued = identity.login(web.services, email, password)
        except AuthenticationFailed:
            return _login_page(
                web, request, nonce, next_page, "Unknown e-mail or wrong password.", email
            )
        response = RedirectResponse(safe_next(next_page), status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            issued.token,
            max_age=int(web.settings.session_hours * 3600),
            path="/",
            secure=web.settings.cookie_secure,
            httponly=True,
            samesite="lax",
        )
        response.delete_cookie(LOGIN_COOKIE, path="/login")
        return response

    @router.post("/logout", dependencies=[Depends(web.check_csrf)])
    def logout(request: Request) -> Response:
        identity.logout(web.services, request.cookies.get(SESSION_COOKIE, ""))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(
            SESSION_COOKIE,
            path="/",
            secure=web.settings.cookie_secure,
            httponly=True,
            samesite="lax",
        )
        return response

    return router
