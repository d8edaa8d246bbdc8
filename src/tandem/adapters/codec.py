"""How a frozen domain dataclass maps to one table row."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

E = TypeVar("E")
Encoder = Callable[[Any], Any]


@dataclasses.dataclass(frozen=True)
class Codec(Generic[E]):
    """How one entity maps to one row: field by field, with encoders/decoders where they differ."""

    cls: type[E]
    encode: dict[str, Encoder] = dataclasses.field(default_factory=dict)
    decode: dict[str, Encoder] = dataclasses.field(default_factory=dict)

    def to_row(self, entity: E) -> dict[str, Any]:
        return {
            f.name: self.encode.get(f.name, _same)(getattr(entity, f.name))
            for f in dataclasses.fields(self.cls)  # type: ignore[arg-type]
            if f.name != "id"
        }

    def from_row(self, row: sa.RowMapping) -> E:
        return self.cls(
            **{
                f.name: self.decode.get(f.name, _same)(row[f.name])
                for f in dataclasses.fields(self.cls)  # type: ignore[arg-type]
            }
        )


def _same(value: Any) -> Any:
    return value


def enum_codec(cls: type[E], **enums: type[Any]) -> Codec[E]:
    """A codec whose ``enums`` fields are stored as their string values."""
    return Codec(
        cls,
        dict.fromkeys(enums, _enum_value),
        dict(enums),
    )


def _enum_value(value: Any) -> Any:
    return value.value
