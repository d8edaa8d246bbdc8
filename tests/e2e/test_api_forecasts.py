"""Collaborative forecasts over HTTP: a run forecasts the caller's own demand history and
replaces its stored forecasts; partners read them only through a ``forecasts`` grant."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

START = date(2026, 7, 6)  # the last of the 120 days is the seeded 2 November
DAYS = 120
WEEKLY = (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0)


def record_latte_weeks(api: ApiWorld) -> None:
    """120 days of one repeating week of latte demand at CAFE-1 (replacing the two seeded days)."""
    rows = [
        {
            "site_id": api.sites["CAFE-1"],
            "item_id": api.items["LATTE"],
            "day": (START + timedelta(days=n)).isoformat(),
            "quantity": 40.0 + WEEKLY[n % 7],
        }
        for n in range(DAYS)
    ]
    response = api.post("CAFE", "/api/v1/demand-history", {"observations": rows})
    assert response.status_code == 200, response.text


def test_run_forecasts_one_item_site_and_lists_the_points(api_world: ApiWorld) -> None:
    record_latte_weeks(api_world)
    latte, cafe_1 = api_world.items["LATTE"], api_world.sites["CAFE-1"]

    response = api_world.post(
        "CAFE", "/api/v1/forecast-runs", {"horizon_days": 7, "site_id": cafe_1, "item_id": latte}
    )
    listed = api_world.get("CAFE", "/api/v1/forecasts", item_id=latte, site_id=cafe_1).json()

    assert response.status_code == 201
    assert response.json() == {
        "horizon_days": 7,
        "series": 1,
        "points": 7,
        "models": ["SeasonalNaive"],
        "reconciliation": "none",
    }
    assert listed["total"] == 7
    first = START + timedelta(days=DAYS)
    assert [(p["day"], p["forecast"]) for p in listed["items"]] == [
        ((first + timedelta(days=n)).isoformat(), 40.0 + WEEKLY[(DAYS + n) % 7]) for n in range(7)
    ]
    assert listed["items"][0] == {
        "id": listed["items"][0]["id"],
        "owner_member_id": api_world.members["CAFE"],
        "site_id": cafe_1,
        "item_id": latte,
        "day": first.isoformat(),
        "forecast": 38.0,
        "lo_80": 38.0,
        "hi_80": 38.0,
        "lo_95": 38.0,
        "hi_95": 38.0,
        "model": "SeasonalNaive",
        "created_at": "2026-11-21T09:00:00Z",
    }


def test_rerun_replaces_instead_of_adding(api_world: ApiWorld) -> None:
    first = api_world.post("CAFE", "/api/v1/forecast-runs", {"horizon_days": 5})
    second = api_world.post("CAFE", "/api/v1/forecast-runs", {"horizon_days": 3})

    assert (first.status_code, first.json()["points"]) == (201, 15)
    assert second.json() == {
        "horizon_days": 3,
        "series": 3,
        "points": 9,
        "models": ["Naive"],
        "reconciliation": "none",
    }
    assert api_world.get("CAFE", "/api/v1/forecasts").json()["total"] == 9


def test_short_series_have_no_interval(api_world: ApiWorld) -> None:
    api_world.post("CAFE", "/api/v1/forecast-runs", {"horizon_days": 1})

    rows = api_world.rows("CAFE", "/api/v1/forecasts", site_id=api_world.sites["CAFE-2"])

    assert [(r["forecast"], r["lo_80"], r["hi_95"], r["day"]) for r in rows] == [
        (30.0, None, None, "2026-11-02")
    ]


def test_horizon_must_lie_within_a_year(api_world: ApiWorld) -> None:
    for horizon in (0, 366):
        response = api_world.post("CAFE", "/api/v1/forecast-runs", {"horizon_days": horizon})
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["body.horizon_days"]


def test_partner_site_cannot_be_forecast(api_world: ApiWorld) -> None:
    cafe_1 = api_world.sites["CAFE-1"]

    response = api_world.post(
        "ROAST", "/api/v1/forecast-runs", {"horizon_days": 7, "site_id": cafe_1}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"location": "run", "field": "site_id", "message": f"site {cafe_1} is not one of yours"}
    ]
    assert api_world.get("CAFE", "/api/v1/forecasts").json()["total"] == 0


def test_partner_lists_forecasts_only_with_a_grant(api_world: ApiWorld) -> None:
    api_world.post("CAFE", "/api/v1/forecast-runs", {"horizon_days": 2})
    roaster = api_world.members["ROAST"]

    before = api_world.get("ROAST", "/api/v1/forecasts").json()["total"]
    granted = api_world.post(
        "CAFE", "/api/v1/grants", {"grantee_member_id": roaster, "category": "forecasts"}
    )
    after = api_world.get("ROAST", "/api/v1/forecasts").json()["total"]

    assert granted.status_code == 201
    assert (before, after) == (0, 6)


def test_reading_forecasts_needs_a_signed_in_caller(api_world: ApiWorld) -> None:
    response = api_world.get(None, "/api/v1/forecasts")

    assert response.status_code == 401
