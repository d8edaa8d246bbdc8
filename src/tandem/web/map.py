"""The network map as data for a server-side SVG: Web-Mercator projection of sites and lanes.

Pure functions, no I/O: :func:`build_map` turns a :class:`NetworkMap` into a :class:`MapView`
(pixel positions, colours, tooltips, legend) that the template draws. The country backdrop comes
from :mod:`tandem.web.basemap`.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from tandem.domain.network import Site, SiteKind, TransportMode
from tandem.services.network import NetworkMap

MAX_LATITUDE = 85.0  # Web Mercator is undefined at the poles; clamp like every web map
EARTH_RADIUS_KM = 6371.0

SITE_COLOURS: dict[SiteKind, str] = {
    SiteKind.SUPPLIER_SITE: "#b45309",
    SiteKind.PLANT: "#dc2626",
    SiteKind.WAREHOUSE: "#7c3aed",
    SiteKind.DISTRIBUTION_CENTRE: "#2563eb",
    SiteKind.CARRIER_HUB: "#db2777",
    SiteKind.STORE: "#059669",
    SiteKind.DEVICE: "#0891b2",
}

MODE_COLOURS: dict[TransportMode, str] = {
    TransportMode.SEA: "#0369a1",
    TransportMode.AIR: "#e11d48",
    TransportMode.RAIL: "#92400e",
    TransportMode.ROAD: "#475569",
    TransportMode.FULL_TRUCKLOAD: "#4338ca",
    TransportMode.LESS_THAN_TRUCKLOAD: "#0d9488",
    TransportMode.PARCEL: "#a21caf",
    TransportMode.VAN: "#65a30d",
}

MODE_DASHES: dict[TransportMode, str] = {
    TransportMode.SEA: "7 4",
    TransportMode.AIR: "2 4",
    TransportMode.RAIL: "10 3 2 3",
}


class MapExtent(StrEnum):
    """Which sites the map is fitted to: all of them, or the dense core of the network."""

    ALL = "all"
    CORE = "core"


def label(value: str) -> str:
    """``distribution_centre`` → ``Distribution centre``."""
    text = value.replace("_", " ")
    return text[:1].upper() + text[1:]


def mercator(latitude: float, longitude: float) -> tuple[float, float]:
    """Web Mercator in degree units: ``x`` is the longitude, ``y`` grows northwards."""
    phi = math.radians(max(-MAX_LATITUDE, min(MAX_LATITUDE, latitude)))
    return longitude, math.degrees(math.log(math.tan(math.pi / 4 + phi / 2)))


@dataclass(frozen=True)
class Viewport:
    """Maps Web-Mercator coordinates onto a ``width`` × ``height`` SVG viewBox, north up."""

    width: int
    height: int
    centre_x: float
    centre_y: float
    scale: float  # pixels per Mercator degree

    def pixel(self, latitude: float, longitude: float) -> tuple[float, float]:
        x, y = mercator(latitude, longitude)
        return self.pixel_of_projected(x, y)

    def pixel_of_projected(self, x: float, y: float) -> tuple[float, float]:
        return (
            (x - self.centre_x) * self.scale + self.width / 2,
            self.height / 2 - (y - self.centre_y) * self.scale,
        )


def fit(
    points: Iterable[tuple[float, float]],
    width: int,
    height: int,
    padding: float = 56.0,
    min_span_degrees: float = 2.0,
) -> Viewport:
    """The viewport that shows every ``(latitude, longitude)`` point with ``padding`` pixels."""
    projected = [mercator(lat, lon) for lat, lon in points] or [(0.0, 0.0)]
    xs = [x for x, _ in projected]
    ys = [y for _, y in projected]
    span_x = max(max(xs) - min(xs), min_span_degrees)
    span_y = max(max(ys) - min(ys), min_span_degrees)
    scale = min((width - 2 * padding) / span_x, (height - 2 * padding) / span_y)
    return Viewport(width, height, (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2, scale)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def core_sites(sites: Sequence[Site], factor: float = 3.0, floor_km: float = 500.0) -> list[Site]:
    """The sites near the network's centre: within ``factor`` × the median distance to the
    median point (at least ``floor_km``). Far-away origins drop out; a compact network stays."""
    if len(sites) < 3:
        return list(sites)
    centre = (
        statistics.median(s.latitude for s in sites),
        statistics.median(s.longitude for s in sites),
    )
    distances = [distance_km(centre, (s.latitude, s.longitude)) for s in sites]
    limit = max(factor * statistics.median(distances), floor_km)
    return [s for s, d in zip(sites, distances, strict=True) if d <= limit]


@dataclass(frozen=True)
class MapMarker:
    site_id: int
    code: str
    x: float
    y: float
    colour: str
    tooltip: str


@dataclass(frozen=True)
class MapLane:
    lane_id: int
    mode: TransportMode
    path: str
    colour: str
    dash: str
    tooltip: str


@dataclass(frozen=True)
class LegendEntry:
    key: str
    label: str
    colour: str
    dash: str = ""


@dataclass(frozen=True)
class MapView:
    width: int
    height: int
    extent: MapExtent
    has_core: bool  # whether the core extent shows fewer sites than the whole network
    viewport: Viewport
    markers: tuple[MapMarker, ...]
    lanes: tuple[MapLane, ...]
    kinds: tuple[LegendEntry, ...]
    modes: tuple[LegendEntry, ...]
    marker_radius: float


def _spread(
    positions: dict[int, tuple[float, float]], radius: float
) -> dict[int, tuple[float, float]]:
    """Fan out markers that would overlap (a machine inside its café, sites in one city):
    greedy clusters of markers closer than ``1.8 × radius``, laid out on a small ring."""
    reach = 1.8 * radius
    clusters: list[list[int]] = []
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)  # cell → clusters anchored there
    for site_id, (x, y) in sorted(positions.items()):
        cell = (int(x // reach), int(y // reach))
        near = [
            c
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for c in grid.get((cell[0] + dx, cell[1] + dy), ())
            if math.dist(positions[clusters[c][0]], (x, y)) < reach
        ]
        if near:
            clusters[min(near)].append(site_id)
        else:
            grid[cell].append(len(clusters))
            clusters.append([site_id])
    spread = dict(positions)
    for members in clusters:
        if len(members) < 2:
            continue
        cx = sum(positions[m][0] for m in members) / len(members)
        cy = sum(positions[m][1] for m in members) / len(members)
        ring = max(1.4 * radius, len(members) * 2.5 * radius / (2 * math.pi))
        for index, site_id in enumerate(members):
            angle = 2 * math.pi * index / len(members) - math.pi / 2
            spread[site_id] = (cx + ring * math.cos(angle), cy + ring * math.sin(angle))
    return spread


def _curve(a: tuple[float, float], b: tuple[float, float], gap: float) -> str:
    """A gentle arc from ``a`` to ``b`` that stops ``gap`` short of ``b`` (room for the arrow
    head); the lane back from ``b`` bends the other way."""
    (x1, y1), (x2, y2) = a, b
    bend = 0.12
    cx = (x1 + x2) / 2 - (y2 - y1) * bend
    cy = (y1 + y2) / 2 + (x2 - x1) * bend
    tangent = math.dist((cx, cy), (x2, y2)) or 1.0
    x2 -= (x2 - cx) / tangent * gap
    y2 -= (y2 - cy) / tangent * gap
    return f"M{x1:.1f} {y1:.1f}Q{cx:.1f} {cy:.1f} {x2:.1f} {y2:.1f}"


def build_map(
    network_map: NetworkMap,
    extent: MapExtent | None = None,
    width: int = 960,
    height: int = 540,
) -> MapView:
    """The map of the whole network; ``extent`` None fits it to the core region, if any."""
    sites = list(network_map.sites)
    core = core_sites(sites)
    if extent is None:
        extent = MapExtent.CORE if len(core) < len(sites) else MapExtent.ALL
    fitted = core if extent is MapExtent.CORE else sites
    viewport = fit(((s.latitude, s.longitude) for s in fitted), width, height)
    radius = 6.0 if len(sites) <= 60 else 4.5
    positions = _spread({s.id: viewport.pixel(s.latitude, s.longitude) for s in sites}, radius)
    members = {m.id: m.name for m in network_map.members}
    by_id = {s.id: s for s in sites}

    markers = tuple(
        MapMarker(
            s.id,
            s.code,
            round(positions[s.id][0], 1),
            round(positions[s.id][1], 1),
            SITE_COLOURS[s.kind],
            " · ".join(
                part
                for part in (
                    f"{s.code} — {s.name}",
                    label(s.kind.value),
                    members.get(s.member_id, ""),
                    s.city,
                )
                if part
            ),
        )
        for s in sorted(sites, key=lambda s: (s.kind == SiteKind.DEVICE, s.id))
    )
    lanes = tuple(
        MapLane(
            lane.id,
            lane.mode,
            _curve(positions[lane.from_site_id], positions[lane.to_site_id], radius + 1.0),
            MODE_COLOURS[lane.mode],
            MODE_DASHES.get(lane.mode, ""),
            f"{by_id[lane.from_site_id].code} → {by_id[lane.to_site_id].code} · "
            f"{label(lane.mode.value)} · {lane.lead_time_mean_days:g} ± "
            f"{lane.lead_time_std_days:g} days",
        )
        for lane in network_map.lanes
        if lane.from_site_id in positions and lane.to_site_id in positions
    )
    kinds_used = {s.kind for s in sites}
    modes_used = {lane.mode for lane in network_map.lanes}
    return MapView(
        width,
        height,
        extent,
        len(core) < len(sites),
        viewport,
        markers,
        lanes,
        tuple(
            LegendEntry(k.value, label(k.value), c)
            for k, c in SITE_COLOURS.items()
            if k in kinds_used
        ),
        tuple(
            LegendEntry(m.value, label(m.value), c, MODE_DASHES.get(m, ""))
            for m, c in MODE_COLOURS.items()
            if m in modes_used
        ),
        radius,
    )
