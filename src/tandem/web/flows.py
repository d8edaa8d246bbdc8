"""What the pages of the flows (orders, inventory, invoices, scorecards) share: the names of
members, sites and items, the display of quantities and money, and parsing of form fields.

Quantities are shown exactly (``12.5``, ``1,200``, ``0.125``): never rounded like the planning
figures of :func:`tandem.web.core._number`. Money is entered in major units (``12.50``) and
handled as integer minor units (``1250``), as the services do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.network import Item, Lane, Member, Network, Site
from tandem.domain.quantities import format_money, to_quantity
from tandem.services import network
from tandem.services.context import MAX_PAGE, PageRequest
from tandem.web.core import Viewer, Web

MINOR_PER_MAJOR = 100


def qty(value: Decimal | int | float | None) -> str:
    """``Decimal("1200.500")`` → ``"1,200.5"``; ``None`` → ``"—"``."""
    if value is None:
        return "—"
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    text = f"{number.normalize():,f}"
    return "0" if text in ("-0", "0") else text


def money(amount_minor: int | None, currency: str) -> str:
    """``123456`` → ``"1,234.56 EUR"``; ``None`` → ``"—"``."""
    return "—" if amount_minor is None else format_money(amount_minor, currency)


def major(amount_minor: int) -> str:
    """The value of a money input: ``1250`` → ``"12.50"``."""
    units, cents = divmod(abs(amount_minor), MINOR_PER_MAJOR)
    return f"{'-' if amount_minor < 0 else ''}{units}.{cents:02d}"


def pct(rate: float | None) -> str:
    """A rate in [0, 1] as a percentage with at most one decimal: ``0.7`` → ``"70 %"``."""
    if rate is None:
        return "—"
    text = f"{rate * 100:.1f}".removesuffix(".0")
    return f"{text} %"


def days(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".removesuffix(".0")


def install_filters(web: Web) -> None:
    """Add the filters of the flow pages to the shared template environment (idempotent)."""
    web.env.filters.update(qty=qty, money=money, major=major, pct=pct, days=days)


@dataclass(frozen=True)
class Directory:
    """Who and what the ids of documents name, for the viewer's network."""

    network: Network
    members: dict[int, Member]
    sites: dict[int, Site]
    items: dict[int, Item]
    lanes: tuple[Lane, ...] = ()

    @property
    def currency(self) -> str:
        return self.network.currency

    def member_name(self, member_id: int) -> str:
        member = self.members.get(member_id)
        return member.name if member else f"member #{member_id}"

    def site_label(self, site_id: int | None) -> str:
        if site_id is None:
            return "—"
        site = self.sites.get(site_id)
        return f"{site.code} · {site.name}" if site else f"site #{site_id}"

    def item_label(self, item_id: int) -> str:
        item = self.items.get(item_id)
        return f"{item.sku} · {item.name}" if item else f"item #{item_id}"

    def own_sites(self, member_id: int) -> list[Site]:
        return sorted(
            (s for s in self.sites.values() if s.member_id == member_id), key=lambda s: s.code
        )


def directory(web: Web, viewer: Viewer) -> Directory:
    ctx, principal = web.services, viewer.principal
    snapshot = network.network_map(ctx, principal)
    items = network.list_items(ctx, principal, PageRequest(0, MAX_PAGE)).items
    return Directory(
        snapshot.network,
        {m.id: m for m in snapshot.members},
        {s.id: s for s in snapshot.sites},
        {i.id: i for i in items},
        snapshot.lanes,
    )


# ---------------------------------------------------------------- parsing form fields


class Fields:
    """Collects the problems of a form's fields, to report them all at once."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.found: list[Violation] = []

    def fail(self, field: str, message: str, location: str = "") -> None:
        self.found.append(Violation(location or self.location, message, field))

    def raise_if_any(self, title: str) -> None:
        if self.found:
            raise ValidationFailed(title, violations=list(self.found))

    def quantity(self, text: str, field: str, location: str = "") -> Decimal | None:
        """A quantity with at most three decimals; ``None`` (and a problem) if it is not."""
        try:
            return to_quantity(text.strip().replace(",", ""))
        except ValueError:
            self.fail(field, f"{text.strip()!r} is not a quantity", location)
            return None

    def optional_quantity(self, text: str, field: str, location: str = "") -> Decimal | None:
        return self.quantity(text, field, location) if text.strip() else None

    def day(self, text: str, field: str, location: str = "") -> date | None:
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            self.fail(field, "is not a date (YYYY-MM-DD)", location)
            return None

    def optional_day(self, text: str, field: str, location: str = "") -> date | None:
        return self.day(text, field, location) if text.strip() else None

    def amount(self, text: str, field: str, location: str = "") -> int | None:
        """Money in major units (``12.50``) as minor units (``1250``)."""
        try:
            value = Decimal(text.strip().replace(",", ""))
            minor = value * MINOR_PER_MAJOR
            if not value.is_finite() or minor != minor.to_integral_value():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            self.fail(field, f"{text.strip()!r} is not an amount (e.g. 12.50)", location)
            return None
        return int(minor)

    def optional_amount(self, text: str, field: str, location: str = "") -> int | None:
        return self.amount(text, field, location) if text.strip() else None

    def identifier(self, text: str, field: str, message: str, location: str = "") -> int:
        if text.strip().isdigit():
            return int(text.strip())
        self.fail(field, message, location)
        return 0

    def optional_identifier(self, text: str, field: str) -> int | None:
        return self.identifier(text, field, "is not an id") if text.strip() else None


def rows(*columns: Iterable[str]) -> list[tuple[str, ...]]:
    """The parallel lists of a table of inputs (one list per column) as rows; a missing cell is
    empty."""
    lists = [list(c) for c in columns]
    height = max((len(c) for c in lists), default=0)
    return [tuple(c[i] if i < len(c) else "" for c in lists) for i in range(height)]
