"""The access-control matrix: every read of member-owned data, tried by a partner.

The café (owner) has rows of every category at both of its sites; the roaster (partner) reads
them without a grant, with one, after revocation, after expiry, and through narrowed grants.
Adding a read endpoint to the matrix is one line in ``READS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

OWNER, PARTNER = "CAFE", "ROAST"
PARTNER_LABEL = "roaster@example.com (ROAST)"


@dataclass(frozen=True)
class Owned:
    """A kind of member-owned rows: where they are listed, their category and item column."""

    path: str
    category: str
    item_field: str
    owner_row_count: int
    site_field: str = "site_id"
    setup: Callable[[ApiWorld], None] | None = None


BOM = Owned("/api/v1/bom-lines", "bills_of_materials", "parent_item_id", 2)
ITEM_SITES = Owned("/api/v1/item-sites", "planning_parameters", "item_id", 3)
DEMAND = Owned("/api/v1/demand-history", "demand_history", "item_id", 4)


def run_owner_forecasts(api: ApiWorld) -> None:
    """Two days ahead of each of the owner's three demand series: six forecast rows."""
    response = api.post(OWNER, "/api/v1/forecast-runs", {"horizon_days": 2})
    assert response.status_code == 201, response.text


FORECASTS = Owned("/api/v1/forecasts", "forecasts", "item_id", 6, setup=run_owner_forecasts)


def record_owner_stock(api: ApiWorld) -> None:
    """Receipts at both café sites: three stock positions and three ledger movements."""
    for site, item in (("CAFE-1", "LATTE"), ("CAFE-2", "LATTE"), ("CAFE-1", "MOCHA")):
        body = {
            "site_id": api.sites[site],
            "item_id": api.items[item],
            "kind": "receipt",
            "quantity": "5",
        }
        response = api.post(OWNER, "/api/v1/inventory/movements", body)
        assert response.status_code == 201, response.text


POSITIONS = Owned(
    "/api/v1/inventory/positions", "inventory_positions", "item_id", 3, setup=record_owner_stock
)
MOVEMENTS = Owned(
    "/api/v1/inventory/movements", "inventory_positions", "item_id", 3, setup=record_owner_stock
)


@dataclass(frozen=True)
class Read:
    """One read endpoint: the list of ``owned.path``, or the get of each row by id."""

    owned: Owned
    by_id: bool

    def __str__(self) -> str:
        return f"{self.owned.path.rsplit('/', 1)[1]}-{'get' if self.by_id else 'list'}"

    def partner_rows_seen(self, api: ApiWorld, owner_rows: list[dict[str, Any]]) -> set[int]:
        """Ids of the owner's rows the partner got, checking each refusal is a plain 404."""
        if not self.by_id:
            listed = api.rows(PARTNER, self.owned.path)
            partner_id = api.members[PARTNER]
            return {row["id"] for row in listed if row["owner_member_id"] != partner_id}
        seen = set()
        for row in owner_rows:
            response = api.get(PARTNER, f"{self.owned.path}/{row['id']}")
            if response.status_code == 200:
                assert response.json() == row
                seen.add(row["id"])
            else:
                assert response.status_code == 404
                assert response.json()["code"] == "not_found"
        return seen

    def audit_entries_per_read(self, rows: int) -> int:
        return rows if self.by_id else 1


READS = [
    Read(BOM, by_id=False),
    Read(BOM, by_id=True),
    Read(ITEM_SITES, by_id=False),
    Read(ITEM_SITES, by_id=True),
    Read(DEMAND, by_id=False),
    Read(FORECASTS, by_id=False),
    Read(POSITIONS, by_id=False),
    Read(POSITIONS, by_id=True),
    Read(MOVEMENTS, by_id=False),
    Read(MOVEMENTS, by_id=True),
]


def owner_rows(api: ApiWorld, owned: Owned) -> list[dict[str, Any]]:
    if owned.setup is not None:
        owned.setup(api)
    return api.rows(OWNER, owned.path)


def grant(api: ApiWorld, owned: Owned, **narrowing: Any) -> dict[str, Any]:
    body = {"grantee_member_id": api.members[PARTNER], "category": owned.category, **narrowing}
    response = api.post(OWNER, "/api/v1/grants", body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def ids(rows: list[dict[str, Any]], keep: Callable[[dict[str, Any]], bool] = bool) -> set[int]:
    return {row["id"] for row in rows if keep(row)}


def audit_log(api: ApiWorld, who: str, **query: Any) -> dict[str, Any]:
    response = api.get(who, "/api/v1/audit-log", limit=1000, **query)
    assert response.status_code == 200
    log: dict[str, Any] = response.json()
    return log


@pytest.mark.parametrize("read", READS, ids=str)
def test_partner_reads_follow_the_grant_from_consent_to_revocation(
    api_world: ApiWorld, read: Read
) -> None:
    rows = owner_rows(api_world, read.owned)
    assert len(rows) == read.owned.owner_row_count

    assert read.partner_rows_seen(api_world, rows) == set()
    assert audit_log(api_world, OWNER)["total"] == 0

    given = grant(api_world, read.owned)
    assert read.partner_rows_seen(api_world, rows) == ids(rows)
    log = audit_log(api_world, OWNER)
    entries = [
        (e["reader"], e["reader_member_id"], e["category"], e["grant_id"], e["owner_member_id"])
        for e in log["items"]
    ]
    expected = (
        PARTNER_LABEL,
        api_world.members[PARTNER],
        read.owned.category,
        given["id"],
        api_world.members[OWNER],
    )
    assert entries == [expected] * read.audit_entries_per_read(len(rows))
    assert sum(e["rows"] for e in log["items"]) == len(rows)
    nothing = {"items": [], "total": 0, "offset": 0, "limit": 1000, "next_offset": None}
    assert audit_log(api_world, PARTNER) == nothing
    assert audit_log(api_world, PARTNER, owner_member_id=api_world.members[OWNER]) == nothing

    revoked = api_world.post(OWNER, f"/api/v1/grants/{given['id']}/revoke")
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    assert read.partner_rows_seen(api_world, rows) == set()
    assert audit_log(api_world, OWNER)["total"] == log["total"]


@pytest.mark.parametrize("read", READS, ids=str)
def test_partner_reads_end_when_the_grant_expires(api_world: ApiWorld, read: Read) -> None:
    rows = owner_rows(api_world, read.owned)
    expires_at = api_world.clock.now() + timedelta(hours=1)
    given = grant(api_world, read.owned, expires_at=expires_at.isoformat())
    assert read.partner_rows_seen(api_world, rows) == ids(rows)

    api_world.clock.advance(timedelta(hours=1))

    assert read.partner_rows_seen(api_world, rows) == set()
    assert api_world.get(OWNER, f"/api/v1/grants/{given['id']}").json()["status"] == "expired"


@pytest.mark.parametrize("read", READS, ids=str)
def test_grant_narrowed_to_items_reveals_only_those_items(api_world: ApiWorld, read: Read) -> None:
    rows = owner_rows(api_world, read.owned)
    latte = api_world.items["LATTE"]
    grant(api_world, read.owned, item_ids=[latte])

    seen = read.partner_rows_seen(api_world, rows)

    assert seen == ids(rows, lambda row: row[read.owned.item_field] == latte)
    assert seen not in (set(), ids(rows))


@pytest.mark.parametrize("read", READS, ids=str)
def test_grant_narrowed_to_sites_reveals_only_those_sites(api_world: ApiWorld, read: Read) -> None:
    rows = owner_rows(api_world, read.owned)
    cafe_2 = api_world.sites["CAFE-2"]
    grant(api_world, read.owned, site_ids=[cafe_2])

    seen = read.partner_rows_seen(api_world, rows)

    assert seen == ids(rows, lambda row: row[read.owned.site_field] == cafe_2)
    assert seen not in (set(), ids(rows))


@pytest.mark.parametrize("read", [r for r in READS if r.by_id], ids=str)
def test_hidden_row_is_indistinguishable_from_a_missing_one(
    api_world: ApiWorld, read: Read
) -> None:
    hidden = owner_rows(api_world, read.owned)[0]["id"]
    missing = 1_000_000

    refused = api_world.get(PARTNER, f"{read.owned.path}/{hidden}").json()
    absent = api_world.get(PARTNER, f"{read.owned.path}/{missing}").json()

    def masked(problem: dict[str, Any], row_id: int) -> dict[str, Any]:
        return {
            **problem,
            "detail": problem["detail"].replace(f" {row_id} ", " <id> "),
            "instance": problem["instance"].replace(f"/{row_id}", "/<id>"),
        }

    assert masked(refused, hidden) == masked(absent, missing)
    assert refused["status"] == 404
