"""People and systems: login sessions, the caller, API keys, users of a member."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from tandem.api.schemas.common import Name, RequestModel, ResponseModel, Sorted
from tandem.api.schemas.network import MemberOut, NetworkOut
from tandem.domain.identity import Scope

Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=3, max_length=320, pattern=r"^[^\x00-\x1f\x7f\s]+$"
    ),
]
Password = Annotated[str, Field(min_length=1, max_length=1024)]


class LoginIn(RequestModel):
    email: Email
    password: Password


class SessionOut(ResponseModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'")
    token_type: str = "bearer"
    expires_at: datetime


class MeOut(ResponseModel):
    label: str
    member: MemberOut
    network: NetworkOut
    scopes: Annotated[list[Scope], Sorted]
    user_id: int | None
    api_key_id: int | None
    is_network_admin: bool


class ApiKeyIn(RequestModel):
    name: Name
    scopes: Annotated[list[Scope], Field(min_length=1, max_length=len(Scope))]


class ApiKeyOut(ResponseModel):
    """An API key as listed: never its secret nor the hash of it."""

    id: int
    member_id: int
    name: str
    prefix: str
    scopes: Annotated[list[Scope], Sorted]
    revoked: bool


class IssuedApiKeyOut(ApiKeyOut):
    key: str = Field(description="The full key; shown once, store it now")


class UserIn(RequestModel):
    email: Email
    display_name: Name
    password: Password


class UserOut(ResponseModel):
    """A person, without any password material."""

    id: int
    member_id: int
    email: str
    display_name: str
    is_network_admin: bool
    is_active: bool
