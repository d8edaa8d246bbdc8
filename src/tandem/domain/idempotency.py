"""Idempotent retries: the first response to a key is the response to every retry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class IdempotencyRecord:
    id: int
    principal: str
    key: str
    fingerprint: str
    created_at: datetime
    status_code: int | None = None
    body: str | None = None

    @property
    def completed(self) -> bool:
        return self.status_code is not None
