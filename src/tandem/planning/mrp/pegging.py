"""Pegging: which requirements each supply of an item-site serves.

Requirements (independent demands, and the dependent demand each parent planned order places)
are taken in need-date order and met first-in first-out by the supplies in availability order —
stock on hand, then scheduled receipts and planned orders by due bucket. Each supply keeps
one-level pegs (end demand, or parent planned order with the part of its receipt enabled);
:meth:`~tandem.planning.mrp.results.MRPPlan.end_pegging` chains them through every BOM level and
transfer to the end demands (APICS Dictionary, *full pegging*). Each supply's pegs sum to its
quantity; what serves no requirement is pegged to nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from tandem.planning.mrp.lot_sizing import TOLERANCE
from tandem.planning.mrp.results import Peg

__all__ = ["Requirement", "Supply", "peg_fifo"]


class Requirement(NamedTuple):
    """``quantity`` needed in ``bucket`` for end demand ``demand_id`` or for the parent order
    ``parent_order`` (whose receipt ``parent_quantity`` it enables in full)."""

    bucket: int
    rank: tuple[int, str]
    quantity: float
    demand_id: str | None = None
    parent_order: str | None = None
    parent_quantity: float = 0.0


class Supply(NamedTuple):
    """``quantity`` available from ``bucket`` (``-1`` for stock on hand)."""

    bucket: int
    rank: tuple[int, str]
    quantity: float


def _pegs(taken: dict[tuple[str | None, str | None], list[float]]) -> tuple[Peg, ...]:
    return tuple(Peg(q, d, p, pq) for (d, p), (q, pq) in taken.items())


def _need_order(requirement: Requirement) -> tuple[int, tuple[int, str]]:
    return requirement.bucket, requirement.rank


def peg_fifo(
    requirements: Sequence[Requirement], supplies: Sequence[Supply]
) -> list[tuple[Peg, ...]]:
    """The pegs of each supply, in the order given; FIFO by need and availability date."""
    needs = sorted((r for r in requirements if r.quantity > TOLERANCE), key=_need_order)
    order = sorted(range(len(supplies)), key=lambda i: (supplies[i].bucket, supplies[i].rank))
    result: list[tuple[Peg, ...]] = [() for _ in supplies]
    index, left = 0, needs[0].quantity if needs else 0.0
    for i in order:
        available = supplies[i].quantity
        taken: dict[tuple[str | None, str | None], list[float]] = {}
        while available > TOLERANCE and index < len(needs):
            need = needs[index]
            take = min(available, left)
            entry = taken.setdefault((need.demand_id, need.parent_order), [0.0, 0.0])
            entry[0] += take
            if need.parent_order is not None:
                entry[1] += need.parent_quantity * take / need.quantity
            available -= take
            left -= take
            if left <= TOLERANCE:
                index += 1
                left = needs[index].quantity if index < len(needs) else 0.0
        if available > TOLERANCE:
            taken.setdefault((None, None), [0.0, 0.0])[0] += available
        result[i] = _pegs(taken)
    return result
