"""Devices: registered with an ingest-only key, report recipes for their own site over HTTP and
MQTT (one message-id space), seen by their owner and granted partners, stopped by revoking."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.services.signal_world import NOW, RecipeWorld, recipe_world

from tandem.adapters.memory import (
    FixedClock,
    InMemoryStore,
    PlainPasswordHasher,
    in_memory_uow_factory,
)
from tandem.domain.errors import (
    AuthenticationFailed,
    DuplicateCode,
    Forbidden,
    NotFound,
    ValidationFailed,
    Violation,
)
from tandem.domain.identity import Principal, Scope
from tandem.domain.sharing import DataCategory
from tandem.domain.signals import DeviceKind, Rejection, SignalSource
from tandem.services import devices, feedback, identity, ingestion, sharing
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.devices import ItemConsumption, RegisterDevice, RegisteredDevice
from tandem.services.feedback import SubmitFeedback
from tandem.services.ingestion import SignalInput

ALL = PageRequest(0, 100)
MORNING = "2026-11-20T08:00:00+01:00"


@pytest.fixture
def w(ctx: ServiceContext, clock: FixedClock) -> RecipeWorld:
    return recipe_world(ctx, clock)


def register(w: RecipeWorld, code: str = "M-1", site: str = "CAFE-1") -> RegisteredDevice:
    command = RegisterDevice(w.sites[site], code, f"Machine {code}")
    return devices.register_device(w.ctx, w.cafe, command)


def key_of(w: RecipeWorld, registered: RegisteredDevice) -> Principal:
    return identity.authenticate_api_key(w.ctx, registered.api_key)


def message(**fields: Any) -> dict[str, Any]:
    return {"recipe": "LATTE", "quantity": 1, "at": MORNING, **fields}


def test_registering_a_device_creates_it_with_a_key_that_may_only_ingest(w: RecipeWorld) -> None:
    registered = register(w)

    device = registered.device
    assert (device.site_id, device.code, device.name, device.kind) == (
        w.sites["CAFE-1"],
        "M-1",
        "Machine M-1",
        DeviceKind.COFFEE_MACHINE,
    )
    assert (device.registered_at, device.last_seen_at, device.active) == (NOW, None, True)
    key = key_of(w, registered)
    assert (key.member_id, key.scopes, key.api_key_id) == (
        w.cafe.member_id,
        frozenset({Scope.INGEST}),
        device.api_key_id,
    )
    with w.ctx.uow() as uow:
        stored = uow.api_keys.get(device.api_key_id)
    assert stored is not None and registered.api_key.split("_")[2] not in stored.secret_hash


def test_device_codes_are_unique_in_the_network(w: RecipeWorld) -> None:
    register(w)

    with pytest.raises(DuplicateCode):
        register(w, site="CAFE-2")

    with w.ctx.uow() as uow:
        assert uow.api_keys.count() == 1  # the second key was never stored


def test_a_device_stands_at_one_of_its_members_sites(w: RecipeWorld) -> None:
    with pytest.raises(ValidationFailed) as caught:
        devices.register_device(w.ctx, w.cafe, RegisterDevice(w.sites["PLANT"], " ", "Machine"))

    assert caught.value.violations == [
        Violation("device", "must not be empty", "code"),
        Violation("device", "must be one of your sites", "site_id"),
    ]


def test_a_device_key_can_only_ingest(w: RecipeWorld) -> None:
    key = key_of(w, register(w))

    with pytest.raises(Forbidden):
        devices.register_device(w.ctx, key, RegisterDevice(w.sites["CAFE-1"], "M-2", "M"))
    with pytest.raises(Forbidden):
        devices.list_devices(w.ctx, key, ALL)
    with pytest.raises(Forbidden):
        ingestion.read_signals(w.ctx, key, ALL)
    with pytest.raises(Forbidden):
        feedback.summarise(w.ctx, key)


def test_a_device_reports_recipes_for_its_own_site_only(w: RecipeWorld) -> None:
    registered = register(w)
    key = key_of(w, registered)
    w.clock.advance(timedelta(minutes=3))

    result = ingestion.ingest_records(
        w.ctx,
        key,
        [
            SignalInput.from_mapping(message(message_id="1", quantity=2), "at"),
            SignalInput.from_mapping(message(message_id="2", site="CAFE-2"), "at"),
        ],
        SignalSource.HTTP,
    )

    assert result.rejections == (
        Rejection(1, "site", "a device reports for its own site only, not CAFE-2"),
    )
    assert w.demand() == {
        ("CAFE-1", "LATTE", "2026-11-20"): 2.0,
        ("CAFE-1", "BLEND", "2026-11-20"): 0.03125,
        ("CAFE-1", "MILK", "2026-11-20"): 0.5,
        ("CAFE-1", "CUP", "2026-11-20"): 2.0,
    }
    page = ingestion.read_signals(w.ctx, w.cafe, ALL)
    assert [(r.sender, r.device_id) for r in page.items] == [
        (f"device:{registered.device.id}", registered.device.id)
    ]
    seen = devices.get_device(w.ctx, w.cafe, registered.device.id).last_seen_at
    assert seen == NOW + timedelta(minutes=3)


def test_a_message_over_mqtt_and_again_over_http_counts_once(w: RecipeWorld) -> None:
    registered = register(w)

    over_mqtt = ingestion.ingest_device_message(
        w.ctx, "M-1", registered.api_key, message(message_id="42")
    )
    over_http = ingestion.ingest_records(
        w.ctx,
        key_of(w, registered),
        [SignalInput.from_mapping(message(message_id="42"), "at")],
        SignalSource.HTTP,
    )

    assert (over_mqtt.accepted, over_mqtt.duplicates) == (1, 0)
    assert (over_http.accepted, over_http.duplicates) == (0, 1)
    page = ingestion.read_signals(w.ctx, w.cafe, ALL)
    assert [(r.source, r.message_id) for r in page.items] == [(SignalSource.MQTT, "42")]
    assert w.demand()[("CAFE-1", "LATTE", "2026-11-20")] == 1.0


def test_a_device_message_may_hold_a_list_of_records(w: RecipeWorld) -> None:
    registered = register(w)
    payload = {
        "records": [
            message(message_id="1"),
            message(message_id="2", quantity="lots"),
            "not a record",
            message(message_id="3", item="LATTE", recipe=None),
        ]
    }

    result = ingestion.ingest_device_message(w.ctx, "M-1", registered.api_key, payload)

    assert (result.received, result.accepted, result.rejected) == (4, 2, 2)
    assert result.rejections == (
        Rejection(1, "quantity", "is not a number: 'lots'"),
        Rejection(2, "record", "must be a JSON object"),
    )


def test_an_unknown_device_rejects_every_record(w: RecipeWorld) -> None:
    mine = register(w)
    issued = identity.create_api_key(w.ctx, w.roaster, "gw", frozenset({Scope.INGEST}))

    unknown = ingestion.ingest_device_message(
        w.ctx, "NOPE", mine.api_key, {"records": [message(), message()]}
    )
    foreign = ingestion.ingest_device_message(w.ctx, "M-1", issued.key, message())

    assert unknown.rejections == (
        Rejection(0, "device", "unknown device"),
        Rejection(1, "device", "unknown device"),
    )
    assert (foreign.rejected, foreign.rejections[0].reason) == (1, "unknown device")
    assert w.stored_signals() == 0


def test_a_device_key_publishes_only_as_its_device_and_a_gateway_key_as_any(
    w: RecipeWorld,
) -> None:
    one = register(w, "M-1", "CAFE-1")
    register(w, "M-2", "CAFE-2")
    gateway = identity.create_api_key(w.ctx, w.cafe, "gateway", frozenset({Scope.INGEST}))

    as_other = ingestion.ingest_device_message(w.ctx, "M-2", one.api_key, message(message_id="1"))
    via_gateway = ingestion.ingest_device_message(
        w.ctx, "M-2", gateway.key, message(message_id="2")
    )

    assert as_other.rejections == (Rejection(0, "device", "unknown device"),)
    assert (via_gateway.accepted, via_gateway.rejected) == (1, 0)
    assert w.stored_signals() == 1


def test_a_message_on_another_networks_topic_is_refused(w: RecipeWorld) -> None:
    registered = register(w)
    with w.ctx.uow() as uow:
        network_code = uow.networks.get(registered.device.network_id).code  # type: ignore[union-attr]
    records = [message(message_id="1")]

    elsewhere = ingestion.ingest_device_message(
        w.ctx, "M-1", registered.api_key, {"network": "OTHER", "records": records}
    )
    home = ingestion.ingest_device_message(
        w.ctx, "M-1", registered.api_key, {"network": network_code, "records": records}
    )

    assert elsewhere.rejections == (Rejection(0, "device", "unknown device"),)
    assert (home.accepted, w.stored_signals()) == (1, 1)


def test_a_device_message_needs_a_valid_ingest_key(w: RecipeWorld) -> None:
    register(w)
    reader = identity.create_api_key(w.ctx, w.cafe, "bi", frozenset({Scope.DATA_READ}))

    with pytest.raises(AuthenticationFailed):
        ingestion.ingest_device_message(w.ctx, "M-1", "tdm_nope_nope", message())
    with pytest.raises(Forbidden):
        ingestion.ingest_device_message(w.ctx, "M-1", reader.key, message())


def test_deactivating_a_device_revokes_its_key_and_keeps_its_records(w: RecipeWorld) -> None:
    registered = register(w)
    ingestion.ingest_device_message(w.ctx, "M-1", registered.api_key, message(message_id="1"))

    stopped = devices.deactivate_device(w.ctx, w.cafe, registered.device.id)
    again = devices.deactivate_device(w.ctx, w.cafe, registered.device.id)

    assert (stopped.active, again) == (False, stopped)
    with pytest.raises(AuthenticationFailed):
        ingestion.ingest_device_message(w.ctx, "M-1", registered.api_key, message(message_id="2"))
    assert w.stored_signals() == 1
    with pytest.raises(NotFound):
        devices.deactivate_device(w.ctx, w.roaster, registered.device.id)


def test_devices_are_seen_by_their_owner_and_partners_granted_their_site(w: RecipeWorld) -> None:
    one = register(w, "M-1", "CAFE-1").device
    two = register(w, "M-2", "CAFE-2").device

    assert devices.list_devices(w.ctx, w.cafe, ALL).items == (one, two)
    assert devices.list_devices(w.ctx, w.cafe, ALL, site_id=w.sites["CAFE-2"]).items == (two,)
    assert devices.list_devices(w.ctx, w.roaster, ALL).total == 0
    with pytest.raises(NotFound):
        devices.get_device(w.ctx, w.roaster, one.id)

    grant = sharing.GrantAccess(
        w.roaster.member_id, DataCategory.DEMAND_HISTORY, site_ids=frozenset({w.sites["CAFE-1"]})
    )
    sharing.grant_access(w.ctx, w.cafe, grant)

    assert devices.list_devices(w.ctx, w.roaster, ALL).items == (one,)
    assert devices.get_device(w.ctx, w.roaster, one.id) == one
    with pytest.raises(NotFound):
        devices.get_device(w.ctx, w.roaster, two.id)


def test_the_device_overview_shows_its_latest_records_and_feedback(w: RecipeWorld) -> None:
    registered = register(w)
    for n in range(1, 5):
        ingestion.ingest_device_message(
            w.ctx, "M-1", registered.api_key, message(message_id=str(n), quantity=n)
        )
    key = key_of(w, registered)
    for rating in (5, 3):
        feedback.submit_feedback(w.ctx, key, SubmitFeedback(rating, "ok", item="LATTE"))

    overview = devices.device_overview(w.ctx, w.cafe, registered.device.id, recent=3)

    assert [r.message_id for r in overview.recent_signals] == ["4", "3", "2"]
    assert [(s.item_id, s.count, s.mean_rating) for s in overview.feedback] == [
        (w.items["LATTE"], 2, 4.0)
    ]


def send(w: RecipeWorld, registered: RegisteredDevice, message_id: str, **fields: Any) -> None:
    result = ingestion.ingest_device_message(
        w.ctx, registered.device.code, registered.api_key, message(message_id=message_id, **fields)
    )
    assert result.accepted == 1, result


def test_telemetry_explodes_the_latest_records_through_the_sites_recipe(w: RecipeWorld) -> None:
    one, two = register(w, "M-1", "CAFE-1"), register(w, "M-2", "CAFE-2")
    for n, quantity in enumerate((1, 2, 4), start=1):
        send(w, one, str(n), quantity=quantity)
    send(w, two, "1", quantity=2)

    seen = devices.device_telemetry(w.ctx, w.cafe, one.device.id, recent=2)
    there = devices.device_telemetry(w.ctx, w.cafe, two.device.id)

    i = w.items
    assert [r.message_id for r in seen.recent_signals] == ["3", "2"]
    # the last two records: 4 + 2 = 6 lattes; per latte 1/64 kg blend, 1/4 l milk, one cup
    assert seen.consumption == (
        ItemConsumption(i["BLEND"], 0.0, 6 * 0.015625),
        ItemConsumption(i["LATTE"], 6.0, 0.0),
        ItemConsumption(i["MILK"], 0.0, 1.5),
        ItemConsumption(i["CUP"], 0.0, 6.0),
    )
    assert (seen.messages_24h, seen.total_messages) == (3, 3)
    # CAFE-2's own recipe replaces the standard one: 1/32 kg blend, 3/8 l milk, and no cup
    assert there.consumption == (
        ItemConsumption(i["BLEND"], 0.0, 0.0625),
        ItemConsumption(i["LATTE"], 2.0, 0.0),
        ItemConsumption(i["MILK"], 0.0, 0.75),
    )


def test_daily_consumption_counts_each_record_on_its_senders_business_day(
    w: RecipeWorld,
) -> None:
    registered = register(w)
    send(w, registered, "late", quantity=2, at="2026-11-19T23:30:00+01:00")
    send(w, registered, "utc-next-day", quantity=1, at="2026-11-19T23:30:00-01:00")
    send(w, registered, "morning", quantity=4)
    before = devices.device_daily_consumption(w.ctx, w.cafe, registered.device.id)
    w.clock.advance(timedelta(days=15))  # the three records leave the 14-day window
    send(w, registered, "now", quantity=1, at=(NOW + timedelta(days=15)).isoformat())
    days = devices.device_daily_consumption(w.ctx, w.cafe, registered.device.id)

    latte, cup = w.items["LATTE"], w.items["CUP"]
    assert [(d.day.isoformat(), d.consumption.total) for d in days] == [
        ("2026-12-06", 0.015625),
        ("2026-12-06", 1.0),
        ("2026-12-06", 0.25),
        ("2026-12-06", 1.0),
    ]
    # 23:30 at +01:00 is the 19th; 23:30 at -01:00 the 19th too (00:30 UTC on the 20th)
    lattes = [
        (d.day.isoformat(), d.consumption.recorded)
        for d in before
        if d.consumption.item_id == latte
    ]
    cups = [
        (d.day.isoformat(), d.consumption.from_recipes)
        for d in before
        if d.consumption.item_id == cup
    ]
    assert lattes == [("2026-11-19", 3.0), ("2026-11-20", 4.0)]
    assert cups == [("2026-11-19", 3.0), ("2026-11-20", 4.0)]


def test_the_device_list_shows_messages_of_the_last_24_hours_and_the_mean_rating(
    w: RecipeWorld,
) -> None:
    busy, quiet = register(w, "M-1"), register(w, "M-2")
    send(w, busy, "1")
    w.clock.advance(timedelta(hours=10))
    send(w, busy, "2")
    send(w, busy, "3")
    w.clock.advance(timedelta(hours=14))  # message 1 arrived exactly 24 hours ago: still counts
    send(w, busy, "4")
    for rating in (5, 4, 4):
        feedback.submit_feedback(w.ctx, key_of(w, busy), SubmitFeedback(rating, item="LATTE"))

    now = devices.list_device_activity(w.ctx, w.cafe, ALL)
    w.clock.advance(timedelta(seconds=1))
    later = devices.list_device_activity(w.ctx, w.cafe, ALL)

    first, second = now.items
    assert (first.device.id, first.messages_24h, first.feedback_count) == (busy.device.id, 4, 3)
    assert first.mean_rating == 13 / 3
    assert first.last_message_at == NOW + timedelta(hours=24)
    assert (second.device.id, second.messages_24h, second.mean_rating) == (quiet.device.id, 0, None)
    assert second.last_message_at is None
    assert [a.messages_24h for a in later.items] == [3, 0]


def test_a_partner_sees_the_consumption_of_granted_items_only_and_is_audited(
    w: RecipeWorld,
) -> None:
    registered = register(w)
    send(w, registered, "1", quantity=2)
    with pytest.raises(NotFound):
        devices.device_telemetry(w.ctx, w.roaster, registered.device.id)

    granted = frozenset({w.items["LATTE"], w.items["MILK"]})
    grant = sharing.grant_access(
        w.ctx,
        w.cafe,
        sharing.GrantAccess(w.roaster.member_id, DataCategory.DEMAND_HISTORY, item_ids=granted),
    )

    seen = devices.device_telemetry(w.ctx, w.roaster, registered.device.id)
    assert seen.consumption == (
        ItemConsumption(w.items["LATTE"], 2.0, 0.0),
        ItemConsumption(w.items["MILK"], 0.0, 0.5),
    )
    audit = sharing.read_audit_log(w.ctx, w.cafe, PageRequest(0, 10)).items
    assert [(a.grant_id, a.resource, a.rows) for a in audit] == [
        (grant.id, f"device {registered.device.id} signals", 1)
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    gaps=st.lists(st.integers(0, 30), max_size=12),
    wait=st.integers(0, 30),
)
def test_messages_of_the_last_24_hours_match_a_plain_count(gaps: list[int], wait: int) -> None:
    """Bisection over the arrival order against counting every record by hand."""
    clock = FixedClock()
    ctx = ServiceContext(in_memory_uow_factory(InMemoryStore()), clock, PlainPasswordHasher())
    w = recipe_world(ctx, clock)
    registered = register(w)
    for n, gap in enumerate(gaps):
        clock.advance(timedelta(hours=gap))
        send(w, registered, str(n), at=clock.now().isoformat())
    clock.advance(timedelta(hours=wait))

    (line,) = devices.list_device_activity(ctx, w.cafe, ALL).items

    with ctx.uow() as uow:
        arrivals = [r.received_at for r in uow.signal_records.find()]
    cutoff = clock.now() - timedelta(hours=24)
    assert line.messages_24h == sum(1 for at in arrivals if at >= cutoff)
