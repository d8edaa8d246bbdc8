"""The member's working calendar on the planning page: a form of working weekdays (checkboxes)
and holidays (a textarea, one ISO date a line or separated by commas or spaces).

Planning runs net with this calendar (:mod:`tandem.services.planning.calendars`); each run's
page names the calendar it used.
"""

# No ``from __future__ import annotations``: FastAPI resolves the routes' annotations, and the
# ``SignedIn`` alias is local to :func:`build_router`.
import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from tandem.domain.calendars import MONDAY_TO_FRIDAY, WEEKDAY_NAMES
from tandem.domain.errors import ValidationFailed
from tandem.services.planning import calendars
from tandem.web.core import Viewer, Web, is_htmx, web_route_class
from tandem.web.flows import Fields

TARGET = "/planning#calendar"


def calendar_context(web: Web, viewer: Viewer) -> dict[str, Any]:
    """The stored calendar (or the Monday-to-Friday default) as the form shows it."""
    stored = calendars.find_working_calendar(web.services, viewer.principal)
    return {
        "calendar": stored,
        "weekday_names": list(enumerate(WEEKDAY_NAMES)),
        "working_weekdays": stored.working_weekdays if stored else MONDAY_TO_FRIDAY,
        "holidays_text": "\n".join(d.isoformat() for d in stored.holidays) if stored else "",
    }


def calendar_command(name: str, weekdays: list[str], holidays: str) -> calendars.SetWorkingCalendar:
    """The form's fields as a command; every unreadable weekday or date at once."""
    fields = Fields("working_calendar")
    days: list[int] = []
    for text in weekdays:
        if text.strip().isdigit():
            days.append(int(text))
        else:
            fields.fail("working_weekdays", f"{text!r} is not a weekday number")
    found: list[date] = []
    for token in (t for t in re.split(r"[\s,;]+", holidays) if t):
        day = fields.day(token, "holidays")
        if day is not None:
            found.append(day)
    fields.raise_if_any("Check the working calendar")
    return calendars.SetWorkingCalendar(name, tuple(days), tuple(sorted(set(found))))


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)

    @router.post("/planning/calendar", dependencies=[Depends(web.check_csrf)])
    def set_calendar(
        request: Request,
        viewer: SignedIn,
        name: Annotated[str, Form(max_length=200)] = "",
        working_weekdays: Annotated[list[str] | None, Form()] = None,
        holidays: Annotated[str, Form(max_length=20000)] = "",
    ) -> Response:
        try:
            command = calendar_command(name, working_weekdays or [], holidays)
            calendars.set_working_calendar(web.services, viewer.principal, command)
        except ValidationFailed as error:
            if not is_htmx(request):
                raise
            return web.render(
                request, "_planning_errors.html", viewer, status_code=422, error=error
            )
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": TARGET})
        return RedirectResponse(TARGET, status_code=303)

    return router
