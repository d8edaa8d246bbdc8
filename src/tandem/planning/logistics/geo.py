"""Road distances and travel times from site coordinates, or from a supplied matrix.

The great-circle distance uses the haversine formula on a sphere of the mean Earth radius
``R = 6371.0088 km`` (IUGG mean radius R1, Moritz 1980, "Geodetic Reference System 1980")::

    d = 2 R asin( sqrt( sin^2(dphi / 2) + cos(phi1) cos(phi2) sin^2(dlambda / 2) ) )

(Sinnott 1984, "Virtues of the haversine", Sky and Telescope 68(2):159). Roads are longer than
the straight line: the *circuity* (road / great-circle distance) averages about 1.2-1.4; we use
1.3 by default (Boscoe, Henry & Zdeb 2012, "A nationwide comparison of driving distance versus
straight-line distance to hospitals", Professional Geographer 64(2):188-196, mean detour index
1.417 overall and lower for longer trips; Ballou, Rahardja & Sakai 2002, "Selected country
circuity factors for road travel distance estimation", Transportation Research A 36:843-848,
circuity 1.2-1.4 across countries). Travel time is road distance over an average speed.

Examples
--------
>>> round(great_circle_km(53.5511, 9.9937, 48.1372, 11.5755), 1)  # Hamburg - Munich
612.1
>>> matrix = TravelMatrix.from_coordinates([(53.5511, 9.9937), (48.1372, 11.5755)])
>>> round(float(matrix.distance_km[0, 1]), 1), round(float(matrix.minutes[0, 1]))
(795.8, 796)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tandem.planning.logistics.errors import LogisticsInputError

__all__ = [
    "DEFAULT_ROAD_FACTOR",
    "DEFAULT_SPEED_KMH",
    "EARTH_RADIUS_KM",
    "TravelMatrix",
    "great_circle_km",
    "great_circle_matrix_km",
]

EARTH_RADIUS_KM = 6371.0088
DEFAULT_ROAD_FACTOR = 1.3
DEFAULT_SPEED_KMH = 60.0

FloatArray = npt.NDArray[np.float64]


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in km between two points given in decimal degrees."""
    return float(great_circle_matrix_km([(lat1, lon1)], [(lat2, lon2)])[0, 0])


def great_circle_matrix_km(
    origins: Sequence[tuple[float, float]], destinations: Sequence[tuple[float, float]]
) -> FloatArray:
    """Haversine distances (km) from each ``(latitude, longitude)`` origin to each destination.

    Vectorised over both axes: the result has shape ``(len(origins), len(destinations))``.
    """
    a = _radians(origins)
    b = _radians(destinations)
    dphi = b[None, :, 0] - a[:, None, 0]
    dlam = b[None, :, 1] - a[:, None, 1]
    h = (
        np.sin(dphi / 2) ** 2
        + np.cos(a[:, None, 0]) * np.cos(b[None, :, 0]) * np.sin(dlam / 2) ** 2
    )
    distance: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return distance


def _radians(points: Sequence[tuple[float, float]]) -> FloatArray:
    array = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    lat_ok = np.all(np.abs(array[:, 0]) <= 90)
    lon_ok = np.all(np.abs(array[:, 1]) <= 180)
    if not (np.all(np.isfinite(array)) and lat_ok and lon_ok):
        raise LogisticsInputError(
            "coordinates must be finite, latitude in [-90, 90], longitude in [-180, 180]"
        )
    return np.radians(array)


@dataclass(frozen=True, eq=False)
class TravelMatrix:
    """Road distance (km) and travel time (minutes) between every pair of points.

    Point 0 is the depot in :mod:`~tandem.planning.logistics.routing`; the row order follows the
    points given. ``minutes`` is ``distance_km / speed_kmh * 60``.
    """

    distance_km: FloatArray
    minutes: FloatArray

    def __post_init__(self) -> None:
        d, t = self.distance_km, self.minutes
        square = d.ndim == 2 and d.shape[0] == d.shape[1] and d.shape == t.shape
        if not square or np.any(~np.isfinite(d)) or np.any(d < 0) or np.any(t < 0):
            raise LogisticsInputError(
                "travel matrices must be square, equal in shape, finite and >= 0"
            )

    @property
    def size(self) -> int:
        """Number of points."""
        return int(self.distance_km.shape[0])

    @classmethod
    def from_coordinates(
        cls,
        points: Sequence[tuple[float, float]],
        road_factor: float = DEFAULT_ROAD_FACTOR,
        speed_kmh: float = DEFAULT_SPEED_KMH,
    ) -> TravelMatrix:
        """Great-circle distance x ``road_factor``; time at ``speed_kmh``."""
        if road_factor < 1.0 or speed_kmh <= 0:
            raise LogisticsInputError("road_factor must be >= 1 and speed_kmh > 0")
        distance = great_circle_matrix_km(points, points) * road_factor
        return cls(distance, distance / speed_kmh * 60.0)

    @classmethod
    def from_matrix(
        cls,
        distance_km: Sequence[Sequence[float]] | FloatArray,
        speed_kmh: float = DEFAULT_SPEED_KMH,
        minutes: Sequence[Sequence[float]] | FloatArray | None = None,
    ) -> TravelMatrix:
        """A supplied road-distance matrix; times supplied too or derived at ``speed_kmh``."""
        if speed_kmh <= 0:
            raise LogisticsInputError("speed_kmh must be > 0")
        distance = np.asarray(distance_km, dtype=np.float64)
        time = distance / speed_kmh * 60.0 if minutes is None else np.asarray(minutes, np.float64)
        return cls(distance, time)
