"""Dependencies of every route: the service context, the authenticated caller, the page asked for.

Credentials travel in headers only: ``Authorization: Bearer <session token>`` (from
``POST /api/v1/auth/login``), ``Authorization: Bearer tdm_...`` or ``X-API-Key: tdm_...`` (API
keys). The caller is authenticated once per request and kept on ``request.state``, so the
idempotency middleware and the route share one look-up.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import APIKeyHeader, HTTPBearer

from tandem.api.schemas.common import MAX_PAGE
from tandem.bootstrap import Container
from tandem.domain.errors import AuthenticationFailed
from tandem.domain.identity import Principal
from tandem.services import identity
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.identity import API_KEY_PREFIX

API_KEY_HEADER = "X-API-Key"
_STATE_KEY = "tandem_principal"

# Declared for the OpenAPI document ("Authorize" in /docs); the parsing is done below.
bearer_scheme = HTTPBearer(auto_error=False, description="Session token or API key (tdm_...)")
api_key_scheme = APIKeyHeader(name=API_KEY_HEADER, auto_error=False, description="API key")


def container_of(request: Request) -> Container:
    """The container the app was created with; looked up per request, never captured."""
    container: Container = request.app.state.container
    return container


async def get_services(request: Request) -> ServiceContext:
    return container_of(request).services


def bearer_token(request: Request) -> str | None:
    """The credential of an ``Authorization: Bearer`` header, if one was sent."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, credential = header.partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise AuthenticationFailed("the Authorization header must read 'Bearer <token>'")
    return credential.strip()


def authenticate_request(services: ServiceContext, request: Request) -> Principal:
    """The caller of ``request``, authenticated on first use; raises AuthenticationFailed."""
    cached = getattr(request.state, _STATE_KEY, None)
    if isinstance(cached, Principal):
        return cached
    token = bearer_token(request)
    api_key = request.headers.get(API_KEY_HEADER)
    if token is not None and api_key is not None:
        raise AuthenticationFailed("send either an Authorization header or X-API-Key, not both")
    if api_key is not None:
        principal = identity.authenticate_api_key(services, api_key.strip())
    elif token is None:
        raise AuthenticationFailed(
            "authentication required: send 'Authorization: Bearer <token>' or 'X-API-Key'"
        )
    elif token.startswith(f"{API_KEY_PREFIX}_"):
        principal = identity.authenticate_api_key(services, token)
    else:
        principal = identity.authenticate_token(services, token)
    setattr(request.state, _STATE_KEY, principal)
    return principal


def principal_key(principal: Principal) -> str:
    """Whose idempotency keys these are: one person or one API key."""
    if principal.api_key_id is not None:
        return f"api-key:{principal.api_key_id}"
    return f"user:{principal.user_id}"


Services = Annotated[ServiceContext, Depends(get_services)]


def current_principal(
    request: Request,
    services: Services,
    _bearer: Annotated[object, Depends(bearer_scheme)] = None,
    _api_key: Annotated[object, Depends(api_key_scheme)] = None,
) -> Principal:
    return authenticate_request(services, request)


async def page_request(
    offset: Annotated[int, Query(ge=0, le=2_000_000_000, description="Rows to skip")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Rows per page")] = 100,
) -> PageRequest:
    return PageRequest(offset, limit)


Caller = Annotated[Principal, Depends(current_principal)]
Paging = Annotated[PageRequest, Depends(page_request)]
