"""The demo telemetry simulator: the demo's machines, seeded cups, a plausible day."""

from __future__ import annotations

import doctest
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from tandem.domain.network import SiteKind
from tandem.services import telemetry_simulator
from tandem.services.demo_network import build_demo_snapshot
from tandem.services.telemetry_simulator import (
    HOURLY,
    LOCAL_TIME,
    DemoMachine,
    TelemetrySimulator,
    cups_per_hour,
    demo_machines,
    expected_cups_per_day,
)

TUESDAY = datetime(2026, 11, 24, tzinfo=LOCAL_TIME)
OFFICE = DemoMachine("CAFE-08-M1", "CAFE-08", "office", 1.1, ("DRK-ESPRESSO", "DRK-LATTE-L"))


def test_simulated_machines_are_the_demo_networks_machines_with_their_menus() -> None:
    snapshot = build_demo_snapshot(days=1)
    devices = {site.code for site in snapshot.sites if site.kind is SiteKind.DEVICE}
    menus = {(row.site, row.item) for row in snapshot.item_sites if row.site in devices}

    machines = demo_machines()

    assert {m.device_code for m in machines} == devices
    assert {(m.device_code, drink) for m in machines for drink in m.menu} == menus
    assert len(machines) == 17


def test_the_same_seed_gives_the_same_messages_and_another_seed_others() -> None:
    window = (TUESDAY + timedelta(hours=8), TUESDAY + timedelta(hours=10))

    first = TelemetrySimulator(seed=11).between(*window)
    again = TelemetrySimulator(seed=11).between(*window)
    other = TelemetrySimulator(seed=12).between(*window)

    assert first == again
    assert first != other
    assert len(first) == 491
    assert first[0].payload() == {
        "message_id": "65777020-561a-42cc-9408-4b89eaa280ee",
        "recipe": "DRK-AMERICANO-M",
        "quantity": 1,
        "at": "2026-11-24T08:00:07.768+01:00",
    }


def test_a_simulated_day_brews_the_demo_demand_along_the_daily_curve() -> None:
    simulator = TelemetrySimulator(seed=3)
    expected = sum(
        expected_cups_per_day(m, drink, TUESDAY.date())
        for m in simulator.machines
        for drink in m.menu
    )

    cups = simulator.between(TUESDAY, TUESDAY + timedelta(days=1))
    by_hour = Counter(cup.at.hour for cup in cups)

    assert round(expected, 1) == 2865.2
    assert len(cups) == 2824  # within one standard deviation (~54) of the expectation
    assert {cup.quantity for cup in cups} == {1}
    assert len({cup.message_id for cup in cups}) == len(cups)
    assert [c.at for c in cups] == sorted(c.at for c in cups)
    assert all(TUESDAY <= c.at < TUESDAY + timedelta(days=1) for c in cups)
    assert sum(by_hour[h] for h in range(1, 4)) == 0  # only stations open at night, and quietly
    assert max(by_hour, key=by_hour.__getitem__) in range(8, 14)
    assert sum(by_hour[h] for h in range(8, 18)) > 0.8 * len(cups)


def test_office_machines_brew_most_in_the_morning_and_nothing_at_night() -> None:
    morning = cups_per_hour(OFFICE, "DRK-LATTE-L", TUESDAY.replace(hour=8, minute=30))
    afternoon = cups_per_hour(OFFICE, "DRK-LATTE-L", TUESDAY.replace(hour=16))
    night = cups_per_hour(OFFICE, "DRK-LATTE-L", TUESDAY.replace(hour=3))
    daily = expected_cups_per_day(OFFICE, "DRK-LATTE-L", TUESDAY.date())

    assert night == 0.0
    assert morning == pytest.approx(daily * 14 / sum(HOURLY["office"]))
    assert afternoon == pytest.approx(daily * 6 / sum(HOURLY["office"]))


def test_office_machines_brew_less_on_sundays_and_lattes_peak_in_december() -> None:
    sunday, tuesday = date(2026, 11, 29), date(2026, 11, 24)
    june, december = date(2026, 6, 16), date(2026, 12, 16)

    assert expected_cups_per_day(OFFICE, "DRK-LATTE-L", sunday) == pytest.approx(
        expected_cups_per_day(OFFICE, "DRK-LATTE-L", tuesday) * 0.60 / 1.20, rel=1e-2
    )
    assert expected_cups_per_day(OFFICE, "DRK-LATTE-L", december) > expected_cups_per_day(
        OFFICE, "DRK-LATTE-L", june
    )


def test_hours_across_a_window_are_drawn_piece_by_piece_in_utc() -> None:
    start = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    cups = TelemetrySimulator(seed=5, speed=10).between(start, start + timedelta(hours=2))

    assert all(start <= cup.at < start + timedelta(hours=2) for cup in cups)
    assert {cup.at.utcoffset() for cup in cups} == {timedelta(hours=1)}


def test_windows_need_a_timezone_and_speed_must_be_positive() -> None:
    with pytest.raises(ValueError, match="timezone"):
        TelemetrySimulator().between(datetime(2026, 11, 24), datetime(2026, 11, 25))
    with pytest.raises(ValueError, match="speed"):
        TelemetrySimulator(speed=0)


def test_the_live_demo_spreads_each_days_cups_evenly_over_its_hours() -> None:
    daily = expected_cups_per_day(OFFICE, "DRK-LATTE-L", TUESDAY.date())
    night = TUESDAY.replace(hour=3)
    flat = TelemetrySimulator([OFFICE], speed=60, daily_curve=False)

    assert cups_per_hour(OFFICE, "DRK-LATTE-L", night, daily_curve=False) == daily / 24
    assert flat.messages_per_second(night) == pytest.approx(
        sum(expected_cups_per_day(OFFICE, d, TUESDAY.date()) for d in OFFICE.menu) * 60 / 86400
    )
    assert len(flat.between(night, night + timedelta(minutes=10))) == 45  # expected 44.3


def test_the_docstring_examples_hold() -> None:
    outcome = doctest.testmod(telemetry_simulator)

    assert (outcome.attempted, outcome.failed) == (4, 0)
