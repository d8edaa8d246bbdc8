"""Country outlines behind the network map, decoded from a vendored TopoJSON file.

The file (Natural Earth 1:50m via world-atlas, see ``static/map/README.md``) is decoded once;
each viewport gets one SVG path, thinned to the pixel, cached for the few viewports in use.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tandem.web.map import Viewport, mercator

COUNTRIES = Path(__file__).parent / "static" / "map" / "countries-50m.json"
MIN_STEP_PX = 2.0  # drop outline points closer than this (in pixels) to the last one kept
Ring = tuple[tuple[float, float], ...]  # (x, y) in Mercator degree units


@dataclass(frozen=True)
class _ProjectedRing:
    points: Ring
    min_x: float
    min_y: float
    max_x: float
    max_y: float


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append(mercator(y * scale_y + shift_y, x * scale_x + shift_x))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> _ProjectedRing:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return _ProjectedRing(tuple(points), min(xs), min(ys), max(xs), max(ys))


@functools.cache
def _rings() -> tuple[_ProjectedRing, ...]:
    topology = json.loads(COUNTRIES.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    rings: list[_ProjectedRing] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        polygons = (
            [geometry["arcs"]]
            if kind == "Polygon"
            else geometry["arcs"]
            if kind == "MultiPolygon"
            else []
        )
        rings.extend(_ring(arcs, ring) for polygon in polygons for ring in polygon)
    return tuple(rings)


@functools.lru_cache(maxsize=16)
def countries_path(viewport: Viewport) -> str:
    """One SVG path of every country outline that shows in ``viewport``."""
    margin = 8.0
    parts: list[str] = []
    for ring in _rings():
        x0, y0 = viewport.pixel_of_projected(ring.min_x, ring.max_y)
        x1, y1 = viewport.pixel_of_projected(ring.max_x, ring.min_y)
        outside = x1 < -margin or y1 < -margin
        outside = outside or x0 > viewport.width + margin or y0 > viewport.height + margin
        if outside or (x1 - x0 < 1.5 and y1 - y0 < 1.5):
            continue
        kept: list[str] = []
        last: tuple[float, float] | None = None
        for px, py in (viewport.pixel_of_projected(x, y) for x, y in ring.points):
            if last is None or abs(px - last[0]) + abs(py - last[1]) >= MIN_STEP_PX:
                kept.append(f"{px:.0f} {py:.0f}")
                last = (px, py)
        if len(kept) >= 3:
            parts.append("M" + " ".join(kept) + "Z")
    return "".join(parts)
