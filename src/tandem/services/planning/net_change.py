"""Net change on the platform: diff the member's current MRP problem against the one its live
plan netted, and re-plan only what the difference reaches.

Orlicky (1975) contrasts *regeneration* (explode and net every item anew) with *net change*
(re-plan only the records a transaction touched). The engine's :func:`tandem.planning.mrp.replan`
does the latter and equals :func:`~tandem.planning.mrp.plan` exactly; this module turns two
stored problems into its :class:`~tandem.planning.mrp.MRPChanges` — item-site records that
differ, demands and receipts added, changed or gone (matched by id). The engine cannot change
the calendar, the bill of materials, the transfer lanes, the forecast-consumption window or
the set of item-sites incrementally: any of those, and the run regenerates and says why.

The previous :class:`~tandem.planning.mrp.MRPPlan` that ``replan`` starts from is rebuilt by
regenerating the stored problem in memory (docs/planning.md, "Net change", has the
measurements behind that choice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from tandem.planning import mrp

__all__ = ["NetChangePlan", "ProblemDiff", "diff_problems", "plan_net_change"]

_Row = TypeVar("_Row", mrp.Demand, mrp.ScheduledReceipt)


@dataclass(frozen=True)
class ProblemDiff:
    """The changes from one problem to the next, or why there can be none (``regenerate``:
    a non-empty reason)."""

    changes: mrp.MRPChanges
    regenerate: str = ""


def _rows(
    before: Sequence[_Row], after: Sequence[_Row]
) -> tuple[tuple[_Row, ...], tuple[str, ...]]:
    """Rows added or changed in ``after`` and the ids it no longer has."""
    old = {row.id: row for row in before}
    new_ids = {row.id for row in after}
    upserted = tuple(row for row in after if old.get(row.id) != row)
    removed = tuple(row.id for row in before if row.id not in new_ids)
    return upserted, removed


def _structure_change(before: mrp.MRPProblem, after: mrp.MRPProblem) -> str:
    if before.calendar != after.calendar:
        return "the planning calendar changed (as of, horizon, bucket or working days)"
    if {s.key for s in before.item_sites} != {s.key for s in after.item_sites}:
        return "item-sites were added or removed"
    if before.bom != after.bom:
        return "the bill of materials changed"
    if before.lanes != after.lanes:
        return "the transfer lanes changed"
    if before.consumption != after.consumption:
        return "the forecast consumption window changed"
    return ""


def diff_problems(before: mrp.MRPProblem, after: mrp.MRPProblem) -> ProblemDiff:
    """What changed from ``before`` to ``after``, as the engine's net-change input."""
    reason = _structure_change(before, after)
    if reason:
        return ProblemDiff(mrp.MRPChanges(), reason)
    old_sites = before.by_key
    sites = tuple(s for s in after.item_sites if old_sites[s.key] != s)
    demands, gone_demands = _rows(before.demands, after.demands)
    receipts, gone_receipts = _rows(before.receipts, after.receipts)
    return ProblemDiff(mrp.MRPChanges(sites, demands, gone_demands, receipts, gone_receipts))


@dataclass(frozen=True)
class NetChangePlan:
    """The plan of a net-change run, how many item-sites it netted and, when it had to
    regenerate, why."""

    plan: mrp.MRPPlan
    replanned: int
    regenerated_because: str = ""


def plan_net_change(previous: mrp.MRPProblem | None, current: mrp.MRPProblem) -> NetChangePlan:
    """Plan ``current`` by net change from ``previous`` (regenerating when it cannot)."""
    if previous is None:
        plan = mrp.plan(current)
        return NetChangePlan(
            plan, len(plan.item_sites), "there is no stored live plan to start from"
        )
    diff = diff_problems(previous, current)
    if diff.regenerate:
        plan = mrp.plan(current)
        return NetChangePlan(plan, len(plan.item_sites), diff.regenerate)
    before = mrp.plan(previous)
    after = mrp.replan(before, diff.changes)
    reused = {id(p) for p in before.item_sites}
    return NetChangePlan(after, sum(1 for p in after.item_sites if id(p) not in reused))
