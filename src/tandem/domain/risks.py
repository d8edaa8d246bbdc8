"""The shared risk register: supply risks of one member, shared with partners through grants.

A :class:`Risk` names what may go wrong (a supplier failing, a plant fire, a blocked lane...),
which nodes it affects (sites, lanes, optionally items), how likely it is and how bad it would
be on the usual 5 x 5 likelihood/consequence matrix (ISO 31010:2019, *Risk assessment
techniques*, B.10.2), who owns it, what is done about it (mitigations) and how long the affected
nodes would take to recover (``recovery_days``, the time-to-recover of Simchi-Levi et al. 2015,
*Interfaces* 45(5)). Risks are member-owned data of category ``risks``: the owner sees and edits
its own; a partner reads one only through an active grant covering every affected site and item
(:func:`grant_covering`); nobody else — network administrators included — sees it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from tandem.domain.errors import InvalidTransition, ValidationFailed, Violation
from tandem.domain.sharing import AccessScope, ScopeRule

MAX_TITLE = 200
MAX_TEXT = 2000
MAX_MITIGATIONS = 50
MAX_RECOVERY_DAYS = 3650.0


class RiskCategory(StrEnum):
    SUPPLIER = "supplier"
    PLANT = "plant"
    LANE = "lane"
    DEMAND = "demand"
    QUALITY = "quality"
    CYBER = "cyber"
    GEOPOLITICAL = "geopolitical"
    NATURAL_HAZARD = "natural_hazard"
    REGULATORY = "regulatory"
    FINANCIAL = "financial"


class RiskStatus(StrEnum):
    OPEN = "open"
    MITIGATING = "mitigating"
    ACCEPTED = "accepted"
    CLOSED = "closed"


class RiskBand(StrEnum):
    """Bands of the 5 x 5 matrix by score ``likelihood x impact``."""

    LOW = "low"  # 1-4
    MEDIUM = "medium"  # 5-9
    HIGH = "high"  # 10-16
    CRITICAL = "critical"  # 20-25


class MitigationStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"


class RiskEventKind(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    STATUS_CHANGED = "status_changed"
    MITIGATION_ADDED = "mitigation_added"
    MITIGATION_COMPLETED = "mitigation_completed"


class RiskNetworkInfeasible(ValidationFailed):
    """The visible network cannot meet its demand per day even with every node up."""

    code = "risk_network_infeasible"
    title = "The network cannot meet its demand from its capacities"


def band_of(score: int) -> RiskBand:
    """The band of a score on the 5 x 5 matrix.

    >>> [band_of(s).value for s in (4, 5, 9, 10, 16, 20)]
    ['low', 'medium', 'medium', 'high', 'high', 'critical']
    """
    if score <= 4:
        return RiskBand.LOW
    if score <= 9:
        return RiskBand.MEDIUM
    if score <= 16:
        return RiskBand.HIGH
    return RiskBand.CRITICAL


@dataclass(frozen=True)
class Mitigation:
    """One action against a risk: what, by when, and whether it is done."""

    text: str
    status: MitigationStatus = MitigationStatus.PLANNED
    due_date: date | None = None
    completed_at: datetime | None = None


@dataclass(frozen=True)
class Risk:
    """One entry of the register (see the module docstring); ``version`` counts the changes."""

    id: int
    network_id: int
    owner_member_id: int
    title: str
    category: RiskCategory
    likelihood: int
    impact: int
    status: RiskStatus
    created_at: datetime
    updated_at: datetime
    description: str = ""
    site_ids: frozenset[int] = frozenset()
    lane_ids: frozenset[int] = frozenset()
    item_ids: frozenset[int] = frozenset()
    owner_name: str = ""
    mitigations: tuple[Mitigation, ...] = ()
    review_date: date | None = None
    recovery_days: float | None = None
    version: int = 1
    created_by_user_id: int | None = None

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> RiskBand:
        return band_of(self.score)

    @property
    def is_active(self) -> bool:
        """Open, being mitigated or accepted: everything but closed."""
        return self.status is not RiskStatus.CLOSED


@dataclass(frozen=True)
class RiskEvent:
    """One step of a risk's history: who, when, what (``version`` is the risk's after it)."""

    id: int
    risk_id: int
    version: int
    kind: RiskEventKind
    at: datetime
    actor_member_id: int
    detail: dict[str, Any] = field(default_factory=dict)
    actor_user_id: int | None = None


# ---------------------------------------------------------------- rules


def _text(value: str, limit: int, name: str, location: str, required: bool) -> list[Violation]:
    if required and not value.strip():
        return [Violation(location, "must not be empty", name)]
    if len(value) > limit:
        return [Violation(location, f"must be at most {limit} characters", name)]
    return []


def _scale(value: int, name: str, location: str) -> list[Violation]:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        return [Violation(location, f"must be a whole number from 1 to 5 (got {value!r})", name)]
    return []


def risk_violations(risk: Risk, location: str = "risk") -> list[Violation]:
    """Everything wrong with ``risk`` as a register entry (empty when sound)."""
    found = _text(risk.title, MAX_TITLE, "title", location, required=True)
    found += _text(risk.description, MAX_TEXT, "description", location, required=False)
    found += _text(risk.owner_name, MAX_TITLE, "owner_name", location, required=False)
    found += _scale(risk.likelihood, "likelihood", location)
    found += _scale(risk.impact, "impact", location)
    if not (risk.site_ids or risk.lane_ids):
        found.append(Violation(location, "name at least one affected site or lane", "site_ids"))
    days = risk.recovery_days
    if days is not None and (not math.isfinite(days) or not 0 <= days <= MAX_RECOVERY_DAYS):
        found.append(
            Violation(location, f"must lie in [0, {MAX_RECOVERY_DAYS:g}] days", "recovery_days")
        )
    if len(risk.mitigations) > MAX_MITIGATIONS:
        found.append(Violation(location, f"at most {MAX_MITIGATIONS} mitigations", "mitigations"))
    for n, mitigation in enumerate(risk.mitigations, start=1):
        found += _text(mitigation.text, MAX_TEXT, "text", f"{location}.mitigations[{n}]", True)
    return found


def ensure_risk_valid(risk: Risk) -> None:
    found = risk_violations(risk)
    if found:
        raise ValidationFailed(
            "invalid risk: " + "; ".join(str(v) for v in found), violations=found
        )


ALLOWED_MOVES: dict[RiskStatus, frozenset[RiskStatus]] = {
    RiskStatus.OPEN: frozenset({RiskStatus.MITIGATING, RiskStatus.ACCEPTED, RiskStatus.CLOSED}),
    RiskStatus.MITIGATING: frozenset({RiskStatus.OPEN, RiskStatus.ACCEPTED, RiskStatus.CLOSED}),
    RiskStatus.ACCEPTED: frozenset({RiskStatus.OPEN, RiskStatus.MITIGATING, RiskStatus.CLOSED}),
    RiskStatus.CLOSED: frozenset({RiskStatus.OPEN}),  # a closed risk may only be reopened
}


def ensure_move(current: RiskStatus, target: RiskStatus) -> None:
    """Raise :class:`InvalidTransition` unless ``current -> target`` is allowed."""
    if target not in ALLOWED_MOVES[current]:
        raise InvalidTransition(f"a risk cannot move from {current.value} to {target.value}")


def complete_mitigation(risk: Risk, number: int, at: datetime) -> tuple[Mitigation, ...]:
    """The mitigations with number ``number`` (1-based) marked done at ``at``."""
    if not 1 <= number <= len(risk.mitigations):
        found = [Violation("mitigation", f"risk has no mitigation {number}", "number")]
        raise ValidationFailed(f"risk {risk.id} has no mitigation {number}", violations=found)
    target = risk.mitigations[number - 1]
    if target.status is MitigationStatus.DONE:
        raise InvalidTransition(f"mitigation {number} of risk {risk.id} is already done")
    done = Mitigation(target.text, MitigationStatus.DONE, target.due_date, at)
    return (*risk.mitigations[: number - 1], done, *risk.mitigations[number:])


# ---------------------------------------------------------------- visibility


def _covers_all(rule: ScopeRule, risk: Risk) -> bool:
    if rule.item_ids is not None and not (risk.item_ids and risk.item_ids <= rule.item_ids):
        return False
    return rule.site_ids is None or bool(risk.site_ids and risk.site_ids <= rule.site_ids)


def grant_covering(scope: AccessScope, risk: Risk) -> ScopeRule | None:
    """The grant rule that lets the viewer read a partner's risk, or ``None``.

    One active ``risks`` grant of the risk's owner must cover *every* affected site (a grant
    narrowed to sites never covers a risk naming no site, e.g. one on lanes only) and, where the
    grant is narrowed to items, every affected item.
    """
    if risk.network_id != scope.network_id:
        return None
    for rule in scope.partner_rules:
        if rule.owner_member_id == risk.owner_member_id and _covers_all(rule, risk):
            return rule
    return None


def is_visible(scope: AccessScope, risk: Risk) -> bool:
    if risk.network_id != scope.network_id:
        return False
    return risk.owner_member_id == scope.viewer_member_id or grant_covering(scope, risk) is not None


def heat_map(risks: Iterable[Risk]) -> dict[tuple[int, int], int]:
    """Counts of risks per (likelihood, impact) cell of the 5 x 5 matrix, every cell present."""
    counts = {(lk, im): 0 for lk in range(1, 6) for im in range(1, 6)}
    for risk in risks:
        counts[(risk.likelihood, risk.impact)] += 1
    return counts
