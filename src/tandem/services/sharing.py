"""Granting, revoking and auditing access; and the one path by which partner data is read.

Every read of member-owned data goes through :func:`read_scoped` or :func:`read_one_scoped`:
they ask the domain policy :func:`tandem.domain.sharing.access_scope` for the caller's scope,
let storage filter by it, and write one audit entry per grant that let rows through.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from tandem.domain.errors import NotFound, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.sharing import (
    AccessScope,
    AuditEntry,
    DataCategory,
    Grant,
    access_scope,
    ensure_grant_valid,
)
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.ports import OwnedRepository, UnitOfWork

T = TypeVar("T")


@dataclass(frozen=True)
class GrantAccess:
    grantee_member_id: int
    category: DataCategory
    item_ids: frozenset[int] | None = None
    site_ids: frozenset[int] | None = None
    expires_at: datetime | None = None
    note: str = ""


def scope_for(
    uow: UnitOfWork, principal: Principal, category: DataCategory, now: datetime
) -> AccessScope:
    grants = uow.grants.find(network_id=principal.network_id, grantee_member_id=principal.member_id)
    return access_scope(principal.member_id, principal.network_id, category, grants, now)


def _audit(
    uow: UnitOfWork,
    principal: Principal,
    scope: AccessScope,
    rows: list[Any],
    item_of: Callable[[Any], int | None],
    site_of: Callable[[Any], int | None],
    resource: str,
    now: datetime,
) -> None:
    used: Counter[tuple[int, int]] = Counter()
    for row in rows:
        owner = row.owner_member_id
        if owner == principal.member_id:
            continue
        rule = scope.rule_for(owner, item_of(row), site_of(row))
        if rule is None:  # storage returned a row the policy does not allow: never serve it
            raise RuntimeError("storage returned a row outside the access scope")
        used[(rule.grant_id, owner)] += 1
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


def read_scoped(
    ctx: ServiceContext,
    principal: Principal,
    category: DataCategory,
    repository: Callable[[UnitOfWork], OwnedRepository[T]],
    fields: tuple[str, str],
    page: PageRequest,
    resource: str,
    **equals: Any,
) -> Page[T]:
    """Read one page of owned rows the caller may see, auditing partner rows served."""
    principal.require(Scope.DATA_READ)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        scope = scope_for(uow, principal, category, now)
        repo = repository(uow)
        rows = repo.find_scoped(scope, offset=page.offset, limit=page.limit, **equals)
        total = repo.count_scoped(scope, **equals)
        _audit(
            uow,
            principal,
            scope,
            rows,
            lambda r: getattr(r, fields[0]),
            lambda r: getattr(r, fields[1]),
            resource,
            now,
        )
        uow.commit()
    return Page(tuple(rows), total, page.offset, page.limit)


def read_all_scoped(
    ctx: ServiceContext,
    principal: Principal,
    category: DataCategory,
    repository: Callable[[UnitOfWork], OwnedRepository[T]],
    fields: tuple[str, str],
    resource: str,
    **equals: Any,
) -> list[T]:
    """Every owned row the caller may see, in one read (for engines that need the whole set),
    auditing partner rows served like :func:`read_scoped`."""
    principal.require(Scope.DATA_READ)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        scope = scope_for(uow, principal, category, now)
        rows = repository(uow).find_scoped(scope, **equals)
        _audit(
            uow,
            principal,
            scope,
            rows,
            lambda r: getattr(r, fields[0]),
            lambda r: getattr(r, fields[1]),
            resource,
            now,
        )
        uow.commit()
    return rows


def read_one_scoped(
    ctx: ServiceContext,
    principal: Principal,
    category: DataCategory,
    repository: Callable[[UnitOfWork], OwnedRepository[T]],
    fields: tuple[str, str],
    entity_id: int,
    what: str,
) -> T:
    """One owned row by id, or :class:`NotFound` whether it is missing or merely not granted."""
    principal.require(Scope.DATA_READ)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        scope = scope_for(uow, principal, category, now)
        row = repository(uow).get(entity_id)
        if row is None or not _visible(row, scope, fields):
            raise NotFound(f"{what} {entity_id} not found")
        _audit(
            uow,
            principal,
            scope,
            [row],
            lambda r: getattr(r, fields[0]),
            lambda r: getattr(r, fields[1]),
            f"{what} {entity_id}",
            now,
        )
        uow.commit()
    return row


def _visible(row: Any, scope: AccessScope, fields: tuple[str, str]) -> bool:
    return scope.permits(row.owner_member_id, getattr(row, fields[0]), getattr(row, fields[1]))


def grant_access(ctx: ServiceContext, principal: Principal, command: GrantAccess) -> Grant:
    principal.require(Scope.SHARING_WRITE)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        grantee = uow.members.get(command.grantee_member_id)
        if grantee is None or grantee.network_id != principal.network_id:
            raise ValidationFailed(
                f"member {command.grantee_member_id} is not a member of this network",
                violations=[Violation("grant", "unknown member of this network", "grantee")],
            )
        ensure_grant_valid(principal.member_id, grantee.id, command.expires_at, now)
        _check_narrowing(uow, principal, command)
        grant = uow.grants.add(
            Grant(
                0,
                principal.network_id,
                principal.member_id,
                grantee.id,
                command.category,
                command.item_ids,
                command.site_ids,
                now,
                command.expires_at,
                None,
                command.note,
            )
        )
        uow.commit()
    return grant


def _check_narrowing(uow: UnitOfWork, principal: Principal, command: GrantAccess) -> None:
    found: list[Violation] = []
    for item_id in sorted(command.item_ids or ()):
        item = uow.items.get(item_id)
        if item is None or item.network_id != principal.network_id:
            found.append(Violation("grant", f"unknown item {item_id}", "item_ids"))
    for site_id in sorted(command.site_ids or ()):
        site = uow.sites.get(site_id)
        if site is None or site.member_id != principal.member_id:
            found.append(Violation("grant", f"site {site_id} is not one of yours", "site_ids"))
    if command.item_ids is not None and not command.item_ids:
        found.append(Violation("grant", "an empty item list would grant nothing", "item_ids"))
    if command.site_ids is not None and not command.site_ids:
        found.append(Violation("grant", "an empty site list would grant nothing", "site_ids"))
    if found:
        raise ValidationFailed("; ".join(str(v) for v in found), violations=found)


def revoke_grant(ctx: ServiceContext, principal: Principal, grant_id: int) -> Grant:
    """Revoke a grant the caller gave. Revoking twice keeps the first revocation time."""
    principal.require(Scope.SHARING_WRITE)
    with ctx.uow() as uow:
        grant = uow.grants.get(grant_id)
        if grant is None or grant.grantor_member_id != principal.member_id:
            raise NotFound(f"grant {grant_id} not found")
        if grant.revoked_at is None:
            grant = Grant(**{**grant.__dict__, "revoked_at": ctx.clock.now()})
            uow.grants.update(grant)
            uow.commit()
    return grant


def list_grants(
    ctx: ServiceContext, principal: Principal, direction: str, page: PageRequest
) -> Page[Grant]:
    """Grants the caller gave (``given``) or received (``received``)."""
    principal.require(Scope.SHARING_READ)
    key = {"given": "grantor_member_id", "received": "grantee_member_id"}.get(direction)
    if key is None:
        raise ValidationFailed(
            "direction must be 'given' or 'received'",
            violations=[Violation("query", "must be 'given' or 'received'", "direction")],
        )
    filters: dict[str, Any] = {"network_id": principal.network_id, key: principal.member_id}
    with ctx.uow() as uow:
        rows = uow.grants.find(offset=page.offset, limit=page.limit, **filters)
        total = uow.grants.count(**filters)
    return Page(tuple(rows), total, page.offset, page.limit)


def get_grant(ctx: ServiceContext, principal: Principal, grant_id: int) -> Grant:
    principal.require(Scope.SHARING_READ)
    with ctx.uow() as uow:
        grant = uow.grants.get(grant_id)
    if grant is None or principal.member_id not in (
        grant.grantor_member_id,
        grant.grantee_member_id,
    ):
        raise NotFound(f"grant {grant_id} not found")
    return grant


def read_audit_log(
    ctx: ServiceContext, principal: Principal, page: PageRequest
) -> Page[AuditEntry]:
    """The reads of the caller's data by partners, newest first: for the data owner only."""
    principal.require(Scope.SHARING_READ)
    with ctx.uow() as uow:
        rows = uow.audit.find(
            offset=page.offset,
            limit=page.limit,
            descending=True,
            owner_member_id=principal.member_id,
        )
        total = uow.audit.count(owner_member_id=principal.member_id)
    return Page(tuple(rows), total, page.offset, page.limit)


def covers(
    ctx: ServiceContext,
    principal: Principal,
    category: DataCategory,
    owner_member_id: int,
    site_id: int | None = None,
) -> bool:
    """Whether the caller may read some of ``owner_member_id``'s rows of ``category`` (at
    ``site_id``, for some item). Lets a page tell "not shared with you" from "nothing recorded".
    """
    if owner_member_id == principal.member_id:
        return True
    with ctx.uow() as uow:
        scope = scope_for(uow, principal, category, ctx.clock.now())
    return any(
        rule.owner_member_id == owner_member_id
        and (site_id is None or rule.site_ids is None or site_id in rule.site_ids)
        for rule in scope.partner_rules
    )
