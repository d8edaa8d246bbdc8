"""Consent-scoped sharing: grants and the audit trail of partner reads."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AwareDatetime, Field

from tandem.api.schemas.common import Id, Note, RequestModel, ResponseModel, Sorted
from tandem.domain.sharing import DataCategory, Grant
from tandem.services.sharing import GrantAccess

IdList = Annotated[list[Id], Field(min_length=1, max_length=1000)]


class GrantDirection(StrEnum):
    GIVEN = "given"
    RECEIVED = "received"


class GrantIn(RequestModel):
    grantee_member_id: Id
    category: DataCategory
    item_ids: IdList | None = Field(default=None, description="Only these items; omitted: all")
    site_ids: IdList | None = Field(default=None, description="Only these sites; omitted: all")
    expires_at: AwareDatetime | None = None
    note: Note = ""

    def command(self) -> GrantAccess:
        return GrantAccess(
            self.grantee_member_id,
            self.category,
            None if self.item_ids is None else frozenset(self.item_ids),
            None if self.site_ids is None else frozenset(self.site_ids),
            self.expires_at,
            self.note,
        )


class GrantOut(ResponseModel):
    id: int
    network_id: int
    grantor_member_id: int
    grantee_member_id: int
    category: DataCategory
    item_ids: Annotated[list[int] | None, Sorted]
    site_ids: Annotated[list[int] | None, Sorted]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    note: str
    status: str = Field(description="active, revoked or expired")

    @classmethod
    def of(cls, grant: Grant, now: datetime) -> Self:
        return cls.model_validate({**grant.__dict__, "status": grant.status(now)})


class AuditEntryOut(ResponseModel):
    id: int
    grant_id: int
    owner_member_id: int
    reader_member_id: int
    reader: str
    category: DataCategory
    resource: str
    rows: int
    at: datetime
