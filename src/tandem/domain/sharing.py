"""Consent-scoped sharing: grants, the one access policy, and the audit trail.

A member (the *grantor*, owner of the data) grants another member of the same network (the
*grantee*) read access to one data category, optionally narrowed to some items and/or sites,
optionally until an expiry. Grants are revocable. :func:`access_scope` is the single decision
point: every read of member-owned data asks it for an :class:`AccessScope` and the storage layer
filters by that scope, so a query cannot be written that forgets the check.
Network-level data (members, sites, lanes, items) is visible to every member of the network.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tandem.domain.errors import ValidationFailed, Violation


class DataCategory(StrEnum):
    DEMAND_HISTORY = "demand_history"
    FORECASTS = "forecasts"
    INVENTORY_POSITIONS = "inventory_positions"
    ORDERS = "orders"
    PRODUCTION_PLANS = "production_plans"
    CAPACITIES = "capacities"
    RISKS = "risks"
    BILLS_OF_MATERIALS = "bills_of_materials"
    PLANNING_PARAMETERS = "planning_parameters"


@dataclass(frozen=True)
class Grant:
    id: int
    network_id: int
    grantor_member_id: int
    grantee_member_id: int
    category: DataCategory
    item_ids: frozenset[int] | None
    site_ids: frozenset[int] | None
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    note: str = ""

    def is_active(self, now: datetime) -> bool:
        if self.revoked_at is not None and self.revoked_at <= now:
            return False
        return self.expires_at is None or now < self.expires_at

    def status(self, now: datetime) -> str:
        if self.revoked_at is not None and self.revoked_at <= now:
            return "revoked"
        if self.expires_at is not None and now >= self.expires_at:
            return "expired"
        return "active"


@dataclass(frozen=True)
class ScopeRule:
    """What one active grant lets the viewer read of one owner's data."""

    owner_member_id: int
    grant_id: int
    item_ids: frozenset[int] | None
    site_ids: frozenset[int] | None

    def covers(self, item_id: int | None, site_id: int | None) -> bool:
        if self.item_ids is not None and (item_id is None or item_id not in self.item_ids):
            return False
        return self.site_ids is None or (site_id is not None and site_id in self.site_ids)


@dataclass(frozen=True)
class AccessScope:
    """The rows of one category a viewer may read: all its own, plus what grants cover."""

    viewer_member_id: int
    network_id: int
    category: DataCategory
    partner_rules: tuple[ScopeRule, ...]

    def rule_for(
        self, owner_member_id: int, item_id: int | None, site_id: int | None
    ) -> ScopeRule | None:
        for rule in self.partner_rules:
            if rule.owner_member_id == owner_member_id and rule.covers(item_id, site_id):
                return rule
        return None

    def permits(self, owner_member_id: int, item_id: int | None, site_id: int | None) -> bool:
        if owner_member_id == self.viewer_member_id:
            return True
        return self.rule_for(owner_member_id, item_id, site_id) is not None

    @property
    def owners(self) -> frozenset[int]:
        return frozenset({self.viewer_member_id, *(r.owner_member_id for r in self.partner_rules)})


def access_scope(
    viewer_member_id: int,
    network_id: int,
    category: DataCategory,
    grants: Iterable[Grant],
    now: datetime,
) -> AccessScope:
    """The one access policy of the platform.

    The viewer always reads its own data in full. A partner's data is readable only through a
    grant that is in the same network, names the viewer as grantee and this category, has not
    been revoked and has not expired at ``now``. Anything else is invisible.
    """
    rules = tuple(
        ScopeRule(g.grantor_member_id, g.id, g.item_ids, g.site_ids)
        for g in grants
        if g.network_id == network_id
        and g.grantee_member_id == viewer_member_id
        and g.grantor_member_id != viewer_member_id
        and g.category == category
        and g.is_active(now)
    )
    return AccessScope(viewer_member_id, network_id, category, rules)


def grant_violations(
    grantor_member_id: int,
    grantee_member_id: int,
    expires_at: datetime | None,
    now: datetime,
    location: str = "grant",
) -> list[Violation]:
    found: list[Violation] = []
    if grantor_member_id == grantee_member_id:
        found.append(Violation(location, "a member cannot grant access to itself", "grantee"))
    if expires_at is not None and expires_at <= now:
        found.append(Violation(location, "expiry must lie in the future", "expires_at"))
    return found


def ensure_grant_valid(
    grantor_member_id: int, grantee_member_id: int, expires_at: datetime | None, now: datetime
) -> None:
    found = grant_violations(grantor_member_id, grantee_member_id, expires_at, now)
    if found:
        raise ValidationFailed("; ".join(str(v) for v in found), violations=found)


@dataclass(frozen=True)
class AuditEntry:
    """One read of a partner's data through a grant: who, what, when, which grant."""

    id: int
    network_id: int
    grant_id: int
    owner_member_id: int
    reader_member_id: int
    reader: str
    category: DataCategory
    resource: str
    rows: int
    at: datetime
