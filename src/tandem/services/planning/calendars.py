"""Working calendars of a member, read and set; the one a planning run nets with.

A member keeps one member-wide calendar and, optionally, one per site. The MRP engine nets one
calendar for the whole problem (:class:`tandem.planning.mrp.PlanningCalendar`), so a planning
run uses the member-wide calendar; a site's own calendar is stored and shown, not yet netted
(docs/planning.md). Setting a calendar locks the member's row: two concurrent first calendars
of a member cannot both be inserted (SQL keeps NULL site ids distinct).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from tandem.domain.calendars import (
    MONDAY_TO_FRIDAY,
    WorkingCalendar,
    calendar_violations,
)
from tandem.domain.errors import NotFound, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.services.context import ServiceContext
from tandem.services.ports import UnitOfWork

__all__ = [
    "SetWorkingCalendar",
    "find_working_calendar",
    "get_working_calendar",
    "member_calendar",
    "set_working_calendar",
]


@dataclass(frozen=True)
class SetWorkingCalendar:
    """The calendar of the caller's member (``site_id`` ``None``) or of one of its sites."""

    name: str
    working_weekdays: tuple[int, ...] = MONDAY_TO_FRIDAY
    holidays: tuple[date, ...] = ()
    site_id: int | None = None


def member_calendar(uow: UnitOfWork, member_id: int) -> WorkingCalendar | None:
    """The member-wide calendar a planning run nets with (``None``: every day works)."""
    found = uow.working_calendars.find(member_id=member_id, site_id=None)
    return found[0] if found else None


def _check_site(uow: UnitOfWork, principal: Principal, site_id: int | None) -> None:
    if site_id is None:
        return
    site = uow.sites.get(site_id)
    if site is None or site.network_id != principal.network_id:
        raise NotFound(f"site {site_id} not found")
    principal.require_owner(site.member_id, "working calendar (its site)")


def find_working_calendar(
    ctx: ServiceContext, principal: Principal, site_id: int | None = None
) -> WorkingCalendar | None:
    """The stored calendar of the caller's member or one of its sites, if any."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        _check_site(uow, principal, site_id)
        found = uow.working_calendars.find(member_id=principal.member_id, site_id=site_id)
    return found[0] if found else None


def get_working_calendar(
    ctx: ServiceContext, principal: Principal, site_id: int | None = None
) -> WorkingCalendar:
    """Like :func:`find_working_calendar`; raises :class:`NotFound` when none is set."""
    found = find_working_calendar(ctx, principal, site_id)
    if found is None:
        where = "your member" if site_id is None else f"site {site_id}"
        raise NotFound(f"no working calendar for {where}: every day is a working day")
    return found


def set_working_calendar(
    ctx: ServiceContext, principal: Principal, command: SetWorkingCalendar
) -> WorkingCalendar:
    """Create or replace a calendar; weekdays and holidays are stored sorted."""
    principal.require(Scope.DATA_WRITE)
    violations = calendar_violations(command.name, command.working_weekdays, command.holidays)
    if violations:
        raise _invalid(violations)
    with ctx.uow() as uow:
        _check_site(uow, principal, command.site_id)
        uow.members.get_for_update(principal.member_id)  # serialises a member's calendars
        calendar = WorkingCalendar(
            0, principal.network_id, principal.member_id, command.name.strip(),
            tuple(sorted(set(command.working_weekdays))), tuple(sorted(command.holidays)),
            command.site_id, ctx.clock.now(),
        )  # fmt: skip
        found = uow.working_calendars.find(member_id=principal.member_id, site_id=command.site_id)
        if found:
            calendar = replace(calendar, id=found[0].id)
            uow.working_calendars.update(calendar)
        else:
            calendar = uow.working_calendars.add(calendar)
        uow.commit()
    return calendar


def _invalid(violations: list[Violation]) -> ValidationFailed:
    detail = "invalid working calendar: " + "; ".join(str(v) for v in violations)
    return ValidationFailed(detail, violations=violations)
