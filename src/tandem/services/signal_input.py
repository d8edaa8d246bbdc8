"""Signal records as senders write them (JSON objects over HTTP and MQTT, CSV rows), and the
look-up of the sites, items and recipes they name.

Reading never fails on a bad record: whatever is wrong with one (an unknown field, a CSV row of
the wrong width) travels with it as a *problem* and becomes its rejection. Only a file whose
columns are wrong is refused as a whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tandem.domain.errors import ImportRejected, Violation
from tandem.domain.network import Item, Site
from tandem.domain.signals import Device, Recipe, RecordRejected, recipes_at
from tandem.services.ports import UnitOfWork

MAX_BATCH = 10_000
MAX_ID = 2_147_483_647  # the largest key every backend stores
CSV_COLUMNS = ("site", "item", "quantity", "timestamp", "message_id")
CSV_REQUIRED = frozenset(CSV_COLUMNS) - {"message_id"}

FIELDS = ("site_id", "site", "item_id", "item", "recipe", "quantity", "message_id")
TIME_FIELDS = ("occurred_at", "at")


@dataclass(frozen=True)
class SignalInput:
    """One record as sent, values unchecked. Give the site (``site_id`` or ``site`` code; a
    device's own site when left out) and exactly one of ``item_id``, ``item`` (SKU) or
    ``recipe`` (SKU of an item that must have a recipe at the site)."""

    quantity: object = None
    occurred_at: object = None
    message_id: object = None
    site_id: object = None
    site: object = None
    item_id: object = None
    item: object = None
    recipe: object = None
    time_field: str = "occurred_at"
    line: int | None = None
    problems: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_mapping(cls, raw: object, time_field: str = "occurred_at") -> SignalInput:
        """A JSON record; the time may be given as ``occurred_at`` or ``at``."""
        if not isinstance(raw, Mapping):
            return cls(problems=(("record", "must be a JSON object"),))
        problems = [
            (str(key), "is not a field of a signal record")
            for key in raw
            if key not in FIELDS and key not in TIME_FIELDS
        ]
        times = [key for key in TIME_FIELDS if key in raw]
        if len(times) > 1:
            problems.append((times[0], "give the time once (occurred_at or at)"))
        used = times[0] if times else time_field
        values: dict[str, Any] = {name: raw.get(name) for name in FIELDS}
        return cls(
            occurred_at=raw.get(used),
            time_field=used,
            problems=tuple(problems),
            **values,
        )


def read_signal_csv(text: str) -> list[SignalInput]:
    """The records of a CSV file with the header ``site,item,quantity,timestamp,message_id`` (in
    any order; ``message_id`` may be left out). Blank lines are skipped."""
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header = next(rows, None)
    names = [name.strip().lower() for name in header or []]
    missing = sorted(CSV_REQUIRED - set(names))
    unexpected = sorted({n for n in names if n not in CSV_COLUMNS or names.count(n) > 1})
    if not any(names) or missing or unexpected:
        found = [f"missing {', '.join(missing)}"] if missing and any(names) else []
        found += [f"unexpected {', '.join(unexpected)}"] if unexpected else []
        found = found or ["the file has no header line"]
        expected = ",".join(CSV_COLUMNS)
        raise ImportRejected(
            f"wrong CSV columns: expected the header {expected} (message_id may be left out); "
            + "; ".join(found),
            violations=[Violation("line 1", f"expected columns {expected}", "header")],
        )
    records: list[SignalInput] = []
    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(records) >= MAX_BATCH:
            raise ImportRejected(
                f"a CSV upload holds at most {MAX_BATCH} rows",
                violations=[Violation(f"line {line}", f"beyond {MAX_BATCH} rows", "rows")],
            )
        if len(row) != len(names):
            reason = f"has {len(row)} fields, the header {len(names)}"
            records.append(SignalInput(line=line, problems=(("row", reason),)))
            continue
        cells = {name: cell.strip() for name, cell in zip(names, row, strict=True)}
        records.append(
            SignalInput(
                quantity=cells["quantity"],
                occurred_at=cells["timestamp"],
                message_id=cells.get("message_id") or None,
                site=cells["site"] or None,
                item=cells["item"] or None,
                time_field="timestamp",
                line=line,
            )
        )
    return records


class RecordLookup:
    """Sites, items and recipes a batch names, each looked up once, as ``member_id`` of
    ``network_id`` (reporting through ``device``, if any) may use them."""

    def __init__(
        self, uow: UnitOfWork, member_id: int, network_id: int, device: Device | None
    ) -> None:
        self.uow = uow
        self.member_id = member_id
        self.network_id = network_id
        self.device = device
        self._sites: dict[tuple[str, int | str], Site | None] = {}
        self._items: dict[tuple[str, int | str], Item | None] = {}
        self._recipes: dict[int, dict[int, Recipe]] = {}
        self._lines: list[Any] | None = None

    def site(self, raw: SignalInput) -> Site:
        given = [(f, v) for f, v in (("site_id", raw.site_id), ("site", raw.site)) if v is not None]
        device = self.device
        if len(given) > 1:
            raise RecordRejected("site", "give site_id or site, not both")
        if not given:
            if device is None:
                raise RecordRejected("site", "is required (site_id or site code)")
            return self._site("site_id", device.site_id)
        field, value = given[0]
        site = self._site(field, value)
        if device is not None and site.id != device.site_id:
            raise RecordRejected(field, f"a device reports for its own site only, not {site.code}")
        return site

    def _site(self, field: str, value: object) -> Site:
        key = _key(field, value, "a site code")
        if key not in self._sites:
            self._sites[key] = self._find_site(key)
        site = self._sites[key]
        if site is None:
            raise RecordRejected(field, f"unknown site {value!r}")
        if site.member_id != self.member_id:
            raise RecordRejected(field, f"site {site.code} belongs to another member")
        return site

    def _find_site(self, key: tuple[str, int | str]) -> Site | None:
        value = key[1]
        if isinstance(value, int):
            site = self.uow.sites.get(value) if 1 <= value <= MAX_ID else None
            return site if site is not None and site.network_id == self.network_id else None
        found = self.uow.sites.find(network_id=self.network_id, code=value)
        return found[0] if found else None

    def item(self, raw: SignalInput, site: Site | None) -> Item:
        given = [
            (f, v)
            for f, v in (("item_id", raw.item_id), ("item", raw.item), ("recipe", raw.recipe))
            if v is not None
        ]
        if len(given) != 1:
            detail = "is required" if not given else "give only one of"
            raise RecordRejected("item", f"{detail}: item_id, item (SKU) or recipe (SKU)")
        field, value = given[0]
        key = _key(field, value, "an item SKU")
        if key not in self._items:
            self._items[key] = self._find_item(key)
        item = self._items[key]
        if item is None:
            raise RecordRejected(field, f"unknown item {value!r}")
        if field == "recipe" and site is not None and item.id not in self.recipes(site.id):
            raise RecordRejected(field, f"{item.sku} has no recipe at site {site.code}")
        return item

    def _find_item(self, key: tuple[str, int | str]) -> Item | None:
        value = key[1]
        if isinstance(value, int):
            item = self.uow.items.get(value) if 1 <= value <= MAX_ID else None
            return item if item is not None and item.network_id == self.network_id else None
        found = self.uow.items.find(network_id=self.network_id, sku=value)
        return found[0] if found else None

    def recipes(self, site_id: int) -> dict[int, Recipe]:
        """The recipes of the site's member at this site: its own bills of materials only, so a
        bought component (a bag of roasted coffee) is consumed, never exploded further."""
        if site_id not in self._recipes:
            if self._lines is None:
                self._lines = self.uow.bom_lines.find(owner_member_id=self.member_id)
            self._recipes[site_id] = recipes_at(site_id, self._lines)
        return self._recipes[site_id]


def _key(field: str, value: object, what: str) -> tuple[str, int | str]:
    """A reference as given: an integer id for ``*_id`` fields, else a code or SKU."""
    if field.endswith("_id"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise RecordRejected(field, "must be an integer id")
        return field, value
    if not isinstance(value, str) or not value.strip():
        raise RecordRejected(field, f"must be {what}")
    return field, value.strip()
