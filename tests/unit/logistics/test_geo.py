"""Great-circle distances against closed forms and published city pairs; matrices."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.planning.logistics import (
    EARTH_RADIUS_KM,
    LogisticsInputError,
    TravelMatrix,
    great_circle_km,
    great_circle_matrix_km,
)

HAMBURG = (53.5511, 9.9937)  # Rathausmarkt
MUNICH = (48.1372, 11.5755)  # Marienplatz
LONDON = (51.5074, -0.1278)
PARIS = (48.8566, 2.3522)


def test_quarter_meridian_is_a_quarter_of_the_great_circle() -> None:
    # Equator to pole along a meridian: R * pi / 2 = 6371.0088 * 1.5707963 = 10007.5572 km
    assert great_circle_km(0.0, 0.0, 90.0, 0.0) == pytest.approx(10007.5572, abs=1e-4)


def test_one_degree_of_longitude_on_the_equator() -> None:
    # R * pi / 180 = 111.19508 km
    assert great_circle_km(0.0, 10.0, 0.0, 11.0) == pytest.approx(111.19508, abs=1e-5)


def test_hamburg_munich_is_about_612_km() -> None:
    # Haversine by hand: dphi = -5.4139 deg, dlambda = 1.5818 deg,
    # h = sin^2(-2.70695 deg) + cos(53.5511) cos(48.1372) sin^2(0.7909 deg) = 0.0023078,
    # d = 2 R asin(sqrt h) = 612.1 km (the usual "straight line" quoted for the pair is 612 km).
    assert great_circle_km(*HAMBURG, *MUNICH) == pytest.approx(612.12, abs=0.01)


def test_london_paris_is_about_344_km() -> None:
    # The commonly quoted great-circle distance between the two centres is 344 km.
    assert great_circle_km(*LONDON, *PARIS) == pytest.approx(343.56, abs=0.01)


def test_matrix_applies_road_factor_and_speed() -> None:
    matrix = TravelMatrix.from_coordinates([HAMBURG, MUNICH, LONDON], road_factor=1.3, speed_kmh=80)
    assert matrix.distance_km[0, 1] == pytest.approx(612.1163 * 1.3, abs=1e-3)
    assert matrix.minutes[0, 1] == pytest.approx(612.1163 * 1.3 / 80 * 60, abs=1e-3)
    assert np.all(np.diag(matrix.distance_km) == 0.0)
    assert np.allclose(matrix.distance_km, matrix.distance_km.T)


def test_supplied_matrix_keeps_its_distances_and_derives_minutes() -> None:
    matrix = TravelMatrix.from_matrix([[0.0, 30.0], [45.0, 0.0]], speed_kmh=90.0)
    assert matrix.distance_km.tolist() == [[0.0, 30.0], [45.0, 0.0]]
    assert matrix.minutes.tolist() == [[0.0, 20.0], [30.0, 0.0]]


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(LogisticsInputError):
        great_circle_km(91.0, 0.0, 0.0, 0.0)
    with pytest.raises(LogisticsInputError):
        TravelMatrix.from_matrix([[0.0, -1.0], [1.0, 0.0]])
    with pytest.raises(LogisticsInputError):
        TravelMatrix.from_coordinates([HAMBURG], road_factor=0.9)


coordinate = st.tuples(st.floats(-89.9, 89.9), st.floats(-179.9, 179.9))


@given(st.lists(coordinate, min_size=1, max_size=6), st.lists(coordinate, min_size=1, max_size=6))
def test_vectorised_matrix_equals_pairwise_haversine(
    a: list[tuple[float, float]], b: list[tuple[float, float]]
) -> None:
    matrix = great_circle_matrix_km(a, b)
    for i, (lat1, lon1) in enumerate(a):
        for j, (lat2, lon2) in enumerate(b):
            p1, p2 = math.radians(lat1), math.radians(lat2)
            h = (
                math.sin((p2 - p1) / 2) ** 2
                + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
            )
            expected = 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))
            assert matrix[i, j] == pytest.approx(expected, abs=1e-6)
            assert matrix[i, j] <= math.pi * EARTH_RADIUS_KM + 1e-6
