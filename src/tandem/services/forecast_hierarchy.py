"""The hierarchy of a member's forecast run (item-site → item → family) and its totals.

A forecast run (:func:`tandem.services.forecasts.run_forecasts`) forecasts each item-site of
the caller. Here those series are summed into item totals (over the caller's sites) and family
totals (over items of one :attr:`~tandem.domain.network.Item.family`), the totals are forecast
too, and :func:`tandem.planning.forecasting.reconciliation.reconcile` makes the item-site
forecasts coherent with them before they are stored. Totals are never stored: they are the sums
of the stored item-site forecasts (:func:`forecast_totals`), so they add up exactly at every
level and day.

* Only the series whose history reaches the run's last day take part (a common time axis);
  a series that ended earlier is forecast on its own from its own last day, as before.
* An aggregate that holds one item-site only (an item sold at one site, a family of one such
  item) is the same series and is left out; an item without a family has no family node.
* The method is MinT(Shrink) (Wickramasuriya, Athanasopoulos & Hyndman 2019) on the last
  cross-validation windows every node has in common (errors of the chosen models, all steps
  pooled — an approximation of their one-step in-sample residuals); where a node has no
  window, or never erred, the structural WLS variant, which needs no errors.
* Reconciled forecasts are clipped at zero and rounded to 1e-9 (projection noise); interval
  bounds move with their point forecast (reconciled intervals are not computed).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from tandem.domain.forecasts import ForecastPoint
from tandem.domain.identity import Principal
from tandem.domain.sharing import DataCategory
from tandem.services.context import MAX_PAGE, Page, PageRequest, ServiceContext
from tandem.services.sharing import read_scoped

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from numpy.typing import NDArray

ITEM_NODE = "item:"
FAMILY_NODE = "family:"
DECIMALS = 9


class TotalLevel(StrEnum):
    """An aggregate level of the forecast hierarchy."""

    ITEM = "item"
    FAMILY = "family"


@dataclass(frozen=True)
class SeriesHierarchy:
    """Aggregate nodes of one run: each bottom series' ancestors and each node's history."""

    parents: dict[str, tuple[str, ...]]
    history: dict[str, dict[date, float]]


def build_hierarchy(
    history: Mapping[str, Mapping[date, float]],
    item_of: Mapping[str, int],
    families: Mapping[int, str],
) -> SeriesHierarchy:
    """Item and family nodes over the bottom series that reach the run's last day."""
    if not history:
        return SeriesHierarchy({}, {})
    last = max(max(days) for days in history.values())
    current = sorted(uid for uid, days in history.items() if max(days) == last)
    members: dict[str, set[str]] = defaultdict(set)
    for uid in current:
        members[f"{ITEM_NODE}{item_of[uid]}"].add(uid)
        if families.get(item_of[uid], ""):
            members[f"{FAMILY_NODE}{families[item_of[uid]]}"].add(uid)
    items = {n: m for n, m in members.items() if n.startswith(ITEM_NODE) and len(m) > 1}
    kept = dict(items)
    for node, bottoms in members.items():
        if node.startswith(FAMILY_NODE) and len(bottoms) > 1 and bottoms not in items.values():
            kept[node] = bottoms
    parents = {
        uid: tuple(sorted(n for n, m in kept.items() if uid in m))
        for uid in current
        if any(uid in m for m in kept.values())
    }
    sums: dict[str, dict[date, float]] = {}
    for node, bottoms in sorted(kept.items()):
        total: dict[date, float] = defaultdict(float)
        for uid in sorted(bottoms):
            for day, quantity in history[uid].items():
                total[day] += quantity
        sums[node] = dict(sorted(total.items()))
    return SeriesHierarchy(parents, sums)


def _residuals(
    errors: Mapping[str, NDArray[np.float64]], nodes: Sequence[str]
) -> pd.DataFrame | None:
    """Errors of the last windows all nodes share, aligned at the end; ``None`` if unusable."""
    import numpy as np
    import pandas as pd

    windows = min(len(errors[n]) for n in nodes)
    if windows == 0:
        return None
    rows = {n: np.asarray(errors[n][-windows:], dtype=np.float64).ravel() for n in nodes}
    if len(rows[nodes[0]]) < 2 or any(not np.any(r) for r in rows.values()):
        return None
    return pd.DataFrame(
        [(n, t, float(e)) for n, r in rows.items() for t, e in enumerate(r)],
        columns=["unique_id", "ds", "error"],
    )


def reconcile_run(
    forecasts: pd.DataFrame,
    errors: Mapping[str, NDArray[np.float64]],
    hierarchy: SeriesHierarchy,
) -> tuple[pd.DataFrame, str]:
    """Bottom forecasts made coherent with the aggregates, and the method used.

    ``forecasts`` holds the engine's rows (``unique_id, ds, forecast, lo_80, hi_80, lo_95,
    hi_95, model``) of every bottom series and every node of ``hierarchy``; ``errors`` the
    cross-validation errors ``[window, step]`` of each. Returns the bottom rows only.
    """
    import numpy as np

    from tandem.planning.forecasting.reconciliation import (
        Hierarchy,
        ReconciliationMethod,
        reconcile,
    )

    bottom = forecasts[~forecasts["unique_id"].isin(list(hierarchy.history))].reset_index(drop=True)
    if not hierarchy.parents:
        return bottom, "none"
    tree = Hierarchy.from_parents({uid: list(ps) for uid, ps in hierarchy.parents.items()})
    residuals = _residuals(errors, tree.nodes)
    method = (
        ReconciliationMethod.WLS_STRUCTURAL
        if residuals is None
        else ReconciliationMethod.MINT_SHRINK
    )
    base = forecasts[forecasts["unique_id"].isin(list(tree.nodes))]
    coherent = reconcile(base[["unique_id", "ds", "forecast"]], tree, method, residuals)
    new = bottom.merge(
        coherent.rename(columns={"forecast": "_coherent"}), on=["unique_id", "ds"], how="left"
    )["_coherent"].to_numpy(dtype=np.float64)
    moved = new - bottom["forecast"].to_numpy(dtype=np.float64)  # nan outside the hierarchy
    inside = ~np.isnan(moved)
    out = bottom.copy()
    for column in ("forecast", "lo_80", "hi_80", "lo_95", "hi_95"):
        values = out[column].to_numpy(dtype=np.float64)
        shifted = np.round(np.maximum(values + np.where(inside, moved, 0.0), 0.0), DECIMALS)
        out[column] = np.where(inside, shifted, values)
    return out, method.value


# ---------------------------------------------------------------- totals


@dataclass(frozen=True)
class ForecastTotal:
    """The sum of stored item-site forecasts of one owner for one item or family and day."""

    level: TotalLevel
    owner_member_id: int
    item_id: int | None
    family: str | None
    day: date
    forecast: float
    item_sites: int


def _all_forecasts(
    ctx: ServiceContext, principal: Principal, item_id: int | None
) -> list[ForecastPoint]:
    filters = {} if item_id is None else {"item_id": item_id}
    resource = "forecast totals" + ("" if item_id is None else f" item_id={item_id}")
    rows: list[ForecastPoint] = []
    offset = 0
    while True:
        page: Page[ForecastPoint] = read_scoped(
            ctx,
            principal,
            DataCategory.FORECASTS,
            lambda u: u.forecasts,
            ("item_id", "site_id"),
            PageRequest(offset, MAX_PAGE),
            resource,
            **filters,
        )
        rows.extend(page.items)
        offset += MAX_PAGE
        if not page.items or offset >= page.total:
            return rows


def forecast_totals(
    ctx: ServiceContext,
    principal: Principal,
    level: TotalLevel,
    item_id: int | None = None,
    family: str | None = None,
) -> tuple[ForecastTotal, ...]:
    """Per owner, item (or family) and day: the sum of the item-site forecasts the caller may
    read (its own, and partners' through ``forecasts`` grants; partner reads are audited).

    Items without a family are left out of the family level. Sorted by owner, item id or
    family, then day.
    """
    points = _all_forecasts(ctx, principal, item_id)
    with ctx.uow() as uow:
        families = {i: getattr(uow.items.get(i), "family", "") for i in {p.item_id for p in points}}
    groups: dict[tuple[int, int | str, date], list[float]] = defaultdict(list)
    for p in points:
        key: int | str = p.item_id if level is TotalLevel.ITEM else families[p.item_id]
        if level is TotalLevel.FAMILY and (not key or (family is not None and key != family)):
            continue
        groups[(p.owner_member_id, key, p.day)].append(p.forecast)
    return tuple(
        ForecastTotal(
            level,
            owner,
            key if isinstance(key, int) else None,
            key if isinstance(key, str) else None,
            day,
            math.fsum(values),
            len(values),
        )
        for (owner, key, day), values in sorted(groups.items())  # keys: all ids or all families
    )
