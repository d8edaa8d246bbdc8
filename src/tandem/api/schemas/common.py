"""Building blocks shared by every context: constrained types, the page envelope, problems."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Generic, Self, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from tandem.services.context import Page

M = TypeVar("M")

MAX_ID = 2_147_483_647  # the largest integer key every backend stores
MAX_PAGE = 1000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
_NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
Code = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=_NO_CONTROL)
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_NO_CONTROL)]
Line64 = Annotated[str, StringConstraints(max_length=64, pattern=_NO_CONTROL)]
Line120 = Annotated[str, StringConstraints(max_length=120, pattern=_NO_CONTROL)]
Note = Annotated[str, StringConstraints(max_length=2000, pattern=r"^[^\x00]*$")]
Sorted = BeforeValidator(lambda value: sorted(value) if value is not None else None)


class RequestModel(BaseModel):
    """Request bodies refuse unknown fields and non-finite numbers."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ResponseModel(BaseModel):
    """Response bodies are read from the services' frozen dataclasses."""

    model_config = ConfigDict(from_attributes=True)


class PageOut(ResponseModel, Generic[M]):
    """One page of a list; ``next_offset`` is null on the last page."""

    items: list[M]
    total: int
    offset: int
    limit: int
    next_offset: int | None

    @classmethod
    def of(cls, page: Page[Any]) -> Self:
        return cls.from_rows(page.items, page.total, page.offset, page.limit)

    @classmethod
    def from_rows(cls, rows: Iterable[Any], total: int, offset: int, limit: int) -> Self:
        following = offset + limit
        return cls.model_validate(
            {
                "items": list(rows),
                "total": total,
                "offset": offset,
                "limit": limit,
                "next_offset": following if following < total else None,
            },
            from_attributes=True,
        )


class ProblemError(BaseModel):
    """One offending field or row."""

    location: str
    field: str | None = None
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document, as every error of the API is rendered."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
    errors: list[ProblemError] = Field(default_factory=list)
