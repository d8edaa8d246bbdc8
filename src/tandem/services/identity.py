"""People and systems: users with passwords and sessions, API keys with scopes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta

from tandem.domain.errors import (
    AuthenticationFailed,
    DuplicateCode,
    Forbidden,
    NotFound,
    ValidationFailed,
    Violation,
)
from tandem.domain.identity import (
    ALL_SCOPES,
    ApiKey,
    Principal,
    Scope,
    SessionToken,
    User,
    normalise_email,
)
from tandem.domain.network import Member, Network
from tandem.services.context import ServiceContext
from tandem.services.ports import UnitOfWork

MIN_PASSWORD_LENGTH = 10
API_KEY_PREFIX = "tdm"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class AddUser:
    member_id: int
    email: str
    display_name: str
    password: str
    is_network_admin: bool = False


@dataclass(frozen=True)
class IssuedToken:
    token: str
    user_id: int
    expires_at_iso: str


@dataclass(frozen=True)
class IssuedApiKey:
    """The full key is shown once, at creation; only its hash is stored."""

    key: str
    api_key: ApiKey


def password_violations(password: str) -> list[Violation]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return [
            Violation("user", f"must have at least {MIN_PASSWORD_LENGTH} characters", "password")
        ]
    return []


def add_user(ctx: ServiceContext, command: AddUser, actor: Principal | None = None) -> User:
    """Add a person to a member. ``actor`` None is the platform operator (CLI, import)."""
    if actor is not None:
        actor.require(Scope.NETWORK_WRITE)
        if command.is_network_admin:
            actor.require_network_admin()  # nobody makes themselves (or a colleague) admin
    email = normalise_email(command.email)
    found = password_violations(command.password)
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        found.append(Violation("user", "is not an e-mail address", "email"))
    if found:
        raise ValidationFailed("; ".join(str(v) for v in found), violations=found)
    with ctx.uow() as uow:
        member = uow.members.get(command.member_id)
        if member is None or (actor is not None and member.network_id != actor.network_id):
            raise NotFound(f"member {command.member_id} not found")
        if actor is not None and actor.member_id != member.id:
            actor.require_network_admin()
        if uow.users.find(email=email):
            raise DuplicateCode(
                f"a user with e-mail {email} already exists",
                violations=[Violation("user", "already registered", "email")],
            )
        user = uow.users.add(
            User(
                0,
                member.id,
                email,
                command.display_name,
                ctx.passwords.hash(command.password),
                command.is_network_admin,
            )
        )
        uow.commit()
    return user


def login(ctx: ServiceContext, email: str, password: str) -> IssuedToken:
    """Check a password and open a session; the same error whatever was wrong."""
    failure = AuthenticationFailed("unknown e-mail or wrong password")
    now = ctx.clock.now()
    with ctx.uow() as uow:
        users = uow.users.find(email=normalise_email(email))
        if not users or not users[0].is_active:
            ctx.passwords.hash(password)  # same work either way: no user enumeration by timing
            raise failure
        user = users[0]
        if not ctx.passwords.verify(user.password_hash, password):
            raise failure
        token = secrets.token_urlsafe(32)
        expires_at = now + timedelta(hours=ctx.session_hours)
        uow.session_tokens.add(SessionToken(0, user.id, _digest(token), now, expires_at))
        uow.commit()
    return IssuedToken(token, user.id, expires_at.isoformat())


def logout(ctx: ServiceContext, token: str) -> None:
    with ctx.uow() as uow:
        for stored in uow.session_tokens.find(token_hash=_digest(token)):
            uow.session_tokens.delete(stored.id)
        uow.commit()


def _principal_of(uow: UnitOfWork, member_id: int, label: str) -> tuple[int, str]:
    member = uow.members.get(member_id)
    if member is None:
        raise AuthenticationFailed("credential belongs to no member")
    return member.network_id, f"{label} ({member.code})"


def authenticate_token(ctx: ServiceContext, token: str) -> Principal:
    now = ctx.clock.now()
    with ctx.uow() as uow:
        stored = uow.session_tokens.find(token_hash=_digest(token))
        if not stored or stored[0].expires_at <= now:
            raise AuthenticationFailed("session expired or unknown; log in again")
        user = uow.users.get(stored[0].user_id)
        if user is None or not user.is_active:
            raise AuthenticationFailed("session expired or unknown; log in again")
        network_id, label = _principal_of(uow, user.member_id, user.email)
    return Principal(
        user.member_id,
        network_id,
        label,
        ALL_SCOPES,
        user_id=user.id,
        is_network_admin=user.is_network_admin,
    )


def create_api_key(
    ctx: ServiceContext, principal: Principal, name: str, scopes: frozenset[Scope]
) -> IssuedApiKey:
    """A key for a member's systems (ERP, devices) holding only the scopes given."""
    principal.require(Scope.NETWORK_WRITE)
    if principal.api_key_id is not None:
        raise Forbidden("API keys are created by people, not by other keys")
    if not scopes:
        raise ValidationFailed(
            "an API key needs at least one scope",
            violations=[Violation("api_key", "must not be empty", "scopes")],
        )
    with ctx.uow() as uow:
        issued = add_api_key(uow, principal.member_id, name, scopes)
        uow.commit()
    return issued


def add_api_key(
    uow: UnitOfWork, member_id: int, name: str, scopes: frozenset[Scope]
) -> IssuedApiKey:
    """Store a new key of ``member_id`` in ``uow`` (committed by the caller, with whatever else
    it belongs to, e.g. a device); the secret is in the returned key only."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = uow.api_keys.add(ApiKey(0, member_id, name, prefix, _digest(secret), frozenset(scopes)))
    return IssuedApiKey(f"{API_KEY_PREFIX}_{prefix}_{secret}", key)


def list_api_keys(ctx: ServiceContext, principal: Principal) -> list[ApiKey]:
    principal.require(Scope.NETWORK_READ)
    with ctx.uow() as uow:
        return uow.api_keys.find(member_id=principal.member_id)


def revoke_api_key(ctx: ServiceContext, principal: Principal, key_id: int) -> ApiKey:
    principal.require(Scope.NETWORK_WRITE)
    with ctx.uow() as uow:
        key = uow.api_keys.get(key_id)
        if key is None or key.member_id != principal.member_id:
            raise NotFound(f"API key {key_id} not found")
        key = replace(key, revoked=True)
        uow.api_keys.update(key)
        uow.commit()
    return key


def authenticate_api_key(ctx: ServiceContext, presented: str) -> Principal:
    failure = AuthenticationFailed("invalid API key")
    parts = presented.split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX:
        raise failure
    with ctx.uow() as uow:
        keys = uow.api_keys.find(prefix=parts[1])
        if not keys or keys[0].revoked:
            raise failure
        key = keys[0]
        if not secrets.compare_digest(key.secret_hash, _digest(parts[2])):
            raise failure
        network_id, label = _principal_of(uow, key.member_id, f"api-key:{key.name}")
    return Principal(key.member_id, network_id, label, key.scopes, api_key_id=key.id)


def member_id_by_code(ctx: ServiceContext, network_code: str, member_code: str) -> int:
    """Operator look-up for the command line."""
    with ctx.uow() as uow:
        networks = uow.networks.find(code=network_code)
        members = uow.members.find(network_id=networks[0].id, code=member_code) if networks else []
    if not members:
        raise NotFound(f"no member {member_code!r} in network {network_code!r}")
    return members[0].id


@dataclass(frozen=True)
class Identity:
    """Who the caller is: its member and network (needs no scope)."""

    member: Member
    network: Network
    principal: Principal


def describe(ctx: ServiceContext, principal: Principal) -> Identity:
    with ctx.uow() as uow:
        member = uow.members.get(principal.member_id)
        network = uow.networks.get(principal.network_id)
    if member is None or network is None:
        raise AuthenticationFailed("credential belongs to no member")
    return Identity(member, network, principal)
