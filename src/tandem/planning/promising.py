"""Order promising by cumulative available-to-promise (ATP) with look-ahead.

Available-to-promise is "the uncommitted portion of a company's inventory and planned
production maintained in the master schedule to support customer-order promising" (APICS/ASCM
Dictionary, entry *available-to-promise*). This engine uses its *cumulative ATP with look-ahead*
form (Vollmann, Berry, Whybark & Jacobs, *Manufacturing Planning and Control for Supply Chain
Management*, 5th ed., McGraw-Hill 2005, ch. 6 "Master Production Scheduling", the sections on
available-to-promise and on order promising with cumulative ATP).

Model. Days run from ``today`` to an optional ``horizon``. Supply is the unallocated on-hand
stock (available on ``today``) plus dated scheduled receipts; committed demand is what earlier
promises already take from the receipts. Anything dated before ``today`` counts on ``today``;
anything after the horizon is ignored. With ``N(s)`` the cumulative supply minus cumulative
committed demand up to day ``s``, the quantity promisable for delivery by day ``t`` without
breaking an earlier commitment is the look-ahead minimum::

    ATP(t) = max(0, min_{s >= t} N(s))

which never decreases with ``t``. A new line of quantity ``q`` requested on day ``r`` gets, by
each day ``t >= r``, the cumulative quantity ``min(q, ATP(t))``: each unit on the earliest day it
can be had. The part due on ``r`` comes from on-hand first (``Source.ON_HAND``: the caller
reserves it now, so it consumes supply on ``today``) as far as ``ATP(today)`` and the stock allow;
the rest of the part on ``r`` and every later part come from scheduled receipts. What no day up
to the horizon can cover stays unpromised (``LinePromise.short``). Lines are promised one after
another in order of requested date, each seeing the commitments of the ones before.

Quantities are exact :class:`~decimal.Decimal` values; the engine neither rounds nor reads a clock.

Examples
--------
>>> from datetime import date
>>> from decimal import Decimal as D
>>> plan = SupplyPlan(
...     today=date(2026, 1, 1),
...     on_hand=D(10),
...     receipts=(DatedQuantity(date(2026, 1, 6), D(20)),),
... )
>>> [(p.promised_date.day, p.quantity, p.source.value)
...  for p in promise(plan, [PromiseRequest(1, D(25), date(2026, 1, 3))]).lines[0].promises]
[(3, Decimal('10'), 'on_hand'), (6, Decimal('15'), 'scheduled_receipt')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "AtpBucket",
    "DatedQuantity",
    "LinePromise",
    "Promise",
    "PromiseRequest",
    "PromiseResult",
    "Source",
    "SupplyPlan",
    "atp_profile",
    "promise",
]

_ZERO = Decimal(0)


class Source(StrEnum):
    """Where a promised quantity comes from."""

    ON_HAND = "on_hand"
    SCHEDULED_RECEIPT = "scheduled_receipt"


@dataclass(frozen=True)
class DatedQuantity:
    """A non-negative quantity on one day (a receipt, or a committed demand)."""

    day: date
    quantity: Decimal

    def __post_init__(self) -> None:
        if not self.quantity >= 0:
            raise ValueError(f"quantity must not be negative, got {self.quantity}")


@dataclass(frozen=True)
class SupplyPlan:
    """Supply and commitments of one item at one site.

    Attributes
    ----------
    today
        The first day; earlier dates count on it.
    on_hand
        Stock on hand and not allocated, available on ``today``.
    receipts
        Scheduled receipts (open purchase orders, goods in transit) by expected day.
    committed
        Demand already promised from the receipts, by promised day.
    horizon
        Last day looked at; ``None``: every day of the receipts and commitments.
    """

    today: date
    on_hand: Decimal
    receipts: tuple[DatedQuantity, ...] = ()
    committed: tuple[DatedQuantity, ...] = ()
    horizon: date | None = None

    def __post_init__(self) -> None:
        if not self.on_hand >= 0:
            raise ValueError(f"on_hand must not be negative, got {self.on_hand}")
        if self.horizon is not None and self.horizon < self.today:
            raise ValueError("the horizon must not end before today")


@dataclass(frozen=True)
class PromiseRequest:
    """A line to promise; ``key`` identifies it in the result (e.g. the order line's id)."""

    key: int
    quantity: Decimal
    requested_date: date

    def __post_init__(self) -> None:
        if not self.quantity > 0:
            raise ValueError(f"quantity must be positive, got {self.quantity}")


@dataclass(frozen=True)
class Promise:
    quantity: Decimal
    promised_date: date
    source: Source


@dataclass(frozen=True)
class LinePromise:
    """The promises of one line, earliest first (on-hand before receipts on the same day)."""

    key: int
    quantity: Decimal
    promises: tuple[Promise, ...]

    @property
    def promised(self) -> Decimal:
        return sum((p.quantity for p in self.promises), _ZERO)

    @property
    def short(self) -> Decimal:
        """What no day within the horizon can cover."""
        return self.quantity - self.promised


@dataclass(frozen=True)
class AtpBucket:
    """One day of the ATP profile.

    Attributes
    ----------
    supply
        On hand (on ``today``) plus the receipts due that day.
    committed
        Demand already promised from receipts for that day.
    atp
        Quantity that becomes promisable on that day (discrete ATP).
    cumulative_atp
        Quantity promisable for delivery by that day (cumulative ATP with look-ahead).
    """

    day: date
    supply: Decimal
    committed: Decimal
    atp: Decimal
    cumulative_atp: Decimal


@dataclass(frozen=True)
class PromiseResult:
    """The promises in the order the requests were given, and the supply plan left after them
    (on-hand reduced by the on-hand promises, receipt promises added to the commitments)."""

    lines: tuple[LinePromise, ...]
    remaining: SupplyPlan


def _day(plan: SupplyPlan, day: date) -> date | None:
    """``day`` moved to ``today`` if earlier; ``None`` if after the horizon."""
    if plan.horizon is not None and day > plan.horizon:
        return None
    return max(day, plan.today)


def _totals(plan: SupplyPlan, rows: Iterable[DatedQuantity]) -> dict[date, Decimal]:
    totals: dict[date, Decimal] = defaultdict(lambda: _ZERO)
    for row in rows:
        day = _day(plan, row.day)
        if day is not None:
            totals[day] += row.quantity
    return totals


def _cumulative_atp(
    plan: SupplyPlan, extra_days: Iterable[date] = ()
) -> list[tuple[date, Decimal]]:
    """``(day, ATP(day))`` for every day with supply or commitments, ``today`` and ``extra_days``,
    ascending: the running net ``N(s)`` and then its minimum over the days ahead."""
    supply = _totals(plan, plan.receipts)
    supply[plan.today] += plan.on_hand
    committed = _totals(plan, plan.committed)
    days = sorted({*supply, *committed, *extra_days})
    net: list[Decimal] = []
    running = _ZERO
    for day in days:
        running += supply.get(day, _ZERO) - committed.get(day, _ZERO)
        net.append(running)
    atp: list[Decimal] = [_ZERO] * len(days)
    ahead: Decimal | None = None
    for index in range(len(days) - 1, -1, -1):
        ahead = net[index] if ahead is None else min(ahead, net[index])
        atp[index] = max(_ZERO, ahead)
    return list(zip(days, atp, strict=True))


def atp_profile(plan: SupplyPlan) -> tuple[AtpBucket, ...]:
    """The dated ATP buckets of ``plan``: one per day with supply or commitments, and today.

    Examples
    --------
    >>> from datetime import date
    >>> from decimal import Decimal as D
    >>> plan = SupplyPlan(
    ...     date(2026, 1, 1),
    ...     D(10),
    ...     receipts=(DatedQuantity(date(2026, 1, 6), D(20)),),
    ...     committed=(DatedQuantity(date(2026, 1, 4), D(15)),),
    ... )
    >>> [(b.day.day, int(b.atp), int(b.cumulative_atp)) for b in atp_profile(plan)]
    [(1, 0, 0), (4, 0, 0), (6, 15, 15)]
    """
    supply = _totals(plan, plan.receipts)
    supply[plan.today] += plan.on_hand
    committed = _totals(plan, plan.committed)
    buckets = []
    before = _ZERO
    for day, cumulative in _cumulative_atp(plan):
        buckets.append(
            AtpBucket(
                day,
                supply.get(day, _ZERO),
                committed.get(day, _ZERO),
                cumulative - before,
                cumulative,
            )
        )
        before = cumulative
    return tuple(buckets)


def _promise_one(plan: SupplyPlan, request: PromiseRequest) -> tuple[LinePromise, SupplyPlan]:
    """Promise one line against ``plan``; the plan with its promises taken out."""
    requested = _day(plan, request.requested_date)
    if requested is None:  # requested after the horizon: nothing can be promised
        return LinePromise(request.key, request.quantity, ()), plan
    profile = _cumulative_atp(plan, [requested])
    from_stock = min(request.quantity, profile[0][1], plan.on_hand)
    promises: list[Promise] = []
    given = _ZERO
    for day, cumulative in profile:
        if day < requested:
            continue
        step = min(request.quantity, cumulative) - given
        if step <= 0:
            continue
        if day == requested and from_stock > 0:
            from_stock = min(from_stock, step)
            promises.append(Promise(from_stock, day, Source.ON_HAND))
            step -= from_stock
        if step > 0:
            promises.append(Promise(step, day, Source.SCHEDULED_RECEIPT))
        given = min(request.quantity, cumulative)
    taken_from_stock = sum((p.quantity for p in promises if p.source is Source.ON_HAND), _ZERO)
    remaining = replace(
        plan,
        on_hand=plan.on_hand - taken_from_stock,
        committed=plan.committed
        + tuple(
            DatedQuantity(p.promised_date, p.quantity)
            for p in promises
            if p.source is Source.SCHEDULED_RECEIPT
        ),
    )
    return LinePromise(request.key, request.quantity, tuple(promises)), remaining


def promise(plan: SupplyPlan, requests: Sequence[PromiseRequest]) -> PromiseResult:
    """Promise ``requests`` one after another in order of requested date (ties: given order).

    Parameters
    ----------
    plan
        Supply and commitments of the item at the site.
    requests
        The new lines, each of a positive quantity.

    Returns
    -------
    PromiseResult
        Per request (in the given order) its promises and short quantity, and the plan left.
    """
    order = sorted(range(len(requests)), key=lambda i: (requests[i].requested_date, i))
    found: dict[int, LinePromise] = {}
    for index in order:
        found[index], plan = _promise_one(plan, requests[index])
    return PromiseResult(tuple(found[i] for i in range(len(requests))), plan)
