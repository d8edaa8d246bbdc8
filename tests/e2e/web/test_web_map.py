"""The pure parts of the web layer: map projection, marker layout and the demand summary."""

from __future__ import annotations

import math
from datetime import date

import pytest

from tandem.domain.network import (
    DemandPoint,
    Lane,
    Member,
    MemberRole,
    Network,
    Site,
    SiteKind,
    TransportMode,
)
from tandem.services.network import NetworkMap
from tandem.web.basemap import countries_path
from tandem.web.map import MapExtent, build_map, core_sites, fit, mercator
from tandem.web.sites import summarise_demand


def _site(site_id: int, latitude: float, longitude: float, kind: SiteKind = SiteKind.STORE) -> Site:
    return Site(site_id, 1, 1, f"S{site_id}", f"Site {site_id}", kind, latitude, longitude)


def _map(*sites: Site, lanes: tuple[Lane, ...] = ()) -> NetworkMap:
    member = Member(1, 1, "M", "Member", frozenset({MemberRole.RETAILER}))
    return NetworkMap(Network(1, "n", "Network"), (member,), sites, lanes)


def test_mercator_is_the_identity_on_the_equator_and_grows_towards_the_poles() -> None:
    x, y = mercator(0.0, 12.5)
    assert (x, round(y, 12)) == (12.5, 0.0)
    assert mercator(45.0, 0.0)[1] == pytest.approx(50.498, abs=1e-3)
    assert mercator(90.0, 0.0) == mercator(85.0, 0.0)  # clamped like every web map


def test_fit_keeps_every_point_inside_the_padding_and_north_up() -> None:
    points = [(53.55, 9.99), (-23.96, -46.33), (3.88, -77.03)]
    viewport = fit(points, 960, 540, padding=50)

    pixels = [viewport.pixel(lat, lon) for lat, lon in points]

    assert all(50 - 1e-9 <= x <= 910 + 1e-9 and 50 - 1e-9 <= y <= 490 + 1e-9 for x, y in pixels)
    assert pixels[0][1] < pixels[2][1] < pixels[1][1]  # Hamburg above Buenaventura above Santos
    assert min(y for _, y in pixels) == pytest.approx(50)
    assert max(y for _, y in pixels) == pytest.approx(490)


def test_core_sites_leave_out_far_away_origins_only() -> None:
    europe = [_site(i, 50 + i * 0.5, 8 + i * 0.5) for i in range(1, 7)]
    origin = _site(99, -23.96, -46.33)

    assert [s.id for s in core_sites([*europe, origin])] == [1, 2, 3, 4, 5, 6]
    assert [s.id for s in core_sites(europe)] == [1, 2, 3, 4, 5, 6]


def test_map_draws_every_site_and_lane_and_fans_out_sites_on_one_spot() -> None:
    cafe, machine, plant = (
        _site(1, 52.0, 5.0),
        _site(2, 52.0, 5.0, SiteKind.DEVICE),
        _site(3, 51.0, 4.0, SiteKind.PLANT),
    )
    lane = Lane(7, 1, 3, 1, TransportMode.VAN, 1.0, 0.2, 0.3)

    view = build_map(_map(cafe, machine, plant, lanes=(lane,)))

    assert view.extent is MapExtent.ALL
    assert view.has_core is False
    assert [m.code for m in view.markers] == ["S1", "S3", "S2"]  # machines drawn last, on top
    at = {m.code: (m.x, m.y) for m in view.markers}
    assert math.dist(at["S1"], at["S2"]) >= 2 * view.marker_radius
    assert [(lane.lane_id, lane.colour) for lane in view.lanes] == [(7, "#65a30d")]
    assert [k.label for k in view.kinds] == ["Plant", "Store", "Device"]
    assert [m.label for m in view.modes] == ["Van"]


def test_countries_are_drawn_behind_the_map() -> None:
    view = build_map(_map(_site(1, 52.37, 4.9), _site(2, 51.9, 4.48)))

    path = countries_path(view.viewport)

    assert path.startswith("M")
    assert path.count("Z") >= 3  # the Netherlands and its neighbours at least


def test_demand_summary_totals_each_item_and_its_last_28_days() -> None:
    points = [
        DemandPoint(n, 1, 1, item, date(2026, 3, 1 + day), quantity)
        for n, (item, day, quantity) in enumerate(
            [(5, 0, 10.0), (5, 1, 12.0), (5, 29, 20.0), (6, 29, 3.0), (6, 30, 4.0)]
        )
    ]

    summary = summarise_demand(points)

    assert (summary.rows, summary.window_start, summary.window_end) == (
        5,
        date(2026, 3, 4),
        date(2026, 3, 31),
    )
    assert [
        (line.item_id, line.days, line.total, line.recent_total, line.first_day)
        for line in summary.lines
    ] == [(5, 3, 42.0, 20.0, date(2026, 3, 1)), (6, 2, 7.0, 7.0, date(2026, 3, 30))]
    assert summary.lines[1].recent_per_day == pytest.approx(0.25)
    assert summary.lines[0].spark.count(",") == 28


def test_demand_summary_of_nothing_is_empty() -> None:
    assert summarise_demand([]) == summarise_demand(iter(()))
    assert summarise_demand([]).lines == ()
