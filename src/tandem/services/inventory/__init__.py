"""Use cases of the inventory ledger.

Every change of stock goes through :func:`apply_stock_changes`: it locks the positions touched
(in site, item order), checks that available stock stays non-negative unless the site allows
backorders, writes one ledger movement per change of on-hand, and updates the positions, all in
the caller's unit of work. Other contexts (customer orders, shipments, receipts) call it inside
their own transaction, so a document and its stock effect commit or fail together.

The package is split by concern: :mod:`.ledger` (the core every context calls), :mod:`.movements`
(use cases), :mod:`.reads` and :mod:`.reservations`.
"""

from tandem.services.inventory.ledger import (
    FIELDS,
    StockChange,
    allocate_stock,
    apply_stock_changes,
    issue_allocation,
    release_allocation,
)
from tandem.services.inventory.movements import (
    RecordMovement,
    TransferStock,
    record_movement,
    transfer_stock,
)
from tandem.services.inventory.reads import (
    LedgerCheck,
    MemberLedgerCheck,
    get_movement,
    get_position,
    list_movements,
    list_positions,
    lot_balances,
    verify_all_ledgers,
    verify_ledger,
)
from tandem.services.inventory.reservations import (
    ReserveStock,
    get_reservation,
    release_reservation,
    reserve_stock,
)

__all__ = [
    "FIELDS",
    "LedgerCheck",
    "MemberLedgerCheck",
    "RecordMovement",
    "ReserveStock",
    "StockChange",
    "TransferStock",
    "allocate_stock",
    "apply_stock_changes",
    "get_movement",
    "get_position",
    "get_reservation",
    "issue_allocation",
    "list_movements",
    "list_positions",
    "lot_balances",
    "record_movement",
    "release_allocation",
    "release_reservation",
    "reserve_stock",
    "transfer_stock",
    "verify_all_ledgers",
    "verify_ledger",
]
