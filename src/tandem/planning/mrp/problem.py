"""An MRP problem, its validation, forecast consumption and net-change deltas."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from tandem.planning.mrp.calendar import PlanningCalendar
from tandem.planning.mrp.inputs import (
    BOMLine,
    ConsumptionWindow,
    Demand,
    DemandKind,
    ItemSite,
    ItemSiteKey,
    MRPInputError,
    ScheduledReceipt,
    TransferLane,
)

__all__ = ["DemandLine", "MRPChanges", "MRPProblem", "apply_changes", "consume_forecast"]

_Row = TypeVar("_Row", Demand, ScheduledReceipt)


@dataclass(frozen=True)
class MRPProblem:
    """Everything one MRP run nets.

    Attributes
    ----------
    calendar
        The buckets.
    item_sites
        One record per item-site (unique keys).
    bom, lanes
        Bill-of-material lines and transfer lanes between item-sites.
    demands
        Forecasts and customer orders (unique ids).
    receipts
        Open purchase, production and transfer orders (unique ids).
    consumption
        How far customer orders reach to consume forecast.
    """

    calendar: PlanningCalendar
    item_sites: tuple[ItemSite, ...]
    bom: tuple[BOMLine, ...] = ()
    lanes: tuple[TransferLane, ...] = ()
    demands: tuple[Demand, ...] = ()
    receipts: tuple[ScheduledReceipt, ...] = ()
    consumption: ConsumptionWindow = field(default_factory=ConsumptionWindow)

    def __post_init__(self) -> None:
        keys = {site.key for site in self.item_sites}
        _unique([str(s.key) for s in self.item_sites], "item-site")
        _unique([d.id for d in self.demands], "demand")
        _unique([r.id for r in self.receipts], "scheduled receipt")
        horizon = self.calendar.horizon
        for what, key, bucket in [
            *((f"demand {d.id}", d.item_site, d.bucket) for d in self.demands),
            *((f"scheduled receipt {r.id}", r.item_site, r.due_bucket) for r in self.receipts),
        ]:
            if key not in keys:
                raise MRPInputError(f"{what}: unknown item-site {key}")
            if not 0 <= bucket < horizon:
                raise MRPInputError(f"{what}: bucket {bucket} is outside 0..{horizon - 1}")

    @property
    def by_key(self) -> dict[ItemSiteKey, ItemSite]:
        return {site.key: site for site in self.item_sites}


def _unique(ids: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise MRPInputError(f"{what} {value}: listed twice")
        seen.add(value)


@dataclass(frozen=True)
class DemandLine:
    """Independent demand left after forecast consumption."""

    id: str
    bucket: int
    quantity: float


def consume_forecast(
    demands: Iterable[Demand], window: ConsumptionWindow, horizon: int
) -> list[DemandLine]:
    """Customer orders in full plus the unconsumed forecast of one item-site, sorted.

    Orders, earliest first, consume forecast in their bucket, then backward (nearest first),
    then forward (APICS Dictionary, *forecast consumption*).
    """
    forecast: dict[int, list[tuple[str, list[float]]]] = defaultdict(list)
    orders: list[Demand] = []
    for demand in sorted(demands, key=lambda d: (d.bucket, d.id)):
        if demand.kind is DemandKind.FORECAST:
            forecast[demand.bucket].append((demand.id, [demand.quantity]))
        else:
            orders.append(demand)
    for order in orders:
        left = order.quantity
        reach = [
            order.bucket,
            *range(order.bucket - 1, order.bucket - window.backward - 1, -1),
            *range(order.bucket + 1, order.bucket + window.forward + 1),
        ]
        for bucket in (b for b in reach if 0 <= b < horizon):
            for _, remaining in forecast.get(bucket, []):
                take = min(left, remaining[0])
                remaining[0] -= take
                left -= take
    lines = [DemandLine(o.id, o.bucket, o.quantity) for o in orders]
    for bucket, entries in forecast.items():
        lines.extend(DemandLine(i, bucket, q[0]) for i, q in entries if q[0] > 0.0)
    return sorted(lines, key=lambda line: (line.bucket, line.id))


@dataclass(frozen=True)
class MRPChanges:
    """Input changes for a net-change run.

    ``item_sites`` replace the records with the same key; ``demands`` and ``receipts`` replace
    those with the same id or are added; the ``removed_*`` ids are dropped. The BOM, lanes and
    calendar do not change in a net-change run (regenerate for that).
    """

    item_sites: tuple[ItemSite, ...] = ()
    demands: tuple[Demand, ...] = ()
    removed_demands: tuple[str, ...] = ()
    receipts: tuple[ScheduledReceipt, ...] = ()
    removed_receipts: tuple[str, ...] = ()


def apply_changes(problem: MRPProblem, changes: MRPChanges) -> tuple[MRPProblem, set[ItemSiteKey]]:
    """The changed problem and the item-sites whose own inputs changed."""
    known = problem.by_key
    touched: set[ItemSiteKey] = set()
    for site in changes.item_sites:
        if site.key not in known:
            raise MRPInputError(f"item-site {site.key}: net change cannot add item-sites")
        touched.add(site.key)
    replaced = {site.key: site for site in changes.item_sites}
    sites = tuple(replaced.get(site.key, site) for site in problem.item_sites)
    demands, demand_keys = _merge_rows(problem.demands, changes.demands, changes.removed_demands)
    receipts, receipt_keys = _merge_rows(
        problem.receipts, changes.receipts, changes.removed_receipts
    )
    touched |= demand_keys | receipt_keys
    changed = MRPProblem(
        problem.calendar, sites, problem.bom, problem.lanes, demands, receipts, problem.consumption
    )
    return changed, touched


def _merge_rows(
    rows: Sequence[_Row], new: Sequence[_Row], removed: Iterable[str]
) -> tuple[tuple[_Row, ...], set[ItemSiteKey]]:
    """Rows with ``new`` replacing or added by id and ``removed`` dropped; the item-sites hit."""
    by_id = {row.id: row for row in new}
    gone = set(removed)
    touched = {row.item_site for row in new}
    kept: list[_Row] = []
    for row in rows:
        if row.id in gone or row.id in by_id:
            touched.add(row.item_site)
        if row.id in gone:
            continue
        kept.append(by_id.pop(row.id, row))
    kept.extend(row for row in new if row.id in by_id)
    return tuple(kept), touched
