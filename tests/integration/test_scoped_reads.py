"""Scoped reads in SQL return exactly what the access policy permits.

A property test: random member-owned rows and random grants (narrowed or not, active, expired,
revoked, in another network...) are stored; for every viewer and category, with and without a
random equality filter (``None`` included) and page, ``SqlOwnedRepository.find_scoped`` and
``count_scoped`` must equal the in-memory twin, a naive filter through ``AccessScope.permits`` and
a brute-force reading of the grants themselves.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from tandem.adapters import tables as t
from tandem.adapters.memory import InMemoryOwnedRepository
from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.network import BomLine, DemandPoint, ItemSite
from tandem.domain.sharing import DataCategory, Grant, access_scope
from tests.integration.network_seed import Seed

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
CATEGORIES = (DataCategory.DEMAND_HISTORY, DataCategory.BILLS_OF_MATERIALS)

# name: (item field, site field, may the site be None)
REPOSITORIES = {
    "demand": ("item_id", "site_id", False),
    "item_sites": ("item_id", "site_id", False),
    "bom_lines": ("parent_item_id", "site_id", True),
}

# (expires_at, revoked_at) relative to NOW: active, expiring later, expired, expiring right now,
# revoked, revoked right now, revocation scheduled for later
LIFETIMES = (
    (None, None),
    (HOUR, None),
    (-HOUR, None),
    (timedelta(0), None),
    (None, -HOUR),
    (None, timedelta(0)),
    (None, HOUR),
)

ids = st.integers(min_value=0, max_value=2)
narrowing = st.none() | st.frozensets(ids, max_size=3)


@dataclass(frozen=True)
class GrantSpec:
    grantor: int
    grantee: int
    category: DataCategory
    items: frozenset[int] | None
    sites: frozenset[int] | None
    lifetime: tuple[timedelta | None, timedelta | None]
    other_network: bool


grant_specs = st.builds(
    GrantSpec,
    ids,
    ids,
    st.sampled_from(CATEGORIES),
    narrowing,
    narrowing,
    st.sampled_from(LIFETIMES),
    st.integers(min_value=0, max_value=3).map(lambda n: n == 3),  # one grant in four
)


def _clear(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in (t.audit_entry, t.sharing_grant, t.demand_point, t.bom_line, t.item_site):
            connection.execute(table.delete())


def _row(repository: str, n: int, owner: int, item: int, site: int | None, seed: Seed) -> Any:
    item_id = seed.items[item].id
    site_id = None if site is None else seed.sites[site].id
    if repository == "demand":
        assert site_id is not None
        return DemandPoint(0, owner, site_id, item_id, date(2026, 1, 1) + timedelta(n), n + 0.5)
    if repository == "item_sites":
        assert site_id is not None
        return ItemSite(0, owner, item_id, site_id)
    component = seed.items[(item + 1) % 3].id
    return BomLine(0, owner, item_id, component, 1.0 + n, site_id)


def _grant(spec: GrantSpec, seed: Seed) -> Grant:
    expires, revoked = spec.lifetime
    return Grant(
        0,
        (seed.other_network if spec.other_network else seed.network).id,
        seed.members[spec.grantor].id,
        seed.members[spec.grantee].id,
        spec.category,
        None if spec.items is None else frozenset(seed.items[i].id for i in spec.items),
        None if spec.sites is None else frozenset(seed.sites[i].id for i in spec.sites),
        NOW - 24 * HOUR,
        None if expires is None else NOW + expires,
        None if revoked is None else NOW + revoked,
    )


def _brute_force_visible(
    viewer: int, network: int, category: DataCategory, grants: list[Grant], row: Any, fields: Any
) -> bool:
    """Visibility read straight off the grants, without the domain's policy objects."""
    owner, item, site = row.owner_member_id, getattr(row, fields[0]), getattr(row, fields[1])
    if owner == viewer:
        return True
    return any(
        g.network_id == network
        and g.grantee_member_id == viewer
        and g.grantor_member_id == owner
        and g.category == category
        and (g.revoked_at is None or g.revoked_at > NOW)
        and (g.expires_at is None or g.expires_at > NOW)
        and (g.item_ids is None or item in g.item_ids)
        and (g.site_ids is None or (site is not None and site in g.site_ids))
        for g in grants
    )


@pytest.fixture
def seeded_engine(engine: Engine, seed: Seed) -> tuple[Engine, Seed]:
    return engine, seed


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_scoped_reads_equal_the_in_memory_twin_and_a_naive_filter(
    seeded_engine: tuple[Engine, Seed], data: st.DataObject
) -> None:
    engine, seed = seeded_engine
    repository = data.draw(st.sampled_from(sorted(REPOSITORIES)), label="repository")
    item_field, site_field, site_may_be_none = REPOSITORIES[repository]
    sites = st.none() | ids if site_may_be_none else ids
    cells = data.draw(
        st.lists(st.tuples(ids, ids, sites), max_size=12, unique_by=lambda c: (c[1], c[2])),
        label="rows (owner, item, site)",
    )
    specs = data.draw(st.lists(grant_specs, max_size=6), label="grants")
    filter_field = data.draw(
        st.sampled_from(["owner_member_id", item_field, site_field]), label="filter"
    )
    offset = data.draw(st.integers(min_value=0, max_value=4), label="offset")
    limit = data.draw(st.none() | st.integers(min_value=1, max_value=5), label="limit")

    _clear(engine)
    with SqlUnitOfWork(engine) as uow:
        rows = [
            getattr(uow, repository).add(
                _row(repository, n, seed.members[owner].id, item, site, seed)
            )
            for n, (owner, item, site) in enumerate(cells)
        ]
        grants = [uow.grants.add(_grant(spec, seed)) for spec in specs]
        uow.commit()
    pool = [*sorted({getattr(r, filter_field) for r in rows} - {None}), None]
    value = data.draw(st.sampled_from(pool), label="filter value")
    twin: InMemoryOwnedRepository[Any] = InMemoryOwnedRepository(item_field, site_field)
    twin.rows = {r.id: r for r in rows}

    with SqlUnitOfWork(engine) as uow:
        store = getattr(uow, repository)
        for viewer, category in itertools.product(seed.members, CATEGORIES):
            stored_grants = uow.grants.find(network_id=seed.network.id, grantee_member_id=viewer.id)
            scope = access_scope(viewer.id, seed.network.id, category, stored_grants, NOW)
            assert scope == access_scope(viewer.id, seed.network.id, category, grants, NOW)
            for equals in ({}, {filter_field: value}):
                matching = [r for r in rows if all(getattr(r, k) == v for k, v in equals.items())]
                naive = [
                    r
                    for r in matching
                    if scope.permits(
                        r.owner_member_id, getattr(r, item_field), getattr(r, site_field)
                    )
                ]
                brute = [
                    r
                    for r in matching
                    if _brute_force_visible(
                        viewer.id, seed.network.id, category, grants, r, (item_field, site_field)
                    )
                ]
                assert naive == brute
                assert (
                    store.find_scoped(scope, **equals) == naive == twin.find_scoped(scope, **equals)
                )
                assert store.count_scoped(scope, **equals) == len(naive)
                assert twin.count_scoped(scope, **equals) == len(naive)
                page = naive[offset : None if limit is None else offset + limit]
                assert store.find_scoped(scope, offset=offset, limit=limit, **equals) == page
                assert twin.find_scoped(scope, offset=offset, limit=limit, **equals) == page


def test_a_partner_sees_exactly_the_granted_items_and_sites(engine: Engine, seed: Seed) -> None:
    """One worked example of the property above, readable on its own."""
    (roast, cafe, beans), (i1, i2, _), (s1, s2, s3) = seed.members, seed.items, seed.sites
    with SqlUnitOfWork(engine) as uow:
        mine = uow.demand.add(DemandPoint(0, roast.id, s1.id, i1.id, date(2026, 1, 1), 1.0))
        granted = uow.demand.add(DemandPoint(0, cafe.id, s2.id, i1.id, date(2026, 1, 1), 2.0))
        other_item = uow.demand.add(DemandPoint(0, cafe.id, s2.id, i2.id, date(2026, 1, 1), 3.0))
        other_site = uow.demand.add(DemandPoint(0, cafe.id, s3.id, i1.id, date(2026, 1, 1), 4.0))
        not_granted = uow.demand.add(DemandPoint(0, beans.id, s3.id, i1.id, date(2026, 1, 2), 5.0))
        grant = uow.grants.add(
            Grant(
                0,
                seed.network.id,
                cafe.id,
                roast.id,
                DataCategory.DEMAND_HISTORY,
                frozenset({i1.id}),
                frozenset({s2.id}),
                NOW - HOUR,
            )
        )
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        scope = access_scope(
            roast.id, seed.network.id, DataCategory.DEMAND_HISTORY, uow.grants.find(), NOW
        )
        assert uow.demand.find_scoped(scope) == [mine, granted]
        assert uow.demand.count_scoped(scope) == 2
        assert uow.demand.find_scoped(scope, item_id=i1.id, offset=1) == [granted]
        assert uow.demand.count_scoped(scope, site_id=s3.id) == 0
        assert [rule.grant_id for rule in scope.partner_rules] == [grant.id]
        assert uow.demand.find() == [mine, granted, other_item, other_site, not_granted]
