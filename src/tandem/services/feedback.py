"""Customer feedback: a rating and a short comment, pushed by a device after a drink or entered
by the member's staff; summarised per item and site for the owner and for partners holding a
``demand_history`` grant on that site (their reads are audited)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tandem.domain.errors import Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import raise_if
from tandem.domain.sharing import AccessScope, AuditEntry, DataCategory
from tandem.domain.signals import (
    Device,
    Feedback,
    FeedbackSummary,
    feedback_violations,
    summarise_feedback,
)
from tandem.services.context import ServiceContext
from tandem.services.ports import UnitOfWork
from tandem.services.sharing import scope_for

LATEST_COMMENTS = 5


@dataclass(frozen=True)
class SubmitFeedback:
    """``site_id`` is the device's own site for a device key and required otherwise; the item
    is named by ``item_id`` or ``item`` (SKU), or left out."""

    rating: int
    comment: str = ""
    site_id: int | None = None
    item_id: int | None = None
    item: str | None = None
    device_id: int | None = None


def submit_feedback(ctx: ServiceContext, principal: Principal, command: SubmitFeedback) -> Feedback:
    principal.require(Scope.INGEST)
    comment = command.comment.strip()
    found = feedback_violations(command.rating, comment)
    with ctx.uow() as uow:
        device = _device(uow, principal, command, found)
        site_id = _site(uow, principal, command, device, found)
        item_id = _item(uow, principal, command, found)
        raise_if(found, "invalid feedback")
        assert site_id is not None
        feedback = uow.feedback.add(
            Feedback(
                0,
                principal.network_id,
                principal.member_id,
                site_id,
                device.id if device is not None else None,
                item_id,
                command.rating,
                comment,
                ctx.clock.now(),
            )
        )
        uow.commit()
    return feedback


def _device(
    uow: UnitOfWork, principal: Principal, command: SubmitFeedback, found: list[Violation]
) -> Device | None:
    keyed = uow.devices.find(api_key_id=principal.api_key_id) if principal.api_key_id else []
    if keyed:
        if command.device_id not in (None, keyed[0].id):
            found.append(Violation("feedback", "a device gives feedback on itself", "device_id"))
        return keyed[0]
    if command.device_id is None:
        return None
    device = uow.devices.get(command.device_id)
    if device is None or device.member_id != principal.member_id or not device.active:
        found.append(Violation("feedback", f"unknown device {command.device_id}", "device_id"))
        return None
    return device


def _site(
    uow: UnitOfWork,
    principal: Principal,
    command: SubmitFeedback,
    device: Device | None,
    found: list[Violation],
) -> int | None:
    if device is not None:
        if command.site_id not in (None, device.site_id):
            found.append(Violation("feedback", "must be the device's own site", "site_id"))
        return device.site_id
    if command.site_id is None:
        found.append(Violation("feedback", "is required", "site_id"))
        return None
    site = uow.sites.get(command.site_id)
    if site is None or site.member_id != principal.member_id:
        found.append(
            Violation("feedback", f"site {command.site_id} is not one of yours", "site_id")
        )
        return None
    return site.id


def _item(
    uow: UnitOfWork, principal: Principal, command: SubmitFeedback, found: list[Violation]
) -> int | None:
    if command.item_id is not None and command.item is not None:
        found.append(Violation("feedback", "give item_id or item, not both", "item"))
        return None
    if command.item_id is not None:
        item = uow.items.get(command.item_id)
        if item is None or item.network_id != principal.network_id:
            found.append(Violation("feedback", f"unknown item {command.item_id}", "item_id"))
            return None
        return item.id
    if command.item is not None:
        items = uow.items.find(network_id=principal.network_id, sku=command.item.strip())
        if not items:
            found.append(Violation("feedback", f"unknown item {command.item!r}", "item"))
            return None
        return items[0].id
    return None


def summarise(
    ctx: ServiceContext,
    principal: Principal,
    site_id: int | None = None,
    item_id: int | None = None,
    device_id: int | None = None,
) -> tuple[FeedbackSummary, ...]:
    """Feedback per ``(site, item)`` the caller may read: its own, and partners' at sites (and
    items) their ``demand_history`` grants cover."""
    principal.require(Scope.DATA_READ)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        summaries = summarise_in(uow, principal, now, site_id, item_id, device_id)
        uow.commit()
    return summaries


def summarise_in(
    uow: UnitOfWork,
    principal: Principal,
    now: datetime,
    site_id: int | None = None,
    item_id: int | None = None,
    device_id: int | None = None,
) -> tuple[FeedbackSummary, ...]:
    """:func:`summarise` inside the caller's unit of work (which commits the audit entries)."""
    filters = {
        k: v
        for k, v in (("site_id", site_id), ("item_id", item_id), ("device_id", device_id))
        if v is not None
    }
    scope = scope_for(uow, principal, DataCategory.DEMAND_HISTORY, now)
    rows = uow.feedback.find_scoped(scope, **filters)
    resource = "feedback summary " + " ".join(f"{k}={v}" for k, v in filters.items())
    audit_partner_reads(uow, principal, scope, rows, resource.strip(), now)
    return tuple(summarise_feedback(rows, LATEST_COMMENTS))


def audit_partner_reads(
    uow: UnitOfWork,
    principal: Principal,
    scope: AccessScope,
    rows: Sequence[Any],
    resource: str,
    now: datetime,
) -> None:
    """One audit entry per grant that let partner rows (with ``item_id``, ``site_id``) through."""
    used: Counter[tuple[int, int]] = Counter()
    for row in rows:
        if row.owner_member_id == principal.member_id:
            continue
        rule = scope.rule_for(row.owner_member_id, row.item_id, row.site_id)
        if rule is None:  # storage returned a row the policy does not allow: never serve it
            raise RuntimeError("storage returned a row outside the access scope")
        used[(rule.grant_id, row.owner_member_id)] += 1
    for (grant_id, owner), count in sorted(used.items()):
        uow.audit.add(
            AuditEntry(
                0,
                principal.network_id,
                grant_id,
                owner,
                principal.member_id,
                principal.label,
                scope.category,
                resource,
                count,
                now,
            )
        )
