"""Load what the caller may see for a time-to-survive analysis.

Network-level data (members, sites, items, lanes) is visible to every member. Stocking points,
bills of materials, inventory positions, forecasts, demand history and risks are member-owned:
they are read through :func:`tandem.services.sharing.read_scoped` (risks through
:func:`tandem.services.risks.visible_risks`), so every partner row served is audited under the
grant that allowed it. Partner rows no grant covers are only *counted* per member and category,
so the result can say what was left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from tandem.domain.forecasts import ForecastPoint
from tandem.domain.identity import Principal
from tandem.domain.inventory import StockPosition
from tandem.domain.network import BomLine, DemandPoint, Item, ItemSite, Lane, Member, Site
from tandem.domain.risks import Risk
from tandem.domain.sharing import AccessScope, DataCategory
from tandem.services.context import ServiceContext
from tandem.services.ports import OwnedRepository, UnitOfWork
from tandem.services.risks import RiskFilter, visible_risks
from tandem.services.sharing import read_all_scoped, scope_for

T = TypeVar("T")

HISTORY_WINDOW_DAYS = 28
"""Demand history gives the rate over (at most) the last four weeks of the series."""


@dataclass(frozen=True)
class DemandRate:
    """Demand per day of one item at one site, and where it comes from."""

    rate: float
    source: str  # "forecast" or "history"


@dataclass(frozen=True)
class RiskInputs:
    network_id: int
    currency: str
    viewer_member_id: int
    members: dict[int, Member]
    sites: dict[int, Site]
    items: dict[int, Item]
    lanes: tuple[Lane, ...]
    points: tuple[ItemSite, ...]
    bom: tuple[BomLine, ...]
    positions: tuple[StockPosition, ...]
    demand: dict[tuple[int, int], DemandRate]  # (item, site)
    risks: tuple[Risk, ...]
    planning_scope: AccessScope
    hidden: dict[tuple[int, DataCategory], int]

    def knows_points(self, item_id: int, site_id: int) -> bool:
        """Whether the caller would see a stocking point of ``item_id`` at ``site_id``."""
        owner = self.sites[site_id].member_id
        return self.planning_scope.permits(owner, item_id, site_id)


def forecast_rates(points: list[ForecastPoint], today: date) -> dict[tuple[int, int], float]:
    """Mean forecast per day of each (item, site) from ``today`` on (all days if none are)."""
    series: dict[tuple[int, int], list[ForecastPoint]] = {}
    for p in points:
        series.setdefault((p.item_id, p.site_id), []).append(p)
    rates = {}
    for key, found in series.items():
        ahead = [p.forecast for p in found if p.day >= today] or [p.forecast for p in found]
        rates[key] = sum(ahead) / len(ahead)
    return rates


def history_rates(points: list[DemandPoint]) -> dict[tuple[int, int], float]:
    """Demand per day of each (item, site): the total over the last ``HISTORY_WINDOW_DAYS`` days
    up to its latest recorded day (fewer if the series is shorter), divided by those days."""
    series: dict[tuple[int, int], list[DemandPoint]] = {}
    for p in points:
        series.setdefault((p.item_id, p.site_id), []).append(p)
    rates = {}
    for key, found in series.items():
        last = max(p.day for p in found)
        start = max(min(p.day for p in found), last - timedelta(days=HISTORY_WINDOW_DAYS - 1))
        total = sum(p.quantity for p in found if p.day >= start)
        rates[key] = total / ((last - start).days + 1)
    return rates


def _demand(ctx: ServiceContext, principal: Principal) -> dict[tuple[int, int], DemandRate]:
    fields = ("item_id", "site_id")
    forecasts = read_all_scoped(
        ctx, principal, DataCategory.FORECASTS, lambda u: u.forecasts, fields, "risk analysis"
    )
    history = read_all_scoped(
        ctx, principal, DataCategory.DEMAND_HISTORY, lambda u: u.demand, fields, "risk analysis"
    )
    found = {k: DemandRate(r, "history") for k, r in history_rates(history).items()}
    today = ctx.clock.now().date()
    found.update(
        {k: DemandRate(r, "forecast") for k, r in forecast_rates(forecasts, today).items()}
    )
    return found


def _hidden(
    uow: UnitOfWork, viewer: int, members: dict[int, Member], visible: dict[DataCategory, list[Any]]
) -> dict[tuple[int, DataCategory], int]:
    repos: dict[DataCategory, OwnedRepository[Any]] = {
        DataCategory.PLANNING_PARAMETERS: uow.item_sites,
        DataCategory.BILLS_OF_MATERIALS: uow.bom_lines,
        DataCategory.INVENTORY_POSITIONS: uow.stock_positions,
    }
    hidden: dict[tuple[int, DataCategory], int] = {}
    for category, repo in repos.items():
        for member_id in sorted(members):
            if member_id == viewer:
                continue
            seen = sum(1 for row in visible[category] if row.owner_member_id == member_id)
            missing = repo.count(owner_member_id=member_id) - seen
            if missing > 0:
                hidden[(member_id, category)] = missing
    return hidden


def load_inputs(ctx: ServiceContext, principal: Principal) -> RiskInputs:
    """Everything the mapping needs, as the caller may see it."""
    nid = principal.network_id
    with ctx.uow() as uow:
        network = uow.networks.get(nid)
        members = {m.id: m for m in uow.members.find(network_id=nid)}
        sites = {s.id: s for s in uow.sites.find(network_id=nid)}
        items = {i.id: i for i in uow.items.find(network_id=nid)}
        lanes = tuple(uow.lanes.find(network_id=nid))
        planning_scope = scope_for(
            uow, principal, DataCategory.PLANNING_PARAMETERS, ctx.clock.now()
        )
    by_item_site = ("item_id", "site_id")
    visible: dict[DataCategory, list[Any]] = {
        DataCategory.PLANNING_PARAMETERS: read_all_scoped(
            ctx, principal, DataCategory.PLANNING_PARAMETERS, lambda u: u.item_sites,
            by_item_site, "risk analysis",
        ),
        DataCategory.BILLS_OF_MATERIALS: read_all_scoped(
            ctx, principal, DataCategory.BILLS_OF_MATERIALS, lambda u: u.bom_lines,
            ("parent_item_id", "site_id"), "risk analysis",
        ),
        DataCategory.INVENTORY_POSITIONS: read_all_scoped(
            ctx, principal, DataCategory.INVENTORY_POSITIONS, lambda u: u.stock_positions,
            by_item_site, "risk analysis",
        ),
    }  # fmt: skip
    demand = _demand(ctx, principal)
    risks = visible_risks(ctx, principal, RiskFilter(), "risk analysis")
    with ctx.uow() as uow:
        hidden = _hidden(uow, principal.member_id, members, visible)
    return RiskInputs(
        nid,
        network.currency if network is not None else "",
        principal.member_id,
        members,
        sites,
        items,
        lanes,
        tuple(visible[DataCategory.PLANNING_PARAMETERS]),
        tuple(visible[DataCategory.BILLS_OF_MATERIALS]),
        tuple(visible[DataCategory.INVENTORY_POSITIONS]),
        demand,
        tuple(risks),
        planning_scope,
        hidden,
    )
