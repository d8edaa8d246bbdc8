"""What a buyer and a seller agreed once for many orders: blanket agreements and trade terms.

* **Blanket agreements** are created by the *buyer* and bind at once: a quantity of one of the
  network's items at a fixed price over a period, offered to one seller. Call-off purchase orders
  (``agreement_id``) must order that item, at that price, for dates within the period; submitting
  one reserves its ordered quantity (:class:`AgreementExhausted` beyond what remains), cancelling
  releases it, changes move it, a short close keeps only what was shipped. An agreement with
  nothing left is ``exhausted`` (and ``active`` again when a call-off releases quantity).
* **Trade terms** of a pair are read and set by either party or by a network administrator;
  anybody else is refused (403). Where none were set, the defaults of :class:`TradeTerms` apply
  (returned with ``id`` 0). Setting them replaces the stored ones; they rule orders from then on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from tandem.domain.errors import AgreementExhausted, Forbidden, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import raise_if
from tandem.domain.orders import (
    Agreement,
    AgreementStatus,
    TradeTerms,
    price_violations,
    quantity_violations,
)
from tandem.domain.quantities import ZERO, to_quantity
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.documents import add_numbered, require_party
from tandem.services.ports import Repository, UnitOfWork

T = TypeVar("T")

PARTIES = ("buyer_member_id", "seller_member_id")


class PartyRole(StrEnum):
    """Which side of a document between two members the caller is on."""

    BUYER = "buyer"
    SELLER = "seller"


@dataclass(frozen=True)
class AgreementFields:
    seller_member_id: int
    item_id: int
    unit_price_minor: int
    total_quantity: Decimal
    valid_from: date
    valid_to: date


@dataclass(frozen=True)
class TermsFields:
    buyer_member_id: int
    seller_member_id: int
    payment_terms_days: int = 30
    quantity_tolerance_pct: float = 0.0
    price_tolerance_pct: float = 2.0
    changes_need_acceptance: bool = True
    cancellation_needs_acceptance: bool = True


# ---------------------------------------------------------------- shared by buyer/seller documents


def party_page(
    repository: Callable[[UnitOfWork], Repository[T]],
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    role: PartyRole | None,
    **equals: Any,
) -> Page[T]:
    """One page of the documents where the caller is the buyer, the seller, or (no role) either."""
    principal.require(Scope.DATA_READ)
    roles = [role] if role is not None else list(PartyRole)
    with ctx.uow() as uow:
        repo = repository(uow)
        mine: dict[str, Any] = {"network_id": principal.network_id, **equals}
        if len(roles) == 1:
            mine[f"{roles[0].value}_member_id"] = principal.member_id
            rows = repo.find(offset=page.offset, limit=page.limit, **mine)
            return Page(tuple(rows), repo.count(**mine), page.offset, page.limit)
        found = [
            row
            for r in roles
            for row in repo.find(**{**mine, f"{r.value}_member_id": principal.member_id})
        ]
    found.sort(key=lambda row: int(getattr(row, "id")))  # noqa: B009
    rows = found[page.offset : page.offset + page.limit]
    return Page(tuple(rows), len(found), page.offset, page.limit)


def member_violations(
    uow: UnitOfWork, principal: Principal, member_id: int, field: str, location: str
) -> list[Violation]:
    member = uow.members.get(member_id)
    if member is None or member.network_id != principal.network_id:
        return [Violation(location, f"member {member_id} does not exist", field)]
    return []


def item_violations(
    uow: UnitOfWork, principal: Principal, item_id: int, location: str
) -> list[Violation]:
    item = uow.items.get(item_id)
    if item is None or item.network_id != principal.network_id:
        return [Violation(location, f"item {item_id} does not exist", "item_id")]
    return []


# ---------------------------------------------------------------- blanket agreements


def _agreement_violations(
    uow: UnitOfWork, principal: Principal, fields: AgreementFields
) -> list[Violation]:
    where = "agreement"
    found = member_violations(uow, principal, fields.seller_member_id, "seller_member_id", where)
    if fields.seller_member_id == principal.member_id:
        found.append(Violation(where, "the seller must be another member", "seller_member_id"))
    found += item_violations(uow, principal, fields.item_id, where)
    found += quantity_violations(fields.total_quantity, where, "total_quantity")
    found += price_violations(fields.unit_price_minor, where)
    if fields.valid_to < fields.valid_from:
        found.append(Violation(where, "must not be before valid_from", "valid_to"))
    return found


def create_agreement(
    ctx: ServiceContext, principal: Principal, fields: AgreementFields
) -> Agreement:
    """The caller's member, as buyer, agrees a blanket quantity with a seller (binding at once)."""
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        raise_if(_agreement_violations(uow, principal, fields), "invalid agreement")
        draft = Agreement(
            0,
            principal.network_id,
            "",
            principal.member_id,
            fields.seller_member_id,
            fields.item_id,
            fields.unit_price_minor,
            to_quantity(fields.total_quantity),
            fields.valid_from,
            fields.valid_to,
            AgreementStatus.ACTIVE,
        )
        agreement = add_numbered(uow.agreements, draft, "BA")
        uow.commit()
    return agreement


def get_agreement(ctx: ServiceContext, principal: Principal, agreement_id: int) -> Agreement:
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        found = uow.agreements.get(agreement_id)
    return require_party(principal, found, PARTIES, "agreement", agreement_id)


def list_agreements(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    role: PartyRole | None = None,
    status: AgreementStatus | None = None,
) -> Page[Agreement]:
    filters = {} if status is None else {"status": status}
    return party_page(lambda u: u.agreements, ctx, principal, page, role, **filters)


def call_off_violations(
    agreement: Agreement | None,
    agreement_id: int,
    buyer_member_id: int,
    seller_member_id: int,
    lines: Sequence[tuple[int, int, date]],
) -> list[Violation]:
    """What is wrong with call-off ``lines`` (item, unit price, requested date) of an order
    between the two members against the agreement (``None``: not visible to the buyer)."""
    where = "purchase_order"
    parties = (buyer_member_id, seller_member_id)
    if agreement is None or (agreement.buyer_member_id, agreement.seller_member_id) != parties:
        return [Violation(where, f"agreement {agreement_id} does not exist", "agreement_id")]
    if agreement.status == AgreementStatus.CLOSED:
        return [Violation(where, f"agreement {agreement.number} is closed", "agreement_id")]
    found = []
    for index, (item_id, price, day) in enumerate(lines):
        at = f"lines[{index}]"
        if item_id != agreement.item_id:
            found.append(Violation(at, f"the agreement is for item {agreement.item_id}", "item_id"))
        if price != agreement.unit_price_minor:
            message = f"the agreement's price is {agreement.unit_price_minor}"
            found.append(Violation(at, message, "unit_price_minor"))
        if not agreement.valid_from <= day <= agreement.valid_to:
            message = f"outside the agreement's {agreement.valid_from}..{agreement.valid_to}"
            found.append(Violation(at, message, "requested_date"))
    return found


def move_call_off(uow: UnitOfWork, agreement_id: int, before: Decimal, after: Decimal) -> None:
    """Reserve (or release) the difference of a call-off's held quantity on its agreement."""
    if before == after:
        return
    agreement = uow.agreements.get_for_update(agreement_id)
    if agreement is None:
        raise RuntimeError(f"agreement {agreement_id} of a call-off is missing")
    delta = after - before
    if delta > agreement.remaining_quantity:
        raise AgreementExhausted(
            f"agreement {agreement.number} has {agreement.remaining_quantity} left, "
            f"the call-off needs {delta}"
        )
    called_off = agreement.called_off_quantity + delta
    status = agreement.status
    if status != AgreementStatus.CLOSED:
        left = agreement.total_quantity - called_off > ZERO
        status = AgreementStatus.ACTIVE if left else AgreementStatus.EXHAUSTED
    uow.agreements.update(replace(agreement, called_off_quantity=called_off, status=status))


# ---------------------------------------------------------------- trade terms


def terms_between(uow: UnitOfWork, network_id: int, buyer: int, seller: int) -> TradeTerms:
    """The stored terms of the pair, or the defaults (``id`` 0)."""
    stored = uow.trade_terms.find(buyer_member_id=buyer, seller_member_id=seller)
    return stored[0] if stored else TradeTerms(0, network_id, buyer, seller)


def _require_pair_access(principal: Principal, buyer: int, seller: int) -> None:
    if principal.member_id not in (buyer, seller) and not principal.is_network_admin:
        raise Forbidden("only the buyer, the seller or a network administrator may do this")


def get_trade_terms(
    ctx: ServiceContext, principal: Principal, buyer_member_id: int, seller_member_id: int
) -> TradeTerms:
    principal.require(Scope.DATA_READ)
    _require_pair_access(principal, buyer_member_id, seller_member_id)
    with ctx.uow() as uow:
        return terms_between(uow, principal.network_id, buyer_member_id, seller_member_id)


def _terms_violations(
    uow: UnitOfWork, principal: Principal, fields: TermsFields
) -> list[Violation]:
    where = "trade_terms"
    found = member_violations(uow, principal, fields.buyer_member_id, "buyer_member_id", where)
    found += member_violations(uow, principal, fields.seller_member_id, "seller_member_id", where)
    if fields.buyer_member_id == fields.seller_member_id:
        found.append(Violation(where, "buyer and seller must differ", "seller_member_id"))
    if not 0 <= fields.payment_terms_days <= 365:
        found.append(Violation(where, "must lie in [0, 365]", "payment_terms_days"))
    for name in ("quantity_tolerance_pct", "price_tolerance_pct"):
        if not 0 <= getattr(fields, name) <= 100:
            found.append(Violation(where, "must lie in [0, 100]", name))
    return found


def set_trade_terms(ctx: ServiceContext, principal: Principal, fields: TermsFields) -> TradeTerms:
    """Store the terms of the pair (either party or a network administrator)."""
    principal.require(Scope.DATA_WRITE)
    _require_pair_access(principal, fields.buyer_member_id, fields.seller_member_id)
    with ctx.uow() as uow:
        raise_if(_terms_violations(uow, principal, fields), "invalid trade terms")
        current = terms_between(
            uow, principal.network_id, fields.buyer_member_id, fields.seller_member_id
        )
        terms = TradeTerms(current.id, principal.network_id, **fields.__dict__)
        if current.id:
            uow.trade_terms.update(terms)
        else:
            terms = uow.trade_terms.add(terms)
        uow.commit()
    return terms
