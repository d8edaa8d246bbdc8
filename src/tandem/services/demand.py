"""Demand history: daily observed demand per item and site, owned by the site's member and
shared up the chain only through ``demand_history`` grants."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import DemandPoint, check_non_negative
from tandem.domain.sharing import DataCategory
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.sharing import read_scoped

FIELDS = ("item_id", "site_id")


@dataclass(frozen=True)
class DemandObservation:
    site_id: int
    item_id: int
    day: date
    quantity: float


@dataclass(frozen=True)
class DemandUploadResult:
    inserted: int
    replaced: int


def record_demand(
    ctx: ServiceContext, principal: Principal, observations: Sequence[DemandObservation]
) -> DemandUploadResult:
    """Store observed demand at the caller's own sites; a day already recorded is replaced.

    All rows are checked first: one bad row rejects the whole upload and nothing is written.
    """
    principal.require(Scope.DATA_WRITE)
    found: list[Violation] = []
    with ctx.uow() as uow:
        sites = {s.id: s for s in uow.sites.find(member_id=principal.member_id)}
        items = {i.id for i in uow.items.find(network_id=principal.network_id)}
        for index, row in enumerate(observations, start=1):
            where = f"row {index}"
            if row.site_id not in sites:
                found.append(Violation(where, f"site {row.site_id} is not one of yours", "site_id"))
            if row.item_id not in items:
                found.append(Violation(where, f"item {row.item_id} does not exist", "item_id"))
            found += check_non_negative(row.quantity, where, "quantity")
        if found:
            raise ValidationFailed(f"{len(found)} problems in the demand upload", violations=found)
        stored: dict[tuple[int, int, date], int] = {
            (p.site_id, p.item_id, p.day): p.id
            for site_id, item_id in sorted({(r.site_id, r.item_id) for r in observations})
            for p in uow.demand.find(site_id=site_id, item_id=item_id)
        }
        changed: dict[tuple[int, int, date], DemandPoint] = {}
        fresh: dict[tuple[int, int, date], DemandPoint] = {}
        for row in observations:  # a day sent twice in one upload: the later row wins
            key = (row.site_id, row.item_id, row.day)
            point = DemandPoint(0, principal.member_id, *key, row.quantity)
            if key in stored:
                changed[key] = replace(point, id=stored[key])
            else:
                fresh[key] = point
        uow.demand.update_many(list(changed.values()))
        uow.demand.add_many(list(fresh.values()))
        uow.commit()
    return DemandUploadResult(len(fresh), len(changed))


def read_demand(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    item_id: int | None = None,
    site_id: int | None = None,
) -> Page[DemandPoint]:
    filters = {k: v for k, v in (("item_id", item_id), ("site_id", site_id)) if v is not None}
    resource = "demand " + " ".join(f"{k}={v}" for k, v in filters.items())
    return read_scoped(
        ctx,
        principal,
        DataCategory.DEMAND_HISTORY,
        lambda u: u.demand,
        FIELDS,
        page,
        resource.strip(),
        **filters,
    )
