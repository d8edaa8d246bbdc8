"""Supplier scorecards and cash-to-cash metrics, computed from the recorded transactions.

Pure functions over the flow entities: no clock, no storage. Every metric is ``None`` when there
is nothing to measure (no line due, no receipt, a zero denominator): a missing number is never
passed off as 0. Rates are floats of exact fractions (``float(Fraction(a, b))``), so a test can
compare them with ``a / b``.

Sources:

* Perfect order, on time in full (OTIF) and fill rate: APQC Open Standards Benchmarking, and the
  SCOR model (ASCM), reliability metric RL.1.1 "perfect order fulfillment" with RL.2.1 "orders
  delivered in full" and RL.2.2 "delivery performance to customer commit date". Here they are
  measured per order line, from the buyer's receipts.
* Purchase price variance: (actual price - standard price) x quantity, the standard cost
  accounting measure; the "standard" is the order's agreed price.
* Cash conversion cycle: Richards, V. D. & Laughlin, E. J. (1980), "A cash conversion cycle
  approach to liquidity analysis", *Financial Management* 9(1), 32-38: CCC = DIO + DSO - DPO.
  Applied member by member along a supply chain as in Hofmann, E. & Kotzab, H. (2010), "A supply
  chain-oriented approach of working capital management", *Journal of Business Logistics*
  31(2), 305-330, and Wuttke, D. A., Blome, C. & Henke, M. (2013), "Focusing the financial flow
  of supply chains", *Int. J. Production Economics* 145(2), 773-789.
"""

from __future__ import annotations

from tandem.domain.performance.cash import (
    MAX_WINDOW_DAYS,
    MINOR_PER_MAJOR,
    CashToCash,
    MoneyTotals,
    Window,
    cash_to_cash,
    cogs_minor,
    cycle,
    inventory_value_minor,
    ledger_totals,
)
from tandem.domain.performance.measures import (
    DaysMetric,
    DurationStats,
    check_period,
    days_of,
    duration_stats,
    midnight,
    ratio,
    utc_day,
)
from tandem.domain.performance.scorecards import (
    DeliveryScore,
    InvoicingScore,
    LineOutcome,
    ReceivingScore,
    SupplierScorecard,
    SupplyRecord,
    deliveries,
    delivery_score,
    invoicing_score,
    line_outcomes,
    receiving_score,
    score_supplier,
)

__all__ = [
    "MAX_WINDOW_DAYS",
    "MINOR_PER_MAJOR",
    "CashToCash",
    "DaysMetric",
    "DeliveryScore",
    "DurationStats",
    "InvoicingScore",
    "LineOutcome",
    "MoneyTotals",
    "ReceivingScore",
    "SupplierScorecard",
    "SupplyRecord",
    "Window",
    "cash_to_cash",
    "check_period",
    "cogs_minor",
    "cycle",
    "days_of",
    "deliveries",
    "delivery_score",
    "duration_stats",
    "inventory_value_minor",
    "invoicing_score",
    "ledger_totals",
    "line_outcomes",
    "midnight",
    "ratio",
    "receiving_score",
    "score_supplier",
    "utc_day",
]
