"""The pure rules of demand signals: reading raw values, recipe explosion, derived message ids
and the feedback summary."""

from __future__ import annotations

import doctest
import math
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.domain import signals
from tandem.domain.errors import BomCycle
from tandem.domain.network import BomLine
from tandem.domain.signals import (
    Feedback,
    FeedbackComment,
    FeedbackSummary,
    RecordRejected,
    derived_message_id,
    explode,
    feedback_violations,
    read_message_id,
    read_quantity,
    read_timestamp,
    recipes_at,
    summarise_feedback,
)

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
LATTE, BEANS, MILK, CUP, SYRUP, SUGAR, VANILLA = 10, 20, 30, 40, 50, 60, 70
CAFE, OTHER = 1, 2


def line(parent: int, component: int, per: float, site: int | None = None) -> BomLine:
    return BomLine(0, 1, parent, component, per, site)


LATTE_RECIPE = [line(LATTE, BEANS, 0.015625), line(LATTE, MILK, 0.25), line(LATTE, CUP, 1.0)]


def test_the_module_examples_hold() -> None:
    outcome = doctest.testmod(signals)
    assert (outcome.failed, outcome.attempted) == (0, 3)


def test_explosion_counts_the_drink_and_each_component() -> None:
    assert explode(LATTE, 4.0, LATTE_RECIPE) == [
        (LATTE, 4.0),
        (BEANS, 0.0625),
        (MILK, 1.0),
        (CUP, 4.0),
    ]


def test_an_item_without_a_recipe_is_only_itself() -> None:
    assert explode(CUP, 3.0, LATTE_RECIPE) == [(CUP, 3.0)]


def test_a_site_recipe_replaces_the_every_site_recipe_there_only() -> None:
    lines = [*LATTE_RECIPE, line(LATTE, BEANS, 0.03125, CAFE), line(LATTE, MILK, 0.5, OTHER)]

    assert explode(LATTE, 2.0, lines, site_id=CAFE) == [(LATTE, 2.0), (BEANS, 0.0625)]
    assert explode(LATTE, 2.0, lines, site_id=OTHER) == [(LATTE, 2.0), (MILK, 1.0)]
    assert explode(LATTE, 2.0, lines, site_id=3) == explode(LATTE, 2.0, LATTE_RECIPE)
    assert explode(LATTE, 2.0, lines) == explode(LATTE, 2.0, LATTE_RECIPE)
    assert recipes_at(CAFE, lines) == {LATTE: ((BEANS, 0.03125),)}


def test_nested_recipes_recurse_and_paths_to_one_item_add_up() -> None:
    lines = [
        line(LATTE, SYRUP, 0.5),
        line(LATTE, SUGAR, 0.25),
        line(SYRUP, SUGAR, 0.5),
        line(SYRUP, VANILLA, 0.125),
    ]

    assert explode(LATTE, 2.0, lines) == [
        (LATTE, 2.0),
        (SYRUP, 1.0),
        (SUGAR, 0.5 + 0.5),
        (VANILLA, 0.125),
    ]


def test_a_cyclic_bill_is_refused_instead_of_looping() -> None:
    with pytest.raises(BomCycle, match="10 > 50 > 10"):
        explode(LATTE, 1.0, [line(LATTE, SYRUP, 1.0), line(SYRUP, LATTE, 1.0)])


@given(
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    st.lists(st.tuples(st.integers(1, 5), st.floats(min_value=0.001, max_value=10)), max_size=6),
)
def test_explosion_is_linear_in_the_quantity(
    quantity: float, parts: list[tuple[int, float]]
) -> None:
    lines = [line(LATTE, 100 + component, per) for component, per in dict(parts).items()]
    unit = dict(explode(LATTE, 1.0, lines))

    scaled = dict(explode(LATTE, quantity, lines))

    assert scaled.keys() == unit.keys()
    for item, amount in scaled.items():
        assert amount == pytest.approx(quantity * unit[item], rel=1e-12, abs=0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3, 3.0), (2.5, 2.5), ("4", 4.0), (" 1.25 ", 1.25), (0, 0.0), ("1e3", 1000.0)],
)
def test_quantities_are_numbers_or_their_text(value: object, expected: float) -> None:
    assert read_quantity(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "is required and must be a number"),
        ("", "is required and must be a number"),
        ("abc", "is not a number: 'abc'"),
        (True, "must be a number, not true or false"),
        ([1], "must be a number"),
        (-0.5, "must not be negative (got -0.5)"),
        (math.inf, "must be a finite number"),
        ("nan", "must be a finite number"),
    ],
)
def test_bad_quantities_are_named(value: object, reason: str) -> None:
    with pytest.raises(RecordRejected) as caught:
        read_quantity(value)
    assert (caught.value.field, caught.value.reason) == ("quantity", reason)


@pytest.mark.parametrize(
    "text",
    ["2026-11-21T08:00:00Z", "2026-11-21T09:00:00+01:00", "20261121T080000Z", "2026-11-21 08:00Z"],
)
def test_timestamps_need_an_offset_and_keep_their_instant(text: str) -> None:
    assert read_timestamp(text, NOW) == datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2026-11-21T08:00:00", "needs a UTC offset (e.g. 'Z' or '+01:00')"),
        ("2026-11-21", "needs a UTC offset (e.g. 'Z' or '+01:00')"),
        ("21/11/2026 08:00", "is not an ISO 8601 timestamp: '21/11/2026 08:00'"),
        (1763712000, "is required: an ISO 8601 timestamp with a UTC offset"),
        ("", "is required: an ISO 8601 timestamp with a UTC offset"),
        ("2026-11-21T09:05:01Z", "lies in the future (2026-11-21T09:05:01+00:00)"),
    ],
)
def test_bad_timestamps_are_named(value: object, reason: str) -> None:
    with pytest.raises(RecordRejected) as caught:
        read_timestamp(value, NOW, "at")
    assert (caught.value.field, caught.value.reason) == ("at", reason)


def test_a_timestamp_within_the_clock_skew_tolerance_is_accepted() -> None:
    assert read_timestamp("2026-11-21T09:05:00Z", NOW) == NOW + timedelta(minutes=5)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "must be a non-empty string"),
        (1.5, "must be a non-empty string"),
        ("x" * 129, "must be at most 128 characters"),
        ("a\nb", "must not contain control characters"),
        ("sha256:abc", "must not start with 'sha256:'"),
    ],
)
def test_bad_message_ids_are_named(value: object, reason: str) -> None:
    with pytest.raises(RecordRejected) as caught:
        read_message_id(value)
    assert caught.value.reason == reason


def test_message_ids_are_text_or_whole_numbers() -> None:
    assert [read_message_id(v) for v in (None, " m-1 ", 42)] == [None, "m-1", "42"]


def test_a_derived_message_id_depends_on_the_content_not_on_the_offset() -> None:
    at = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    same = derived_message_id(1, 2, 3.0, at.astimezone(timezone(timedelta(hours=-5))))

    assert derived_message_id(1, 2, 3.0, at) == same
    assert same.startswith("sha256:") and len(same) == 71
    assert derived_message_id(1, 2, 3.5, at) != same
    assert derived_message_id(1, 3, 3.0, at) != same
    assert derived_message_id(1, 2, 3.0, at + timedelta(seconds=1)) != same


def test_feedback_rating_and_comment_rules() -> None:
    assert feedback_violations(5, "x" * 1000) == []
    assert [v.message for v in feedback_violations(0, "a\x00")] == [
        "must lie in [1, 5] (got 0)",
        "must not contain NUL characters",
    ]
    assert [v.message for v in feedback_violations(True, "")] == [
        "must be a whole number from 1 to 5"
    ]


def test_the_summary_groups_by_site_and_item() -> None:
    at = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)

    def given_(n: int, site: int, item: int | None, rating: int, comment: str) -> Feedback:
        return Feedback(n, 1, 1, site, None, item, rating, comment, at + timedelta(minutes=n))

    rows = [
        given_(1, CAFE, LATTE, 5, "a"),
        given_(2, CAFE, LATTE, 1, ""),
        given_(3, CAFE, None, 3, "b"),
        given_(4, OTHER, LATTE, 2, "c"),
        given_(5, CAFE, LATTE, 3, "d"),
    ]

    assert summarise_feedback(rows, latest=1) == [
        FeedbackSummary(
            CAFE,
            None,
            1,
            3.0,
            (0, 0, 1, 0, 0),
            (FeedbackComment(3, "b", rows[2].submitted_at, None),),
        ),
        FeedbackSummary(
            CAFE,
            LATTE,
            3,
            3.0,
            (1, 0, 1, 0, 1),
            (FeedbackComment(3, "d", rows[4].submitted_at, None),),
        ),
        FeedbackSummary(
            OTHER,
            LATTE,
            1,
            2.0,
            (0, 1, 0, 0, 0),
            (FeedbackComment(2, "c", rows[3].submitted_at, None),),
        ),
    ]
    assert summarise_feedback([]) == []


def test_records_compare_by_what_they_report() -> None:
    base = signals.SignalRecord(
        1, 1, 1, signals.SignalSource.HTTP, "user:1", "m", 1, 2, 3.0, NOW, date(2026, 11, 21), NOW
    )
    later = signals.SignalRecord(
        9,
        1,
        1,
        signals.SignalSource.MQTT,
        "user:1",
        "m",
        1,
        2,
        3.0,
        NOW,
        date(2026, 11, 21),
        NOW + timedelta(hours=1),
    )

    assert base.same_content(later)
    assert not base.same_content(signals.SignalRecord(**{**later.__dict__, "quantity": 4.0}))
