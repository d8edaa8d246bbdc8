"""Creating a new network from a snapshot."""

from __future__ import annotations

from dataclasses import replace

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
)
from tandem.domain.snapshot import (
    DemandRow,
    NetworkSnapshot,
)
from tandem.services.context import ServiceContext
from tandem.services.ports import UnitOfWork
from tandem.services.transfer.common import (
    DEMAND_BATCH,
    EntityCounts,
    ImportSummary,
    Progress,
    _reject_taken,
    _summary,
)


def _create(
    ctx: ServiceContext, uow: UnitOfWork, snapshot: NetworkSnapshot, report: Progress
) -> ImportSummary:
    _reject_taken(uow, [u.email for u in snapshot.users])
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
            Item(
                0,
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
                x.duty_rate,
            )
            for x in snapshot.lanes
        ]
    )
    _import_demand(uow, snapshot.demand, site, item, report)
    everything = _summary(nid, snapshot, EntityCounts(), EntityCounts())
    inserted = EntityCounts(
        everything.members,
        everything.users,
        everything.sites,
        everything.items,
        everything.item_sites,
        everything.bom_lines,
        everything.lanes,
        everything.demand_points,
    )
    return replace(everything, inserted=inserted)


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
