"""A forecast run reconciles item-site forecasts with item and family totals, archives them by
origin, and the totals it serves add up exactly at every level and day."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from tests.support import World

from tandem.domain.network import Item
from tandem.domain.sharing import DataCategory
from tandem.services import demand, forecasts, sharing
from tandem.services.context import PageRequest
from tandem.services.demand import DemandObservation
from tandem.services.forecast_hierarchy import (
    SeriesHierarchy,
    TotalLevel,
    build_hierarchy,
    forecast_totals,
    reconcile_run,
)

ALL = PageRequest(0, 1000)
START = date(2026, 7, 1)
DAYS = 120
HORIZON = 14
WEEKLY = (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0)


def codes(world: World) -> dict[str, int]:
    """Site and item ids by code; LATTE and a new MOCHA form the family "drinks"."""
    with world.ctx.uow() as uow:
        latte = uow.items.find(sku="LATTE")[0]
        if not uow.items.find(sku="MOCHA"):
            uow.items.update(replace(latte, family="drinks"))
            uow.items.add(
                Item(0, latte.network_id, latte.member_id, "MOCHA", "Mocha", "cup", 4.0, "drinks")
            )
            uow.commit()
        found = {i.sku: i.id for i in uow.items.find()}
        found.update({s.code: s.id for s in uow.sites.find()})
    return found


def record(world: World, series: dict[tuple[str, str], list[float]], start: date = START) -> None:
    c = codes(world)
    rows = [
        DemandObservation(c[site], c[item], start + timedelta(days=n), q)
        for (site, item), values in series.items()
        for n, q in enumerate(values)
    ]
    demand.record_demand(world.ctx, world.cafe, rows)


def noisy(base: float, seed: int) -> list[float]:
    rng = np.random.default_rng(seed)
    season = 1 + 0.2 * np.sin(np.arange(DAYS) * 2 * np.pi / 7)
    return [float(q) for q in rng.poisson(base * season)]


NOISY = {("CAFE-1", "LATTE"): noisy(40, 1), ("CAFE-2", "LATTE"): noisy(25, 2),
         ("CAFE-1", "MOCHA"): noisy(12, 3)}  # fmt: skip


# ---------------------------------------------------------------- the hierarchy of a run


def test_hierarchy_keeps_only_aggregates_that_differ_from_their_parts() -> None:
    day = date(2026, 7, 1)
    history = {
        "1:3": {day: 1.0, day + timedelta(1): 2.0},
        "2:3": {day + timedelta(1): 5.0},  # starts a day later
        "1:4": {day + timedelta(1): 7.0},  # item 4 at one site only
        "2:5": {day: 9.0},  # ended before the run's last day
        "1:7": {day + timedelta(1): 1.0},
        "2:7": {day + timedelta(1): 1.0},  # family "food" holds item 7 only
    }
    item_of = {uid: int(uid.split(":")[1]) for uid in history}
    families = {3: "drinks", 4: "drinks", 5: "drinks", 7: "food"}

    tree = build_hierarchy(history, item_of, families)

    assert tree.parents == {
        "1:3": ("family:drinks", "item:3"),
        "2:3": ("family:drinks", "item:3"),
        "1:4": ("family:drinks",),
        "1:7": ("item:7",),
        "2:7": ("item:7",),
    }
    assert tree.history == {
        "family:drinks": {day: 1.0, day + timedelta(1): 14.0},
        "item:3": {day: 1.0, day + timedelta(1): 7.0},
        "item:7": {day + timedelta(1): 2.0},
    }
    assert build_hierarchy({}, {}, {}) == SeriesHierarchy({}, {})


def _frame(rows: list[tuple[str, float, float, float]]) -> pd.DataFrame:
    """Engine-shaped rows of one day: (unique_id, forecast, lo_80, lo_95)."""
    return pd.DataFrame(
        [
            (uid, pd.Timestamp("2026-11-01"), f, lo80, f + 1.0, lo95, f + 2.0, "AutoETS")
            for uid, f, lo80, lo95 in rows
        ],
        columns=["unique_id", "ds", "forecast", "lo_80", "hi_80", "lo_95", "hi_95", "model"],
    )


TWO_SITES = SeriesHierarchy({"1:1": ("item:1",), "2:1": ("item:1",)}, {"item:1": {}})


def test_mint_shrink_moves_bottom_forecasts_and_their_bounds_as_worked_by_hand() -> None:
    # errors of item:1, 1:1, 2:1 are orthogonal with mean squares 4, 1, 1: W = diag(4, 1, 1);
    # (S'W^-1 S)^-1 S'W^-1 (12, 4, 5) = (4.5, 5.5): each bottom forecast moves up by 0.5
    base = _frame([("1:1", 4.0, 3.0, 0.25), ("2:1", 5.0, 4.0, 3.0), ("item:1", 12.0, 10.0, 9.0)])
    errors = {
        "item:1": np.array([[2.0], [-2.0], [2.0], [-2.0]]),
        "1:1": np.array([[1.0], [1.0], [-1.0], [-1.0]]),
        "2:1": np.array([[1.0], [-1.0], [-1.0], [1.0]]),
    }

    out, method = reconcile_run(base, errors, TWO_SITES)

    assert method == "mint_shrink"
    assert out[["unique_id", "forecast", "lo_80", "hi_80", "lo_95", "hi_95"]].values.tolist() == [
        ["1:1", 4.5, 3.5, 5.5, 0.75, 6.5],
        ["2:1", 5.5, 4.5, 6.5, 3.5, 7.5],
    ]


def test_without_usable_errors_structural_wls_is_used_and_bounds_are_clipped_at_zero() -> None:
    # Lambda = diag(2, 1, 1): (S'L^-1 S)^-1 S'L^-1 (6, 4, 5) = (3.25, 4.25), both down by 0.75
    base = _frame([("1:1", 4.0, 3.0, 0.5), ("2:1", 5.0, 4.0, 3.0), ("item:1", 6.0, 5.0, 4.0)])
    never_wrong = {uid: np.zeros((3, 1)) for uid in ("1:1", "2:1", "item:1")}

    out, method = reconcile_run(base, never_wrong, TWO_SITES)

    assert method == "wls_structural"
    assert out[["forecast", "lo_80", "lo_95"]].values.tolist() == [
        [3.25, 2.25, 0.0],
        [4.25, 3.25, 2.25],
    ]


# ---------------------------------------------------------------- the platform run


def test_run_reconciles_items_and_families_and_totals_add_up_exactly(world: World) -> None:
    record(world, NOISY)
    c = codes(world)
    history = {
        (c[site], c[item]): {START + timedelta(days=n): q for n, q in enumerate(values)}
        for (site, item), values in NOISY.items()
    }
    unreconciled, _ = forecasts.forecast_history(history, HORIZON)

    summary = forecasts.run_forecasts(world.ctx, world.cafe, HORIZON)

    assert (summary.series, summary.points, summary.reconciliation) == (3, 42, "mint_shrink")
    stored = forecasts.read_forecasts(world.ctx, world.cafe, ALL).items
    base = {(f.site_id, f.item_id, f.day): f.forecast for f in unreconciled}
    moved = [p for p in stored if p.forecast != round(base[(p.site_id, p.item_id, p.day)], 9)]
    assert len(moved) == 42  # reconciliation changed every item-site forecast
    days = [START + timedelta(days=DAYS + n) for n in range(HORIZON)]
    items = forecast_totals(world.ctx, world.cafe, TotalLevel.ITEM)
    assert [(t.item_id, t.day, t.item_sites) for t in items] == [
        *((c["LATTE"], d, 2) for d in days),
        *((c["MOCHA"], d, 1) for d in days),
    ]
    for total in items:
        parts = [p.forecast for p in stored if (p.item_id, p.day) == (total.item_id, total.day)]
        assert total.forecast == math.fsum(parts)
    families = forecast_totals(world.ctx, world.cafe, TotalLevel.FAMILY)
    assert [(t.family, t.day, t.item_sites) for t in families] == [("drinks", d, 3) for d in days]
    for total in families:
        assert total.forecast == math.fsum(p.forecast for p in stored if p.day == total.day)


def test_forecasts_that_already_add_up_are_stored_unchanged(world: World) -> None:
    weeks = {
        ("CAFE-1", "LATTE"): [40.0 + WEEKLY[n % 7] for n in range(DAYS)],
        ("CAFE-2", "LATTE"): [25.0 + WEEKLY[n % 7] for n in range(DAYS)],
    }
    record(world, weeks)
    c = codes(world)

    summary = forecasts.run_forecasts(world.ctx, world.cafe, HORIZON)

    # seasonal naive never errs on a repeating week: no error covariance, structural weights
    assert summary.reconciliation == "wls_structural"
    stored = forecasts.read_forecasts(world.ctx, world.cafe, ALL).items
    assert [(p.site_id, p.forecast) for p in stored] == [
        (c[site], base + WEEKLY[(DAYS + n) % 7])
        for site, base in (("CAFE-1", 40.0), ("CAFE-2", 25.0))
        for n in range(HORIZON)
    ]


def test_a_series_that_ended_earlier_is_forecast_alone_from_its_own_end(world: World) -> None:
    record(world, {("CAFE-1", "LATTE"): NOISY[("CAFE-1", "LATTE")]})
    record(world, {("CAFE-2", "LATTE"): NOISY[("CAFE-2", "LATTE")][:-3]})
    c = codes(world)

    summary = forecasts.run_forecasts(world.ctx, world.cafe, HORIZON)

    assert summary.reconciliation == "none"
    first = {
        site: min(p.day for p in forecasts.read_forecasts(world.ctx, world.cafe, ALL).items
                  if p.site_id == c[site])
        for site in ("CAFE-1", "CAFE-2")
    }  # fmt: skip
    assert first == {
        "CAFE-1": START + timedelta(days=DAYS),
        "CAFE-2": START + timedelta(days=DAYS - 3),
    }


# ---------------------------------------------------------------- totals and sharing


def test_partner_reads_totals_only_with_a_forecasts_grant_and_is_audited(world: World) -> None:
    record(world, NOISY)
    forecasts.run_forecasts(world.ctx, world.cafe, HORIZON)
    c = codes(world)

    before = forecast_totals(world.ctx, world.roaster, TotalLevel.ITEM)
    grant = sharing.grant_access(
        world.ctx, world.cafe, sharing.GrantAccess(world.roaster.member_id, DataCategory.FORECASTS)
    )
    seen = forecast_totals(world.ctx, world.roaster, TotalLevel.ITEM, item_id=c["LATTE"])

    assert before == ()
    assert seen == forecast_totals(world.ctx, world.cafe, TotalLevel.ITEM, item_id=c["LATTE"])
    assert {t.owner_member_id for t in seen} == {world.cafe.member_id}
    log = sharing.read_audit_log(world.ctx, world.cafe, ALL).items
    assert [(e.grant_id, e.category, e.resource, e.rows) for e in log] == [
        (grant.id, DataCategory.FORECASTS, f"forecast totals item_id={c['LATTE']}", 28)
    ]


def test_family_totals_can_be_narrowed_to_one_family(world: World) -> None:
    record(world, NOISY)
    forecasts.run_forecasts(world.ctx, world.cafe, HORIZON)

    drinks = forecast_totals(world.ctx, world.cafe, TotalLevel.FAMILY, family="drinks")
    food = forecast_totals(world.ctx, world.cafe, TotalLevel.FAMILY, family="food")

    assert (len(drinks), food) == (HORIZON, ())


# ---------------------------------------------------------------- the archive


def test_each_origin_is_archived_once_and_a_rerun_from_it_replaces_it(world: World) -> None:
    record(world, {("CAFE-1", "LATTE"): NOISY[("CAFE-1", "LATTE")][:-7]})
    forecasts.run_forecasts(world.ctx, world.cafe, HORIZON)
    world.ctx.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
    forecasts.run_forecasts(world.ctx, world.cafe, HORIZON)  # same origin: replaces
    record(world, {("CAFE-1", "LATTE"): NOISY[("CAFE-1", "LATTE")]})  # a week more
    forecasts.run_forecasts(world.ctx, world.cafe, 7)

    with world.ctx.uow() as uow:
        archive = uow.forecast_snapshots.find()
    origins = sorted({(s.origin, s.created_at) for s in archive})
    later = world.ctx.clock.now()
    assert origins == [
        (START + timedelta(days=DAYS - 8), later),
        (START + timedelta(days=DAYS - 1), later),
    ]
    assert [sum(1 for s in archive if s.origin == o) for o, _ in origins] == [HORIZON, 7]
    live = forecasts.read_forecasts(world.ctx, world.cafe, ALL).items
    assert [(s.day, s.forecast, s.model) for s in archive if s.origin == origins[1][0]] == [
        (p.day, p.forecast, p.model) for p in live
    ]


@pytest.mark.parametrize("level", list(TotalLevel))
def test_no_forecast_gives_no_total(world: World, level: TotalLevel) -> None:
    assert forecast_totals(world.ctx, world.cafe, level) == ()
