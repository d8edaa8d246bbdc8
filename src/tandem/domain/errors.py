"""One exception tree for the whole platform.

Every error carries a stable machine-readable ``code``; the HTTP edge maps each class to a status
and renders RFC 9457 problem+json. Layers above the domain raise these, never bare exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Violation:
    """One offending row or field: where it is and what is wrong with it."""

    location: str
    message: str
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.location}.{self.field}" if self.field else self.location
        return f"{where}: {self.message}"


class TandemError(Exception):
    """Base of every error the platform raises on purpose."""

    code = "tandem_error"
    title = "Request could not be completed"

    def __init__(self, detail: str, *, violations: list[Violation] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.violations: list[Violation] = list(violations or [])


class NotFound(TandemError):
    """The object does not exist *or the caller may not see it* — the two are indistinguishable."""

    code = "not_found"
    title = "Not found"


class ValidationFailed(TandemError):
    """Input breaks a rule of the model; ``violations`` name each offending row and field."""

    code = "validation_failed"
    title = "Invalid input"


class BomCycle(ValidationFailed):
    code = "bom_cycle"
    title = "Bill of materials has a cycle"


class Conflict(TandemError):
    """The request clashes with the current state (duplicate code, object in use...)."""

    code = "conflict"
    title = "Conflict with current state"


class DuplicateCode(Conflict):
    code = "duplicate_code"
    title = "Code already used"


class InUse(Conflict):
    code = "in_use"
    title = "Still referenced"


class InvalidTransition(Conflict):
    """The document's state does not allow this step (e.g. shipping a draft order)."""

    code = "invalid_state_transition"
    title = "Not allowed in the document's current state"


class StaleVersion(Conflict):
    code = "stale_version"
    title = "The document changed since it was read"


class InsufficientStock(Conflict):
    code = "insufficient_stock"
    title = "Not enough stock available"


class OverShipment(Conflict):
    code = "over_shipment"
    title = "Shipment exceeds the open order quantity"


class UnknownShipment(ValidationFailed):
    code = "unknown_shipment"
    title = "Unknown shipment"


class InvoiceExceedsShipped(Conflict):
    code = "invoice_exceeds_shipped"
    title = "Invoice exceeds the quantity shipped and not yet invoiced"


class PaymentExceedsOpenAmount(Conflict):
    code = "payment_exceeds_open_amount"
    title = "Payment exceeds the open amount"


class InvoiceBlocked(Conflict):
    code = "invoice_blocked"
    title = "Invoice is blocked by the three-way match"


class AgreementExhausted(Conflict):
    code = "agreement_exhausted"
    title = "Call-off exceeds what remains of the agreement"


class AlreadyReceived(Conflict):
    code = "already_received"
    title = "The shipment has already been received"


class CreditExceedsOpenAmount(Conflict):
    code = "credit_exceeds_open_amount"
    title = "Credit note exceeds the open amount"


class ChangePending(Conflict):
    code = "change_pending"
    title = "A change request on this document is still pending"


class AuthenticationFailed(TandemError):
    code = "authentication_failed"
    title = "Authentication failed"


class Forbidden(TandemError):
    """The caller is known and may see the object, but may not perform this action on it."""

    code = "forbidden"
    title = "Forbidden"


class IdempotencyKeyReused(TandemError):
    code = "idempotency_key_reused"
    title = "Idempotency key reused with a different request"


class IdempotencyInProgress(TandemError):
    code = "idempotency_in_progress"
    title = "A request with this idempotency key is still being processed"


class ImportRejected(ValidationFailed):
    """A whole file refused; each violation names sheet, row and column."""

    code = "import_rejected"
    title = "Import rejected"


@dataclass(frozen=True)
class ErrorInfo:
    """A serialisable view of an error, for logs and problem documents."""

    code: str
    title: str
    detail: str
    violations: tuple[Violation, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, error: TandemError) -> ErrorInfo:
        return cls(error.code, error.title, error.detail, tuple(error.violations))
