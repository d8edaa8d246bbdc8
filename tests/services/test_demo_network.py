"""The demo coffee network: complete, consistent, importable and reproducible."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

from tandem.domain.network import MemberRole, SiteKind, TransportMode, find_bom_cycle
from tandem.domain.snapshot import NetworkSnapshot
from tandem.services.demo_network import (
    DEMO_DAYS,
    DEMO_START,
    build_demo_snapshot,
    demo_password,
)
from tandem.services.transfer import validate_snapshot


@pytest.fixture(scope="module")
def demo() -> NetworkSnapshot:
    return build_demo_snapshot()


def test_members_cover_every_role_of_the_chain(demo: NetworkSnapshot) -> None:
    roles = Counter(role for member in demo.members for role in member.roles)

    assert len(demo.members) == 7
    assert set(roles) == set(MemberRole)
    assert roles[MemberRole.SUPPLIER] == 3


def test_sites_include_cafes_and_their_smart_machines(demo: NetworkSnapshot) -> None:
    kinds = Counter(site.kind for site in demo.sites)
    owner = {site.code: site.member for site in demo.sites}
    cafes = {site.code for site in demo.sites if site.kind is SiteKind.STORE}
    machines = [site for site in demo.sites if site.kind is SiteKind.DEVICE]
    fed_from = {lane.to_site: lane.from_site for lane in demo.lanes}

    assert 35 <= len(demo.sites) <= 45
    assert kinds == {
        SiteKind.SUPPLIER_SITE: 4,
        SiteKind.WAREHOUSE: 1,
        SiteKind.PLANT: 1,
        SiteKind.DISTRIBUTION_CENTRE: 3,
        SiteKind.CARRIER_HUB: 1,
        SiteKind.STORE: 16,
        SiteKind.DEVICE: 17,
    }
    assert {owner[code] for code in cafes} == {machine.member for machine in machines} == {"BOHNE"}
    assert {fed_from[machine.code] for machine in machines} == cafes
    assert len({site.code for site in demo.sites}) == len(demo.sites)


def test_items_span_green_beans_to_drinks(demo: NetworkSnapshot) -> None:
    families = Counter(item.family for item in demo.items)

    assert 55 <= len(demo.items) <= 70
    assert families == {
        "green_coffee": 7,
        "roasted_bulk": 5,
        "roasted_coffee": 10,
        "packaging": 3,
        "milk": 4,
        "cups": 7,
        "syrup": 5,
        "drink": 19,
    }
    assert len({item.sku for item in demo.items}) == len(demo.items)


def test_every_reference_resolves_to_a_code_in_the_snapshot(demo: NetworkSnapshot) -> None:
    members = {member.code for member in demo.members}
    sites = {site.code for site in demo.sites}
    items = {item.sku for item in demo.items}
    stocking_points = {(row.site, row.item) for row in demo.item_sites}

    assert {user.member for user in demo.users} == members
    assert {site.member for site in demo.sites} == members
    assert {item.member for item in demo.items} <= members
    assert {row.site for row in demo.item_sites} <= sites
    assert {row.item for row in demo.item_sites} == items
    assert {lane.from_site for lane in demo.lanes} | {lane.to_site for lane in demo.lanes} <= sites
    assert {lane.item for lane in demo.lanes} == {None}
    assert {line.parent for line in demo.bom} | {line.component for line in demo.bom} <= items
    assert {line.site for line in demo.bom} == {None}
    assert {(row.site, row.item) for row in demo.demand} <= stocking_points
    assert len(stocking_points) == len(demo.item_sites)


def test_snapshot_passes_the_import_validation(demo: NetworkSnapshot) -> None:
    assert validate_snapshot(demo) == []


def test_bill_of_materials_is_acyclic_from_drink_to_green_beans(demo: NetworkSnapshot) -> None:
    ids = {item.sku: number for number, item in enumerate(demo.items)}
    components: defaultdict[str, dict[str, float]] = defaultdict(dict)
    for line in demo.bom:
        components[line.parent][line.component] = line.quantity_per

    assert find_bom_cycle((ids[line.parent], ids[line.component]) for line in demo.bom) is None
    assert len(demo.bom) == 107
    assert components["DRK-LATTE-L"] == {
        "RC-HOUSE-1KG": 0.018,
        "MLK-WHOLE": 0.35,
        "CUP-16OZ": 1.0,
        "LID-90": 1.0,
    }
    assert components["RC-HOUSE-1KG"] == {"RB-HOUSE": 1.0, "PK-VALVE-1KG": 1.0}
    # 60 % Brazil, 40 % Colombia at a 15 % roast loss: 1.1765 kg green per kg roasted.
    assert components["RB-HOUSE"] == {"GC-BR-SANTOS": 0.7059, "GC-CO-SUPREMO": 0.4706}


def test_lanes_carry_green_coffee_by_sea_and_goods_by_road(demo: NetworkSnapshot) -> None:
    modes = Counter(lane.mode for lane in demo.lanes)
    sea = {(lane.from_site, lane.to_site) for lane in demo.lanes if lane.mode is TransportMode.SEA}

    assert len(demo.lanes) == 47
    assert sea == {("VRD-SANTOS", "VRD-HAMBURG"), ("VRD-BUENAVENTURA", "VRD-HAMBURG")}
    assert modes[TransportMode.FULL_TRUCKLOAD] == 8
    assert modes[TransportMode.LESS_THAN_TRUCKLOAD] + modes[TransportMode.VAN] == 20
    assert all(lane.from_site != lane.to_site for lane in demo.lanes)


def test_demand_history_spans_exactly_730_days_for_every_series(demo: NetworkSnapshot) -> None:
    days: defaultdict[tuple[str, str], list[date]] = defaultdict(list)
    for row in demo.demand:
        days[(row.site, row.item)].append(row.day)
    expected = [DEMO_START + timedelta(days=offset) for offset in range(DEMO_DAYS)]

    assert DEMO_DAYS == 730
    assert 60 <= len(days) <= 150
    assert len(demo.demand) == len(days) * 730
    assert all(series == expected for series in days.values())


def test_demand_is_at_machines_cafes_and_distribution_centres(demo: NetworkSnapshot) -> None:
    kind = {site.code: site.kind for site in demo.sites}
    series = Counter(kind[site] for site, _ in {(row.site, row.item) for row in demo.demand})
    quantities = [row.quantity for row in demo.demand]

    assert series == {SiteKind.DEVICE: 85, SiteKind.STORE: 32, SiteKind.DISTRIBUTION_CENTRE: 12}
    assert min(quantities) == 0.0
    assert all(quantity == int(quantity) for quantity in quantities)


def test_demand_includes_intermittent_series(demo: NetworkSnapshot) -> None:
    zeros: Counter[tuple[str, str]] = Counter()
    for row in demo.demand:
        zeros[(row.site, row.item)] += row.quantity == 0
    sparse = {key for key, count in zeros.items() if count / DEMO_DAYS > 0.5}

    assert ("CAFE-04", "RC-ETHIOPIA-250") in sparse
    assert ("DC-N", "RC-DECAF-1KG") in sparse
    assert zeros[("CAFE-01-M1", "DRK-LATTE-L")] == 0


def test_one_planner_per_member_and_the_roaster_is_the_only_admin(demo: NetworkSnapshot) -> None:
    admins = [user.email for user in demo.users if user.is_network_admin]

    assert admins == ["planner@elbe-roasting.example"]
    assert sorted(user.member for user in demo.users) == sorted(m.code for m in demo.members)
    for user in demo.users:
        assert user.email.startswith("planner@")
        assert user.email.endswith(".example")
        assert user.password == demo_password(user.member) == f"tandem-demo-{user.member.lower()}"


def test_building_twice_gives_an_identical_snapshot(demo: NetworkSnapshot) -> None:
    assert build_demo_snapshot() == demo


def test_another_seed_changes_the_demand_only(demo: NetworkSnapshot) -> None:
    other = build_demo_snapshot(seed=7)

    assert other.demand != demo.demand
    assert (other.sites, other.items, other.bom, other.lanes) == (
        demo.sites,
        demo.items,
        demo.bom,
        demo.lanes,
    )


def test_history_length_and_start_are_parameters() -> None:
    short = build_demo_snapshot(start=date(2025, 1, 1), days=7)

    assert {row.day for row in short.demand} == {date(2025, 1, d) for d in range(1, 8)}
    assert len(short.demand) == 129 * 7


def test_whole_demo_imports_on_the_in_memory_twin_with_exact_counts() -> None:
    from tandem.adapters.memory import (
        FixedClock,
        InMemoryStore,
        PlainPasswordHasher,
        in_memory_uow_factory,
    )
    from tandem.services import transfer
    from tandem.services.context import ServiceContext

    store = InMemoryStore()
    ctx = ServiceContext(in_memory_uow_factory(store), FixedClock(), PlainPasswordHasher())
    summary = transfer.import_snapshot(ctx, build_demo_snapshot())
    assert (summary.members, summary.users, summary.sites, summary.items) == (7, 7, 43, 60)
    assert (summary.item_sites, summary.bom_lines, summary.lanes) == (360, 107, 47)
    assert summary.demand_points == 129 * 730
    assert len(store.demand.rows) == 94_170
