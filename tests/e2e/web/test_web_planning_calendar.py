"""The working calendar on the planning page, over plain HTTP: the form shows the default,
saving stores it, a bad date is a problem the form shows, and a run's page names the calendar
the run netted with."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import httpx
from tests.e2e.web.web_support import PASSWORD, LiveServer, WebNetwork, form_token

from tandem.domain.planning_runs import PlanBucket, RunStatus
from tandem.services import identity, planning


def test_the_member_calendar_is_edited_on_the_planning_page_and_named_on_runs(
    http: Callable[[str | None], httpx.Client], live_server: LiveServer, web_network: WebNetwork
) -> None:
    roaster = http(web_network.roaster)
    page = roaster.get("/planning")
    assert page.status_code == 200
    assert "None set yet: every day is a working day." in page.text
    assert page.text.count('name="working_weekdays"') == 7
    token = form_token(page.text)
    form = {
        "csrf_token": token, "name": "Hamburg", "working_weekdays": ["0", "1", "2", "3", "4"],
        "holidays": "2026-12-26\n2026-12-25, 2026-12-25",
    }  # fmt: skip
    saved = roaster.post("/planning/calendar", data=form)
    assert (saved.status_code, saved.headers["location"]) == (303, "/planning#calendar")
    page = roaster.get("/planning")
    assert 'data-testid="calendar-name">Hamburg</strong>' in page.text
    assert ">2026-12-25\n2026-12-26</textarea>" in page.text
    assert page.text.count("checked>") == 5

    bad = {**form, "holidays": "2026-12-25\nChristmas"}
    refused = roaster.post("/planning/calendar", data=bad, headers={"HX-Request": "true"})
    assert refused.status_code == 422
    assert "working_calendar · holidays</span>: is not a date (YYYY-MM-DD)" in refused.text
    assert roaster.post("/planning/calendar", data={**form, "csrf_token": "x"}).status_code == 403

    ctx = live_server.container.services
    principal = identity.authenticate_token(
        ctx, identity.login(ctx, web_network.roaster, PASSWORD).token
    )
    command = planning.StartRun(horizon_buckets=14, bucket=PlanBucket.DAY, as_of=date(2026, 12, 21))
    run = planning.start_run(ctx, principal, command)
    assert planning.execute_run(ctx, run.id).status is RunStatus.SUCCEEDED
    shown = roaster.get(f"/planning/runs/{run.id}").text
    assert (
        '<span data-testid="run-calendar">calendar: Hamburg (Mon–Fri, 2 holidays)</span>' in shown
    )
