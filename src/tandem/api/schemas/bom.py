"""Bills of materials."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from tandem.api.schemas.common import Id, RequestModel, ResponseModel
from tandem.services.bom import BomLineFields


class BomLineIn(RequestModel):
    parent_item_id: Id
    component_item_id: Id
    quantity_per: Annotated[float, Field(gt=0)]
    site_id: Id | None = Field(default=None, description="Only at this site; omitted: every site")

    def fields(self) -> BomLineFields:
        return BomLineFields(**self.model_dump())


class BomLineOut(ResponseModel):
    id: int
    owner_member_id: int
    parent_item_id: int
    component_item_id: int
    quantity_per: float
    site_id: int | None
