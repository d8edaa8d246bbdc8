"""The demo's working calendars: the roaster and the distributor work Monday to Friday, without
the public holidays of Hamburg.

The holidays of 2026 and 2027 are listed, not computed: § 1 of the Hamburg *Gesetz über Sonn-
und Feiertage* (Feiertagsgesetz, FeiertG HA, of 16 October 1953), as amended on 12 March 2018
(HmbGVBl. S. 63, adding 31 October, Reformationstag), names New Year's Day, Good Friday, Easter
Monday, 1 May, Ascension Day, Whit Monday, 3 October (Day of German Unity), 31 October and
25 and 26 December. The movable feasts follow Easter Sunday (5 April 2026, 28 March 2027):
Good Friday -2 days, Easter Monday +1, Ascension +39, Whit Monday +50. Holidays falling on a
weekend are listed too: a calendar's holidays are dates, whatever the weekday.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tandem.domain.errors import NotFound
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.services.context import ServiceContext
from tandem.services.planning.calendars import SetWorkingCalendar, set_working_calendar

__all__ = ["DEMO_CALENDAR_MEMBERS", "HAMBURG_HOLIDAYS", "seed_demo_calendars"]

DEMO_CALENDAR_MEMBERS = ("ELBE", "NORDLOG")  # the roaster and the distributor
CALENDAR_NAME = "Hamburg"

HAMBURG_HOLIDAYS: tuple[date, ...] = (
    date(2026, 1, 1),  # Neujahr
    date(2026, 4, 3),  # Karfreitag
    date(2026, 4, 6),  # Ostermontag
    date(2026, 5, 1),  # Tag der Arbeit
    date(2026, 5, 14),  # Christi Himmelfahrt
    date(2026, 5, 25),  # Pfingstmontag
    date(2026, 10, 3),  # Tag der Deutschen Einheit (a Saturday)
    date(2026, 10, 31),  # Reformationstag (a Saturday)
    date(2026, 12, 25),  # 1. Weihnachtstag
    date(2026, 12, 26),  # 2. Weihnachtstag (a Saturday)
    date(2027, 1, 1),  # Neujahr
    date(2027, 3, 26),  # Karfreitag
    date(2027, 3, 29),  # Ostermontag
    date(2027, 5, 1),  # Tag der Arbeit (a Saturday)
    date(2027, 5, 6),  # Christi Himmelfahrt
    date(2027, 5, 17),  # Pfingstmontag
    date(2027, 10, 3),  # Tag der Deutschen Einheit (a Sunday)
    date(2027, 10, 31),  # Reformationstag (a Sunday)
    date(2027, 12, 25),  # 1. Weihnachtstag (a Saturday)
    date(2027, 12, 26),  # 2. Weihnachtstag (a Sunday)
)


def seed_demo_calendars(
    ctx: ServiceContext, network_code: str, members: Sequence[str] = DEMO_CALENDAR_MEMBERS
) -> int:
    """Give each of ``members`` the Hamburg Monday-to-Friday calendar; returns how many."""
    with ctx.uow() as uow:
        networks = uow.networks.find(code=network_code)
        if not networks:
            raise NotFound(f"network {network_code} not found")
        network = networks[0]
        found = [uow.members.find(network_id=network.id, code=code) for code in members]
    command = SetWorkingCalendar(CALENDAR_NAME, holidays=HAMBURG_HOLIDAYS)
    for member in (rows[0] for rows in found if rows):
        planner = Principal(member.id, network.id, f"demo calendar ({member.code})", ALL_SCOPES)
        set_working_calendar(ctx, planner, command)
    return sum(1 for rows in found if rows)
