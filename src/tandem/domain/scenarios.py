"""What-if scenarios of the digital twin: the base network plus a short list of changes.

A scenario is stored compactly as its *deltas* (JSON objects with a ``type``), never as a copy
of the network. The format is a superset of the MRP what-if deltas of
:mod:`tandem.domain.planning_runs`: ``demand_scale``, ``lead_time`` and ``safety_stock`` have the
same field names there and here. Codes name things as users see them: ``item`` an item SKU,
``site`` a site code, ``supplier`` a member code, ``lane`` ``"FROM>TO"`` site codes. Days are
simulated days counted from 0; a window ``from_day .. to_day`` includes both ends.

==============  ===========================================  ================================
type            fields (``?`` optional)                      effect
==============  ===========================================  ================================
demand_scale    factor, item?, site?, from_day?, to_day?      end-customer demand × factor
lead_time       add_days, supplier?, item?, lane?             lane lead times + add_days
capacity        lane | site, factor | per_day                 units a day on the lane / into
                                                              the site's stocking points
node_down       site, from_day, to_day                        the site neither ships nor
                                                              receives in the window
lane_down       lane, from_day, to_day                        the lane carries nothing
policy          item?, site?, order_up_to | safety_stock |    base-stock level set, or its
                factor                                        safety stock set, or scaled
sharing         on                                            information sharing on or off
safety_stock    quantity | factor, item?, site?               as in MRP what-ifs
==============  ===========================================  ================================
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tandem.domain.errors import ValidationFailed, Violation

__all__ = [
    "DELTA_FIELDS",
    "MAX_DAY",
    "CapacityChange",
    "DemandScale",
    "LaneDown",
    "LeadTimeShift",
    "NodeDown",
    "PolicyChange",
    "SafetyStockChange",
    "Scenario",
    "ScenarioDelta",
    "SharingSwitch",
    "lane_code",
    "parse_deltas",
]

MAX_DAY = 3650


@dataclass(frozen=True)
class DemandScale:
    """Multiply end-customer demand at matching stocking points (in a window, if given)."""

    factor: float
    item: str | None = None
    site: str | None = None
    from_day: int | None = None
    to_day: int | None = None


@dataclass(frozen=True)
class LeadTimeShift:
    """Add days to the lead time of matching lanes (shipped by ``supplier``, for ``item``)."""

    add_days: int
    supplier: str | None = None
    item: str | None = None
    lane: str | None = None


@dataclass(frozen=True)
class CapacityChange:
    """Set (``per_day``) or scale (``factor``) the capacity of a lane or of a site's intake."""

    lane: str | None = None
    site: str | None = None
    factor: float | None = None
    per_day: float | None = None


@dataclass(frozen=True)
class NodeDown:
    """The site ships nothing and receives nothing from ``from_day`` to ``to_day``."""

    site: str
    from_day: int
    to_day: int


@dataclass(frozen=True)
class LaneDown:
    """The lane carries nothing from ``from_day`` to ``to_day``."""

    lane: str
    from_day: int
    to_day: int


@dataclass(frozen=True)
class PolicyChange:
    """Replace the replenishment policy of matching stocking points."""

    item: str | None = None
    site: str | None = None
    order_up_to: float | None = None
    safety_stock: float | None = None
    factor: float | None = None


@dataclass(frozen=True)
class SharingSwitch:
    """Information sharing on (end-customer demand and echelon positions) or off."""

    on: bool


@dataclass(frozen=True)
class SafetyStockChange:
    """Set (``quantity``) or scale (``factor``) the safety stock of matching stocking points."""

    quantity: float | None = None
    factor: float | None = None
    item: str | None = None
    site: str | None = None


ScenarioDelta = (
    DemandScale
    | LeadTimeShift
    | CapacityChange
    | NodeDown
    | LaneDown
    | PolicyChange
    | SharingSwitch
    | SafetyStockChange
)


@dataclass(frozen=True)
class Scenario:
    """A named what-if of one member on one network: the deltas as given (JSON objects)."""

    id: int
    network_id: int
    owner_member_id: int
    name: str
    deltas: list[dict[str, Any]]
    created_at: datetime
    created_by_user_id: int | None = None


def lane_code(from_site: str, to_site: str) -> str:
    """The code of a lane in deltas: ``"FROM>TO"``."""
    return f"{from_site}>{to_site}"


_CODES = ("item", "site", "supplier", "lane")
DELTA_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {  # required, optional
    "demand_scale": (frozenset({"factor"}), frozenset({"item", "site", "from_day", "to_day"})),
    "lead_time": (frozenset({"add_days"}), frozenset({"supplier", "item", "lane"})),
    "capacity": (frozenset(), frozenset({"lane", "site", "factor", "per_day"})),
    "node_down": (frozenset({"site", "from_day", "to_day"}), frozenset()),
    "lane_down": (frozenset({"lane", "from_day", "to_day"}), frozenset()),
    "policy": (frozenset(), frozenset({"item", "site", "order_up_to", "safety_stock", "factor"})),
    "sharing": (frozenset({"on"}), frozenset()),
    "safety_stock": (frozenset(), frozenset({"quantity", "factor", "item", "site"})),
}


def parse_deltas(
    raw: object,
    location: str = "deltas",
    fields: Mapping[str, tuple[frozenset[str], frozenset[str]]] = DELTA_FIELDS,
) -> tuple[ScenarioDelta, ...]:
    """Validate deltas given as JSON (a list of objects with a ``type``); raises
    :class:`ValidationFailed` naming every offending delta (``deltas[i]``) and field.

    ``fields`` narrows the types and fields accepted (required, optional per type), e.g. the
    MRP what-if subset :data:`tandem.domain.planning_runs.MRP_DELTA_FIELDS`."""
    if not isinstance(raw, list):
        raise ValidationFailed(
            "a scenario's deltas are a list",
            violations=[Violation(location, "must be a list of objects")],
        )
    found: list[Violation] = []
    deltas: list[ScenarioDelta] = []
    for index, entry in enumerate(raw):
        at = f"{location}[{index}]"
        problems = _shape_violations(entry, at, fields)
        if not problems:
            assert isinstance(entry, dict)
            problems, delta = _delta(entry, at)
            if delta is not None:
                deltas.append(delta)
        found += problems
    if found:
        raise ValidationFailed(
            "invalid scenario: " + "; ".join(str(v) for v in found), violations=found
        )
    return tuple(deltas)


def _shape_violations(
    entry: object, at: str, fields: Mapping[str, tuple[frozenset[str], frozenset[str]]]
) -> list[Violation]:
    if not isinstance(entry, dict):
        return [Violation(at, "must be an object with a 'type'")]
    kind = entry.get("type")
    if not isinstance(kind, str) or kind not in fields:
        allowed = ", ".join(sorted(fields))
        return [Violation(at, f"unknown type {kind!r} (one of {allowed})", "type")]
    required, optional = fields[kind]
    found = [Violation(at, "is required", name) for name in sorted(required - set(entry))]
    extra = set(entry) - required - optional - {"type"}
    found += [Violation(at, "unknown field", name) for name in sorted(extra)]
    for name in _CODES:
        value = entry.get(name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            found.append(Violation(at, "must be a non-empty code", name))
    lane = entry.get("lane")
    if isinstance(lane, str) and lane.strip() and len(lane.split(">")) != 2:
        found.append(Violation(at, "must be 'FROM>TO' site codes", "lane"))
    return found


def _number(entry: dict[str, Any], name: str) -> float | None:
    value = entry.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _day(entry: dict[str, Any], name: str) -> int | None:
    value = entry.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DAY:
        return None
    return value


def _window(
    entry: dict[str, Any], at: str, required: bool
) -> tuple[list[Violation], int | None, int | None]:
    if not required and "from_day" not in entry and "to_day" not in entry:
        return [], None, None
    start, end = _day(entry, "from_day"), _day(entry, "to_day")
    found = [
        Violation(at, f"must be a whole day in [0, {MAX_DAY}]", name)
        for name, value in (("from_day", start), ("to_day", end))
        if value is None
    ]
    if start is not None and end is not None and end < start:
        found.append(Violation(at, "must not be before from_day", "to_day"))
    return found, start, end


def _one_of(
    entry: dict[str, Any], at: str, names: tuple[str, ...]
) -> tuple[list[Violation], str, float]:
    """Exactly one of ``names``, a number >= 0."""
    given = [name for name in names if name in entry]
    if len(given) != 1:
        return [Violation(at, f"give exactly one of {', '.join(names)}", names[0])], "", 0.0
    value = _number(entry, given[0])
    if value is None or value < 0:
        return [Violation(at, "must be a number >= 0", given[0])], "", 0.0
    return [], given[0], value


def _delta(entry: dict[str, Any], at: str) -> tuple[list[Violation], ScenarioDelta | None]:
    kind = entry["type"]
    parser = _PARSERS[kind]
    return parser(entry, at)


def _demand_scale(e: dict[str, Any], at: str) -> tuple[list[Violation], ScenarioDelta | None]:
    factor = _number(e, "factor")
    found = (
        []
        if factor is not None and factor >= 0
        else [Violation(at, "must be a number >= 0", "factor")]
    )
    window, start, end = _window(e, at, required=False)
    if found or window:
        return found + window, None
    assert factor is not None
    return [], DemandScale(factor, e.get("item"), e.get("site"), start, end)


def _lead_time(e: dict[str, Any], at: str) -> tuple[list[Violation], ScenarioDelta | None]:
    days = e.get("add_days")
    if isinstance(days, bool) or not isinstance(days, int) or abs(days) > MAX_DAY:
        return [Violation(at, "must be a whole number of days", "add_days")], None
    return [], LeadTimeShift(days, e.get("supplier"), e.get("item"), e.get("lane"))


def _capacity(e: dict[str, Any], at: str) -> tuple[list[Violation], ScenarioDelta | None]:
    where = [name for name in ("lane", "site") if name in e]
    found = [] if len(where) == 1 else [Violation(at, "give exactly one of lane, site", "lane")]
    problems, name, value = _one_of(e, at, ("factor", "per_day"))
    if found or problems:
        return found + problems, None
    number = {name: value}
    return [], CapacityChange(e.get("lane"), e.get("site"), **number)


def _down(e: dict[str, Any], at: str) -> tuple[list[Violation], ScenarioDelta | None]:
    window, start, end = _window(e, at, required=True)
    if window:
        return window, None
    assert start is not None and end is not None
    if e["type"] == "node_down":
        return [], NodeDown(e["site"], start, end)
    return [], LaneDown(e["lane"], start, end)


def _policy(e: dict[str, Any], at: str) -> tuple[list[Violation], ScenarioDelta | None]:
    problems, name, value = _one_of(e, at, ("order_up_to", "safety_stock", "factor"))
    if problems:
        return problems, None
    return [], PolicyChange(e.get("item"), e.get("site"), **{name: value})


def _sharing(e: dict[str, Any], at: str) -> tuple[list[Violation], ScenarioDelta | None]:
    if not isinstance(e.get("on"), bool):
        return [Violation(at, "must be true or false", "on")], None
    return [], SharingSwitch(bool(e["on"]))


def _safety_stock(e: dict[str, Any], at: str) -> tuple[list[Violation], ScenarioDelta | None]:
    problems, name, value = _one_of(e, at, ("quantity", "factor"))
    if problems:
        return problems, None
    return [], SafetyStockChange(item=e.get("item"), site=e.get("site"), **{name: value})


_PARSERS = {
    "demand_scale": _demand_scale,
    "lead_time": _lead_time,
    "capacity": _capacity,
    "node_down": _down,
    "lane_down": _down,
    "policy": _policy,
    "sharing": _sharing,
    "safety_stock": _safety_stock,
}
