"""Customer feedback per device, site and item, and its summary."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tandem.api.deps import Caller, Services
from tandem.api.schemas.common import Id
from tandem.api.schemas.signals import (
    FeedbackIn,
    FeedbackOut,
    FeedbackSummariesOut,
    FeedbackSummaryOut,
)
from tandem.services import feedback

router = APIRouter(prefix="/feedback", tags=["feedback"])


@router.post("", name="submit_feedback", status_code=201)
def submit_feedback(services: Services, caller: Caller, body: FeedbackIn) -> FeedbackOut:
    """A customer's rating (1 to 5) and comment: from a device's key (at its own site) or from
    your people (naming the site). Needs the `ingest` scope."""
    return FeedbackOut.model_validate(feedback.submit_feedback(services, caller, body.command()))


@router.get("/summary", name="summarise_feedback")
def summarise_feedback(
    services: Services,
    caller: Caller,
    site_id: Annotated[Id | None, Query()] = None,
    item_id: Annotated[Id | None, Query()] = None,
    device_id: Annotated[Id | None, Query()] = None,
) -> FeedbackSummariesOut:
    """Count, mean rating, distribution and latest comments per site and item: yours, and
    partners' their `demand_history` grants cover (audited)."""
    summaries = feedback.summarise(services, caller, site_id, item_id, device_id)
    return FeedbackSummariesOut(items=[FeedbackSummaryOut.of(s) for s in summaries])
