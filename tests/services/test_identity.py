"""People, sessions and API keys."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.support import PASSWORD, World

from tandem.adapters.memory import FixedClock
from tandem.domain.errors import AuthenticationFailed, DuplicateCode, Forbidden, ValidationFailed
from tandem.domain.identity import Scope
from tandem.services import identity


def test_login_is_case_insensitive_on_email_and_opens_a_session(world: World) -> None:
    issued = identity.login(world.ctx, "  Cafe@Example.com ", PASSWORD)
    principal = identity.authenticate_token(world.ctx, issued.token)
    assert principal.member_id == world.cafe.member_id
    assert principal.scopes == frozenset(Scope)


def test_wrong_password_and_unknown_user_fail_the_same_way(world: World) -> None:
    with pytest.raises(AuthenticationFailed) as wrong:
        identity.login(world.ctx, "cafe@example.com", "not-the-password")
    with pytest.raises(AuthenticationFailed) as unknown:
        identity.login(world.ctx, "nobody@example.com", PASSWORD)
    assert wrong.value.detail == unknown.value.detail


def test_session_expires_and_logout_ends_it(world: World, clock: FixedClock) -> None:
    token = identity.login(world.ctx, "cafe@example.com", PASSWORD).token
    clock.advance(timedelta(hours=world.ctx.session_hours))
    with pytest.raises(AuthenticationFailed):
        identity.authenticate_token(world.ctx, token)
    token = identity.login(world.ctx, "cafe@example.com", PASSWORD).token
    identity.logout(world.ctx, token)
    with pytest.raises(AuthenticationFailed):
        identity.authenticate_token(world.ctx, token)


def test_api_key_carries_only_its_scopes_and_can_be_revoked(world: World) -> None:
    issued = identity.create_api_key(world.ctx, world.cafe, "erp", frozenset({Scope.DATA_READ}))
    assert issued.key.startswith("tdm_")
    assert issued.key.split("_", 2)[2] not in issued.api_key.secret_hash
    principal = identity.authenticate_api_key(world.ctx, issued.key)
    assert (principal.member_id, principal.scopes) == (
        world.cafe.member_id,
        frozenset({Scope.DATA_READ}),
    )
    with pytest.raises(Forbidden):
        principal.require(Scope.NETWORK_WRITE)
    identity.revoke_api_key(world.ctx, world.cafe, issued.api_key.id)
    with pytest.raises(AuthenticationFailed):
        identity.authenticate_api_key(world.ctx, issued.key)


def test_tampered_api_key_is_refused(world: World) -> None:
    issued = identity.create_api_key(world.ctx, world.cafe, "erp", frozenset({Scope.DATA_READ}))
    for bad in (issued.key[:-1] + "x", "tdm_nope_nope", "garbage", ""):
        with pytest.raises(AuthenticationFailed):
            identity.authenticate_api_key(world.ctx, bad)


def test_passwords_are_checked_and_stored_hashed(world: World) -> None:
    with pytest.raises(ValidationFailed) as caught:
        identity.add_user(world.ctx, identity.AddUser(world.cafe.member_id, "x", "X", "short"))
    assert [v.field for v in caught.value.violations] == ["password", "email"]
    user = identity.add_user(
        world.ctx,
        identity.AddUser(world.cafe.member_id, "Barista@Example.com", "B", "long-enough-pw"),
    )
    assert user.email == "barista@example.com"
    assert user.password_hash == "plain$long-enough-pw"  # the in-memory twin's stand-in hasher
    with pytest.raises(DuplicateCode):
        identity.add_user(
            world.ctx,
            identity.AddUser(world.cafe.member_id, "barista@example.com", "B", "long-enough-pw"),
        )


def test_only_admins_add_users_to_other_members(world: World) -> None:
    command = identity.AddUser(world.beans.member_id, "new@example.com", "N", "long-enough-pw")
    with pytest.raises(Forbidden):
        identity.add_user(world.ctx, command, actor=world.cafe)
    assert identity.add_user(world.ctx, command, actor=world.roaster).member_id == (
        world.beans.member_id
    )


def test_argon2_hasher_verifies_and_rejects() -> None:
    from tandem.adapters.passwords import Argon2PasswordHasher

    hasher = Argon2PasswordHasher(time_cost=1, memory_cost_kib=1024)
    stored = hasher.hash("s3cret-password")
    assert stored.startswith("$argon2id$")
    assert hasher.verify(stored, "s3cret-password") is True
    assert hasher.verify(stored, "wrong") is False
    assert hasher.verify("not-a-hash", "wrong") is False


def test_nobody_but_an_admin_grants_network_admin_rights(world: World) -> None:
    command = identity.AddUser(
        world.cafe.member_id, "boss@example.com", "B", "long-enough-pw", is_network_admin=True
    )
    with pytest.raises(Forbidden):
        identity.add_user(world.ctx, command, actor=world.cafe)
    assert identity.add_user(world.ctx, command, actor=world.roaster).is_network_admin is True


def test_an_api_key_cannot_mint_another_key(world: World) -> None:
    issued = identity.create_api_key(world.ctx, world.cafe, "erp", frozenset(Scope))
    as_key = identity.authenticate_api_key(world.ctx, issued.key)
    with pytest.raises(Forbidden):
        identity.create_api_key(world.ctx, as_key, "again", frozenset({Scope.DATA_READ}))


def test_describe_needs_no_scope(world: World) -> None:
    from dataclasses import replace

    bare = replace(world.cafe, scopes=frozenset())
    who = identity.describe(world.ctx, bare)
    assert (who.member.code, who.network.code) == ("CAFE", "coffee")
