"""Upserting a snapshot into an existing network by natural key (nothing is deleted)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from tandem.domain.errors import ImportRejected, Violation
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
    find_bom_cycle,
)
from tandem.domain.snapshot import (
    BomRow,
    DemandRow,
    LaneRow,
    NetworkSnapshot,
)
from tandem.services.context import ServiceContext
from tandem.services.ports import Repository, UnitOfWork
from tandem.services.transfer.common import (
    DEMAND_BATCH,
    E,
    EntityCounts,
    ImportSummary,
    Progress,
    _reject_taken,
    _summary,
    _where,
)


class _Tally:
    """Rows to insert and rows whose values changed, per entity, in file order."""

    def __init__(self) -> None:
        self.inserted: dict[str, int] = dict.fromkeys(EntityCounts.__dataclass_fields__, 0)
        self.updated: dict[str, int] = dict.fromkeys(EntityCounts.__dataclass_fields__, 0)

    def put(self, repo: Repository[E], kind: str, old: E | None, new: E) -> E:
        """Insert ``new`` or update ``old`` to it (only if it differs); the stored entity."""
        if old is None:
            self.inserted[kind] += 1
            return repo.add(new)
        if old != new:
            self.updated[kind] += 1
            repo.update(new)
        return new

    def put_many(
        self, repo: Repository[E], kind: str, pairs: list[tuple[E | None, E]], batch: int = 0
    ) -> None:
        """Insert or update many at once (entities nothing else refers to in this import)."""
        added = [new for old, new in pairs if old is None]
        changed = [new for old, new in pairs if old is not None and old != new]
        step = batch or max(len(added), len(changed), 1)
        for start in range(0, len(added), step):
            repo.add_many(added[start : start + step])
        for start in range(0, len(changed), step):
            repo.update_many(changed[start : start + step])
        self.inserted[kind] += len(added)
        self.updated[kind] += len(changed)


def _ownership_violations(
    snapshot: NetworkSnapshot,
    member_code: dict[int, str],
    sites: dict[str, Site],
    items: dict[str, Item],
    users: dict[str, User],
) -> list[Violation]:
    """Rows that would move a site, an item or a user to another member: never by import."""
    found: list[Violation] = []

    def check(sheet: str, row: int, what: str, old: int | None, new: str) -> None:
        if old is not None and member_code[old] != new:
            found.append(
                Violation(
                    _where(sheet, row),
                    f"{what} belongs to {member_code[old]!r}; an import cannot move it to {new!r}",
                    "member",
                )
            )

    for s in snapshot.sites:
        old_site = sites.get(s.code)
        check(
            "sites",
            s.row,
            f"site {s.code!r}",
            None if old_site is None else old_site.member_id,
            s.member,
        )
    for i in snapshot.items:
        old_item = items.get(i.sku)
        check(
            "items",
            i.row,
            f"item {i.sku!r}",
            None if old_item is None else old_item.member_id,
            i.member,
        )
    for u in snapshot.users:
        email = normalise_email(u.email)
        old_user = users.get(email)
        check(
            "users",
            u.row,
            f"user {email!r}",
            None if old_user is None else old_user.member_id,
            u.member,
        )
    return found


def _upsert(
    ctx: ServiceContext,
    uow: UnitOfWork,
    network: Network,
    snapshot: NetworkSnapshot,
    report: Progress,
) -> ImportSummary:
    """Insert or update every row of ``snapshot`` into ``network``; delete nothing.

    The network's rows are read once into dicts keyed by natural key; only rows that are new or
    whose values differ are written, in batches.
    """
    nid = network.id
    members = {m.code: m for m in uow.members.find(network_id=nid)}
    member_code = {m.id: m.code for m in members.values()}
    sites = {s.code: s for s in uow.sites.find(network_id=nid)}
    items = {i.sku: i for i in uow.items.find(network_id=nid)}
    users = {u.email: u for m in members.values() for u in uow.users.find(member_id=m.id)}
    found = _ownership_violations(snapshot, member_code, sites, items, users)
    if found:
        raise ImportRejected(
            f"network {snapshot.code!r} rejected: {len(found)} problems, nothing imported",
            violations=found,
        )
    _reject_taken(uow, [u.email for u in snapshot.users if normalise_email(u.email) not in users])
    if (network.name, network.description) != (snapshot.name, snapshot.description):
        uow.networks.update(replace(network, name=snapshot.name, description=snapshot.description))
    tally = _Tally()

    for m in snapshot.members:
        old_member = members.get(m.code)
        new_member = Member(
            old_member.id if old_member else 0, nid, m.code, m.name, m.roles, m.country
        )
        members[m.code] = tally.put(uow.members, "members", old_member, new_member)
    member = {code: m.id for code, m in members.items()}
    report("members", len(snapshot.members), len(snapshot.members))

    for u in snapshot.users:
        email = normalise_email(u.email)
        old_user = users.get(email)
        if old_user is None:
            password_hash = ctx.passwords.hash(u.password) if u.password else "!disabled"
            new_user = User(
                0,
                member[u.member],
                email,
                u.display_name,
                password_hash,
                u.is_network_admin,
                u.password is not None,
            )
        else:
            new_user = replace(
                old_user, display_name=u.display_name, is_network_admin=u.is_network_admin
            )
            if u.password:
                password_hash = ctx.passwords.hash(u.password)
                new_user = replace(new_user, password_hash=password_hash, is_active=True)
        tally.put(uow.users, "users", old_user, new_user)
    report("users", len(snapshot.users), len(snapshot.users))

    for s in snapshot.sites:
        old_site = sites.get(s.code)
        new_site = Site(
            old_site.id if old_site else 0,
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
        sites[s.code] = tally.put(uow.sites, "sites", old_site, new_site)
    for i in snapshot.items:
        old_item = items.get(i.sku)
        new_item = Item(
            old_item.id if old_item else 0,
            nid,
            member[i.member],
            i.sku,
            i.name,
            i.unit,
            i.unit_value,
            i.family,
            i.weight_kg,
            i.volume_m3,
        )
        items[i.sku] = tally.put(uow.items, "items", old_item, new_item)
    done = len(snapshot.sites) + len(snapshot.items)
    report("sites and items", done, done)

    owners = list(member.values())
    stocked = {
        (p.item_id, p.site_id): p for m in owners for p in uow.item_sites.find(owner_member_id=m)
    }
    item_site_pairs: list[tuple[ItemSite | None, ItemSite]] = []
    for p in snapshot.item_sites:
        at, it = sites[p.site], items[p.item]
        old_stocked = stocked.get((it.id, at.id))
        new_stocked = ItemSite(
            old_stocked.id if old_stocked else 0, at.member_id, it.id, at.id, p.parameters
        )
        item_site_pairs.append((old_stocked, new_stocked))
    tally.put_many(uow.item_sites, "item_sites", item_site_pairs)

    _upsert_bom(uow, snapshot.bom, owners, sites, items, tally)
    _upsert_lanes(uow, nid, snapshot.lanes, sites, items, tally)
    _upsert_demand(uow, snapshot.demand, owners, sites, items, tally, report)
    return _summary(nid, snapshot, EntityCounts(**tally.inserted), EntityCounts(**tally.updated))


def _upsert_bom(
    uow: UnitOfWork,
    rows: tuple[BomRow, ...],
    owners: list[int],
    sites: dict[str, Site],
    items: dict[str, Item],
    tally: _Tally,
) -> None:
    """BOM lines by (parent, component, site); the kept lines and the file must form no cycle."""
    lines = {
        (b.parent_item_id, b.component_item_id, b.site_id): b
        for m in owners
        for b in uow.bom_lines.find(owner_member_id=m)
    }
    pairs: list[tuple[BomLine | None, BomLine]] = []
    for b in rows:
        parent, component = items[b.parent], items[b.component]
        site_id = None if b.site is None else sites[b.site].id
        old = lines.get((parent.id, component.id, site_id))
        new = BomLine(
            old.id if old else 0, parent.member_id, parent.id, component.id, b.quantity_per, site_id
        )
        lines[(parent.id, component.id, site_id)] = new
        pairs.append((old, new))
    cycle = find_bom_cycle(sorted({(p, c) for p, c, _site in lines}))
    if cycle:
        sku = {i.id: i.sku for i in items.values()}
        path = " > ".join(sku.get(n, str(n)) for n in [*cycle, cycle[0]])
        raise ImportRejected(
            "BOM lines of the file and of the network form a cycle, nothing imported",
            violations=[
                Violation("sheet bom", f"with the kept lines closes the cycle {path}", "component")
            ],
        )
    tally.put_many(uow.bom_lines, "bom_lines", pairs)


def _upsert_lanes(
    uow: UnitOfWork,
    nid: int,
    rows: tuple[LaneRow, ...],
    sites: dict[str, Site],
    items: dict[str, Item],
    tally: _Tally,
) -> None:
    """Lanes by (from site, to site, item, mode); repeated keys are matched in order."""
    stored: dict[tuple[Any, ...], list[Lane]] = {}
    for lane in uow.lanes.find(network_id=nid):
        key = (lane.from_site_id, lane.to_site_id, lane.item_id, lane.mode)
        stored.setdefault(key, []).append(lane)
    pairs: list[tuple[Lane | None, Lane]] = []
    for x in rows:
        item_id = None if x.item is None else items[x.item].id
        key = (sites[x.from_site].id, sites[x.to_site].id, item_id, x.mode)
        matches = stored.get(key)
        old = matches.pop(0) if matches else None
        new = Lane(
            old.id if old else 0,
            nid,
            sites[x.from_site].id,
            sites[x.to_site].id,
            x.mode,
            x.lead_time_mean_days,
            x.lead_time_std_days,
            x.cost_per_unit,
            x.capacity_per_day,
            item_id,
            x.duty_rate,
        )
        pairs.append((old, new))
    tally.put_many(uow.lanes, "lanes", pairs)


def _upsert_demand(
    uow: UnitOfWork,
    rows: tuple[DemandRow, ...],
    owners: list[int],
    sites: dict[str, Site],
    items: dict[str, Item],
    tally: _Tally,
    report: Progress,
) -> None:
    stored: dict[tuple[int, int, date], DemandPoint] = {
        (d.site_id, d.item_id, d.day): d for m in owners for d in uow.demand.find(owner_member_id=m)
    }
    for start in range(0, len(rows), DEMAND_BATCH):
        batch = rows[start : start + DEMAND_BATCH]
        pairs: list[tuple[DemandPoint | None, DemandPoint]] = []
        for d in batch:
            at, it = sites[d.site], items[d.item]
            old = stored.get((at.id, it.id, d.day))
            if old is not None and old.quantity == d.quantity:
                continue  # the common case: nothing to build, nothing to write
            new = DemandPoint(old.id if old else 0, at.member_id, at.id, it.id, d.day, d.quantity)
            pairs.append((old, new))
        tally.put_many(uow.demand, "demand_points", pairs)
        report("demand history", start + len(batch), len(rows))
