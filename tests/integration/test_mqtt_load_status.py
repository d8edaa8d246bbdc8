"""Carriers' load status reports through a real Mosquitto broker into the database (SQLite and
PostgreSQL), on the second topic family ``<prefix>/<network>/loads/<load id>/status``: stored
once when published twice, rejected with a count when the key is not the carrier's, and the
load shipped and in transit after the pick-up report."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.engine import Engine

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.adapters.mqtt import IngestionCounts, MqttPublisher, MqttSubscriber, discard_session
from tandem.adapters.mqtt.broker import load_status_topic
from tandem.bootstrap import bootstrap
from tandem.config import Settings
from tandem.domain.identity import Scope
from tandem.domain.logistics import LoadStatus
from tandem.services import identity
from tandem.services.context import ServiceContext
from tandem.services.logistics import loads
from tests.integration.test_mqtt_ingestion import SETTLE_S, mqtt_url  # noqa: F401 (fixture)
from tests.services.carrier_world import Haul, accepted_load, build

CET = timezone(timedelta(hours=1))


@pytest.fixture
def world(engine: Engine, mqtt_url: str) -> Iterator[tuple[Haul, str, str]]:  # noqa: F811
    services = bootstrap(
        Settings(database_url=engine.url.render_as_string(hide_password=False)),
        engine=engine, clock=FixedClock(), passwords=PlainPasswordHasher(),
    ).services  # fmt: skip
    prefix = f"tandem-test-{uuid.uuid4().hex[:10]}"
    yield build(services), prefix, mqtt_url
    discard_session(mqtt_url, f"{prefix}-ingest")


def _key(ctx: ServiceContext, haul: Haul, carrier: bool = True) -> str:
    who = haul.carrier if carrier else haul.beans
    return identity.create_api_key(ctx, who, "tracker", frozenset({Scope.INGEST})).key


def test_status_reports_over_mqtt_are_recorded_once_and_ship_the_load(
    world: tuple[Haul, str, str],
) -> None:
    haul, prefix, url = world
    load_id = accepted_load(haul)
    good = _key(haul.ctx, haul)
    at = datetime(2026, 11, 23, 10, tzinfo=CET).isoformat()
    picked = {
        "message_id": "p-1",
        "status": "picked_up",
        "at": at,
        "location": "PLANT",
        "key": good,
    }
    stranger = {**picked, "message_id": "p-2", "key": _key(haul.ctx, haul, carrier=False)}
    topic = load_status_topic("coffee", str(load_id), prefix)
    subscriber = MqttSubscriber(
        haul.ctx, url, client_id=f"{prefix}-ingest", topic_prefix=prefix, batch_window_s=0.05
    )
    subscriber.start()
    publisher = MqttPublisher(url, topic_prefix=prefix)
    publisher.connect()
    try:
        for body in (picked, picked, stranger):
            publisher.publish_raw(topic, json.dumps(body).encode())
        publisher.publish_raw(load_status_topic("coffee", "x", prefix), b"{}")
        assert publisher.flush()
        assert subscriber.wait_settled(4, SETTLE_S)
    finally:
        publisher.close()
        subscriber.stop()

    assert subscriber.counts == IngestionCounts(
        messages=4, accepted=1, duplicates=1, rejected=1, malformed=1
    )
    detail = loads.get_load(haul.ctx, haul.roaster, load_id)
    assert detail.load.status is LoadStatus.IN_TRANSIT
    assert [(e.message_id, e.source.value, e.site_id) for e in detail.events] == [
        ("p-1", "mqtt", haul.ids["PLANT"])
    ]
    assert [x.shipment_id is not None for x in detail.lines] == [True]
