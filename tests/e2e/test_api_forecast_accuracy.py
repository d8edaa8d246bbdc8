"""Demand series with outlier flags, reconciled forecast totals and forecast accuracy over HTTP."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.e2e.conftest import ApiWorld

WEEKLY = (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0)
LAST = date(2026, 11, 2)  # a Monday: the last seeded demand day
START = LAST - timedelta(days=55)  # 56 days of history
NAIVE_MAE = 18 / 11  # in-sample naive MAE of 56 days repeating one week (see the service test)


def post_demand(api: ApiWorld, site: str, item: str, start: date, values: list[float]) -> None:
    rows = [
        {
            "site_id": api.sites[site],
            "item_id": api.items[item],
            "day": (start + timedelta(days=n)).isoformat(),
            "quantity": q,
        }
        for n, q in enumerate(values)
    ]
    response = api.post("CAFE", "/api/v1/demand-history", {"observations": rows})
    assert response.status_code == 200, response.text


# ---------------------------------------------------------------- demand series

MONDAY = date(2026, 9, 7)
RATES = (10.0, 11.0, 9.0, 50.0, 10.0, 12.0, 10.0)  # per day, week by week: week 4 is a spike


@pytest.fixture
def mocha_weeks(api_world: ApiWorld) -> ApiWorld:
    """Seven whole ISO weeks of mocha demand at CAFE-2, then two days of the next week."""
    post_demand(
        api_world, "CAFE-2", "MOCHA", MONDAY, [r for r in RATES for _ in range(7)] + [10.0, 10.0]
    )
    return api_world


def series(api: ApiWorld, who: str = "CAFE", **params: Any) -> Any:
    query = {"site_id": api.sites["CAFE-2"], "item_id": api.items["MOCHA"], **params}
    return api.get(who, "/api/v1/demand-history/series", **query)


def test_weekly_series_flags_the_spike_and_the_partial_week(mocha_weeks: ApiWorld) -> None:
    response = series(mocha_weeks)

    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("freq", "partial", "outlier_rule", "first_day", "last_day")} == {
        "freq": "week",
        "partial": "flag",
        "outlier_rule": {"method": "hampel", "half_width": 3, "threshold": 3.0},
        "first_day": "2026-09-07",
        "last_day": "2026-10-27",
    }
    assert [(b["start"], b["quantity"], b["outlier"], b["partial"]) for b in body["buckets"]] == [
        *(
            ((MONDAY + timedelta(weeks=w)).isoformat(), 7 * r, w == 3, False)
            for w, r in enumerate(RATES)
        ),
        ("2026-10-26", 20.0, False, True),
    ]
    spike = body["buckets"][3]
    assert spike == {
        "start": "2026-09-28",
        "end": "2026-10-04",
        "days": 7,
        "observed_days": 7,
        "quantity": 350.0,
        "per_day": 50.0,
        "partial": False,
        "outlier": True,
        "score": spike["score"],
        "reason": "outlier: 50 per day lies 27.0 scaled MADs above the median 10 per day of the "
        "buckets around it (Hampel, k=3, t=3)",
    }
    assert spike["score"] == pytest.approx(40 / 1.482602218505602, rel=1e-12)
    assert body["buckets"][-1]["score"] is None


def test_monthly_series_and_dropped_partial_buckets(mocha_weeks: ApiWorld) -> None:
    months = series(mocha_weeks, freq="month").json()["buckets"]
    whole = series(mocha_weeks, partial="drop").json()["buckets"]

    # September from the 7th (24 of 30 days), October to the 27th (27 of 31 days)
    assert [(b["start"], b["days"], b["observed_days"], b["partial"]) for b in months] == [
        ("2026-09-01", 30, 24, True),
        ("2026-10-01", 31, 27, True),
    ]
    assert sum(b["quantity"] for b in months) == 7 * sum(RATES) + 20.0
    assert [b["quantity"] for b in whole] == [7 * r for r in RATES]


def test_series_query_is_checked(mocha_weeks: ApiWorld) -> None:
    wrong_freq = series(mocha_weeks, freq="fortnight")
    reversed_span = series(mocha_weeks, since="2026-10-02", until="2026-10-01")
    unknown_site = mocha_weeks.get(
        "CAFE", "/api/v1/demand-history/series", site_id=999, item_id=mocha_weeks.items["MOCHA"]
    )

    assert (wrong_freq.status_code, [e["field"] for e in wrong_freq.json()["errors"]]) == (
        422,
        ["query.freq"],
    )
    assert (reversed_span.status_code, reversed_span.json()["errors"]) == (
        422,
        [{"location": "query", "field": "since", "message": "must not be after until"}],
    )
    assert unknown_site.status_code == 404


def test_partner_series_needs_a_demand_history_grant(mocha_weeks: ApiWorld) -> None:
    before = series(mocha_weeks, "ROAST").json()["buckets"]
    mocha_weeks.post(
        "CAFE",
        "/api/v1/grants",
        {"grantee_member_id": mocha_weeks.members["ROAST"], "category": "demand_history"},
    )
    after = series(mocha_weeks, "ROAST").json()["buckets"]

    assert (before, after) == ([], series(mocha_weeks).json()["buckets"])


# ---------------------------------------------------------------- totals and accuracy


@pytest.fixture
def forecast_then_actuals(api_world: ApiWorld) -> ApiWorld:
    """56 days of one repeating week at both cafés (replacing the seeded days), a week's
    forecast, then the week's demand: 40 a day at CAFE-1, 21 a day at CAFE-2."""
    for site, base in (("CAFE-1", 40.0), ("CAFE-2", 20.0)):
        post_demand(api_world, site, "LATTE", START, [base + WEEKLY[n % 7] for n in range(56)])
    run = api_world.post("CAFE", "/api/v1/forecast-runs", {"horizon_days": 7})
    assert run.json() == {
        "horizon_days": 7,
        "series": 3,  # and the seeded one-day mocha series
        "points": 21,
        "models": ["Naive", "SeasonalNaive"],
        "reconciliation": "wls_structural",
    }
    post_demand(api_world, "CAFE-1", "LATTE", LAST + timedelta(days=1), [40.0] * 7)
    post_demand(api_world, "CAFE-2", "LATTE", LAST + timedelta(days=1), [21.0] * 7)
    return api_world


def test_item_totals_are_the_sums_of_the_item_site_forecasts(
    forecast_then_actuals: ApiWorld,
) -> None:
    api = forecast_then_actuals
    owner, latte, mocha = api.members["CAFE"], api.items["LATTE"], api.items["MOCHA"]

    page = api.get("CAFE", "/api/v1/forecasts/totals", level="item", limit=1000).json()
    families = api.get("CAFE", "/api/v1/forecasts/totals", level="family").json()

    assert page["total"] == 14
    assert page["items"][0] == {
        "level": "item",
        "owner_member_id": owner,
        "item_id": latte,
        "family": None,
        "day": "2026-11-03",
        "forecast": 54.0,
        "item_sites": 2,
    }
    assert [(t["item_id"], t["day"], t["forecast"], t["item_sites"]) for t in page["items"]] == [
        *(
            (latte, (LAST + timedelta(days=1 + n)).isoformat(), 60.0 + 2 * WEEKLY[n], 2)
            for n in range(7)
        ),
        *((mocha, (LAST + timedelta(days=n)).isoformat(), 12.0, 1) for n in range(7)),
    ]
    assert families["total"] == 0  # the cafe's items have no family


def test_accuracy_per_series_and_overall(forecast_then_actuals: ApiWorld) -> None:
    api = forecast_then_actuals

    response = api.get("CAFE", "/api/v1/forecasts/accuracy")

    assert response.status_code == 200
    body = response.json()
    assert body["evaluated"] == 2
    assert [(s["site_id"], s["item_id"], s["score"]["points"]) for s in body["series"]] == [
        (api.sites["CAFE-1"], api.items["LATTE"], 7),
        (api.sites["CAFE-1"], api.items["MOCHA"], 0),  # no demand after its forecast yet
        (api.sites["CAFE-2"], api.items["LATTE"], 7),
    ]
    cafe_2 = body["series"][2]
    assert cafe_2 == {
        "owner_member_id": api.members["CAFE"],
        "site_id": api.sites["CAFE-2"],
        "item_id": api.items["LATTE"],
        "origins": 1,
        "first_day": "2026-11-03",
        "last_day": "2026-11-09",
        "models": ["SeasonalNaive"],
        "score": {
            "points": 7,
            "forecast_total": 140.0,
            "actual_total": 147.0,
            "mean_error": -1.0,
            "bias": -7 / 147,
            "wape": 13 / 147,
            "mase": cafe_2["score"]["mase"],
        },
    }
    assert cafe_2["score"]["mase"] == pytest.approx(13 / 7 / NAIVE_MAE, rel=1e-12)
    assert body["series"][1]["score"]["mase"] is None
    overall = body["overall"]
    assert (overall["points"], overall["mean_error"], overall["bias"], overall["wape"]) == (
        14,
        -0.5,
        -7 / 427,
        25 / 427,
    )
    assert overall["mase"] == pytest.approx(25 / 14 / NAIVE_MAE, rel=1e-12)


def test_partner_accuracy_needs_grants(forecast_then_actuals: ApiWorld) -> None:
    api = forecast_then_actuals

    body = api.get("ROAST", "/api/v1/forecasts/accuracy").json()
    reversed_span = api.get(
        "CAFE", "/api/v1/forecasts/accuracy", since="2026-11-09", until="2026-11-03"
    )

    assert (body["series"], body["evaluated"], body["overall"]["points"]) == ([], 0, 0)
    assert reversed_span.status_code == 422
