"""Demand history of one item-site in days, ISO weeks or months, with outlier flags.

:func:`demand_series` reads the daily demand through the scoped, audited read of category
``demand_history`` (own rows, or a partner's through a grant) and buckets it with
:func:`tandem.planning.forecasting.aggregation.aggregate_demand`: days without a record inside
the observed span are zero demand, buckets sticking out of it are flagged partial (or dropped),
and whole buckets are tested for outliers with a Hampel filter on their per-day rates.

The engine package (pandas and statsforecast behind it) is imported on first use, so loading
the API or the web app does not pay for it (as in :mod:`tandem.services.forecasts`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal, get_args

from tandem.domain.errors import NotFound, ValidationFailed, Violation
from tandem.domain.identity import Principal
from tandem.domain.network import DemandPoint
from tandem.domain.sharing import DataCategory
from tandem.services.context import MAX_PAGE, PageRequest, ServiceContext
from tandem.services.sharing import read_scoped

if TYPE_CHECKING:
    from tandem.planning.forecasting.aggregation import Bucket, DemandBuckets, HampelRule

__all__ = ["DemandSeries", "Frequency", "Partial", "bucketed", "demand_series"]

Frequency = Literal["day", "week", "month"]
"""The bucket length: :class:`tandem.planning.forecasting.aggregation.Bucketing` values."""
Partial = Literal["flag", "drop"]
"""What happens to partial buckets: :class:`~.aggregation.PartialBuckets` values."""


@dataclass(frozen=True)
class DemandSeries:
    """One item-site's demand in buckets.

    ``first_day``/``last_day`` is the observed span used: the first and last recorded days,
    narrowed to ``since``/``until``; ``None`` when no demand is visible to the caller.
    """

    site_id: int
    item_id: int
    freq: Frequency
    partial: Partial
    rule: HampelRule
    first_day: date | None
    last_day: date | None
    buckets: tuple[Bucket, ...]


def bucketed(
    points: Iterable[DemandPoint],
    freq: Frequency,
    since: date | None = None,
    until: date | None = None,
    partial: Partial = "flag",
) -> DemandBuckets:
    """The buckets of the daily demand of one item-site (no reading, no audit: for rows the
    caller already read). Days outside ``since``..``until`` are left out; no zero is invented
    before the first or after the last recorded day. Outliers by the default
    :class:`~tandem.planning.forecasting.aggregation.HampelRule`."""
    from tandem.planning.forecasting.aggregation import (
        Bucketing,
        PartialBuckets,
        aggregate_demand,
    )

    bucketing, partial_buckets = Bucketing(freq), PartialBuckets(partial)
    recorded = {p.day: p.quantity for p in points}
    first = max([min(recorded, default=date.max), *([since] if since else [])])
    last = min([max(recorded, default=date.min), *([until] if until else [])])
    if first > last:
        return aggregate_demand({}, bucketing, partial_buckets=partial_buckets)
    days = {day: quantity for day, quantity in recorded.items() if first <= day <= last}
    return aggregate_demand(days, bucketing, span=(first, last), partial_buckets=partial_buckets)


def _check(
    ctx: ServiceContext,
    principal: Principal,
    site_id: int,
    item_id: int,
    since: date | None,
    until: date | None,
    freq: str,
    partial: str,
) -> None:
    found: list[Violation] = []
    if freq not in get_args(Frequency):
        found.append(Violation("query", "must be day, week or month", "freq"))
    if partial not in get_args(Partial):
        found.append(Violation("query", "must be flag or drop", "partial"))
    if found:
        raise ValidationFailed("; ".join(str(v) for v in found), violations=found)
    with ctx.uow() as uow:
        site = uow.sites.get(site_id)
        item = uow.items.get(item_id)
    if site is None or site.network_id != principal.network_id:
        raise NotFound(f"site {site_id} not found")
    if item is None or item.network_id != principal.network_id:
        raise NotFound(f"item {item_id} not found")
    if since is not None and until is not None and since > until:
        raise ValidationFailed(
            f"since ({since}) is after until ({until})",
            violations=[Violation("query", "must not be after until", "since")],
        )


def demand_series(
    ctx: ServiceContext,
    principal: Principal,
    site_id: int,
    item_id: int,
    freq: Frequency = "week",
    since: date | None = None,
    until: date | None = None,
    partial: Partial = "flag",
) -> DemandSeries:
    """The demand of ``item_id`` at ``site_id`` in buckets, with partial and outlier flags.

    Reads through the ``demand_history`` scope: the owner's rows, or a partner's granted rows
    (each page of partner rows read is audited). Without a grant the series is empty.
    """
    _check(ctx, principal, site_id, item_id, since, until, freq, partial)
    points: list[DemandPoint] = []
    offset = 0
    while True:
        page = read_scoped(
            ctx,
            principal,
            DataCategory.DEMAND_HISTORY,
            lambda u: u.demand,
            ("item_id", "site_id"),
            PageRequest(offset, MAX_PAGE),
            f"demand series site_id={site_id} item_id={item_id}",
            site_id=site_id,
            item_id=item_id,
        )
        points.extend(page.items)
        offset += MAX_PAGE
        if not page.items or offset >= page.total:
            break
    found = bucketed(points, freq, since, until, partial)
    return DemandSeries(
        site_id,
        item_id,
        freq,
        partial,
        found.rule,
        found.first_day,
        found.last_day,
        found.buckets,
    )
