"""The inventory ledger: stock positions, movements, transfers, lots and reservations.

Quantities travel as decimal strings with exactly three decimals (``"12.500"``), so a client
never sees a binary rounding error; requests accept a decimal string or a JSON number with at
most three decimals.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, PlainSerializer, StringConstraints

from tandem.api.schemas.common import Id, Line64, Line120, RequestModel, ResponseModel
from tandem.domain.inventory import AllocationStatus, MovementKind
from tandem.domain.quantities import QUANTUM, ZERO
from tandem.services.inventory import LedgerCheck, RecordMovement, ReserveStock, TransferStock

MAX_DIGITS = 15  # up to 999,999,999,999.999: thousandths fit every backend's BIGINT


def quantity_text(value: Decimal) -> str:
    """``Decimal('12.5')`` → ``'12.500'``; never ``'-0.000'``."""
    return str((value + ZERO).quantize(QUANTUM))


QuantityIn = Annotated[
    Decimal,
    Field(
        max_digits=MAX_DIGITS,
        decimal_places=3,
        description='Decimal string (or JSON number) with at most three decimals, e.g. "12.5".',
        examples=["12.500"],
    ),
]
QuantityOut = Annotated[
    Decimal,
    PlainSerializer(quantity_text, return_type=str),
    Field(description='Decimal string with exactly three decimals, e.g. "12.500".'),
]
Note500 = Annotated[str, StringConstraints(max_length=500, pattern=r"^[^\x00]*$")]
Reference = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120, pattern=r"^\S.*$")
]
RecordableKind = Literal["receipt", "issue", "consumption", "adjustment"]


class StockPositionOut(ResponseModel):
    id: int
    owner_member_id: int
    site_id: int
    item_id: int
    on_hand: QuantityOut
    allocated: QuantityOut
    in_transit: QuantityOut = Field(description="Shipped to this site, not yet received.")
    available: QuantityOut = Field(description="On hand minus allocated.")
    version: int = Field(description="Number of changes of this position.")


class StockMovementOut(ResponseModel):
    id: int
    owner_member_id: int
    site_id: int
    item_id: int
    kind: MovementKind
    quantity: QuantityOut = Field(description="Signed change of on-hand (negative: stock out).")
    occurred_at: datetime
    lot: str
    reference: str
    note: str
    recorded_by_user_id: int | None


class MovementIn(RequestModel):
    """A receipt, issue or consumption of a positive quantity, or a signed adjustment."""

    site_id: Id
    item_id: Id
    kind: RecordableKind
    quantity: QuantityIn = Field(
        description='Positive; for an adjustment the signed change (e.g. "-2.5"). '
        "Decimal string or JSON number, at most three decimals."
    )
    lot: Line64 = ""
    reference: Line120 = ""
    note: Note500 = ""

    def command(self) -> RecordMovement:
        return RecordMovement(
            self.site_id,
            self.item_id,
            MovementKind(self.kind),
            self.quantity,
            self.lot,
            self.reference,
            self.note,
        )


class TransferIn(RequestModel):
    """Stock moved between two of your own sites."""

    from_site_id: Id
    to_site_id: Id
    item_id: Id
    quantity: QuantityIn
    lot: Line64 = ""
    reference: Line120 = ""

    def command(self) -> TransferStock:
        return TransferStock(
            self.from_site_id,
            self.to_site_id,
            self.item_id,
            self.quantity,
            self.lot,
            self.reference,
        )


class TransferOut(ResponseModel):
    transfer_out: StockMovementOut
    transfer_in: StockMovementOut


class LotBalanceOut(ResponseModel):
    lot: str = Field(description='The lot; "" for stock recorded without one.')
    on_hand: QuantityOut


class LotsOut(ResponseModel):
    site_id: int
    item_id: int
    lots: list[LotBalanceOut] = Field(description="Lots with stock, in lot order.")

    @classmethod
    def of(cls, site_id: int, item_id: int, balances: dict[str, Decimal]) -> LotsOut:
        lots = [LotBalanceOut(lot=lot, on_hand=total) for lot, total in balances.items()]
        return cls(site_id=site_id, item_id=item_id, lots=lots)


class LedgerCheckOut(ResponseModel):
    positions: int
    movements: int
    balanced: bool = Field(description="True when every position agrees with its ledger.")
    mismatches: list[str]

    @classmethod
    def of(cls, check: LedgerCheck) -> LedgerCheckOut:
        return cls(
            positions=check.positions,
            movements=check.movements,
            balanced=not check.mismatches,
            mismatches=list(check.mismatches),
        )


class AllocationIn(RequestModel):
    """Reserve stock at one of your sites, e.g. for an order line of your ERP."""

    site_id: Id
    item_id: Id
    quantity: QuantityIn
    reference: Reference = Field(description="What the stock is reserved for, e.g. 'SO-17/1'.")

    def command(self) -> ReserveStock:
        return ReserveStock(self.site_id, self.item_id, self.quantity, self.reference)


class AllocationOut(ResponseModel):
    id: int
    owner_member_id: int
    site_id: int
    item_id: int
    quantity: QuantityOut
    reference: str
    status: AllocationStatus
    created_at: datetime
