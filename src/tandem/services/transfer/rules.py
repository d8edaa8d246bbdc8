"""The rules a whole snapshot must keep before anything is written."""

from __future__ import annotations

import itertools

from tandem.domain.errors import Violation
from tandem.domain.identity import normalise_email
from tandem.domain.network import (
    bom_line_violations,
    check_code,
    check_non_negative,
    find_bom_cycle,
    item_violations,
    lane_violations,
    planning_parameter_violations,
    site_violations,
)
from tandem.domain.snapshot import (
    BomRow,
    NetworkSnapshot,
)
from tandem.services.identity import password_violations
from tandem.services.transfer.common import _where


def _unique(rows: tuple[object, ...], key: str, sheet: str, found: list[Violation]) -> set[str]:
    seen: set[str] = set()
    for row in rows:
        value = getattr(row, key)
        if value in seen:
            found.append(Violation(_where(sheet, getattr(row, "row")), f"duplicate {value!r}", key))  # noqa: B009
        seen.add(value)
    return seen


def _unique_rows(
    rows: tuple[object, ...], keys: tuple[str, ...], sheet: str, found: list[Violation]
) -> None:
    """Rows whose key repeats (the database would refuse them) name their sheet and row."""
    seen: set[tuple[object, ...]] = set()
    for row in rows:
        key = tuple(getattr(row, k) for k in keys)
        if key in seen:
            shown = ", ".join("all sites" if v is None else str(v) for v in key)
            found.append(
                Violation(_where(sheet, getattr(row, "row")), f"duplicate {shown}", keys[-1])  # noqa: B009
            )
        seen.add(key)


def _refers(
    value: str | None, known: set[str], sheet: str, row: int, column: str, found: list[Violation]
) -> None:
    if value is not None and value not in known:
        found.append(Violation(_where(sheet, row), f"unknown {column} {value!r}", column))


def validate_snapshot(snapshot: NetworkSnapshot) -> list[Violation]:
    """Every problem of the snapshot, in sheet order; an empty list means it can be imported."""
    found: list[Violation] = check_code(snapshot.code, "network")
    members = _unique(snapshot.members, "code", "members", found)
    for m in snapshot.members:
        found += check_code(m.code, _where("members", m.row))
        if not m.roles:
            found.append(Violation(_where("members", m.row), "needs at least one role", "roles"))
    emails: set[str] = set()
    for u in snapshot.users:
        email = normalise_email(u.email)
        if email in emails:
            found.append(Violation(_where("users", u.row), f"duplicate {email!r}", "email"))
        if "@" not in email.strip("@"):
            found.append(Violation(_where("users", u.row), "is not an e-mail address", "email"))
        emails.add(email)
        _refers(u.member, members, "users", u.row, "member", found)
        if u.password is not None:
            found += [
                Violation(_where("users", u.row), v.message, v.field)
                for v in password_violations(u.password)
            ]
    sites = _unique(snapshot.sites, "code", "sites", found)
    for s in snapshot.sites:
        _refers(s.member, members, "sites", s.row, "member", found)
        found += site_violations(s.code, s.latitude, s.longitude, _where("sites", s.row))
    items = _unique(snapshot.items, "sku", "items", found)
    for i in snapshot.items:
        _refers(i.member, members, "items", i.row, "member", found)
        found += item_violations(
            i.sku, i.unit, i.unit_value, _where("items", i.row), i.weight_kg, i.volume_m3
        )
    _unique_rows(snapshot.item_sites, ("item", "site"), "item_sites", found)
    for p in snapshot.item_sites:
        _refers(p.item, items, "item_sites", p.row, "item", found)
        _refers(p.site, sites, "item_sites", p.row, "site", found)
        found += planning_parameter_violations(p.parameters, _where("item_sites", p.row))
    found += _bom_violations(snapshot.bom, items, sites)
    for lane in snapshot.lanes:
        where = _where("lanes", lane.row)
        _refers(lane.from_site, sites, "lanes", lane.row, "from_site", found)
        _refers(lane.to_site, sites, "lanes", lane.row, "to_site", found)
        _refers(lane.item, items, "lanes", lane.row, "item", found)
        to_id = 0 if lane.from_site == lane.to_site else 1
        found += lane_violations(
            0,
            to_id,
            lane.lead_time_mean_days,
            lane.lead_time_std_days,
            lane.cost_per_unit,
            lane.capacity_per_day,
            where,
            lane.duty_rate,
        )
    _unique_rows(snapshot.demand, ("site", "item", "day"), "demand", found)
    for d in snapshot.demand:
        _refers(d.site, sites, "demand", d.row, "site", found)
        _refers(d.item, items, "demand", d.row, "item", found)
        found += check_non_negative(d.quantity, _where("demand", d.row), "quantity")
    return found


def _bom_violations(bom: tuple[BomRow, ...], items: set[str], sites: set[str]) -> list[Violation]:
    found: list[Violation] = []
    index = {sku: n for n, sku in enumerate(sorted(items))}
    edges: list[tuple[int, int]] = []
    _unique_rows(bom, ("parent", "component", "site"), "bom", found)
    for b in bom:
        where = _where("bom", b.row)
        _refers(b.parent, items, "bom", b.row, "parent", found)
        _refers(b.component, items, "bom", b.row, "component", found)
        _refers(b.site, sites, "bom", b.row, "site", found)
        found += bom_line_violations(
            index.get(b.parent, -1), index.get(b.component, -2), b.quantity_per, where
        )
        if b.parent in index and b.component in index:
            edges.append((index[b.parent], index[b.component]))
    cycle = find_bom_cycle(edges)
    if cycle:
        names = {n: sku for sku, n in index.items()}
        path = " > ".join(names[n] for n in [*cycle, cycle[0]])
        rows = [b.row for b in bom if (b.parent, b.component) in _pairs(cycle, names)]
        found.append(
            Violation(_where("bom", min(rows, default=0)), f"closes the cycle {path}", "component")
        )
    return found


def _pairs(cycle: list[int], names: dict[int, str]) -> set[tuple[str, str]]:
    ring = [*cycle, cycle[0]]
    return {(names[a], names[b]) for a, b in itertools.pairwise(ring)}
