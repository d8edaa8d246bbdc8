"""Working calendars of your member and its sites: read one, set one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tandem.api.deps import Caller, Services
from tandem.api.schemas.common import Id
from tandem.api.schemas.working_calendars import WorkingCalendarIn, WorkingCalendarOut
from tandem.services.planning import calendars

router = APIRouter(prefix="/working-calendars", tags=["planning"])

SiteQuery = Annotated[
    Id | None, Query(description="One of your sites; leave out for your member's calendar")
]


@router.get("", name="get_working_calendar")
def get_working_calendar(
    services: Services, caller: Caller, site_id: SiteQuery = None
) -> WorkingCalendarOut:
    """Your member's (or site's) calendar; 404 when none is set: every day is a working day."""
    found = calendars.get_working_calendar(services, caller, site_id)
    return WorkingCalendarOut.model_validate(found)


@router.put("", name="set_working_calendar")
def set_working_calendar(
    services: Services, caller: Caller, body: WorkingCalendarIn, site_id: SiteQuery = None
) -> WorkingCalendarOut:
    """Create or replace the calendar; the next planning run nets with your member's."""
    stored = calendars.set_working_calendar(services, caller, body.command(site_id))
    return WorkingCalendarOut.model_validate(stored)
