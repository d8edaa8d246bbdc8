"""Working calendars: the days a member (or one of its sites) works, for MRP lead times."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from tandem.api.schemas.common import RequestModel, ResponseModel
from tandem.domain.calendars import MAX_HOLIDAYS, MAX_NAME, MONDAY_TO_FRIDAY
from tandem.services.planning.calendars import SetWorkingCalendar

CalendarName = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_NAME, pattern=r"^[^\x00-\x1f\x7f]*$")
]
Weekday = Annotated[int, Field(ge=0, le=6, description="0 is Monday, 6 Sunday")]


class WorkingCalendarIn(RequestModel):
    """Your member's calendar, or one of your sites' with ``site_id``. Planning runs net with
    your member's calendar; lead times count its working days."""

    name: CalendarName
    working_weekdays: list[Weekday] = Field(
        default_factory=lambda: list(MONDAY_TO_FRIDAY), min_length=1, max_length=7
    )
    holidays: list[date] = Field(default_factory=list, max_length=MAX_HOLIDAYS)

    def command(self, site_id: int | None) -> SetWorkingCalendar:
        return SetWorkingCalendar(
            self.name, tuple(self.working_weekdays), tuple(self.holidays), site_id
        )


class WorkingCalendarOut(ResponseModel):
    id: int
    network_id: int
    member_id: int
    site_id: int | None
    name: str
    working_weekdays: list[int]
    holidays: list[date]
    updated_at: datetime | None
