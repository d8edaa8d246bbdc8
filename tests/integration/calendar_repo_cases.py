"""Round-trip case of the working-calendar repository, run by ``test_repositories``: a
member-wide calendar, a site's own and another member's, with ``None`` site and timestamp,
a non-UTC timestamp, an empty holiday list and a six-day week."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.calendars import WorkingCalendar
from tests.integration.flow_cases import CEST, NOW, Case
from tests.integration.network_seed import Seed

CHRISTMAS = (date(2026, 12, 25), date(2026, 12, 26))


def _calendars(_uow: SqlUnitOfWork, seed: Seed) -> list[WorkingCalendar]:
    (roast, cafe, _), (plant, _, _), net = seed.members, seed.sites, seed.network.id
    return [
        WorkingCalendar(0, net, roast.id, "Hamburg ☕", holidays=CHRISTMAS, updated_at=NOW),
        WorkingCalendar(0, net, roast.id, "Plant", (0, 1, 2, 3, 4, 5), (), plant.id,
                        NOW.astimezone(CEST)),
        WorkingCalendar(0, net, cafe.id, "Cafe", (1, 3), CHRISTMAS[:1]),
    ]  # fmt: skip


CALENDAR_CASES = [
    Case("working_calendars", _calendars,
         lambda e, _s: replace(e, name="changed", holidays=(date(2027, 1, 1),)),
         (("member_id",), ("member_id", "site_id"), ("site_id",))),
]  # fmt: skip
