"""Devices: registered with an ingest-only key, report recipes for their own site over HTTP and
MQTT (one message-id space), seen by their owner and granted partners, stopped by revoking."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tests.services.signal_world import NOW, RecipeWorld, recipe_world

from tandem.adapters.memory import FixedClock
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
from tandem.services.devices import RegisterDevice, RegisteredDevice
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
