"""Finite-capacity check of planned orders: hand-checked loads, overloads and levelling."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tandem.planning.production import Calendar, Operation, ProductionInputError, Resource, Routing
from tandem.planning.production.capacity import (
    LevellingMove,
    LevellingPreference,
    Overload,
    PlannedOrder,
    check_capacity,
)

CUT = Resource("cut", Calendar.uniform(4, 8.0))
WELD = Resource("weld", Calendar.uniform(4, 8.0, non_working=(2,)))
FRAME = Routing(
    "frame",
    (Operation("cut", setup_hours=1.0, run_hours=0.5), Operation("weld", run_hours=0.25)),
)


def frame_orders() -> list[PlannedOrder]:
    return [
        PlannedOrder("A", "frame", 10, 1, 3, "frame"),
        PlannedOrder("B", "frame", 6, 1, 3, "frame"),
        PlannedOrder("C", "frame", 4, 0, 1, "frame"),
    ]


def test_load_is_back_scheduled_from_the_due_bucket() -> None:
    # Weld (last, 1 bucket) loads due - 1, cut loads due - 2:
    #   A (10, due 3): weld@2 = 2.5 h, cut@1 = 1 + 5 = 6 h
    #   B (6, due 3):  weld@2 = 1.5 h, cut@1 = 1 + 3 = 4 h
    #   C (4, due 1):  weld@0 = 1 h,   cut@-1 -> bucket 0 = 1 + 2 = 3 h, a late start
    check = check_capacity(frame_orders(), [FRAME], [CUT, WELD])
    np.testing.assert_allclose(check.load, [[3, 10, 0, 0], [1, 0, 4, 0]])
    np.testing.assert_allclose(check.capacity, [[8, 8, 8, 8], [8, 8, 0, 8]])
    assert check.late_starts == ("C",)
    util = check.utilisation
    np.testing.assert_allclose(util[0], [3 / 8, 10 / 8, 0, 0])
    assert util[1].tolist()[:2] == [1 / 8, 0.0]
    assert math.isinf(util[1, 2])
    assert check.overloads == (
        Overload("cut", 1, 10.0, 8.0, (("A", 6.0), ("B", 4.0))),
        Overload("weld", 2, 4.0, 0.0, (("A", 2.5), ("B", 1.5))),
    )
    assert check.overloads[0].excess == pytest.approx(2.0)


def test_levelling_pulls_orders_forward_where_all_their_operations_fit() -> None:
    # cut@1 is 2 h over. A (6 h) one bucket earlier would put cut@0 at 3 + 6 = 9 > 8: no.
    # B one bucket earlier: cut@0 = 3 + 4 = 7 <= 8, weld@1 = 1.5 <= 8: yes, B 1 -> 0.
    # weld@2 (closed) still carries A's 2.5 h and A cannot move: it stays overloaded.
    check = check_capacity(frame_orders(), [FRAME], [CUT, WELD])
    assert check.moves == (LevellingMove("B", 1, 0),)
    assert check.moves[0].shift == 1
    np.testing.assert_allclose(check.levelled_load, np.array([[7, 6, 0, 0], [1, 1.5, 2.5, 0]]))


@pytest.mark.parametrize(
    ("preference", "to_start"),
    [(LevellingPreference.EARLIEST, 0), (LevellingPreference.LATEST, 1)],
)
def test_levelling_preference_picks_the_earliest_or_the_latest_free_bucket(
    preference: LevellingPreference, to_start: int
) -> None:
    # One 1-bucket operation, 1 h a unit: X (6) and Y (5) both load bucket 2 (11 h > 8).
    press = Resource("press", Calendar.uniform(4, 8.0))
    routing = Routing("r", (Operation("press", run_hours=1.0),))
    orders = [PlannedOrder("X", "x", 6, 2, 3, "r"), PlannedOrder("Y", "y", 5, 2, 3, "r")]
    check = check_capacity(orders, [routing], [press], preference)
    assert check.moves == (LevellingMove("X", 2, to_start),)
    expected = [0.0, 0.0, 5.0, 0.0]
    expected[to_start] = 6.0
    np.testing.assert_allclose(check.levelled_load, [expected])


def test_lead_times_other_than_one_bucket_shift_the_load() -> None:
    # Cut takes 2 buckets, weld 0: an order due in 3 welds in 3 and cuts in 1.
    routing = Routing(
        "r",
        (Operation("cut", run_hours=1.0, lead_time_buckets=2),
         Operation("weld", run_hours=1.0, lead_time_buckets=0)),
    )  # fmt: skip
    check = check_capacity([PlannedOrder("o", "i", 2, 1, 3, "r")], [routing], [CUT, WELD])
    np.testing.assert_allclose(check.load, [[0, 2, 0, 0], [0, 0, 0, 2]])
    assert (check.overloads, check.moves, check.late_starts) == ((), (), ())


def test_unknown_routing_is_rejected() -> None:
    with pytest.raises(ProductionInputError, match="unknown routing 'nope'"):
        check_capacity([PlannedOrder("o", "i", 1, 0, 1, "nope")], [FRAME], [CUT, WELD])


def test_due_bucket_outside_the_calendar_is_rejected() -> None:
    with pytest.raises(ProductionInputError, match=r"outside the horizon 0\.\.3"):
        check_capacity([PlannedOrder("o", "i", 1, 0, 4, "frame")], [FRAME], [CUT, WELD])


def test_routing_on_an_unknown_resource_is_rejected() -> None:
    with pytest.raises(ProductionInputError, match="unknown resource 'weld'"):
        check_capacity([], [FRAME], [CUT])


def test_order_released_after_its_due_bucket_is_rejected() -> None:
    with pytest.raises(ProductionInputError, match="released after it is due"):
        PlannedOrder("o", "i", 1, 3, 2, "frame")
