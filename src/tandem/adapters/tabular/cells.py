"""Cells of the exchange layout: how one value is read from a cell and written back to one.

A reader hands over what the file holds: text for CSV; text, numbers, booleans and dates for a
workbook. Each converter accepts every form a planner can reasonably type (``52.37`` or
``"52.37"``, a date cell or ``2026-01-05``, ``true``/``yes``/``1``) and raises :class:`CellError`
with a message naming what it expected and what it got.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, TypeVar

from tandem.domain.network import MemberRole

E = TypeVar("E", bound=StrEnum)
Written = str | float | bool | date | None
"""What a writer puts in a cell; the CSV adapter turns it into text."""


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is shown to the planner."""


def blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _shown(cell: object) -> str:
    return repr(cell if isinstance(cell, str) else str(cell))


@dataclass(frozen=True)
class Converter:
    """Reads a non-blank cell (raising :class:`CellError`) and writes a value back."""

    parse: Callable[[object], Any]
    write: Callable[[Any], Written]
    filler: Any  # stands in for a broken cell so the rest of its row can still be checked


def as_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell).strip()


def text(limit: int | None = None) -> Converter:
    def parse(cell: object) -> str:
        value = as_text(cell)
        if limit is not None and len(value) > limit:
            raise CellError(f"must be at most {limit} characters (got {len(value)})")
        return value

    return Converter(parse, str, "")


def _number(cell: object) -> float:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        value = float(cell)
    elif isinstance(cell, str):
        try:
            value = float(cell.strip())
        except ValueError:
            raise CellError(f"expected a number, got {_shown(cell)}") from None
    else:
        raise CellError(f"expected a number, got {_shown(cell)}")
    if not math.isfinite(value):
        raise CellError(f"expected a finite number, got {_shown(cell)}")
    return value


def _day(cell: object) -> date:
    if isinstance(cell, datetime):
        if cell.time() != time():
            raise CellError(f"expected a date without a time of day, got {_shown(cell)}")
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, str):
        try:
            return date.fromisoformat(cell.strip())
        except ValueError:
            pass
    raise CellError(f"expected a date as YYYY-MM-DD, got {_shown(cell)}")


TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})


def _flag(cell: object) -> bool:
    if isinstance(cell, bool):
        return cell
    word = as_text(cell).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"expected true or false, got {_shown(cell)}")


def _member_of(kind: type[E], cell: object) -> E:
    word = as_text(cell).lower()
    try:
        return kind(word)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise CellError(f"unknown value {_shown(cell)}; expected one of: {allowed}") from None


def choice(kind: type[E]) -> Converter:
    return Converter(lambda cell: _member_of(kind, cell), lambda v: str(v.value), next(iter(kind)))


def _roles(cell: object) -> frozenset[MemberRole]:
    parts = [p.strip() for p in as_text(cell).split(",")]
    roles = frozenset(_member_of(MemberRole, p) for p in parts if p)
    if not roles:
        raise CellError("must name at least one role")
    return roles


NUMBER = Converter(_number, float, math.nan)
DAY = Converter(_day, lambda v: v, date.min)
FLAG = Converter(_flag, bool, False)
ROLES = Converter(_roles, lambda v: ", ".join(sorted(r.value for r in v)), frozenset())
SECRET = Converter(lambda cell: cell if isinstance(cell, str) else as_text(cell), str, "")
