"""A run as tables for planners who live in spreadsheets, and the member a command acts as.

:func:`plan_tables` gives one table (header row, then rows) per sheet: the time-phased records
(item-site rows by bucket columns), planned orders, end pegging of each planned order,
exceptions, requisitions, and resource load (capacity and load per resource and bucket,
overloads and levelling moves, :func:`tandem.services.production.load_sheet`) — or, for a member
without resources, a line saying so rather than inventing any. The CLI writes them to ``.xlsx``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from tandem.domain.errors import NotFound
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.domain.planning_runs import PlanningRun, RunStatus, end_pegging
from tandem.services.context import ServiceContext
from tandem.services.planning.problem import planning_calendar
from tandem.services.planning.procurement import requisitions
from tandem.services.planning.reads import pegs_by_supply
from tandem.services.planning.runs import live_run, own_run
from tandem.services.production.load import load_sheet, resource_load

__all__ = [
    "RECORD_LABELS",
    "RunSummary",
    "acting_member",
    "plan_tables",
    "resolve_run",
    "run_summary",
]

RECORD_LABELS = (
    ("gross_requirements", "gross requirements"),
    ("scheduled_receipts", "scheduled receipts"),
    ("projected_available", "projected available"),
    ("net_requirements", "net requirements"),
    ("planned_receipts", "planned receipts"),
    ("planned_releases", "planned releases"),
)
NO_RESOURCE_MODEL = (
    "No resource or routing model exists yet for this member: resource load (capacity "
    "requirements planning) is not computed. Planned production releases are on the records "
    "sheet; define resources and routings (docs/production.md) to load them."
)

Table = list[list[Any]]


def acting_member(
    ctx: ServiceContext, network_code: str | None, member_code: str | None
) -> Principal:
    """The member a command acts as: ``member_code`` in ``network_code`` (default: the only
    network; the member of its network administrator), through its first active user."""
    with ctx.uow() as uow:
        networks = uow.networks.find(code=network_code) if network_code else uow.networks.find()
        if len(networks) != 1:
            raise NotFound(
                f"network {network_code} not found" if network_code
                else f"{len(networks)} networks: name one with --network"
            )  # fmt: skip
        network = networks[0]
        members = uow.members.find(network_id=network.id)
        users = [u for m in members for u in uow.users.find(member_id=m.id) if u.is_active]
        if member_code is None:
            admins = [u for u in users if u.is_network_admin]
            if not admins:
                raise NotFound("the network has no administrator: name a member with --member")
            member = next(m for m in members if m.id == admins[0].member_id)
        else:
            found = [m for m in members if m.code == member_code]
            if not found:
                raise NotFound(f"member {member_code} not found in {network.code}")
            member = found[0]
    user = min((u for u in users if u.member_id == member.id), key=lambda u: u.id, default=None)
    label = f"{user.email if user else 'cli'} ({member.code})"
    return Principal(member.id, network.id, label, ALL_SCOPES, user_id=user.id if user else None)


def resolve_run(ctx: ServiceContext, principal: Principal, run_id: int | None) -> PlanningRun:
    """Run ``run_id`` of the member, or its live plan."""
    with ctx.uow() as uow:
        if run_id is not None:
            return own_run(uow, principal, run_id)
        run = live_run(uow, principal.member_id)
    if run is None:
        raise NotFound("no live plan yet: run `tandem plan run` first")
    return run


@dataclass(frozen=True)
class RunSummary:
    run: PlanningRun
    item_sites: int
    orders_by_kind: dict[str, int]
    exceptions_by_code: dict[str, int]


def run_summary(ctx: ServiceContext, principal: Principal, run_id: int) -> RunSummary:
    with ctx.uow() as uow:
        run = own_run(uow, principal, run_id)
        item_sites = uow.planning_item_sites.count(run_id=run_id)
        kinds = Counter(o.kind for o in uow.planned_orders.find(run_id=run_id))
        codes = Counter(e.code for e in uow.planning_exceptions.find(run_id=run_id))
    return RunSummary(run, item_sites, dict(sorted(kinds.items())), dict(sorted(codes.items())))


def bucket_starts(run: PlanningRun) -> tuple[date, ...]:
    return planning_calendar(run.as_of, run.horizon_buckets, run.bucket).starts


def plan_tables(ctx: ServiceContext, principal: Principal, run_id: int) -> dict[str, Table]:
    """Every sheet of the plan workbook, by sheet name."""
    with ctx.uow() as uow:
        run = own_run(uow, principal, run_id)
        sku = {i.id: i.sku for i in uow.items.find(network_id=run.network_id)}
        site = {s.id: s.code for s in uow.sites.find(network_id=run.network_id)}
        member = {m.id: m.code for m in uow.members.find(network_id=run.network_id)}
        records = uow.planning_item_sites.find(run_id=run_id)
        orders = uow.planned_orders.find(run_id=run_id)
        exceptions = uow.planning_exceptions.find(run_id=run_id)
        pegs = pegs_by_supply(uow, run_id)
    grid: Table = [["item", "site", "row", *bucket_starts(run)]]
    for row in records:
        for name, label in RECORD_LABELS:
            grid.append([sku[row.item_id], site[row.site_id], label, *row.record[name]])
    planned: Table = [["ref", "item", "site", "kind", "release date", "due date", "quantity",
                       "release quantity", "release past due", "supplier", "from site",
                       "purchase order id"]]  # fmt: skip
    planned += [
        [o.ref, sku[o.item_id], site[o.site_id], o.kind, o.release_date, o.due_date, o.quantity,
         o.release_quantity, o.release_past_due, member.get(o.supplier_member_id or 0, ""),
         site.get(o.from_site_id or 0, ""), o.purchase_order_id]
        for o in orders
    ]  # fmt: skip
    pegging: Table = [["planned order", "end demand", "quantity"]]
    for order in orders:
        ends = end_pegging(pegs, order.ref)
        pegging += [[order.ref, d or "(none)", round(q, 6)] for d, q in sorted(ends.items())]
    problems: Table = [["code", "item", "site", "date", "message", "supply"]]
    problems += [
        [e.code, sku[e.item_id], site[e.site_id], e.day, e.message, e.supply_ref or ""]
        for e in exceptions
    ]
    buying: Table = [[
        "supplier", "ref", "item", "site", "need date", "order by", "planned", "quantity",
        "unit price (minor)", "amount (minor)", "purchase order id",
    ]]  # fmt: skip
    for requisition in requisitions(ctx, principal, run_id):
        buying += [
            [member[requisition.supplier_member_id], x.ref, sku[x.item_id], site[x.site_id],
             x.need_date, x.order_by_date, x.planned_quantity, x.quantity, x.unit_price_minor,
             x.amount_minor, x.purchase_order_id]
            for x in requisition.lines
        ]  # fmt: skip
    return {
        "records": grid,
        "planned orders": planned,
        "pegging": pegging,
        "exceptions": problems,
        "requisitions": buying,
        "resource load": _resource_load(ctx, principal, run),
    }


def _resource_load(ctx: ServiceContext, principal: Principal, run: PlanningRun) -> Table:
    with ctx.uow() as uow:
        resources = uow.resources.count(member_id=principal.member_id)
    if not resources or run.status is not RunStatus.SUCCEEDED:
        return [[NO_RESOURCE_MODEL]]
    return load_sheet(resource_load(ctx, principal, run.id))
