"""Idempotency keys on the service level."""

from __future__ import annotations

import pytest

from tandem.domain.errors import IdempotencyInProgress, IdempotencyKeyReused, ValidationFailed
from tandem.services import idempotency
from tandem.services.context import ServiceContext
from tandem.services.idempotency import StoredResponse, fingerprint


def test_first_claim_runs_and_a_retry_gets_the_stored_response(ctx: ServiceContext) -> None:
    fp = fingerprint("POST", "/api/v1/sites", b'{"code":"X"}')
    assert idempotency.claim(ctx, "user:1", "k1", fp) is None
    with pytest.raises(IdempotencyInProgress):
        idempotency.claim(ctx, "user:1", "k1", fp)
    idempotency.complete(ctx, "user:1", "k1", StoredResponse(201, '{"id":7}'))
    assert idempotency.claim(ctx, "user:1", "k1", fp) == StoredResponse(201, '{"id":7}')


def test_same_key_with_another_request_is_refused(ctx: ServiceContext) -> None:
    assert idempotency.claim(ctx, "user:1", "k1", fingerprint("POST", "/a", b"1")) is None
    idempotency.complete(ctx, "user:1", "k1", StoredResponse(201, "{}"))
    with pytest.raises(IdempotencyKeyReused):
        idempotency.claim(ctx, "user:1", "k1", fingerprint("POST", "/a", b"2"))


def test_keys_are_scoped_to_the_caller(ctx: ServiceContext) -> None:
    fp = fingerprint("POST", "/a", b"1")
    assert idempotency.claim(ctx, "user:1", "k1", fp) is None
    assert idempotency.claim(ctx, "user:2", "k1", fp) is None


def test_released_claim_lets_the_retry_run_again(ctx: ServiceContext) -> None:
    fp = fingerprint("POST", "/a", b"1")
    assert idempotency.claim(ctx, "user:1", "k1", fp) is None
    idempotency.release(ctx, "user:1", "k1")
    assert idempotency.claim(ctx, "user:1", "k1", fp) is None


def test_key_length_is_checked(ctx: ServiceContext) -> None:
    with pytest.raises(ValidationFailed):
        idempotency.claim(ctx, "user:1", "", "fp")
    with pytest.raises(ValidationFailed):
        idempotency.claim(ctx, "user:1", "k" * 201, "fp")


def test_fingerprint_separates_method_path_and_body() -> None:
    assert fingerprint("post", "/a", b"x") == fingerprint("POST", "/a", b"x")
    assert (
        len(
            {
                fingerprint("POST", "/a", b"x"),
                fingerprint("PUT", "/a", b"x"),
                fingerprint("POST", "/ax", b""),
                fingerprint("POST", "/a", b"y"),
            }
        )
        == 4
    )
