"""The key use cases on the real SQL unit of work, on both backends: import a network, log in,
grant, read a partner's demand (audited), revoke, read again (nothing); imports are all or
nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.adapters.tables import metadata
from tandem.bootstrap import bootstrap
from tandem.config import Settings
from tandem.domain.errors import DuplicateCode, ImportRejected, Violation
from tandem.domain.identity import Principal
from tandem.domain.sharing import AuditEntry, DataCategory
from tandem.domain.snapshot import DemandRow, NetworkSnapshot
from tandem.services import demand, identity, sharing, transfer
from tandem.services.context import PageRequest, ServiceContext
from tests.support import PASSWORD, small_snapshot

ALL = PageRequest(0, 1000)
DAYS = [date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)]
EMPTY = dict.fromkeys(sorted(metadata.tables), 0)


def _snapshot() -> NetworkSnapshot:
    rows = tuple(
        DemandRow(site, "LATTE", day, quantity)
        for site, quantity in (("CAFE-1", 40.0), ("CAFE-2", 25.0))
        for day in DAYS
    )
    return replace(small_snapshot(), demand=rows)


IMPORTED = {
    **EMPTY,
    "network": 1,
    "member": 3,
    "app_user": 3,
    "site": 4,
    "item": 3,
    "item_site": 3,
    "lane": 2,
    "demand_point": 6,
}


@pytest.fixture
def ctx(database_url: str, engine: Engine, clock: FixedClock) -> ServiceContext:
    container = bootstrap(
        Settings(database_url=database_url),
        engine=engine,
        clock=clock,
        passwords=PlainPasswordHasher(),
    )
    assert container.engine is engine
    return container.services


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: int(
                connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            )
            for name, table in sorted(metadata.tables.items())
        }


def _sign_in(ctx: ServiceContext, email: str) -> Principal:
    return identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)


def test_a_partner_reads_granted_demand_audited_until_the_grant_is_revoked(
    ctx: ServiceContext, clock: FixedClock, observer: Engine
) -> None:
    summary = transfer.import_snapshot(ctx, _snapshot())
    created = transfer.EntityCounts(3, 3, 4, 3, 3, 0, 2, 6)
    assert summary == transfer.ImportSummary(
        summary.network_id, 3, 3, 4, 3, 3, 0, 2, 6, inserted=created
    )
    assert _counts(observer) == IMPORTED

    cafe = _sign_in(ctx, "cafe@example.com")
    roaster = _sign_in(ctx, "roaster@example.com")
    assert (roaster.network_id, roaster.label) == (
        summary.network_id,
        "roaster@example.com (ROAST)",
    )
    with ctx.uow() as uow:
        cafe_1 = uow.sites.find(code="CAFE-1")[0]
        tokens = uow.session_tokens.find()
    assert [(t.created_at, t.expires_at) for t in tokens] == [
        (clock.now(), clock.now() + timedelta(hours=12))
    ] * 2
    assert demand.read_demand(ctx, roaster, ALL).total == 0
    assert demand.read_demand(ctx, cafe, ALL).total == 6

    grant = sharing.grant_access(
        ctx,
        cafe,
        sharing.GrantAccess(
            roaster.member_id, DataCategory.DEMAND_HISTORY, site_ids=frozenset({cafe_1.id})
        ),
    )
    clock.advance(timedelta(minutes=5))
    page = demand.read_demand(ctx, roaster, ALL)

    assert page.total == 3
    assert [(p.site_id, p.day, p.quantity) for p in page.items] == [
        (cafe_1.id, day, 40.0) for day in DAYS
    ]
    log = sharing.read_audit_log(ctx, cafe, ALL)
    assert log.total == 1
    assert log.items == (
        AuditEntry(
            log.items[0].id,
            summary.network_id,
            grant.id,
            cafe.member_id,
            roaster.member_id,
            "roaster@example.com (ROAST)",
            DataCategory.DEMAND_HISTORY,
            "demand",
            3,
            clock.now(),
        ),
    )
    assert sharing.read_audit_log(ctx, roaster, ALL).total == 0  # the owner reads the log

    revoked = sharing.revoke_grant(ctx, cafe, grant.id)
    assert revoked.revoked_at == clock.now()
    page = demand.read_demand(ctx, roaster, ALL)

    assert (page.items, page.total) == ((), 0)
    assert sharing.read_audit_log(ctx, cafe, ALL).total == 1  # reading nothing is not audited
    assert sharing.list_grants(ctx, cafe, "given", ALL).items == (revoked,)
    assert _counts(observer) == {
        **IMPORTED,
        "session_token": 2,
        "sharing_grant": 1,
        "audit_entry": 1,
    }


def test_a_rejected_import_leaves_every_table_empty(ctx: ServiceContext, observer: Engine) -> None:
    broken = replace(
        _snapshot(),
        demand=(*_snapshot().demand, DemandRow("NOWHERE", "LATTE", DAYS[0], -1.0, row=7)),
    )

    with pytest.raises(ImportRejected) as rejected:
        transfer.import_snapshot(ctx, broken)

    assert rejected.value.violations == [
        Violation("sheet demand, row 7", "unknown site 'NOWHERE'", "site"),
        Violation("sheet demand, row 7", "must not be negative (got -1)", "quantity"),
    ]
    assert _counts(observer) == EMPTY


def test_an_import_failing_after_every_row_was_written_leaves_every_table_empty(
    ctx: ServiceContext, observer: Engine
) -> None:
    seen: list[str] = []

    def fail_at_the_last_stage(stage: str, done: int, total: int) -> None:
        seen.append(stage)
        if stage == "demand history":  # everything but the commit has been sent to the database
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        transfer.import_snapshot(ctx, _snapshot(), fail_at_the_last_stage)

    assert seen == ["members", "users", "sites and items", "demand history"]
    assert _counts(observer) == EMPTY


def test_importing_the_same_network_twice_changes_nothing(
    ctx: ServiceContext, observer: Engine
) -> None:
    transfer.import_snapshot(ctx, _snapshot())

    with pytest.raises(DuplicateCode, match="already exists"):
        transfer.import_snapshot(ctx, _snapshot())

    assert _counts(observer) == IMPORTED
