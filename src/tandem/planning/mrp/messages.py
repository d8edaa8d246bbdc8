"""Exception messages that explain themselves (Vollmann et al. 2005, ch. 6).

* Release past due: a planned order whose release falls before the horizon start.
* Expedite / defer / cancel a scheduled receipt: receipts are taken in due order; receipt ``k``
  is *needed* in the first bucket where the gross requirements plus the safety stock, less the
  available stock and the receipts before ``k``, are still uncovered. Needed before its due
  bucket: expedite to that bucket; after it: defer; never within the horizon: cancel.
* Below safety stock: projected available under safety stock in buckets before the lead-time
  fence, where no new order can arrive in time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from tandem.planning.mrp.calendar import PlanningCalendar
from tandem.planning.mrp.inputs import ItemSiteKey, ScheduledReceipt
from tandem.planning.mrp.lot_sizing import TOLERANCE
from tandem.planning.mrp.results import ExceptionCode, MRPException, PlannedOrder

__all__ = ["below_safety_stock", "release_past_due", "reschedule_receipts"]

FloatArray = NDArray[np.float64]


def _q(value: float) -> str:
    return f"{value:,.6g}"


def release_past_due(
    order: PlannedOrder, lead_time: int, days_short: int, calendar: PlanningCalendar
) -> MRPException:
    due = calendar.label(order.due_bucket)
    message = (
        f"Release planned {order.kind.value} order {order.id} of {_q(order.quantity)} for "
        f"{order.item_site} now: due in {due} with a lead time of {lead_time} working days, it "
        f"should have been released {days_short} working days before {calendar.label(0)}."
    )
    return MRPException(
        ExceptionCode.RELEASE_PAST_DUE, order.item_site, order.release_bucket, message, order.id
    )


def reschedule_receipts(
    key: ItemSiteKey,
    receipts: Sequence[ScheduledReceipt],
    start: float,
    gross: FloatArray,
    floor: FloatArray,
    calendar: PlanningCalendar,
) -> list[MRPException]:
    """Expedite, defer and cancel messages for ``receipts`` (sorted by due bucket, id)."""
    uncovered = np.cumsum(gross) + floor - start  # needed from receipts by the end of t
    messages: list[MRPException] = []
    before = 0.0
    for receipt in (r for r in receipts if r.quantity > 0.0):
        short = np.flatnonzero(uncovered - before > TOLERANCE)
        what = f"{receipt.kind.value} order {receipt.id} of {_q(receipt.quantity)} for {key}"
        due = calendar.label(receipt.due_bucket)
        if short.size == 0:
            text = (
                f"Cancel {what} due in {due}: the requirements through "
                f"{calendar.label(calendar.horizon - 1)} are covered without it."
            )
            messages.append(_message(ExceptionCode.CANCEL, key, receipt, text))
        elif (need := int(short[0])) != receipt.due_bucket:
            without = float(before - uncovered[need] + floor[need])
            code = ExceptionCode.EXPEDITE if need < receipt.due_bucket else ExceptionCode.DEFER
            verb = "Expedite" if code is ExceptionCode.EXPEDITE else "Defer"
            text = (
                f"{verb} {what}: move it from {due} to {calendar.label(need)}, where it is first "
                f"needed (projected available without it: {_q(without)} against a safety stock "
                f"of {_q(float(floor[need]))})."
            )
            messages.append(_message(code, key, receipt, text, need))
        before += receipt.quantity
    return messages


def _message(
    code: ExceptionCode,
    key: ItemSiteKey,
    receipt: ScheduledReceipt,
    text: str,
    bucket: int | None = None,
) -> MRPException:
    where = receipt.due_bucket if bucket is None else bucket
    return MRPException(code, key, where, text, receipt.id)


def below_safety_stock(
    key: ItemSiteKey,
    projected: FloatArray,
    safety_stock: FloatArray,
    fence: int,
    lead_time: int,
    calendar: PlanningCalendar,
) -> list[MRPException]:
    """One message per run of buckets before the fence with projected available under safety
    stock."""
    below = projected[:fence] < safety_stock[:fence] - TOLERANCE
    messages: list[MRPException] = []
    for t in map(int, np.flatnonzero(below)):
        if t > 0 and below[t - 1]:
            continue
        first = "no bucket" if fence >= calendar.horizon else calendar.label(fence)
        text = (
            f"Projected available of {key} is {_q(float(projected[t]))} in {calendar.label(t)}, "
            f"below the safety stock of {_q(float(safety_stock[t]))}; with a lead time of "
            f"{lead_time} working days a new order can arrive in {first} at the earliest."
        )
        messages.append(MRPException(ExceptionCode.BELOW_SAFETY_STOCK, key, t, text))
    return messages
