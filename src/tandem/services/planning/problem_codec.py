"""A planning run's engine input, stored: an :class:`~tandem.planning.mrp.MRPProblem` as
zlib-compressed JSON, and back.

Faithful: every field of every frozen input dataclass is written, floats as Python writes them
(``repr``: the shortest text that reads back to the same double; ``Infinity`` where a modifier
is unbounded), so ``decode_problem(encode_problem(p)) == p`` for every valid problem (a
Hypothesis property in tests/unit/test_planning_problem_codec.py). Records are positional
arrays; lot-sizing rules, which most item-sites share, are listed once and referred to by
index. Version ``1`` is the only format so far; an unknown version is refused.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import astuple
from datetime import date
from typing import Any

from tandem.planning import mrp

__all__ = ["FORMAT_VERSION", "decode_problem", "encode_problem"]

FORMAT_VERSION = 1


def _key(key: mrp.ItemSiteKey) -> list[str]:
    return [key.item, key.site]


def _lot_sizing(lot: mrp.LotSizing) -> list[Any]:
    return [lot.rule.value, *astuple(lot)[1:]]


def _item_sites(
    sites: tuple[mrp.ItemSite, ...],
) -> tuple[list[list[Any]], list[list[Any]]]:
    lots: dict[mrp.LotSizing, int] = {}
    rows = []
    for s in sites:
        index = lots.setdefault(s.lot_sizing, len(lots))
        rows.append(
            [s.item, s.site, s.on_hand, s.allocated, s.safety_stock, s.base_stock_level,
             s.lead_time, index, s.yield_rate]
        )  # fmt: skip
    return rows, [_lot_sizing(lot) for lot in lots]


def encode_problem(problem: mrp.MRPProblem) -> bytes:
    """The problem as compressed JSON (see the module docstring)."""
    calendar = problem.calendar
    sites, lots = _item_sites(problem.item_sites)
    document = {
        "version": FORMAT_VERSION,
        "calendar": [
            calendar.size.value,
            [d.toordinal() for d in calendar.starts],
            list(calendar.working_days),
        ],
        "lot_sizings": lots,
        "item_sites": sites,
        "bom": [
            [*_key(b.parent), *_key(b.component), b.quantity_per, b.scrap_rate] for b in problem.bom
        ],
        "lanes": [[x.item, x.from_site, x.to_site, x.lead_time] for x in problem.lanes],
        "demands": [
            [d.id, d.kind.value, *_key(d.item_site), d.bucket, d.quantity] for d in problem.demands
        ],
        "receipts": [
            [r.id, r.kind.value, *_key(r.item_site), r.due_bucket, r.quantity]
            for r in problem.receipts
        ],
        "consumption": [problem.consumption.backward, problem.consumption.forward],
    }
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    return zlib.compress(text.encode("utf-8"), 6)


def _decode_lot(row: list[Any]) -> mrp.LotSizing:
    return mrp.LotSizing(mrp.LotSizingRule(row[0]), *row[1:])


def decode_problem(stored: bytes) -> mrp.MRPProblem:
    """The problem :func:`encode_problem` wrote; ``ValueError`` for another format."""
    document = json.loads(zlib.decompress(stored).decode("utf-8"))
    if document.get("version") != FORMAT_VERSION:
        raise ValueError(f"stored MRP problem: unknown format {document.get('version')!r}")
    size, starts, working = document["calendar"]
    calendar = mrp.PlanningCalendar(
        mrp.BucketSize(size), tuple(date.fromordinal(d) for d in starts), tuple(working)
    )
    lots = [_decode_lot(row) for row in document["lot_sizings"]]
    sites = tuple(
        mrp.ItemSite(item, site, on_hand, allocated, safety, base, lead, lots[lot], yield_rate)
        for item, site, on_hand, allocated, safety, base, lead, lot, yield_rate in document[
            "item_sites"
        ]
    )
    bom = tuple(
        mrp.BOMLine(mrp.ItemSiteKey(pi, ps), mrp.ItemSiteKey(ci, cs), per, scrap)
        for pi, ps, ci, cs, per, scrap in document["bom"]
    )
    lanes = tuple(mrp.TransferLane(*row) for row in document["lanes"])
    demands = tuple(
        mrp.Demand(i, mrp.DemandKind(kind), mrp.ItemSiteKey(item, site), bucket, quantity)
        for i, kind, item, site, bucket, quantity in document["demands"]
    )
    receipts = tuple(
        mrp.ScheduledReceipt(i, mrp.SupplyKind(kind), mrp.ItemSiteKey(item, site), due, quantity)
        for i, kind, item, site, due, quantity in document["receipts"]
    )
    backward, forward = document["consumption"]
    return mrp.MRPProblem(
        calendar, sites, bom, lanes, demands, receipts, mrp.ConsumptionWindow(backward, forward)
    )
