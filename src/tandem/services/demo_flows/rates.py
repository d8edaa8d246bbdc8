"""Daily need and consumption at every stocking point, from the demand history (pure).

Demand is observed where it happens: drinks at the smart machines, bags over the café counter,
wholesale bags at the distribution centres. A machine's drinks are made from components that
its café stocks, so the café *consumes* them; a site that stocks a product and all its
components *makes* it; a link passes the buyer's need on to the seller's site.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from tandem.services.demo_flows.model import Key, Link, Recipe, Series


@dataclass(frozen=True)
class Structure:
    """The parts of the network that carry need from one stocking point to another."""

    stocked: frozenset[Key]
    recipes: Mapping[int, Recipe]
    children: Mapping[int, tuple[int, ...]]  # site -> sites it feeds within its member
    links: tuple[Link, ...]
    customer_sites: frozenset[int]

    def makes(self, site_id: int, item_id: int) -> bool:
        recipe = self.recipes.get(item_id, ())
        return bool(recipe) and all((site_id, c) in self.stocked for c, _ in recipe)

    def exploded(self, site_id: int, item_id: int) -> bool:
        """Made elsewhere from components its feeding site stocks (a machine's drinks)."""
        if self.makes(site_id, item_id):
            return False
        return any(
            (parent, c) in self.stocked
            for parent, fed in self.children.items()
            if site_id in fed
            for c, _ in self.recipes.get(item_id, ())
        )


def history_day(day: date, first: date, last: date) -> date:
    """The day of the history ``first`` .. ``last`` standing in for ``day``: itself, else the
    nearest day of the history a whole number of 52-week years (or of weeks, for a history
    shorter than a year) away, so the weekday and, for a long history, the season are kept."""
    span = (last - first).days + 1
    period = 364 if span >= 364 else 7 if span >= 7 else 1
    if day > last:
        return day - timedelta(days=period * math.ceil((day - last).days / period))
    if day < first:
        return day + timedelta(days=period * math.ceil((first - day).days / period))
    return day


def _add(a: Series, b: Iterable[float], factor: float = 1.0) -> Series:
    return tuple(x + y * factor for x, y in zip(a, b, strict=True))


class _Needs:
    def __init__(self, own: Mapping[Key, Series], structure: Structure, days: int) -> None:
        self.own = own
        self.s = structure
        self.zero: Series = (0.0,) * days
        self.memo: dict[Key, Series] = {}
        self.feeds: dict[int, list[Link]] = defaultdict(list)
        for link in structure.links:
            self.feeds[link.from_site_id].append(link)
        self.at_site: dict[int, list[tuple[int, Series]]] = defaultdict(list)
        for (site_id, item_id), series in sorted(own.items()):
            self.at_site[site_id].append((item_id, series))

    def need(self, key: Key) -> Series:
        if key not in self.memo:
            self.memo[key] = self._need(*key)
        return self.memo[key]

    def _need(self, site_id: int, item_id: int) -> Series:
        total = self.own.get((site_id, item_id), self.zero)
        total = _add(total, self.fed_components(site_id, item_id))
        for link in self.feeds[site_id]:
            if item_id in link.item_ids:
                total = _add(total, self.need((link.to_site_id, item_id)))
        for parent, recipe in self.s.recipes.items():
            if (site_id, parent) in self.s.stocked and self.s.makes(site_id, parent):
                for component, per in recipe:
                    if component == item_id:
                        total = _add(total, self.need((site_id, parent)), per)
        return total

    def fed_components(self, site_id: int, item_id: int) -> Series:
        """What the sites ``site_id`` feeds within its member need of ``item_id`` as a
        component of products they do not make themselves."""
        total = self.zero
        if (site_id, item_id) not in self.s.stocked:
            return total
        for child in self.s.children.get(site_id, ()):
            for product, series in self.at_site[child]:
                if not self.s.exploded(child, product):
                    continue
                for component, per in self.s.recipes.get(product, ()):
                    if component == item_id:
                        total = _add(total, series, per)
        return total

    def consumption(self, key: Key) -> Series:
        site_id, item_id = key
        own = self.own.get(key, self.zero)
        if self.s.exploded(site_id, item_id) or site_id in self.s.customer_sites:
            own = self.zero
        return _add(own, self.fed_components(site_id, item_id))


def needs(
    own: Mapping[Key, Series], structure: Structure, days: int
) -> tuple[dict[Key, Series], dict[Key, Series]]:
    """Need and consumption of every stocking point that has any, in key order."""
    builder = _Needs(own, structure, days)
    need: dict[Key, Series] = {}
    consumption: dict[Key, Series] = {}
    for key in sorted(structure.stocked):
        series = builder.need(key)
        if any(series):
            need[key] = series
        used = builder.consumption(key)
        if any(used):
            consumption[key] = used
    return need, consumption
