"""Demand signals: what tills and smart devices report, the recipes that turn a drink into the
beans, milk and cup it consumed, and the feedback customers leave.

A :class:`SignalRecord` is the raw signal, stored before anything is aggregated from it: one
sender's report that ``quantity`` of an item was consumed at a site at ``occurred_at``. Each sender
numbers its messages; ``(sender, message_id)`` is unique, so a message sent twice counts once.
Records and feedback are owned by the site's member and shared only through ``demand_history``
grants. Everything here is pure: the services load, call these rules, and store.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from tandem.domain.errors import BomCycle, ValidationFailed, Violation
from tandem.domain.network import BomLine

MAX_MESSAGE_ID = 128
MAX_COMMENT = 1000
MIN_RATING, MAX_RATING = 1, 5
FUTURE_TOLERANCE = timedelta(minutes=5)
DERIVED_ID_PREFIX = "sha256:"


class SignalSource(StrEnum):
    """How a record reached the platform."""

    HTTP = "http"
    CSV = "csv"
    MQTT = "mqtt"


class DeviceKind(StrEnum):
    COFFEE_MACHINE = "coffee_machine"
    VENDING_MACHINE = "vending_machine"
    POS_TERMINAL = "pos_terminal"
    SENSOR = "sensor"
    OTHER = "other"


@dataclass(frozen=True)
class Device:
    """A machine at one of its member's sites that reports consumption with its own API key
    (scoped to ingestion only). A deactivated device's key is revoked."""

    id: int
    network_id: int
    member_id: int
    site_id: int
    code: str
    name: str
    kind: DeviceKind
    api_key_id: int
    registered_at: datetime
    last_seen_at: datetime | None = None
    active: bool = True


@dataclass(frozen=True)
class SignalRecord:
    """One consumption report as received: ``quantity`` of ``item_id`` (a drink, say) at
    ``site_id``. ``day`` is the calendar day of ``occurred_at`` in the UTC offset the sender gave
    (its local business day), the day the record counts toward in the daily demand."""

    id: int
    network_id: int
    owner_member_id: int
    source: SignalSource
    sender: str
    message_id: str
    site_id: int
    item_id: int
    quantity: float
    occurred_at: datetime
    day: date
    received_at: datetime
    device_id: int | None = None

    def same_content(self, other: SignalRecord) -> bool:
        """Whether ``other`` reports the same consumption (a resent message)."""
        return (self.site_id, self.item_id, self.quantity, self.occurred_at) == (
            other.site_id,
            other.item_id,
            other.quantity,
            other.occurred_at,
        )


@dataclass(frozen=True)
class Feedback:
    """A customer's rating (1 to 5) and comment, at a site, on a device and/or an item."""

    id: int
    network_id: int
    owner_member_id: int
    site_id: int
    device_id: int | None
    item_id: int | None
    rating: int
    comment: str
    submitted_at: datetime


@dataclass(frozen=True)
class Rejection:
    """Why record ``index`` (0-based position in its batch; ``line`` of its file, for a CSV
    upload) was not accepted."""

    index: int
    field: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else f"record {self.index}"
        return f"{where}, {self.field}: {self.reason}"


class RecordRejected(ValidationFailed):
    """One field of one record is unusable; the batch goes on without that record."""

    code = "record_rejected"
    title = "Record rejected"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}", violations=[Violation("record", reason, field)])
        self.field = field
        self.reason = reason


# ---------------------------------------------------------------- reading raw values


def read_quantity(value: object) -> float:
    """A finite, non-negative number (a JSON number, or its text as in a CSV cell)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RecordRejected("quantity", "is required and must be a number")
    if isinstance(value, bool):
        raise RecordRejected("quantity", "must be a number, not true or false")
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise RecordRejected("quantity", f"is not a number: {value[:40]!r}") from None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        raise RecordRejected("quantity", "must be a number")
    if not math.isfinite(number):
        raise RecordRejected("quantity", "must be a finite number")
    if number < 0:
        raise RecordRejected("quantity", f"must not be negative (got {number:g})")
    return number


def read_timestamp(value: object, now: datetime, field: str = "occurred_at") -> datetime:
    """An ISO 8601 timestamp with a UTC offset (``Z`` or ``+01:00``), not after ``now`` plus a
    small tolerance for clock skew. Late data of any age is fine."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise RecordRejected(field, f"is not an ISO 8601 timestamp: {value[:40]!r}") from None
    else:
        raise RecordRejected(field, "is required: an ISO 8601 timestamp with a UTC offset")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RecordRejected(field, "needs a UTC offset (e.g. 'Z' or '+01:00')")
    if moment > now + FUTURE_TOLERANCE:
        raise RecordRejected(field, f"lies in the future ({moment.isoformat()})")
    return moment


def read_message_id(value: object) -> str | None:
    """A sender's message id: text (or a whole number) of at most 128 characters."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise RecordRejected("message_id", "must be a non-empty string")
    text = value.strip()
    if len(text) > MAX_MESSAGE_ID:
        raise RecordRejected("message_id", f"must be at most {MAX_MESSAGE_ID} characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise RecordRejected("message_id", "must not contain control characters")
    if text.startswith(DERIVED_ID_PREFIX):
        raise RecordRejected("message_id", f"must not start with {DERIVED_ID_PREFIX!r}")
    return text


def derived_message_id(site_id: int, item_id: int, quantity: float, occurred_at: datetime) -> str:
    """The id of a record sent without one: the SHA-256 of its canonical form, so the same
    record sent again is recognised as a duplicate."""
    canonical = json.dumps(
        {
            "site_id": site_id,
            "item_id": item_id,
            "quantity": repr(float(quantity)),
            "occurred_at": occurred_at.timestamp(),
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return DERIVED_ID_PREFIX + hashlib.sha256(canonical.encode()).hexdigest()


# ---------------------------------------------------------------- recipes


Recipe = tuple[tuple[int, float], ...]  # (component item id, quantity per unit)


def recipes_at(site_id: int | None, bom_lines: Iterable[BomLine]) -> dict[int, Recipe]:
    """Each parent item's recipe at ``site_id``.

    A parent with lines for this very site uses those and none of its every-site lines (a site
    recipe replaces the standard one); otherwise its every-site lines apply. Lines for other
    sites never apply.
    """
    here: dict[int, list[tuple[int, float]]] = defaultdict(list)
    everywhere: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for line in bom_lines:
        if line.site_id is None:
            everywhere[line.parent_item_id].append((line.component_item_id, line.quantity_per))
        elif site_id is not None and line.site_id == site_id:
            here[line.parent_item_id].append((line.component_item_id, line.quantity_per))
    chosen = {**everywhere, **here}
    return {parent: tuple(sorted(lines)) for parent, lines in sorted(chosen.items())}


def explode(
    item_id: int,
    quantity: float,
    bom_lines: Iterable[BomLine] | Mapping[int, Recipe],
    site_id: int | None = None,
) -> list[tuple[int, float]]:
    """The consumption ``quantity`` units of ``item_id`` stand for: the item itself and, through
    its recipe, every component (``quantity × quantity_per``), recursing through components that
    have recipes of their own. Quantities of an item reached along several paths are summed.

    ``bom_lines`` are lines (chosen for ``site_id`` by :func:`recipes_at`) or recipes already
    chosen. Returned in item-id order.

    >>> from tandem.domain.network import BomLine
    >>> lines = [BomLine(1, 1, 10, 20, 0.018), BomLine(2, 1, 10, 30, 0.35)]
    >>> explode(10, 2.0, lines)
    [(10, 2.0), (20, 0.036), (30, 0.7)]
    """
    recipes = bom_lines if isinstance(bom_lines, Mapping) else recipes_at(site_id, bom_lines)
    totals: dict[int, float] = defaultdict(float)

    def visit(current: int, amount: float, path: tuple[int, ...]) -> None:
        if current in path:
            cycle = " > ".join(str(i) for i in (*path[path.index(current) :], current))
            raise BomCycle(f"bill of materials has a cycle: {cycle}")
        totals[current] += amount
        for component, per in recipes.get(current, ()):
            visit(component, amount * per, (*path, current))

    visit(item_id, quantity, ())
    return sorted(totals.items())


# ---------------------------------------------------------------- feedback


def feedback_violations(
    rating: object, comment: str, location: str = "feedback"
) -> list[Violation]:
    found: list[Violation] = []
    if isinstance(rating, bool) or not isinstance(rating, int):
        found.append(Violation(location, "must be a whole number from 1 to 5", "rating"))
    elif not MIN_RATING <= rating <= MAX_RATING:
        found.append(Violation(location, f"must lie in [1, 5] (got {rating})", "rating"))
    if len(comment) > MAX_COMMENT:
        found.append(Violation(location, f"must be at most {MAX_COMMENT} characters", "comment"))
    if "\x00" in comment:
        found.append(Violation(location, "must not contain NUL characters", "comment"))
    return found


@dataclass(frozen=True)
class FeedbackComment:
    rating: int
    comment: str
    submitted_at: datetime
    device_id: int | None


@dataclass(frozen=True)
class FeedbackSummary:
    """The feedback on one item (``None``: on no item in particular) at one site."""

    site_id: int
    item_id: int | None
    count: int
    mean_rating: float
    distribution: tuple[int, int, int, int, int]  # how many ratings of 1, 2, 3, 4 and 5
    latest_comments: tuple[FeedbackComment, ...]  # newest first, empty comments left out


def summarise_feedback(rows: Iterable[Feedback], latest: int = 5) -> list[FeedbackSummary]:
    """One summary per ``(site_id, item_id)``, in site then item order (no item first)."""
    groups: dict[tuple[int, int | None], list[Feedback]] = defaultdict(list)
    for row in rows:
        groups[(row.site_id, row.item_id)].append(row)
    summaries: list[FeedbackSummary] = []
    for (site_id, item_id), group in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1] is not None, kv[0][1] or 0)
    ):
        counts = [0] * MAX_RATING
        for row in group:
            counts[row.rating - MIN_RATING] += 1
        newest = sorted(
            (row for row in group if row.comment), key=lambda r: (r.submitted_at, r.id)
        )[::-1][:latest]
        summaries.append(
            FeedbackSummary(
                site_id,
                item_id,
                len(group),
                sum(row.rating for row in group) / len(group),
                (counts[0], counts[1], counts[2], counts[3], counts[4]),
                tuple(
                    FeedbackComment(r.rating, r.comment, r.submitted_at, r.device_id)
                    for r in newest
                ),
            )
        )
    return summaries
