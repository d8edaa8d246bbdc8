"""Idempotency keys: a retried POST returns the first response and writes nothing twice.

The key is *claimed* in its own transaction before the write runs (a unique key per caller makes
two concurrent claims impossible), the response is stored when the write succeeded, and the claim
is released when the write failed — the failed write rolled back, so a retry may run it again.
A claim left by a crash between the write and storing its response stays "in progress": retries
get an error instead of a second write.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from tandem.domain.errors import (
    DuplicateCode,
    IdempotencyInProgress,
    IdempotencyKeyReused,
    ValidationFailed,
    Violation,
)
from tandem.domain.idempotency import IdempotencyRecord
from tandem.services.context import ServiceContext

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: str


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.upper().encode(), b"\0", path.encode(), b"\0", body):
        digest.update(part)
    return digest.hexdigest()


def claim(
    ctx: ServiceContext, principal: str, key: str, request_fingerprint: str
) -> StoredResponse | None:
    """Claim ``key`` for this request, or return the response stored for its first run."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(
            "Idempotency-Key must have 1 to 200 characters",
            violations=[Violation("header", "1 to 200 characters", "Idempotency-Key")],
        )
    with ctx.uow() as uow:
        existing = uow.idempotency.find(principal=principal, key=key)
        if not existing:
            try:
                uow.idempotency.add(
                    IdempotencyRecord(0, principal, key, request_fingerprint, ctx.clock.now())
                )
                uow.commit()
                return None
            except DuplicateCode:
                pass  # a concurrent request claimed it first: fall through and read it
    with ctx.uow() as uow:
        record = uow.idempotency.find(principal=principal, key=key)[0]
    if record.fingerprint != request_fingerprint:
        raise IdempotencyKeyReused("this Idempotency-Key was already used for a different request")
    if not record.completed:
        raise IdempotencyInProgress("the first request with this Idempotency-Key has not finished")
    assert record.status_code is not None and record.body is not None
    return StoredResponse(record.status_code, record.body)


def complete(ctx: ServiceContext, principal: str, key: str, response: StoredResponse) -> None:
    with ctx.uow() as uow:
        record = uow.idempotency.find(principal=principal, key=key)[0]
        uow.idempotency.update(
            replace(record, status_code=response.status_code, body=response.body)
        )
        uow.commit()


def release(ctx: ServiceContext, principal: str, key: str) -> None:
    with ctx.uow() as uow:
        for record in uow.idempotency.find(principal=principal, key=key):
            uow.idempotency.delete(record.id)
        uow.commit()
