"""Sessions, the caller, and API keys for a member's systems."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request

from tandem.api.deps import Caller, Paging, Services, bearer_token
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.identity import (
    ApiKeyIn,
    ApiKeyOut,
    IssuedApiKeyOut,
    LoginIn,
    MeOut,
    SessionOut,
)
from tandem.api.schemas.network import MemberOut, NetworkOut
from tandem.services import identity

router = APIRouter(tags=["authentication"])


@router.post("/auth/login", name="login")
def login(services: Services, body: LoginIn) -> SessionOut:
    """Open a session; send the token back as ``Authorization: Bearer <token>``."""
    issued = identity.login(services, body.email, body.password)
    return SessionOut(token=issued.token, expires_at=datetime.fromisoformat(issued.expires_at_iso))


@router.post("/auth/logout", name="logout", status_code=204)
def logout(services: Services, caller: Caller, request: Request) -> None:
    """End the session of the bearer token (a no-op for API keys)."""
    token = bearer_token(request)
    if caller.user_id is not None and token is not None:
        identity.logout(services, token)


@router.get("/me", name="who_am_i")
def who_am_i(services: Services, caller: Caller) -> MeOut:
    who = identity.describe(services, caller)
    return MeOut(
        label=caller.label,
        member=MemberOut.model_validate(who.member),
        network=NetworkOut.model_validate(who.network),
        scopes=list(caller.scopes),
        user_id=caller.user_id,
        api_key_id=caller.api_key_id,
        is_network_admin=caller.is_network_admin,
    )


@router.post("/api-keys", name="create_api_key", status_code=201)
def create_api_key(services: Services, caller: Caller, body: ApiKeyIn) -> IssuedApiKeyOut:
    """Issue a key holding only the scopes given; the full key is in this response only."""
    issued = identity.create_api_key(services, caller, body.name, frozenset(body.scopes))
    return IssuedApiKeyOut.model_validate({**issued.api_key.__dict__, "key": issued.key})


@router.get("/api-keys", name="list_api_keys")
def list_api_keys(services: Services, caller: Caller, page: Paging) -> PageOut[ApiKeyOut]:
    keys = identity.list_api_keys(services, caller)
    rows = keys[page.offset : page.offset + page.limit]
    return PageOut[ApiKeyOut].from_rows(rows, len(keys), page.offset, page.limit)


@router.post("/api-keys/{key_id}/revoke", name="revoke_api_key")
def revoke_api_key(services: Services, caller: Caller, key_id: Id) -> ApiKeyOut:
    return ApiKeyOut.model_validate(identity.revoke_api_key(services, caller, key_id))


@router.delete("/api-keys/{key_id}", name="delete_api_key", status_code=204)
def delete_api_key(services: Services, caller: Caller, key_id: Id) -> None:
    """Revoke the key (kept, marked revoked, for the record)."""
    identity.revoke_api_key(services, caller, key_id)
