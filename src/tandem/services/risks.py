"""The shared risk register: record, change and read supply risks under the sharing rules.

The owning member writes its risks; every change bumps the risk's ``version`` (checked against
the caller's ``If-Match`` where given) and appends one :class:`RiskEvent`. Reads return the
caller's own risks plus the partners' risks an active ``risks`` grant covers
(:func:`tandem.domain.risks.grant_covering`); each partner risk served is audited under the
grant that let it through, like every other member-owned category.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from tandem.domain.errors import Forbidden, NotFound, StaleVersion, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import raise_if
from tandem.domain.risks import (
    Mitigation,
    Risk,
    RiskBand,
    RiskCategory,
    RiskEvent,
    RiskEventKind,
    RiskStatus,
    complete_mitigation,
    ensure_move,
    ensure_risk_valid,
    grant_covering,
    is_visible,
)
from tandem.domain.sharing import AccessScope, AuditEntry, DataCategory
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.ports import UnitOfWork
from tandem.services.sharing import scope_for


@dataclass(frozen=True)
class RiskFields:
    """What the owner states about a risk (create and update)."""

    title: str
    category: RiskCategory
    likelihood: int
    impact: int
    description: str = ""
    site_ids: frozenset[int] = frozenset()
    lane_ids: frozenset[int] = frozenset()
    item_ids: frozenset[int] = frozenset()
    owner_name: str = ""
    review_date: date | None = None
    recovery_days: float | None = None


@dataclass(frozen=True)
class RiskFilter:
    status: RiskStatus | None = None
    category: RiskCategory | None = None
    band: RiskBand | None = None
    site_id: int | None = None
    owner_member_id: int | None = None

    def admits(self, risk: Risk) -> bool:
        return (
            (self.status is None or risk.status is self.status)
            and (self.category is None or risk.category is self.category)
            and (self.band is None or risk.band is self.band)
            and (self.site_id is None or self.site_id in risk.site_ids)
            and (self.owner_member_id is None or risk.owner_member_id == self.owner_member_id)
        )


_FIELD_NAMES = tuple(RiskFields.__dataclass_fields__)


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, date):
        return value.isoformat()
    return getattr(value, "value", value)


def _check_references(uow: UnitOfWork, principal: Principal, fields: RiskFields) -> None:
    nid, found = principal.network_id, []
    for name, repo in (("site_ids", uow.sites), ("lane_ids", uow.lanes), ("item_ids", uow.items)):
        for ref in sorted(getattr(fields, name)):
            row = repo.get(ref)
            if row is None or row.network_id != nid:
                found.append(Violation("risk", f"{ref} is not in this network", name))
    raise_if(found, "invalid risk")


# ---------------------------------------------------------------- reads


def _audit(
    uow: UnitOfWork,
    principal: Principal,
    scope: AccessScope,
    risks: Iterable[Risk],
    resource: str,
    now: datetime,
) -> None:
    used: Counter[tuple[int, int]] = Counter()
    for risk in risks:
        if risk.owner_member_id == principal.member_id:
            continue
        rule = grant_covering(scope, risk)
        if rule is None:  # never serve a row the policy does not allow
            raise RuntimeError("a risk outside the access scope was about to be served")
        used[(rule.grant_id, risk.owner_member_id)] += 1
    for (grant_id, owner), count in sorted(used.items()):
        uow.audit.add(
            AuditEntry(
                0,
                principal.network_id,
                grant_id,
                owner,
                principal.member_id,
                principal.label,
                DataCategory.RISKS,
                resource,
                count,
                now,
            )
        )


def _visible(
    uow: UnitOfWork, principal: Principal, now: datetime
) -> tuple[AccessScope, list[Risk]]:
    scope = scope_for(uow, principal, DataCategory.RISKS, now)
    rows = [
        risk
        for owner in sorted(scope.owners)
        for risk in uow.risks.find(network_id=principal.network_id, owner_member_id=owner)
        if is_visible(scope, risk)
    ]
    return scope, sorted(rows, key=lambda r: r.id)


def visible_risks(
    ctx: ServiceContext, principal: Principal, wanted: RiskFilter, resource: str
) -> list[Risk]:
    """Every risk the caller may read that ``wanted`` admits, partner rows audited."""
    principal.require(Scope.DATA_READ)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        scope, rows = _visible(uow, principal, now)
        chosen = [r for r in rows if wanted.admits(r)]
        _audit(uow, principal, scope, chosen, resource, now)
        uow.commit()
    return chosen


def list_risks(
    ctx: ServiceContext, principal: Principal, page: PageRequest, wanted: RiskFilter | None = None
) -> Page[Risk]:
    """One page of the register as the caller may see it, by id; only served rows audited."""
    wanted = wanted or RiskFilter()
    principal.require(Scope.DATA_READ)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        scope, rows = _visible(uow, principal, now)
        chosen = [r for r in rows if wanted.admits(r)]
        served = chosen[page.offset : page.offset + page.limit]
        _audit(uow, principal, scope, served, "risks", now)
        uow.commit()
    return Page(tuple(served), len(chosen), page.offset, page.limit)


def _readable(uow: UnitOfWork, principal: Principal, risk_id: int, now: datetime) -> Risk:
    scope = scope_for(uow, principal, DataCategory.RISKS, now)
    risk = uow.risks.get(risk_id)
    if risk is None or not is_visible(scope, risk):
        raise NotFound(f"risk {risk_id} not found")
    _audit(uow, principal, scope, [risk], f"risk {risk_id}", now)
    return risk


def get_risk(ctx: ServiceContext, principal: Principal, risk_id: int) -> Risk:
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        risk = _readable(uow, principal, risk_id, ctx.clock.now())
        uow.commit()
    return risk


def risk_history(ctx: ServiceContext, principal: Principal, risk_id: int) -> list[RiskEvent]:
    """Every change of a risk the caller may read, oldest first."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        _readable(uow, principal, risk_id, ctx.clock.now())
        events = sorted(uow.risk_events.find(risk_id=risk_id), key=lambda e: e.version)
        uow.commit()
    return events


# ---------------------------------------------------------------- writes


def _record(
    uow: UnitOfWork,
    principal: Principal,
    risk: Risk,
    kind: RiskEventKind,
    at: datetime,
    detail: dict[str, Any],
) -> None:
    uow.risk_events.add(
        RiskEvent(
            0, risk.id, risk.version, kind, at, principal.member_id, detail, principal.user_id
        )
    )


def create_risk(ctx: ServiceContext, principal: Principal, fields: RiskFields) -> Risk:
    """Record a risk of the caller's member, open, at version 1."""
    principal.require(Scope.DATA_WRITE)
    now = ctx.clock.now()
    draft = Risk(
        0,
        principal.network_id,
        principal.member_id,
        status=RiskStatus.OPEN,
        created_at=now,
        updated_at=now,
        created_by_user_id=principal.user_id,
        **{name: getattr(fields, name) for name in _FIELD_NAMES},
    )
    ensure_risk_valid(draft)
    with ctx.uow() as uow:
        _check_references(uow, principal, fields)
        risk = uow.risks.add(draft)
        detail = {name: _plain(getattr(fields, name)) for name in _FIELD_NAMES}
        _record(uow, principal, risk, RiskEventKind.CREATED, now, detail)
        uow.commit()
    return risk


def _owned(
    uow: UnitOfWork, principal: Principal, risk_id: int, expected_version: int | None, now: datetime
) -> Risk:
    principal.require(Scope.DATA_WRITE)
    risk = uow.risks.get_for_update(risk_id)
    if risk is None or risk.network_id != principal.network_id:
        raise NotFound(f"risk {risk_id} not found")
    if risk.owner_member_id != principal.member_id:
        if is_visible(scope_for(uow, principal, DataCategory.RISKS, now), risk):
            raise Forbidden("only the owning member may change this risk")
        raise NotFound(f"risk {risk_id} not found")
    if expected_version is not None and expected_version != risk.version:
        raise StaleVersion(f"risk {risk_id} is at version {risk.version}, not {expected_version}")
    return risk


def _step(
    ctx: ServiceContext,
    principal: Principal,
    risk_id: int,
    expected_version: int | None,
    change: Any,
) -> Risk:
    """Load the caller's risk, apply ``change(risk, now) -> (changes, kind, detail)``, store the
    next version and its event."""
    now = ctx.clock.now()
    with ctx.uow() as uow:
        risk = _owned(uow, principal, risk_id, expected_version, now)
        changes, kind, detail = change(uow, risk, now)
        changed = replace(risk, version=risk.version + 1, updated_at=now, **changes)
        ensure_risk_valid(changed)
        uow.risks.update(changed)
        _record(uow, principal, changed, kind, now, detail)
        uow.commit()
    return changed


def update_risk(
    ctx: ServiceContext,
    principal: Principal,
    risk_id: int,
    fields: RiskFields,
    expected_version: int | None = None,
) -> Risk:
    """Replace what the owner states about a risk; the event lists each field ``[old, new]``."""

    def change(uow: UnitOfWork, risk: Risk, _now: datetime) -> Any:
        _check_references(uow, principal, fields)
        new = {name: getattr(fields, name) for name in _FIELD_NAMES}
        detail = {
            name: [_plain(getattr(risk, name)), _plain(value)]
            for name, value in new.items()
            if getattr(risk, name) != value
        }
        return new, RiskEventKind.UPDATED, detail

    return _step(ctx, principal, risk_id, expected_version, change)


def change_status(
    ctx: ServiceContext,
    principal: Principal,
    risk_id: int,
    status: RiskStatus,
    expected_version: int | None = None,
    note: str = "",
) -> Risk:
    """Move a risk to ``status`` (a closed risk may only be reopened)."""

    def change(_uow: UnitOfWork, risk: Risk, _now: datetime) -> Any:
        ensure_move(risk.status, status)
        detail = {"status": [risk.status.value, status.value], "note": note[:2000]}
        return {"status": status}, RiskEventKind.STATUS_CHANGED, detail

    return _step(ctx, principal, risk_id, expected_version, change)


def add_mitigation(
    ctx: ServiceContext,
    principal: Principal,
    risk_id: int,
    text: str,
    due_date: date | None = None,
    expected_version: int | None = None,
) -> Risk:
    """Append a planned mitigation (numbered from 1 in the order added)."""

    def change(_uow: UnitOfWork, risk: Risk, _now: datetime) -> Any:
        mitigation = Mitigation(text, due_date=due_date)
        detail = {
            "number": len(risk.mitigations) + 1,
            "text": text,
            "due_date": _plain(due_date),
        }
        mitigations = (*risk.mitigations, mitigation)
        return {"mitigations": mitigations}, RiskEventKind.MITIGATION_ADDED, detail

    return _step(ctx, principal, risk_id, expected_version, change)


def finish_mitigation(
    ctx: ServiceContext,
    principal: Principal,
    risk_id: int,
    number: int,
    expected_version: int | None = None,
) -> Risk:
    """Mark mitigation ``number`` done now."""

    def change(_uow: UnitOfWork, risk: Risk, now: datetime) -> Any:
        mitigations = complete_mitigation(risk, number, now)
        detail = {"number": number, "text": mitigations[number - 1].text}
        return {"mitigations": mitigations}, RiskEventKind.MITIGATION_COMPLETED, detail

    return _step(ctx, principal, risk_id, expected_version, change)
