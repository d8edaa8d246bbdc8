"""Whole-network import: every rule checked, all problems reported, nothing half-written."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from tests.support import small_snapshot

from tandem.adapters.memory import InMemoryStore
from tandem.domain.errors import DuplicateCode, ImportRejected, Violation
from tandem.domain.network import SiteKind, TransportMode
from tandem.domain.snapshot import BomRow, DemandRow, LaneRow, SiteRow
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
    from tandem.domain.snapshot import ItemSiteRow, UserRow

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
