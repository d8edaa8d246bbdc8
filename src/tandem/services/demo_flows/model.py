"""What the generator knows of the network: its parties (each acting as its planner), sites,
items, stocking points, bills of materials, the supply links between members and the daily
need at every stocking point. Built once, read-only, by :mod:`.loading`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_UP, Decimal

from tandem.domain.identity import Principal
from tandem.domain.network import Item, MemberRole, PlanningParameters, Site

SAFETY_DAYS = 7

Key = tuple[int, int]  # (site id, item id)
Series = tuple[float, ...]
Recipe = tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class Party:
    """A member, acting through its planner."""

    member_id: int
    code: str
    name: str
    roles: frozenset[MemberRole]
    principal: Principal


@dataclass(frozen=True)
class Link:
    """A buyer's site replenished from a seller's site: a lane between two members' sites, or two
    lanes through a carrier's hub (``hub`` names it)."""

    seller: str
    buyer: str
    from_site_id: int
    to_site_id: int
    item_ids: tuple[int, ...]
    lead_days: int
    interval_weeks: int
    first_review: date
    carrier: str
    hub: str = ""

    def reviews_on(self, day: date) -> bool:
        gap = (day - self.first_review).days
        return gap >= 0 and gap % (7 * self.interval_weeks) == 0


@dataclass(frozen=True)
class Need:
    """A daily series per stocking point from ``origin`` on: the need (own demand plus what the
    sites it supplies need, exploded through the bills of materials where it makes or feeds a
    product), what it consumes, or its customers' demand."""

    origin: date
    series: dict[Key, Series]

    def _index(self, day: date) -> int:
        return (day - self.origin).days

    def total(self, key: Key, first: date, last: date) -> float:
        """The series of ``key`` summed over the days ``first`` .. ``last`` - 1."""
        found = self.series.get(key)
        if found is None:
            return 0.0
        return sum(found[max(0, self._index(first)) : max(0, self._index(last))])

    def rate(self, key: Key, day: date, window: int = 28) -> float:
        """Average daily need over the ``window`` days before ``day``."""
        return self.total(key, day - timedelta(days=window), day) / window

    def forecast(self, key: Key, day: date, days: float) -> float:
        """Need over the next ``days`` days as the planner sees it: the recent average or what
        is coming, whichever is more (the demo's planners forecast well)."""
        coming = self.total(key, day, day + timedelta(days=math.ceil(days)))
        return max(self.rate(key, day) * days, coming)


@dataclass(frozen=True)
class World:
    """The network as the generator sees it; ``made`` are the stocking points that make their
    item, ``physical`` those that hold stock (not a machine's drinks), ``customer_sites`` the
    distribution centres whose own demand comes from B2B customers."""

    network_id: int
    currency: str
    parties: dict[str, Party]
    sites: dict[int, Site]
    items: dict[int, Item]
    member_codes: dict[int, str]
    params: dict[Key, PlanningParameters]
    recipes: dict[int, Recipe]
    made: frozenset[Key]
    physical: frozenset[Key]
    links: tuple[Link, ...]
    need: Need
    consumption: Need
    wholesale: Need
    customer_sites: tuple[int, ...]

    def owner(self, site_id: int) -> Party:
        return self.parties[self.member_codes[self.sites[site_id].member_id]]

    def lot_size(self, key: Key) -> float:
        """The order multiples of the buyers a site supplies an item to added up: what their
        orders can take at once beyond the need."""
        site_id, item_id = key
        return sum(
            self.multiple((x.to_site_id, item_id))
            for x in self.links
            if x.from_site_id == site_id and item_id in x.item_ids
        )

    def cover_days(self, key: Key) -> float:
        """Days of need an order brings a supplied stocking point up to: the review interval and
        the lead time of the link that supplies it, a few safety days, and the longest interval
        between the orders of its own buyers (each takes that much at once)."""
        site_id, item_id = key
        inbound = [
            7.0 * x.interval_weeks + x.lead_days
            for x in self.links
            if x.to_site_id == site_id and item_id in x.item_ids
        ]
        return max(inbound) + SAFETY_DAYS + self.buyer_cycle(key) if inbound else 0.0

    def buyer_cycle(self, key: Key) -> float:
        """Days between the orders of the site's buyers of ``key`` (the longest)."""
        site_id, item_id = key
        return max(
            (
                7.0 * x.interval_weeks
                for x in self.links
                if x.from_site_id == site_id and item_id in x.item_ids
            ),
            default=0.0,
        )

    def multiple(self, key: Key) -> float:
        params = self.params.get(key)
        found = params.order_multiple if params is not None else None
        return found if found and found > 0 else 1.0


def round_up(quantity: float, multiple: float) -> Decimal:
    """``quantity`` rounded up to a whole number of ``multiple`` (at least one)."""
    count = max(1, math.ceil(quantity / multiple - 1e-9))
    return Decimal(str(round(count * multiple, 3))).quantize(Decimal("0.001"))


def whole(quantity: float, up: bool = False) -> Decimal:
    """``quantity`` as a whole number of units, rounded down (or up)."""
    rounding = ROUND_UP if up else ROUND_DOWN
    return Decimal(str(round(quantity, 6))).quantize(Decimal(1), rounding=rounding)


def exact(quantity: float) -> Decimal:
    """``quantity`` rounded to the thousandth, as every stored quantity is."""
    return Decimal(str(round(quantity, 3))).quantize(Decimal("0.001"))
