"""Exporting a whole network as a snapshot."""

from __future__ import annotations

from tandem.domain.errors import NotFound
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
            ItemRow(
                i.sku,
                code[i.member_id],
                i.name,
                i.unit,
                i.unit_value,
                i.family,
                i.weight_kg,
                i.volume_m3,
            )
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
                x.duty_rate,
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
