"""Whole-network import: every rule checked, all problems reported, nothing half-written."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from tests.support import small_snapshot

from tandem.adapters.memory import InMemoryStore
from tandem.domain.errors import DuplicateCode, ImportRejected, Violation
from tandem.domain.network import SiteKind, TransportMode
from tandem.domain.snapshot import (
    BomRow,
    DemandRow,
    ItemSiteRow,
    LaneRow,
    NetworkSnapshot,
    SiteRow,
    UserRow,
)
from tandem.services import transfer
from tandem.services.context import ServiceContext


def test_clean_snapshot_imports_with_exact_counts(ctx: ServiceContext) -> None:
    snapshot = replace(
        small_snapshot(),
        bom=(BomRow("BLEND", "GREEN", 1.19),),
        demand=(DemandRow("CAFE-1", "LATTE", date(2026, 1, 1), 31.0),),
    )
    summary = transfer.import_snapshot(ctx, snapshot)
    assert (summary.members, summary.users, summary.sites, summary.items) == (3, 3, 4, 3)
    assert (summary.item_sites, summary.bom_lines, summary.lanes, summary.demand_points) == (
        3,
        1,
        2,
        1,
    )


def test_export_returns_what_was_imported(ctx: ServiceContext) -> None:
    snapshot = replace(small_snapshot(), bom=(BomRow("BLEND", "GREEN", 1.19),))
    transfer.import_snapshot(ctx, snapshot)
    exported = transfer.export_snapshot(ctx, "coffee")
    assert exported.sites == snapshot.sites
    assert exported.items == snapshot.items
    assert exported.lanes == snapshot.lanes
    assert exported.bom == snapshot.bom
    assert [u.password for u in exported.users] == [None, None, None]


def test_broken_snapshot_is_rejected_whole_naming_sheet_row_and_column(
    ctx: ServiceContext, store: InMemoryStore
) -> None:
    good = small_snapshot()
    broken = replace(
        good,
        sites=(
            *good.sites,
            SiteRow("CAFE-1", "CAFE", "Duplicate", SiteKind.STORE, 1, 1, row=6),
            SiteRow("CAFE-9", "NOBODY", "Orphan", SiteKind.STORE, 95, 1, row=7),
        ),
        lanes=(
            *good.lanes,
            LaneRow("PLANT", "MOON", TransportMode.AIR, -1, 0, 1, row=4),
        ),
        bom=(
            BomRow("BLEND", "GREEN", 1.2, row=2),
            BomRow("GREEN", "LATTE", 1, row=3),
            BomRow("LATTE", "BLEND", 0.02, row=4),
        ),
    )
    with pytest.raises(ImportRejected) as caught:
        transfer.import_snapshot(ctx, broken)
    assert caught.value.violations == [
        Violation("sheet sites, row 6", "duplicate 'CAFE-1'", "code"),
        Violation("sheet sites, row 7", "unknown member 'NOBODY'", "member"),
        Violation("sheet sites, row 7", "must lie in [-90, 90]", "latitude"),
        Violation(
            "sheet bom, row 2", "closes the cycle BLEND > GREEN > LATTE > BLEND", "component"
        ),
        Violation("sheet lanes, row 4", "unknown to_site 'MOON'", "to_site"),
        Violation("sheet lanes, row 4", "must not be negative (got -1)", "lead_time_mean_days"),
    ]
    assert store.networks.rows == {}
    assert store.sites.rows == {}


def test_network_code_cannot_be_imported_twice(ctx: ServiceContext, store: InMemoryStore) -> None:
    transfer.import_snapshot(ctx, small_snapshot())
    with pytest.raises(DuplicateCode):
        transfer.import_snapshot(ctx, small_snapshot())
    assert len(store.networks.rows) == 1


def test_registered_emails_reject_the_import(ctx: ServiceContext, store: InMemoryStore) -> None:
    transfer.import_snapshot(ctx, small_snapshot())
    with pytest.raises(ImportRejected) as caught:
        transfer.import_snapshot(ctx, replace(small_snapshot(), code="other"))
    assert len(caught.value.violations) == 3
    assert len(store.networks.rows) == 1


def test_progress_is_reported_per_stage(ctx: ServiceContext) -> None:
    seen: list[tuple[str, int, int]] = []
    snapshot = replace(
        small_snapshot(),
        demand=tuple(DemandRow("CAFE-1", "LATTE", date(2026, 1, d), d) for d in range(1, 4)),
    )
    transfer.import_snapshot(ctx, snapshot, progress=lambda *step: seen.append(step))
    assert seen == [
        ("members", 3, 3),
        ("users", 3, 3),
        ("sites and items", 7, 7),
        ("demand history", 3, 3),
    ]


def test_repeated_keys_are_named_before_the_database_refuses_them(ctx: ServiceContext) -> None:
    good = small_snapshot()
    broken = replace(
        good,
        users=(*good.users, UserRow("CAFE@example.com", "CAFE", "Twin", row=5)),
        item_sites=(*good.item_sites, ItemSiteRow("LATTE", "CAFE-2", row=5)),
        bom=(BomRow("BLEND", "GREEN", 1.2, row=2), BomRow("BLEND", "GREEN", 1.3, row=3)),
        demand=(
            DemandRow("CAFE-1", "LATTE", date(2026, 1, 1), 3, row=2),
            DemandRow("CAFE-1", "LATTE", date(2026, 1, 1), 4, row=3),
        ),
    )
    with pytest.raises(ImportRejected) as caught:
        transfer.import_snapshot(ctx, broken)
    assert caught.value.violations == [
        Violation("sheet users, row 5", "duplicate 'cafe@example.com'", "email"),
        Violation("sheet item_sites, row 5", "duplicate LATTE, CAFE-2", "site"),
        Violation("sheet bom, row 3", "duplicate BLEND, GREEN, all sites", "site"),
        Violation("sheet demand, row 3", "duplicate CAFE-1, LATTE, 2026-01-01", "day"),
    ]


# ---------------------------------------------------------------- update (upsert)


def edited() -> NetworkSnapshot:
    """small_snapshot with one changed site, one new item-site, one new lane and CAFE-2 left out."""
    good = small_snapshot()
    return replace(
        good,
        sites=(
            good.sites[0],
            replace(good.sites[1], name="Cafe one (renovated)"),
            good.sites[3],
        ),
        item_sites=(*good.item_sites[:2], ItemSiteRow("GREEN", "PORT")),
        lanes=(
            replace(good.lanes[0], lead_time_mean_days=3.0),
            good.lanes[1],
            LaneRow("PLANT", "CAFE-1", TransportMode.AIR, 0.5, 0.1, 2.0),
        ),
    )


def test_update_changes_edited_rows_inserts_new_ones_and_keeps_absent_ones(
    ctx: ServiceContext, store: InMemoryStore
) -> None:
    transfer.import_snapshot(ctx, small_snapshot())
    summary = transfer.import_snapshot(ctx, edited(), update=True)
    assert (summary.network_id, summary.sites, summary.lanes) == (1, 3, 3)
    assert summary.inserted == transfer.EntityCounts(item_sites=1, lanes=1)
    assert summary.updated == transfer.EntityCounts(sites=1, lanes=1)
    exported = transfer.export_snapshot(ctx, "coffee")
    names = ["Roastery", "Cafe one (renovated)", "Cafe two", "Port warehouse"]
    assert [s.name for s in exported.sites] == names
    assert [x.lead_time_mean_days for x in exported.lanes] == [3.0, 1, 0.5]
    assert len(exported.item_sites) == 4
    assert len(store.networks.rows) == 1


def test_an_identical_update_writes_nothing_and_counts_nothing(ctx: ServiceContext) -> None:
    snapshot = replace(
        small_snapshot(), demand=(DemandRow("CAFE-1", "LATTE", date(2026, 1, 1), 31.0),)
    )
    transfer.import_snapshot(ctx, snapshot)
    before = transfer.export_snapshot(ctx, "coffee")
    for _ in range(2):
        summary = transfer.import_snapshot(ctx, snapshot, update=True)
        assert (summary.inserted, summary.updated) == (
            transfer.EntityCounts(),
            transfer.EntityCounts(),
        )
        assert (summary.users, summary.demand_points) == (3, 1)
    assert transfer.export_snapshot(ctx, "coffee") == before


def test_update_changes_demand_and_keeps_passwords_unless_given(
    ctx: ServiceContext, store: InMemoryStore
) -> None:
    day = date(2026, 1, 1)
    transfer.import_snapshot(
        ctx, replace(small_snapshot(), demand=(DemandRow("CAFE-1", "LATTE", day, 31.0),))
    )
    hashes = {u.email: u.password_hash for u in store.users.rows.values()}
    good = small_snapshot()
    changed = replace(
        good,
        users=(
            replace(good.users[0], password=None, display_name="Rita R."),
            replace(good.users[1], password="another-long-password"),
            good.users[2],
            UserRow("new@example.com", "CAFE", "New hire"),
        ),
        demand=(
            DemandRow("CAFE-1", "LATTE", day, 33.0),
            DemandRow("CAFE-1", "LATTE", date(2026, 1, 2), 7.0),
        ),
    )
    summary = transfer.import_snapshot(ctx, changed, update=True)
    assert summary.inserted == transfer.EntityCounts(users=1, demand_points=1)
    assert summary.updated == transfer.EntityCounts(users=2, demand_points=1)
    users = {u.email: u for u in store.users.rows.values()}
    assert users["roaster@example.com"].password_hash == hashes["roaster@example.com"]
    assert users["roaster@example.com"].display_name == "Rita R."
    assert users["cafe@example.com"].password_hash != hashes["cafe@example.com"]
    assert users["beans@example.com"].password_hash == hashes["beans@example.com"]
    assert (users["new@example.com"].is_active, users["new@example.com"].password_hash) == (
        False,
        "!disabled",
    )
    assert sorted((d.day.day, d.quantity) for d in store.demand.rows.values()) == [
        (1, 33.0),
        (2, 7.0),
    ]


def test_update_cannot_move_a_site_or_an_item_to_another_member(
    ctx: ServiceContext, store: InMemoryStore
) -> None:
    transfer.import_snapshot(ctx, small_snapshot())
    good = small_snapshot()
    moved = replace(
        good,
        sites=(replace(good.sites[0], member="CAFE", row=2), *good.sites[1:]),
        items=(*good.items[:2], replace(good.items[2], member="ROAST", row=4)),
        lanes=(replace(good.lanes[0], lead_time_mean_days=9.0),),
    )
    saved = {name: dict(getattr(store, name).rows) for name in store.REPOSITORIES}
    with pytest.raises(ImportRejected) as caught:
        transfer.import_snapshot(ctx, moved, update=True)
    assert caught.value.violations == [
        Violation(
            "sheet sites, row 2",
            "site 'PLANT' belongs to 'ROAST'; an import cannot move it to 'CAFE'",
            "member",
        ),
        Violation(
            "sheet items, row 4",
            "item 'LATTE' belongs to 'CAFE'; an import cannot move it to 'ROAST'",
            "member",
        ),
    ]
    assert {name: getattr(store, name).rows for name in store.REPOSITORIES} == saved


def test_a_failing_update_leaves_the_network_exactly_as_it_was(
    ctx: ServiceContext, store: InMemoryStore
) -> None:
    transfer.import_snapshot(ctx, small_snapshot())
    saved = {name: dict(getattr(store, name).rows) for name in store.REPOSITORIES}

    def interrupt(stage: str, done: int, total: int) -> None:
        if stage == "sites and items":  # after members, users, sites and items were written
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        transfer.import_snapshot(ctx, edited(), interrupt, update=True)
    assert {name: getattr(store, name).rows for name in store.REPOSITORIES} == saved


def test_update_of_an_unknown_network_creates_it(ctx: ServiceContext) -> None:
    summary = transfer.import_snapshot(ctx, small_snapshot(), update=True)
    assert summary.inserted == transfer.EntityCounts(3, 3, 4, 3, 3, 0, 2, 0)
    assert summary.updated == transfer.EntityCounts()
    assert transfer.export_snapshot(ctx, "coffee").sites == small_snapshot().sites
