"""What-if scenarios (the digital twin's delta format) applied to a member's MRP inputs.

A scenario is a list of deltas (:func:`tandem.domain.planning_runs.parse_scenario`): scale
independent demand, shift suppliers' lead times, set or scale safety stock, each narrowed by
item SKU, site code or supplier member code. Deltas apply in order; a what-if run nets the
changed inputs and never touches the live plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from tandem.domain.errors import Violation
from tandem.domain.network import PlanningParameters
from tandem.domain.planning_runs import (
    DemandScale,
    LeadTimeShift,
    SafetyStockChange,
    ScenarioDelta,
)
from tandem.planning import mrp

__all__ = ["Adjust", "scenario_code_violations"]


def _matches(wanted: str | None, actual: str) -> bool:
    return wanted is None or wanted == actual


class Adjust:
    """The scenario's changes to one member's inputs."""

    def __init__(self, deltas: Sequence[ScenarioDelta], member_codes: Mapping[int, str]) -> None:
        self.deltas = tuple(deltas)
        self.member_codes = dict(member_codes)

    def demand(self, demand: mrp.Demand) -> mrp.Demand:
        quantity = demand.quantity
        for delta in self.deltas:
            key = demand.item_site
            if (
                isinstance(delta, DemandScale)
                and _matches(delta.item, key.item)
                and _matches(delta.site, key.site)
            ):
                quantity *= delta.factor
        return replace(demand, quantity=quantity) if quantity != demand.quantity else demand

    def lead_time(self, days: int, sku: str, supplier_member_id: int) -> int:
        supplier = self.member_codes.get(supplier_member_id, "")
        for delta in self.deltas:
            if (
                isinstance(delta, LeadTimeShift)
                and _matches(delta.item, sku)
                and _matches(delta.supplier, supplier)
            ):
                days = max(0, days + delta.add_days)
        return days

    def floor(self, key: mrp.ItemSiteKey, parameters: PlanningParameters) -> dict[str, Any]:
        """``safety_stock`` and ``base_stock_level`` of the engine's item-site: the adopted
        base stock where there is one, else the safety stock; a delta that sets a quantity
        replaces both by that safety stock, a factor scales whichever applies."""
        safety = parameters.safety_stock or 0.0
        base = parameters.order_up_to_level
        for delta in self.deltas:
            if not (
                isinstance(delta, SafetyStockChange)
                and _matches(delta.item, key.item)
                and _matches(delta.site, key.site)
            ):
                continue
            if delta.quantity is not None:
                safety, base = delta.quantity, None
            elif delta.factor is not None:
                safety *= delta.factor
                base = None if base is None else base * delta.factor
        if base is not None:
            return {"safety_stock": 0.0, "base_stock_level": base}
        return {"safety_stock": safety, "base_stock_level": None}


def scenario_code_violations(
    deltas: Iterable[ScenarioDelta],
    skus: set[str],
    site_codes: set[str],
    member_codes: set[str],
) -> list[Violation]:
    """Codes a scenario names that the network does not have."""
    found: list[Violation] = []
    for index, delta in enumerate(deltas):
        at = f"scenario[{index}]"
        named = {
            "item": (getattr(delta, "item", None), skus),
            "site": (getattr(delta, "site", None), site_codes),
            "supplier": (getattr(delta, "supplier", None), member_codes),
        }
        for name, (value, known) in named.items():
            if value is not None and value not in known:
                found.append(Violation(at, f"unknown {name} {value!r}", name))
    return found
