"""Supplier scorecards and cash-to-cash metrics (see :mod:`tandem.domain.performance` for the
definitions and sources).

Encoding: money in integer minor units (``*_minor``), quantities as exact decimal strings
(``"280.000"``), rates as fractions in [0, 1] and days as unrounded floats, so a client can
check every metric against its inputs; round for display only. A metric with nothing to measure
is ``null``, never ``0``; a cash-to-cash metric that is ``null`` carries its ``reason``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from tandem.api.schemas.common import ResponseModel


class DurationStatsOut(ResponseModel):
    """Sample mean and standard deviation of durations in whole days."""

    count: int
    mean_days: float | None
    std_days: float | None


class DeliveryScoreOut(ResponseModel):
    lines_due: int
    lines_on_time_in_full: int
    otif_rate: float | None
    ordered_quantity: Decimal
    filled_quantity: Decimal
    fill_rate: float | None
    promised_lead_time: DurationStatsOut
    actual_lead_time: DurationStatsOut


class ReceivingScoreOut(ResponseModel):
    receipt_lines: int
    receipt_lines_with_discrepancy: int
    discrepancy_rate: float | None


class InvoicingScoreOut(ResponseModel):
    invoices: int
    invoices_matched: int
    match_rate: float | None
    invoiced_minor: int
    value_at_order_price_minor: int
    price_variance_minor: int | None
    price_variance_pct: float | None


class SupplierScorecardOut(ResponseModel):
    """How one seller served one buyer over ``[since, until)``."""

    buyer_member_id: int
    seller_member_id: int
    since: date
    until: date
    delivery: DeliveryScoreOut
    receiving: ReceivingScoreOut
    invoicing: InvoicingScoreOut


class SupplierScorecardsOut(ResponseModel):
    items: list[SupplierScorecardOut]


class DaysMetricOut(ResponseModel):
    days: float | None
    reason: str | None


class CashToCashOut(ResponseModel):
    """One member's cash conversion cycle over ``[start, end)``, with the inputs."""

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
    dio: DaysMetricOut
    dso: DaysMetricOut
    dpo: DaysMetricOut
    ccc: DaysMetricOut


class CashToCashListOut(ResponseModel):
    items: list[CashToCashOut]
