"""Telemetry of the demo café machines: every cup a smart machine brews, as a device message.

Pure generation, no clock and no I/O: :class:`TelemetrySimulator` draws the cups brewed in a
time window from the demo demand profile (:mod:`tandem.services.demo_catalogue`). The expected
cups of a drink at a machine in an hour are

    level x café size x trend x weekday factor x yearly factor x share of the day in that hour

with the level, trend and yearly peak of ``DRINK_DEMAND``, the café's size and weekly pattern of
``CAFES`` and ``WEEKLY`` (the same factors the demo history is synthesised from, the trend
counted from ``DEMO_START``), and a daily curve per kind of café (:data:`HOURLY`, local time in
Germany). Cups arrive as a Poisson process with that rate times ``speed``; each cup is one
message with a random (seeded) UUID as its message id. The live demo runs the machines
``speed`` times busier than real ones, the day's cups spread evenly over its hours, so that a
few messages a second arrive whenever it is started.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from tandem.planning.demand_synthesis import DAYS_PER_YEAR, yearly_terms
from tandem.services import demo_catalogue as cat
from tandem.services.demo_network import DEMO_SEED, DEMO_START

__all__ = [
    "HOURLY",
    "LOCAL_TIME",
    "CupBrewed",
    "DemoMachine",
    "TelemetrySimulator",
    "cups_per_hour",
    "demo_machines",
    "expected_cups_per_day",
]

LOCAL_TIME = ZoneInfo("Europe/Berlin")
HOUR = timedelta(hours=1)

# Relative cups per local hour 0 … 23 by kind of café (normalised to shares of the day):
# high streets open 8-20 with a lunch and an afternoon peak, offices a sharp morning peak,
# stations a morning and an evening commute and the night, neighbourhoods a late breakfast.
HOURLY: dict[str, tuple[float, ...]] = {
    "high_street": (0, 0, 0, 0, 0, 0, 0, 0, 5, 8, 8, 9, 10, 9, 8, 9, 9, 8, 6, 4, 0, 0, 0, 0),
    "office": (0, 0, 0, 0, 0, 0, 0, 6, 14, 12, 9, 8, 10, 9, 7, 8, 6, 4, 1, 0, 0, 0, 0, 0),
    "station": (1, 0, 0, 0, 1, 3, 8, 12, 11, 8, 6, 6, 7, 6, 6, 7, 9, 10, 8, 5, 4, 3, 2, 1),
    "neighbourhood": (0, 0, 0, 0, 0, 0, 0, 3, 7, 10, 11, 10, 8, 7, 7, 8, 7, 5, 3, 0, 0, 0, 0, 0),
}


@dataclass(frozen=True)
class DemoMachine:
    """A smart machine of the demo network: its site (and device) code and its menu."""

    device_code: str
    cafe_code: str
    pattern: str
    size: float
    menu: tuple[str, ...]


@dataclass(frozen=True)
class CupBrewed:
    """One device message: ``quantity`` cups of ``recipe`` brewed ``at`` (local time)."""

    device_code: str
    message_id: str
    recipe: str
    quantity: int
    at: datetime

    def payload(self) -> dict[str, Any]:
        """The JSON body a machine sends (its key is added by the transport)."""
        return {
            "message_id": self.message_id,
            "recipe": self.recipe,
            "quantity": self.quantity,
            "at": self.at.isoformat(timespec="milliseconds"),
        }


def demo_machines() -> tuple[DemoMachine, ...]:
    """The demo's machines: one or two per café, each with the core menu and one more drink,
    the extra drinks rotating through the rest of the menu (as in the demo network)."""
    extras = [sku for sku, *_ in cat.DRINKS if sku not in cat.CORE_MENU]
    machines: list[DemoMachine] = []
    for code, *_, size, pattern, count in cat.CAFES:
        for number in range(1, count + 1):
            extra = extras[len(machines) % len(extras)]
            menu = (*cat.CORE_MENU, extra)
            machines.append(DemoMachine(f"{code}-M{number}", code, pattern, size, menu))
    return tuple(machines)


def expected_cups_per_day(machine: DemoMachine, recipe: str, day: date) -> float:
    """Mean cups of ``recipe`` at ``machine`` on ``day``, as in the demo demand history."""
    level, growth, amplitude, peak, _ = cat.DRINK_DEMAND[recipe]
    years = (day - DEMO_START).days / DAYS_PER_YEAR
    trend = (1 + growth) ** years if growth >= 0 else max(0.0, 1 + growth * years)
    weekly = cat.WEEKLY[machine.pattern]
    weekday = weekly[day.weekday()] * len(weekly) / sum(weekly)
    angle = 2 * math.pi * (day - date(day.year, 1, 1)).days / DAYS_PER_YEAR
    ((a, b),) = yearly_terms(peak, amplitude)
    season = max(0.0, 1 + a * math.cos(angle) + b * math.sin(angle))
    return level * machine.size * trend * weekday * season


def cups_per_hour(
    machine: DemoMachine, recipe: str, at: datetime, *, daily_curve: bool = True
) -> float:
    """Mean cups an hour of ``recipe`` at ``machine`` in the local hour holding ``at``: along
    the café's daily curve, or with ``daily_curve`` off, the day's cups spread evenly."""
    local = at.astimezone(LOCAL_TIME)
    daily = expected_cups_per_day(machine, recipe, local.date())
    if not daily_curve:
        return daily / 24
    curve = HOURLY[machine.pattern]
    return daily * curve[local.hour] / sum(curve)


class TelemetrySimulator:
    """Draws the cups the machines brew, window after window, from one seeded generator.

    Parameters
    ----------
    machines : sequence of DemoMachine, optional
        The machines; by default :func:`demo_machines`.
    seed : int
        Seed of the ``numpy.random.Generator``: the same seed and the same windows give the
        same messages.
    speed : float
        Multiplier of every rate (1 is the demand of the demo history).
    daily_curve : bool
        Brew along the cafés' daily curves (:data:`HOURLY`); off, spread each day's cups
        evenly over its 24 hours (the live demo, so that cups arrive at any hour).

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> simulator = TelemetrySimulator(seed=7)
    >>> cups = simulator.between(datetime(2026, 11, 24, 8, tzinfo=UTC),
    ...                          datetime(2026, 11, 24, 9, tzinfo=UTC))
    >>> sorted({cup.quantity for cup in cups}), cups == sorted(cups, key=lambda c: c.at)
    ([1], True)
    """

    def __init__(
        self,
        machines: Sequence[DemoMachine] | None = None,
        *,
        seed: int = DEMO_SEED,
        speed: float = 1.0,
        daily_curve: bool = True,
    ) -> None:
        if not speed > 0:
            raise ValueError("speed must be positive")
        self.machines = tuple(machines) if machines is not None else demo_machines()
        self.speed = speed
        self.daily_curve = daily_curve
        self._pairs = [(m, recipe) for m in self.machines for recipe in m.menu]
        self._rng = np.random.default_rng(seed)

    def between(self, start: datetime, end: datetime) -> list[CupBrewed]:
        """The cups brewed in ``[start, end)`` (timezone-aware), in time order."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("start and end must carry a timezone")
        cups: list[CupBrewed] = []
        piece = start.astimezone(UTC)
        end = end.astimezone(UTC)
        while piece < end:  # the rate is constant within a clock hour
            until = min(end, piece.replace(minute=0, second=0, microsecond=0) + HOUR)
            cups += self._draw(piece, until)
            piece = until
        return cups

    def messages_per_second(self, at: datetime) -> float:
        """Expected messages a second at ``at`` across all machines, at this ``speed``."""
        hourly = sum(self._rate(machine, recipe, at) for machine, recipe in self._pairs)
        return hourly * self.speed / 3600

    def _draw(self, start: datetime, end: datetime) -> list[CupBrewed]:
        hours = (end - start).total_seconds() / 3600
        rates = np.array([self._rate(m, recipe, start) for m, recipe in self._pairs])
        counts = self._rng.poisson(rates * self.speed * hours)
        total = int(counts.sum())
        offsets = np.sort(self._rng.random(total)) * (end - start).total_seconds()
        owners = self._rng.permutation(np.repeat(np.arange(len(self._pairs)), counts))
        ids = self._rng.bytes(16 * total)
        cups = []
        for index, (offset, owner) in enumerate(
            zip(offsets.tolist(), owners.tolist(), strict=True)
        ):
            machine, recipe = self._pairs[owner]
            message_id = uuid.UUID(bytes=ids[16 * index : 16 * index + 16], version=4)
            at = (start + timedelta(seconds=offset)).astimezone(LOCAL_TIME)
            cups.append(CupBrewed(machine.device_code, str(message_id), recipe, 1, at))
        return cups

    def _rate(self, machine: DemoMachine, recipe: str, at: datetime) -> float:
        return cups_per_hour(machine, recipe, at, daily_curve=self.daily_curve)
