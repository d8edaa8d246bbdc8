"""The cash conversion cycle of one member, from its stock ledger and its money ledger
(Richards & Laughlin 1980; see :mod:`tandem.domain.performance` for the sources)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.finance import Account, JournalEntry, Posting
from tandem.domain.inventory import MovementKind, StockMovement
from tandem.domain.performance.measures import DaysMetric, days_of, midnight

MINOR_PER_MAJOR = 100
"""Minor units per unit of ``Item.unit_value`` (the network's one currency has cents)."""

MAX_WINDOW_DAYS = 3660
"""The longest trailing window (ten years)."""


@dataclass(frozen=True)
class Window:
    """The trailing window ``[start, end)`` of ``days`` whole days ending with ``as_of``."""

    as_of: date
    days: int

    def __post_init__(self) -> None:
        if not 1 <= self.days <= MAX_WINDOW_DAYS:
            raise ValidationFailed(
                f"the window must be 1 to {MAX_WINDOW_DAYS} days long (got {self.days})",
                violations=[Violation("query", f"must lie in [1, {MAX_WINDOW_DAYS}]", "days")],
            )

    @property
    def end(self) -> datetime:
        return midnight(self.as_of + timedelta(days=1))

    @property
    def start(self) -> datetime:
        return self.end - timedelta(days=self.days)


@dataclass(frozen=True)
class CashToCash:
    """One member's cash conversion cycle over a trailing window (Richards & Laughlin 1980).

    Inputs, in minor units, from the member's own ledgers:

    * ``opening/closing_inventory_minor``: sum over its positions of on hand x ``Item.unit_value``
      at the window's start and end, on hand at t being the sum of the movements before t;
      ``average_inventory_minor`` their mean.
    * ``cogs_minor``: value of the stock that left it in the window (issues and consumptions at
      ``Item.unit_value``; transfers between its own sites and adjustments are not sales).
    * ``revenue_minor`` / ``purchases_minor``: net credits to revenue / net debits to purchases
      of the journal entries in the window (credit notes reduce them).
    * ``receivables_minor`` / ``payables_minor``: balances at the window's end.

    Metrics, with d the window's days: DIO = average inventory / (COGS / d); DSO = receivables /
    (revenue / d); DPO = payables / (purchases / d); CCC = DIO + DSO - DPO. Each is ``None``,
    with its reason, when its denominator is not positive; CCC when one of the three is.
    """

    member_id: int
    as_of: date
    days: int
    start: datetime
    end: datetime
    opening_inventory_minor: int
    closing_inventory_minor: int
    average_inventory_minor: float
    cogs_minor: int
    revenue_minor: int
    purchases_minor: int
    receivables_minor: int
    payables_minor: int
    dio: DaysMetric
    dso: DaysMetric
    dpo: DaysMetric
    ccc: DaysMetric


def _to_minor(value: Decimal) -> int:
    return int((value * MINOR_PER_MAJOR).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def inventory_value_minor(
    movements: Iterable[StockMovement], unit_values: Mapping[int, float], at: datetime
) -> int:
    """Value of the stock on hand at ``at``: movements before ``at`` at ``Item.unit_value``."""
    value = sum(
        (
            m.quantity * Decimal(str(unit_values[m.item_id]))
            for m in movements
            if m.occurred_at < at
        ),
        Decimal(0),
    )
    return _to_minor(value)


def cogs_minor(
    movements: Iterable[StockMovement], unit_values: Mapping[int, float], window: Window
) -> int:
    """Value of the stock issued or consumed in ``window`` (a positive number)."""
    leaving = (MovementKind.ISSUE, MovementKind.CONSUMPTION)
    value = sum(
        (
            -m.quantity * Decimal(str(unit_values[m.item_id]))
            for m in movements
            if m.kind in leaving and window.start <= m.occurred_at < window.end
        ),
        Decimal(0),
    )
    return _to_minor(value)


def _signed(posting: Posting, account: Account) -> int:
    """The posting's amount on ``account`` in its normal direction (debit for assets and
    purchases, credit for payables and revenue); 0 for another account."""
    if posting.account is not account:
        return 0
    amount = posting.debit_minor - posting.credit_minor
    return -amount if account in (Account.PAYABLES, Account.REVENUE) else amount


@dataclass(frozen=True)
class MoneyTotals:
    """From one member's postings: revenue and purchases in a window, receivables and payables
    at its end, each in its account's normal direction."""

    revenue_minor: int
    purchases_minor: int
    receivables_minor: int
    payables_minor: int


def ledger_totals(
    member_id: int, entries: Iterable[JournalEntry], postings: Iterable[Posting], window: Window
) -> MoneyTotals:
    """Sum ``member_id``'s postings of the entries before ``window.end`` (balances) and of those
    in the window (flows)."""
    at = {e.id: e.at for e in entries}
    dated = [(at[p.entry_id], p) for p in postings if p.member_id == member_id]
    before_end = [p for when, p in dated if when < window.end]
    in_window = [p for when, p in dated if window.start <= when < window.end]
    return MoneyTotals(
        sum(_signed(p, Account.REVENUE) for p in in_window),
        sum(_signed(p, Account.PURCHASES) for p in in_window),
        sum(_signed(p, Account.RECEIVABLES) for p in before_end),
        sum(_signed(p, Account.PAYABLES) for p in before_end),
    )


def cycle(dio: DaysMetric, dso: DaysMetric, dpo: DaysMetric) -> DaysMetric:
    """CCC = DIO + DSO - DPO, or ``None`` naming the parts that are missing."""
    parts = {"DIO": dio, "DSO": dso, "DPO": dpo}
    missing = [name for name, part in parts.items() if part.days is None]
    if missing:
        return DaysMetric(None, f"{', '.join(missing)} cannot be computed")
    assert dio.days is not None and dso.days is not None and dpo.days is not None
    return DaysMetric(dio.days + dso.days - dpo.days)


def cash_to_cash(
    member_id: int,
    window: Window,
    movements: Sequence[StockMovement],
    unit_values: Mapping[int, float],
    entries: Sequence[JournalEntry],
    postings: Sequence[Posting],
) -> CashToCash:
    """The cash conversion cycle of ``member_id`` from its stock and money ledgers."""
    own = [m for m in movements if m.owner_member_id == member_id]
    opening = inventory_value_minor(own, unit_values, window.start)
    closing = inventory_value_minor(own, unit_values, window.end)
    average = Fraction(opening + closing, 2)
    cogs = cogs_minor(own, unit_values, window)
    totals = ledger_totals(member_id, entries, postings, window)
    dio = days_of(average, cogs, window.days, "cost of goods sold")
    dso = days_of(totals.receivables_minor, totals.revenue_minor, window.days, "revenue")
    dpo = days_of(totals.payables_minor, totals.purchases_minor, window.days, "purchases")
    return CashToCash(
        member_id,
        window.as_of,
        window.days,
        window.start,
        window.end,
        opening,
        closing,
        float(average),
        cogs,
        totals.revenue_minor,
        totals.purchases_minor,
        totals.receivables_minor,
        totals.payables_minor,
        dio,
        dso,
        dpo,
        cycle(dio, dso, dpo),
    )
