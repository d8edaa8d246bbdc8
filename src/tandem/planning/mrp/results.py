"""The frozen output of the MRP engine: records, planned orders, pegging, exceptions."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import NDArray

from tandem.planning.mrp.calendar import PlanningCalendar
from tandem.planning.mrp.inputs import ItemSiteKey, SupplyKind

if TYPE_CHECKING:
    from tandem.planning.mrp.problem import MRPProblem

__all__ = [
    "ExceptionCode",
    "ItemSitePlan",
    "MRPException",
    "MRPPlan",
    "Peg",
    "PlannedOrder",
    "SupplyPegging",
    "TimePhasedRecord",
    "on_hand_id",
]


def on_hand_id(key: ItemSiteKey) -> str:
    """Supply id of the stock on hand of ``key`` in :class:`SupplyPegging`."""
    return f"{key}#on-hand"


class ExceptionCode(StrEnum):
    """Action messages of an MRP run (Vollmann et al. 2005, ch. 6, "exception messages")."""

    RELEASE_PAST_DUE = "release_past_due"
    EXPEDITE = "expedite"
    DEFER = "defer"
    CANCEL = "cancel"
    BELOW_SAFETY_STOCK = "below_safety_stock"


class Peg(NamedTuple):
    """``quantity`` of a supply serves one requirement.

    Either end demand ``demand_id`` (forecast or customer order), or the dependent demand of
    the planned order ``parent_order`` of a parent item-site, of which it enables
    ``parent_quantity`` units of receipt; neither: no requirement (safety stock, a lot-size
    remainder, an allocation shortfall). :meth:`MRPPlan.end_pegging` follows parent orders
    up to the end demands.
    """

    quantity: float
    demand_id: str | None = None
    parent_order: str | None = None
    parent_quantity: float = 0.0


class PlannedOrder(NamedTuple):
    """A planned order: released in ``release_bucket`` (negative: past due), received in
    ``due_bucket``. ``quantity`` is received; ``release_quantity = quantity / yield_rate`` is
    started and exploded. ``pegging`` sums to ``quantity``."""

    id: str
    item_site: ItemSiteKey
    kind: SupplyKind
    release_bucket: int
    due_bucket: int
    quantity: float
    release_quantity: float
    pegging: tuple[Peg, ...]


@dataclass(frozen=True)
class SupplyPegging:
    """The pegging of stock on hand (``supply_id`` from :func:`on_hand_id`) or of a scheduled
    receipt."""

    supply_id: str
    pegging: tuple[Peg, ...]


@dataclass(frozen=True)
class MRPException:
    """An action message with the numbers behind it."""

    code: ExceptionCode
    item_site: ItemSiteKey
    bucket: int
    message: str
    supply_id: str | None = None


@dataclass(frozen=True, eq=False)
class TimePhasedRecord:
    """The MRP record of one item-site, one value per bucket (read-only arrays).

    ``projected_available[t] = on_hand - allocated + sum_{u <= t} (scheduled_receipts[u] +
    planned_receipts[u] - gross_requirements[u])``; ``net_requirements[t]`` is what bucket ``t``
    still lacks to reach ``safety_stock[t]`` before its planned receipts. Planned releases past
    due are in ``past_due_release``, not in ``planned_releases``.
    """

    gross_requirements: NDArray[np.float64]
    scheduled_receipts: NDArray[np.float64]
    projected_available: NDArray[np.float64]
    net_requirements: NDArray[np.float64]
    planned_receipts: NDArray[np.float64]
    planned_releases: NDArray[np.float64]
    safety_stock: NDArray[np.float64]
    past_due_release: float

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TimePhasedRecord):
            return NotImplemented
        return all(
            np.array_equal(getattr(self, f.name), getattr(other, f.name)) for f in fields(self)
        )

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class ItemSitePlan:
    """Everything planned for one item-site."""

    key: ItemSiteKey
    low_level_code: int
    supply_kind: SupplyKind
    record: TimePhasedRecord
    planned_orders: tuple[PlannedOrder, ...]
    supply_pegging: tuple[SupplyPegging, ...]
    exceptions: tuple[MRPException, ...]


@dataclass(frozen=True)
class MRPPlan:
    """The plan of every item-site, in netting order (low-level code, then key).

    ``problem`` is the input it was planned from (kept for net change; not compared).
    """

    calendar: PlanningCalendar
    item_sites: tuple[ItemSitePlan, ...]
    problem: MRPProblem = field(compare=False, repr=False)

    def item_site(self, key: ItemSiteKey) -> ItemSitePlan:
        plan = self._index[0].get(key)
        if plan is None:
            raise KeyError(str(key))
        return plan

    @property
    def planned_orders(self) -> tuple[PlannedOrder, ...]:
        """Every planned order, in netting order."""
        return tuple(order for plan in self.item_sites for order in plan.planned_orders)

    @property
    def exceptions(self) -> tuple[MRPException, ...]:
        """Every exception message, in netting order."""
        return tuple(message for plan in self.item_sites for message in plan.exceptions)

    @cached_property
    def _index(self) -> tuple[dict[ItemSiteKey, ItemSitePlan], dict[str, tuple[Peg, ...]]]:
        sites = {plan.key: plan for plan in self.item_sites}
        pegging = {o.id: o.pegging for p in self.item_sites for o in p.planned_orders}
        for plan in self.item_sites:
            pegging.update((s.supply_id, s.pegging) for s in plan.supply_pegging)
        return sites, pegging

    def end_pegging(self, order_id: str) -> tuple[Peg, ...]:
        """Full pegging of a planned order or scheduled receipt: the end demands it serves
        through every BOM level and transfer, merged by demand; sums to its quantity."""
        return tuple(Peg(q, d) for d, q in self._end(order_id, {}).items())

    def _end(
        self, supply_id: str, memo: dict[str, dict[str | None, float]]
    ) -> dict[str | None, float]:
        if supply_id not in memo:
            totals: dict[str | None, float] = {}
            for peg in self._index[1][supply_id]:
                if peg.parent_order is None:
                    totals[peg.demand_id] = totals.get(peg.demand_id, 0.0) + peg.quantity
                    continue
                parent = self._end(peg.parent_order, memo)
                share = peg.quantity / sum(parent.values())
                for demand, quantity in parent.items():
                    totals[demand] = totals.get(demand, 0.0) + quantity * share
            memo[supply_id] = totals
        return memo[supply_id]
