"""What every document of the flows shares: numbers, parties, the actor of a step."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any, TypeVar

from tandem.domain.errors import NotFound
from tandem.domain.identity import Principal
from tandem.services.ports import Repository

D = TypeVar("D")


def add_numbered(repository: Repository[D], document: D, prefix: str) -> D:
    """Store ``document`` and number it ``PREFIX-000042`` from its id.

    The number comes from the row's own id, so concurrent writers never collide on it (a count
    or max()+1 would, under PostgreSQL's read committed)."""
    provisional = dataclasses.replace(document, number=f"~{uuid.uuid4().hex}")  # type: ignore[type-var]
    stored = repository.add(provisional)
    numbered: D = dataclasses.replace(stored, number=f"{prefix}-{_id(stored):06d}")  # type: ignore[type-var]
    repository.update(numbered)
    return numbered


def _id(document: Any) -> int:
    return int(document.id)


def require_party(
    principal: Principal, document: D | None, parties: tuple[str, ...], what: str, key: int
) -> D:
    """``document`` if the caller's member is one of its ``parties`` fields; otherwise
    :class:`NotFound` (a third member cannot even learn that the document exists)."""
    if document is None or getattr(document, "network_id", None) != principal.network_id:
        raise NotFound(f"{what} {key} not found")
    if principal.member_id not in {getattr(document, p) for p in parties}:
        raise NotFound(f"{what} {key} not found")
    return document
