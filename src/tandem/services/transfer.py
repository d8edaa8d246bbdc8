"""Whole-network import and export through a :class:`NetworkSnapshot`.

An import checks every row against the rules of the model first and reports *all* problems, each
naming sheet, row and column; only a clean snapshot is written, in one transaction. Nothing is
ever half-imported.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from tandem.domain.errors import DuplicateCode, ImportRejected, NotFound, Violation
from tandem.domain.identity import User, normalise_email
from tandem.domain.network import (
    BomLine,
    DemandPoint,
    Item,
    ItemSite,
    Lane,
    Member,
    Network,
    Site,
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
    DemandRow,
    ItemRow,
    ItemSiteRow,
    LaneRow,
    MemberRow,
    NetworkSnapshot,
    SiteRow,
    UserRow,
)
from tandem.services.context import ServiceContext
from tandem.services.identity import password_violations

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ImportSummary:
    network_id: int
    members: int
    users: int
    sites: int
    items: int
    item_sites: int
    bom_lines: int
    lanes: int
    demand_points: int


def _where(sheet: str, row: int) -> str:
    return f"sheet {sheet}, row {row}" if row else f"sheet {sheet}"


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
        found += item_violations(i.sku, i.unit, i.unit_value, _where("items", i.row))
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


def import_snapshot(
    ctx: ServiceContext, snapshot: NetworkSnapshot, progress: Progress | None = None
) -> ImportSummary:
    """Create the network of ``snapshot``; reject it whole if any row breaks a rule."""
    found = validate_snapshot(snapshot)
    if found:
        raise ImportRejected(
            f"network {snapshot.code!r} rejected: {len(found)} problems, nothing imported",
            violations=found,
        )
    report = progress or (lambda _stage, _done, _total: None)
    with ctx.uow() as uow:
        if uow.networks.find(code=snapshot.code):
            raise DuplicateCode(f"network {snapshot.code!r} already exists")
        taken = [u.email for u in snapshot.users if uow.users.find(email=normalise_email(u.email))]
        if taken:
            raise ImportRejected(
                "e-mail addresses already registered: " + ", ".join(taken),
                violations=[
                    Violation("sheet users", f"{e} already registered", "email") for e in taken
                ],
            )
        nid = uow.networks.add(Network(0, snapshot.code, snapshot.name, snapshot.description)).id
        member = {
            m.code: uow.members.add(Member(0, nid, m.code, m.name, m.roles, m.country)).id
            for m in snapshot.members
        }
        report("members", len(member), len(member))
        for u in snapshot.users:
            password_hash = ctx.passwords.hash(u.password) if u.password else "!disabled"
            uow.users.add(
                User(
                    0,
                    member[u.member],
                    normalise_email(u.email),
                    u.display_name,
                    password_hash,
                    u.is_network_admin,
                    u.password is not None,
                )
            )
        report("users", len(snapshot.users), len(snapshot.users))
        site = {
            s.code: uow.sites.add(
                Site(
                    0,
                    nid,
                    member[s.member],
                    s.code,
                    s.name,
                    s.kind,
                    s.latitude,
                    s.longitude,
                    s.city,
                    s.country,
                )
            )
            for s in snapshot.sites
        }
        item = {
            i.sku: uow.items.add(
                Item(0, nid, member[i.member], i.sku, i.name, i.unit, i.unit_value, i.family)
            )
            for i in snapshot.items
        }
        report("sites and items", len(site) + len(item), len(site) + len(item))
        uow.item_sites.add_many(
            [
                ItemSite(0, site[p.site].member_id, item[p.item].id, site[p.site].id, p.parameters)
                for p in snapshot.item_sites
            ]
        )
        uow.bom_lines.add_many(
            [
                BomLine(
                    0,
                    item[b.parent].member_id,
                    item[b.parent].id,
                    item[b.component].id,
                    b.quantity_per,
                    None if b.site is None else site[b.site].id,
                )
                for b in snapshot.bom
            ]
        )
        uow.lanes.add_many(
            [
                Lane(
                    0,
                    nid,
                    site[x.from_site].id,
                    site[x.to_site].id,
                    x.mode,
                    x.lead_time_mean_days,
                    x.lead_time_std_days,
                    x.cost_per_unit,
                    x.capacity_per_day,
                    None if x.item is None else item[x.item].id,
                )
                for x in snapshot.lanes
            ]
        )
        _import_demand(uow, snapshot.demand, site, item, report)
        uow.commit()
    return ImportSummary(
        nid,
        len(snapshot.members),
        len(snapshot.users),
        len(snapshot.sites),
        len(snapshot.items),
        len(snapshot.item_sites),
        len(snapshot.bom),
        len(snapshot.lanes),
        len(snapshot.demand),
    )


DEMAND_BATCH = 20_000


def _import_demand(
    uow: object,
    rows: tuple[DemandRow, ...],
    site: dict[str, Site],
    item: dict[str, Item],
    report: Progress,
) -> None:
    store = getattr(uow, "demand")  # noqa: B009
    for start in range(0, len(rows), DEMAND_BATCH):
        batch = rows[start : start + DEMAND_BATCH]
        store.add_many(
            [
                DemandPoint(
                    0, site[d.site].member_id, site[d.site].id, item[d.item].id, d.day, d.quantity
                )
                for d in batch
            ]
        )
        report("demand history", start + len(batch), len(rows))


def export_snapshot(ctx: ServiceContext, network_code: str) -> NetworkSnapshot:
    """The whole network as a snapshot (operator export: users without passwords)."""
    with ctx.uow() as uow:
        networks = uow.networks.find(code=network_code)
        if not networks:
            raise NotFound(f"network {network_code!r} does not exist")
        network = networks[0]
        members = {m.id: m for m in uow.members.find(network_id=network.id)}
        sites = {s.id: s for s in uow.sites.find(network_id=network.id)}
        items = {i.id: i for i in uow.items.find(network_id=network.id)}
        users = [u for m in members for u in uow.users.find(member_id=m)]
        item_sites = [p for s in sites for p in uow.item_sites.find(site_id=s)]
        bom = [b for i in items for b in uow.bom_lines.find(parent_item_id=i)]
        lanes = uow.lanes.find(network_id=network.id)
        demand = [d for s in sites for d in uow.demand.find(site_id=s)]
    code = {k: m.code for k, m in members.items()}
    return NetworkSnapshot(
        network.code,
        network.name,
        network.description,
        tuple(MemberRow(m.code, m.name, m.roles, m.country) for m in members.values()),
        tuple(
            UserRow(u.email, code[u.member_id], u.display_name, None, u.is_network_admin)
            for u in users
        ),
        tuple(
            SiteRow(
                s.code,
                code[s.member_id],
                s.name,
                s.kind,
                s.latitude,
                s.longitude,
                s.city,
                s.country,
            )
            for s in sites.values()
        ),
        tuple(
            ItemRow(i.sku, code[i.member_id], i.name, i.unit, i.unit_value, i.family)
            for i in items.values()
        ),
        tuple(
            ItemSiteRow(items[p.item_id].sku, sites[p.site_id].code, p.parameters)
            for p in item_sites
        ),
        tuple(
            BomRow(
                items[b.parent_item_id].sku,
                items[b.component_item_id].sku,
                b.quantity_per,
                None if b.site_id is None else sites[b.site_id].code,
            )
            for b in bom
        ),
        tuple(
            LaneRow(
                sites[x.from_site_id].code,
                sites[x.to_site_id].code,
                x.mode,
                x.lead_time_mean_days,
                x.lead_time_std_days,
                x.cost_per_unit,
                x.capacity_per_day,
                None if x.item_id is None else items[x.item_id].sku,
            )
            for x in lanes
        ),
        tuple(
            DemandRow(sites[d.site_id].code, items[d.item_id].sku, d.day, d.quantity)
            for d in sorted(demand, key=lambda d: (d.site_id, d.item_id, d.day))
        ),
    )


def network_exists(ctx: ServiceContext, network_code: str) -> bool:
    with ctx.uow() as uow:
        return uow.networks.count(code=network_code) > 0
