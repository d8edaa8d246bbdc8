"""Who is asking: people (users of one member) and systems (API keys of one member)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tandem.domain.errors import Forbidden


class Scope(StrEnum):
    """What a credential may do. People hold every scope; API keys hold the ones given."""

    NETWORK_READ = "network:read"
    NETWORK_WRITE = "network:write"
    SHARING_READ = "sharing:read"
    SHARING_WRITE = "sharing:write"
    DATA_READ = "data:read"
    DATA_WRITE = "data:write"
    INGEST = "ingest"


ALL_SCOPES = frozenset(Scope)


@dataclass(frozen=True)
class User:
    id: int
    member_id: int
    email: str
    display_name: str
    password_hash: str
    is_network_admin: bool = False
    is_active: bool = True


@dataclass(frozen=True)
class ApiKey:
    id: int
    member_id: int
    name: str
    prefix: str
    secret_hash: str
    scopes: frozenset[Scope]
    revoked: bool = False


@dataclass(frozen=True)
class Principal:
    """The authenticated caller, as every service sees it."""

    member_id: int
    network_id: int
    label: str
    scopes: frozenset[Scope]
    user_id: int | None = None
    api_key_id: int | None = None
    is_network_admin: bool = False

    def require(self, scope: Scope) -> None:
        if scope not in self.scopes:
            raise Forbidden(f"this credential lacks the scope '{scope.value}'")

    def require_owner(self, owner_member_id: int, what: str) -> None:
        """Only the owning member changes its own data."""
        if owner_member_id != self.member_id:
            raise Forbidden(f"only the owning member may change this {what}")

    def require_network_admin(self) -> None:
        if not self.is_network_admin:
            raise Forbidden("only a network administrator may do this")


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class SessionToken:
    """A login session or bearer token; only the SHA-256 of the secret is stored."""

    id: int
    user_id: int
    token_hash: str
    created_at: datetime
    expires_at: datetime
