"""Exact quantities and money.

Stock is counted in the item's unit (``kg``, ``l``, ``pcs``) to the thousandth, as a
:class:`~decimal.Decimal`, so ledger sums are exact: on-hand equals the sum of movements to the
last gram. Money is an ``int`` of minor units (cents) in the network's one currency.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

QUANTUM = Decimal("0.001")
ZERO = Decimal("0.000")


def to_quantity(value: Decimal | int | float | str) -> Decimal:
    """``value`` as a quantity with three decimals; raises ``ValueError`` if it is not finite or
    has more than three decimals (a quantity is never silently rounded)."""
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError) as error:
        raise ValueError(f"not a number: {value!r}") from error
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    quantised = number.quantize(QUANTUM)
    if quantised != number:
        raise ValueError(f"{value!r} has more than three decimals")
    return quantised


def money(quantity: Decimal, unit_price_minor: int) -> int:
    """The amount in minor units of ``quantity`` at ``unit_price_minor``, rounded half up."""
    return int((quantity * unit_price_minor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_money(amount_minor: int, currency: str) -> str:
    """``123456`` EUR → ``'1,234.56 EUR'``."""
    sign = "-" if amount_minor < 0 else ""
    units, cents = divmod(abs(amount_minor), 100)
    return f"{sign}{units:,}.{cents:02d} {currency}"
