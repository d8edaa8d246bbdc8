"""What every part of an import shares: progress, counts, row locations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from tandem.domain.errors import ImportRejected, Violation
from tandem.domain.identity import normalise_email
from tandem.domain.snapshot import (
    NetworkSnapshot,
)
from tandem.services.ports import UnitOfWork

Progress = Callable[[str, int, int], None]
E = TypeVar("E")


@dataclass(frozen=True)
class EntityCounts:
    """A number of rows per entity (the fields of :class:`ImportSummary`)."""

    members: int = 0
    users: int = 0
    sites: int = 0
    items: int = 0
    item_sites: int = 0
    bom_lines: int = 0
    lanes: int = 0
    demand_points: int = 0


@dataclass(frozen=True)
class ImportSummary:
    """Rows in the file per entity, and of those how many were inserted and how many updated.

    ``updated`` counts only rows whose stored values changed; a row identical to the stored one
    is neither inserted nor updated (so re-importing an unchanged file reports no updates).
    """

    network_id: int
    members: int
    users: int
    sites: int
    items: int
    item_sites: int
    bom_lines: int
    lanes: int
    demand_points: int
    inserted: EntityCounts = EntityCounts()
    updated: EntityCounts = EntityCounts()


def _where(sheet: str, row: int) -> str:
    return f"sheet {sheet}, row {row}" if row else f"sheet {sheet}"


def _reject_taken(uow: UnitOfWork, emails: list[str]) -> None:
    taken = [e for e in emails if uow.users.find(email=normalise_email(e))]
    if taken:
        raise ImportRejected(
            "e-mail addresses already registered: " + ", ".join(taken),
            violations=[
                Violation("sheet users", f"{e} already registered", "email") for e in taken
            ],
        )


def _summary(
    nid: int, snapshot: NetworkSnapshot, inserted: EntityCounts, updated: EntityCounts
) -> ImportSummary:
    return ImportSummary(
        nid,
        len(snapshot.members),
        len(snapshot.users),
        len(snapshot.sites),
        len(snapshot.items),
        len(snapshot.item_sites),
        len(snapshot.bom),
        len(snapshot.lanes),
        len(snapshot.demand),
        inserted,
        updated,
    )


DEMAND_BATCH = 20_000
