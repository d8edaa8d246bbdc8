"""Every list is paged the same way: exact totals, ``next_offset`` null on the last page."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

LISTS = {
    "/api/v1/members": 3,
    "/api/v1/sites": 4,
    "/api/v1/items": 4,
    "/api/v1/lanes": 2,
    "/api/v1/item-sites": 3,
    "/api/v1/bom-lines": 2,
    "/api/v1/demand-history": 4,
    "/api/v1/grants": 0,
    "/api/v1/audit-log": 0,
    "/api/v1/api-keys": 0,
}


def test_every_list_pages_with_exact_totals(api_world: ApiWorld) -> None:
    for path, total in LISTS.items():
        first = api_world.get("CAFE", path, limit=2).json()
        last = api_world.get("CAFE", path, offset=2, limit=2).json()

        assert (first["total"], first["offset"], first["limit"]) == (total, 0, 2), path
        assert len(first["items"]) == min(total, 2), path
        assert first["next_offset"] == (2 if total > 2 else None), path
        assert len(last["items"]) == max(0, min(total - 2, 2)), path
        assert last["next_offset"] == (4 if total > 4 else None), path


def test_pages_cover_the_list_once(api_world: ApiWorld) -> None:
    whole = [s["id"] for s in api_world.rows("ROAST", "/api/v1/sites")]
    pages = [api_world.get("ROAST", "/api/v1/sites", offset=o, limit=3).json() for o in (0, 3)]

    assert [p["next_offset"] for p in pages] == [3, None]
    assert [s["id"] for p in pages for s in p["items"]] == whole
    assert api_world.get("ROAST", "/api/v1/sites", offset=10).json() == {
        "items": [],
        "total": 4,
        "offset": 10,
        "limit": 100,
        "next_offset": None,
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "query.limit"),
        ({"limit": 1001}, "query.limit"),
        ({"offset": -1}, "query.offset"),
    ],
)
def test_page_bounds_are_checked(api_world: ApiWorld, query: dict[str, int], field: str) -> None:
    response = api_world.get("ROAST", "/api/v1/sites", **query)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
