"""Signal ingestion: good records kept, bad ones rejected one by one, nothing counted twice,
recipes exploded into daily demand, raw records and demand stored in one transaction."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import pytest
from tests.services.signal_world import RecipeWorld, recipe_world

from tandem.adapters.memory import FixedClock, InMemoryStore
from tandem.domain.errors import Forbidden, ImportRejected, ValidationFailed
from tandem.domain.identity import Scope
from tandem.domain.signals import Rejection, SignalSource
from tandem.services import identity, ingestion
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.ingestion import DayTotal, Duplicate, IngestResult, SignalInput

MORNING = "2026-11-20T08:00:00+01:00"


@pytest.fixture
def w(ctx: ServiceContext, clock: FixedClock) -> RecipeWorld:
    return recipe_world(ctx, clock)


def rec(**fields: Any) -> SignalInput:
    return SignalInput.from_mapping(fields)


def ingest(w: RecipeWorld, *records: SignalInput) -> IngestResult:
    return ingestion.ingest_records(w.ctx, w.cafe, list(records), SignalSource.HTTP)


def test_batch_keeps_good_records_rejects_each_bad_one_and_explodes_recipes(
    w: RecipeWorld,
) -> None:
    batch = [
        rec(site="CAFE-1", item="LATTE", quantity=2, occurred_at=MORNING, message_id="m-1"),
        rec(site="CAFE-1", item="LATTE", quantity="abc", occurred_at=MORNING),
        rec(site="CAFE-1", item="LATTE", quantity=-1, occurred_at=MORNING),
        rec(site="CAFE-1", item="LATTE", quantity=math.nan, occurred_at=MORNING),
        rec(site="PLANT", item="LATTE", quantity=1, occurred_at=MORNING),
        rec(site="NOWHERE", item="LATTE", quantity=1, occurred_at=MORNING),
        rec(site="CAFE-1", item="NOPE", quantity=1, occurred_at=MORNING),
        rec(site="CAFE-1", recipe="MILK", quantity=1, occurred_at=MORNING),
        rec(site="CAFE-1", item="LATTE", quantity=1, occurred_at="yesterday"),
        rec(site="CAFE-1", item="LATTE", quantity=1, occurred_at="2026-11-20T08:00:00"),
        rec(site="CAFE-1", item="LATTE", quantity=1, occurred_at="2026-11-21T10:00:00Z"),
        rec(site="CAFE-1", item="LATTE", quantity=2, occurred_at=MORNING, message_id="m-1"),
        rec(site="CAFE-2", recipe="LATTE", quantity=4, occurred_at=MORNING, message_id="m-2"),
        rec(site="CAFE-2", recipe="LATTE", quantity=5, occurred_at=MORNING, message_id="m-2"),
        rec(site="CAFE-1", item="LATTE", quantity=1, occurred_at=MORNING, colour="red"),
    ]

    result = ingest(w, *batch)

    assert (result.received, result.accepted, result.duplicates, result.rejected) == (15, 2, 1, 12)
    assert result.rejections == (
        Rejection(1, "quantity", "is not a number: 'abc'"),
        Rejection(2, "quantity", "must not be negative (got -1)"),
        Rejection(3, "quantity", "must be a finite number"),
        Rejection(4, "site", "site PLANT belongs to another member"),
        Rejection(5, "site", "unknown site 'NOWHERE'"),
        Rejection(6, "item", "unknown item 'NOPE'"),
        Rejection(7, "recipe", "MILK has no recipe at site CAFE-1"),
        Rejection(8, "occurred_at", "is not an ISO 8601 timestamp: 'yesterday'"),
        Rejection(9, "occurred_at", "needs a UTC offset (e.g. 'Z' or '+01:00')"),
        Rejection(10, "occurred_at", "lies in the future (2026-11-21T10:00:00+00:00)"),
        Rejection(13, "message_id", "repeats the message id of record 12 with different content"),
        Rejection(14, "colour", "is not a field of a signal record"),
    )
    assert result.duplicate_records == (Duplicate(11, "m-1"),)
    day = "2026-11-20"
    assert w.demand() == {
        ("CAFE-1", "LATTE", day): 2.0,
        ("CAFE-1", "BLEND", day): 0.03125,
        ("CAFE-1", "MILK", day): 0.5,
        ("CAFE-1", "CUP", day): 2.0,
        # CAFE-2's own recipe replaces the every-site one: no cup line there
        ("CAFE-2", "LATTE", day): 4.0,
        ("CAFE-2", "BLEND", day): 0.125,
        ("CAFE-2", "MILK", day): 1.5,
    }
    cafe_1, cafe_2 = w.sites["CAFE-1"], w.sites["CAFE-2"]
    assert {(d.site_id, d.item_id): (d.added, d.quantity) for d in result.days} == {
        (cafe_1, w.items["LATTE"]): (2.0, 2.0),
        (cafe_1, w.items["BLEND"]): (0.03125, 0.03125),
        (cafe_1, w.items["MILK"]): (0.5, 0.5),
        (cafe_1, w.items["CUP"]): (2.0, 2.0),
        (cafe_2, w.items["LATTE"]): (4.0, 4.0),
        (cafe_2, w.items["BLEND"]): (0.125, 0.125),
        (cafe_2, w.items["MILK"]): (1.5, 1.5),
    }
    assert w.stored_signals() == 2


def test_every_problem_of_one_record_is_reported(w: RecipeWorld) -> None:
    result = ingest(w, rec(site_id="x", item="LATTE", recipe="LATTE", quantity=True))

    assert result.rejected == 1
    assert result.rejections == (
        Rejection(0, "site_id", "must be an integer id"),
        Rejection(0, "item", "give only one of: item_id, item (SKU) or recipe (SKU)"),
        Rejection(0, "quantity", "must be a number, not true or false"),
        Rejection(0, "occurred_at", "is required: an ISO 8601 timestamp with a UTC offset"),
    )


def test_retrying_the_same_batch_counts_nothing_twice(w: RecipeWorld) -> None:
    batch = [
        rec(site="CAFE-1", item="LATTE", quantity=3, occurred_at=MORNING, message_id="a"),
        rec(site="CAFE-1", item="LATTE", quantity=1, occurred_at=MORNING),  # no message id
    ]
    first = ingest(w, *batch)
    before = w.demand()

    again = ingest(w, *batch)

    assert (first.accepted, first.duplicates) == (2, 0)
    assert (again.accepted, again.duplicates, again.rejected) == (0, 2, 0)
    assert again.duplicate_records[0] == Duplicate(0, "a")
    assert again.duplicate_records[1].message_id.startswith("sha256:")
    assert again.days == ()
    assert w.demand() == before
    assert before[("CAFE-1", "LATTE", "2026-11-20")] == 4.0
    assert before[("CAFE-1", "CUP", "2026-11-20")] == 4.0
    assert w.stored_signals() == 2


def test_a_stored_message_id_reused_for_other_content_is_rejected(w: RecipeWorld) -> None:
    ingest(w, rec(site="CAFE-1", item="LATTE", quantity=3, occurred_at=MORNING, message_id="a"))

    result = ingest(
        w, rec(site="CAFE-1", item="LATTE", quantity=7, occurred_at=MORNING, message_id="a")
    )

    assert result.rejections == (
        Rejection(0, "message_id", "was already used by this sender for a different record"),
    )
    assert w.demand()[("CAFE-1", "LATTE", "2026-11-20")] == 3.0


def test_the_same_record_at_the_same_instant_in_another_offset_is_a_duplicate(
    w: RecipeWorld,
) -> None:
    ingest(w, rec(site="CAFE-1", item="LATTE", quantity=1, occurred_at="2026-11-20T07:00:00Z"))

    same = ingest(w, rec(site="CAFE-1", item="LATTE", quantity=1, occurred_at=MORNING))
    other = ingest(w, rec(site="CAFE-1", item="LATTE", quantity=2, occurred_at=MORNING))

    assert (same.accepted, same.duplicates) == (0, 1)
    assert (other.accepted, other.duplicates) == (1, 0)


def test_late_and_out_of_order_records_land_on_their_own_day(w: RecipeWorld) -> None:
    ingest(w, rec(site="CAFE-1", item="LATTE", quantity=5, occurred_at="2026-11-20T08:00:00Z"))
    w.clock.advance(timedelta(days=3))
    late = ingest(
        w,
        rec(site="CAFE-1", item="LATTE", quantity=1, occurred_at="2026-11-20T18:00:00Z"),
        rec(site="CAFE-1", item="LATTE", quantity=2, occurred_at="2026-11-12T10:00:00Z"),
        rec(site="CAFE-1", item="LATTE", quantity=4, occurred_at="2026-11-23T09:00:00Z"),
    )

    assert late.accepted == 3
    lattes = {k[2]: v for k, v in w.demand().items() if k[:2] == ("CAFE-1", "LATTE")}
    assert lattes == {"2026-11-12": 2.0, "2026-11-20": 6.0, "2026-11-23": 4.0}


def test_the_day_is_the_senders_local_day(w: RecipeWorld) -> None:
    # 23:30 in Rio on the 19th is 02:30 UTC on the 20th: the café's business day is the 19th
    result = ingest(
        w, rec(site="CAFE-1", item="LATTE", quantity=1, occurred_at="2026-11-19T23:30:00-03:00")
    )

    assert [d.day.isoformat() for d in result.days] == ["2026-11-19"] * 4


def test_a_small_clock_skew_into_the_future_is_tolerated(w: RecipeWorld) -> None:
    result = ingest(
        w, rec(site="CAFE-1", item="LATTE", quantity=1, occurred_at="2026-11-21T09:04:59Z")
    )

    assert result.accepted == 1


def test_raw_records_and_demand_are_stored_together_or_not_at_all(
    w: RecipeWorld, store: InMemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(points: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(store.demand, "increment", broken)

    with pytest.raises(RuntimeError):
        ingest(w, rec(site="CAFE-1", item="LATTE", quantity=1, occurred_at=MORNING))

    assert w.stored_signals() == 0
    assert w.demand() == {}


def test_a_member_cannot_ingest_into_another_members_site(w: RecipeWorld) -> None:
    result = ingestion.ingest_records(
        w.ctx,
        w.roaster,
        [rec(site_id=w.sites["CAFE-1"], item="LATTE", quantity=1, occurred_at=MORNING)],
        SignalSource.HTTP,
    )

    assert result.rejections == (Rejection(0, "site_id", "site CAFE-1 belongs to another member"),)
    assert w.demand() == {}


def test_an_api_key_without_the_ingest_scope_is_refused(w: RecipeWorld) -> None:
    issued = identity.create_api_key(w.ctx, w.cafe, "bi", frozenset({Scope.DATA_WRITE}))
    key = identity.authenticate_api_key(w.ctx, issued.key)

    with pytest.raises(Forbidden):
        ingestion.ingest_records(w.ctx, key, [], SignalSource.HTTP)


def test_records_are_stored_raw_with_their_sender_and_source(w: RecipeWorld) -> None:
    issued = identity.create_api_key(w.ctx, w.cafe, "till", frozenset({Scope.INGEST}))
    till = identity.authenticate_api_key(w.ctx, issued.key)
    ingestion.ingest_records(
        w.ctx,
        till,
        [rec(site="CAFE-1", item="LATTE", quantity=1.5, occurred_at=MORNING, message_id=17)],
        SignalSource.HTTP,
    )
    ingest(w, rec(site="CAFE-1", item="LATTE", quantity=1, occurred_at=MORNING, message_id=17))

    page = ingestion.read_signals(w.ctx, w.cafe, PageRequest(0, 10))
    assert [(r.sender, r.message_id, r.source, r.quantity) for r in page.items] == [
        (f"api-key:{issued.api_key.id}", "17", SignalSource.HTTP, 1.5),
        (f"user:{w.cafe.user_id}", "17", SignalSource.HTTP, 1.0),
    ]
    record = page.items[0]
    assert record.occurred_at.isoformat() == "2026-11-20T07:00:00+00:00"
    assert (record.received_at, record.device_id) == (w.clock.now(), None)
    assert ingestion.read_signals(w.ctx, w.roaster, PageRequest(0, 10)).total == 0


def test_csv_rows_are_read_by_column_name_and_reported_by_line(w: RecipeWorld) -> None:
    text = (
        "timestamp,site,item,quantity,message_id\n"
        f"{MORNING},CAFE-1,LATTE,2,c-1\n"
        "\n"
        f"{MORNING},CAFE-1,LATTE,,c-2\n"
        f"{MORNING},CAFE-1\n"
        f"{MORNING},CAFE-1,LATTE,1,\n"
    )

    result = ingestion.ingest_csv(w.ctx, w.cafe, text)

    assert (result.accepted, result.rejected) == (2, 2)
    assert result.rejections == (
        Rejection(1, "quantity", "is required and must be a number", line=4),
        Rejection(2, "row", "has 2 fields, the header 5", line=5),
    )
    assert w.demand()[("CAFE-1", "LATTE", "2026-11-20")] == 3.0


@pytest.mark.parametrize(
    ("header", "wrong"),
    [
        ("site,item,qty,timestamp", "missing quantity; unexpected qty"),
        ("site,item,quantity,timestamp,message_id,note", "unexpected note"),
        ("", "the file has no header line"),
    ],
)
def test_a_csv_with_wrong_columns_is_refused_naming_the_expected_ones(
    w: RecipeWorld, header: str, wrong: str
) -> None:
    with pytest.raises(ImportRejected) as caught:
        ingestion.ingest_csv(w.ctx, w.cafe, header + "\n")

    assert caught.value.detail == (
        "wrong CSV columns: expected the header site,item,quantity,timestamp,message_id "
        f"(message_id may be left out); {wrong}"
    )
    assert w.stored_signals() == 0


def test_a_batch_beyond_the_limit_is_refused_whole(w: RecipeWorld) -> None:
    too_many = [rec()] * (ingestion.MAX_BATCH + 1)

    with pytest.raises(ValidationFailed, match="at most 10000 records"):
        ingest(w, *too_many)


def test_days_report_the_total_after_the_batch(w: RecipeWorld) -> None:
    ingest(w, rec(site="CAFE-1", item="LATTE", quantity=2, occurred_at=MORNING))

    result = ingest(w, rec(site="CAFE-1", item="LATTE", quantity=3, occurred_at=MORNING))

    day = result.days[0].day
    assert DayTotal(w.sites["CAFE-1"], w.items["LATTE"], day, 3.0, 5.0) in result.days


def test_odd_json_values_are_rejected_not_crashed_on(w: RecipeWorld) -> None:
    result = ingest(
        w,
        rec(site=["CAFE-1"], item_id=10**20, quantity=1, occurred_at=MORNING),
        rec(site={"code": "CAFE-1"}, item={"sku": "LATTE"}, quantity={}, occurred_at=[]),
    )

    assert result.rejections == (
        Rejection(0, "site", "must be a site code"),
        Rejection(0, "item_id", "unknown item 100000000000000000000"),
        Rejection(1, "site", "must be a site code"),
        Rejection(1, "item", "must be an item SKU"),
        Rejection(1, "quantity", "must be a number"),
        Rejection(1, "occurred_at", "is required: an ISO 8601 timestamp with a UTC offset"),
    )
