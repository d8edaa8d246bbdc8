"""What every page shares: templates, the signed-in viewer, CSRF tokens and error pages.

Pages raise; :class:`WebRoute` turns what they raise into a response a person can read: a
redirect to the login page, a 404 page, or a friendly message (a full page, or an htmx fragment
swapped into the page's message area). Never a stack trace.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from tandem.bootstrap import Container
from tandem.domain.errors import (
    AuthenticationFailed,
    Conflict,
    Forbidden,
    NotFound,
    TandemError,
    ValidationFailed,
)
from tandem.domain.identity import Principal
from tandem.services import identity
from tandem.web.map import label

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
SESSION_COOKIE = "tandem_session"
LOGIN_COOKIE = "tandem_login"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
FLASH_TARGET = "#flash"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class LoginRequired(Exception):
    """No valid session: the page redirects to the login page and comes back after."""


class CsrfRejected(Exception):
    """A state-changing request without the token of the session it claims."""


@dataclass(frozen=True)
class Viewer:
    principal: Principal
    csrf_token: str

    @property
    def member_id(self) -> int:
        return self.principal.member_id


def sign(secret_key: str, purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` for one ``purpose`` (CSRF of a session, of a login form)."""
    message = f"{purpose}:{value}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def same_secret(presented: str, expected: str) -> bool:
    """Constant-time comparison that also accepts any (non-ASCII) text an attacker sends."""
    return hmac.compare_digest(presented.encode(), expected.encode())


def safe_next(target: str | None) -> str:
    """Only a path on this site, never another host (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/network"
    return target


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def status_of(error: TandemError) -> int:
    for kind, status in (
        (NotFound, 404),
        (ValidationFailed, 422),
        (Conflict, 409),
        (Forbidden, 403),
        (AuthenticationFailed, 401),
    ):
        if isinstance(error, kind):
            return status
    return 400


def _number(value: float | int | None) -> str:
    if value is None:
        return "—"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _when(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def _label(value: Enum | str) -> str:
    return label(value.value if isinstance(value, Enum) else value)


class Web:
    """The web layer's state: the container, the template environment, the session rules."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.services = container.services
        self.settings = container.settings
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined
        )
        self.env.filters.update(number=_number, when=_when, label=_label)

    # ------------------------------------------------------------ sessions and CSRF

    def csrf_for(self, session_token: str) -> str:
        return sign(self.settings.secret_key, "csrf", session_token)

    def viewer(self, request: Request) -> Viewer:
        """Dependency of every page: the signed-in person, or :class:`LoginRequired`."""
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            raise LoginRequired
        try:
            principal = identity.authenticate_token(self.services, token)
        except AuthenticationFailed as error:
            raise LoginRequired from error
        return Viewer(principal, self.csrf_for(token))

    async def check_csrf(self, request: Request) -> None:
        """Dependency of every state-changing request: the session's token, in a header
        (htmx) or a hidden form field."""
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            raise LoginRequired
        presented = request.headers.get(CSRF_HEADER)
        if presented is None:
            form = await request.form()
            field = form.get(CSRF_FIELD)
            presented = field if isinstance(field, str) else ""
        if not same_secret(presented, self.csrf_for(token)):
            raise CsrfRejected

    # ------------------------------------------------------------ rendering

    def render(
        self,
        request: Request,
        template: str,
        viewer: Viewer | None = None,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        context.setdefault("nav", "")
        html = self.env.get_template(template).render(
            request_path=request.url.path,
            viewer=viewer,
            csrf_token=viewer.csrf_token if viewer else "",
            **context,
        )
        return HTMLResponse(html, status_code=status_code, headers=headers)

    def message(
        self,
        request: Request,
        error: TandemError | None,
        status_code: int,
        target: str = FLASH_TARGET,
        title: str = "",
        detail: str = "",
    ) -> HTMLResponse:
        """A friendly error as an htmx fragment (into ``target``) or as a whole page."""
        context: dict[str, Any] = {
            "title": title or (error.title if error else "Something went wrong"),
            "detail": detail or (error.detail if error else ""),
            "violations": error.violations if error else [],
        }
        if is_htmx(request):
            return self.render(
                request,
                "_message.html",
                status_code=status_code,
                headers={"HX-Retarget": target, "HX-Reswap": "innerHTML"},
                kind="error",
                **context,
            )
        page = "not_found.html" if status_code == 404 else "error.html"
        return self.render(request, page, status_code=status_code, **context)

    def login_redirect(self, request: Request) -> Response:
        if request.method == "GET":
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        else:  # come back to the page the form was on, not to the form's target
            page = urlsplit(request.headers.get("HX-Current-URL", "/network"))
            here = page.path + (f"?{page.query}" if page.query else "")
        location = f"/login?next={quote(safe_next(here), safe='/')}"
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": location})
        return RedirectResponse(location, status_code=303)

    def handle(self, request: Request, error: Exception) -> Response:
        """Map what a page raised to a response (see the module docstring)."""
        if isinstance(error, LoginRequired):
            return self.login_redirect(request)
        if isinstance(error, CsrfRejected):
            return self.message(
                request,
                None,
                403,
                title="This form has expired",
                detail="Reload the page and try again.",
            )
        if isinstance(error, RequestValidationError):
            if request.method == "GET":
                return self.message(request, NotFound("no such page"), 404)
            return self.message(
                request, None, 422, title="Invalid input", detail=_validation_detail(error)
            )
        if isinstance(error, TandemError):
            return self.message(request, error, status_of(error))
        log.exception("unexpected error in web page %s", request.url.path, exc_info=error)
        return self.message(
            request, None, 500, detail="The error has been logged; please try again later."
        )


def _validation_detail(error: RequestValidationError) -> str:
    fields = sorted({str(e.get("loc", ("", "?"))[-1]) for e in error.errors()})
    return "Check the fields: " + ", ".join(fields) + "."


def web_route_class(web: Web) -> type[APIRoute]:
    """An :class:`APIRoute` whose errors become pages (only for the web routes)."""

    class WebRoute(APIRoute):
        def get_route_handler(
            self,
        ) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def guarded(request: Request) -> Response:
                try:
                    response = await handler(request)
                except Exception as error:  # every failure becomes a readable page
                    response = web.handle(request, error)
                for name, value in SECURITY_HEADERS.items():
                    response.headers.setdefault(name, value)
                return response

            return guarded

    return WebRoute
