"""Settling a batch of MQTT messages, without a broker or a database: decoding, grouping per
device, and what becomes of bad input."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from tandem.adapters.memory import (
    FixedClock,
    InMemoryStore,
    PlainPasswordHasher,
    in_memory_uow_factory,
)
from tandem.adapters.mqtt.settle import Decoded, Received, Settled, decode, settle
from tandem.domain.errors import AuthenticationFailed
from tandem.domain.signals import Rejection
from tandem.services.context import ServiceContext
from tandem.services.ingestion import IngestResult

SERVICES = ServiceContext(
    in_memory_uow_factory(InMemoryStore()), FixedClock(), PlainPasswordHasher()
)


CONSUMPTION = "tandem/coffee/devices/M1/consumption"
STATUS, NO_DEVICE = "tandem/coffee/devices/M1/status", "tandem/coffee/devices//consumption"
NOT_A_TOPIC = "is not <prefix>/<network>/devices/<device>/consumption"
NOT_UTF8 = "'utf-8' codec can't decode byte 0x80 in position 0: invalid start byte"


def _received(payload: bytes, topic: str = CONSUMPTION) -> Received:
    return Received(mid=1, qos=1, generation=1, topic=topic, payload=payload)


@pytest.mark.parametrize(
    ("topic", "payload", "reason"),
    [
        (STATUS, b"{}", f"topic '{STATUS}' {NOT_A_TOPIC}"),
        (NO_DEVICE, b"{}", f"topic '{NO_DEVICE}' {NOT_A_TOPIC}"),
        (CONSUMPTION, b"\x80abc", f"payload is not JSON ({NOT_UTF8})"),
        (CONSUMPTION, b"", "payload is not JSON (Expecting value: line 1 column 1 (char 0))"),
        (CONSUMPTION, b'"text"', "payload is a JSON str, not an object"),
        (CONSUMPTION, b'{"key": 7}', 'payload has no device key ("key")'),
        (CONSUMPTION, b'{"key": "k", "records": {}}', '"records" is not a list'),
    ],
)  # fmt: skip
def test_undecodable_messages_have_a_reason(topic: str, payload: bytes, reason: str) -> None:
    assert decode(_received(payload, topic)) == reason


def test_a_message_is_one_record_or_a_list_of_records_and_its_key_is_taken_out() -> None:
    one = decode(_received(b'{"key": "k", "message_id": "a", "quantity": 1}'))
    many = decode(_received(b'{"key": "k", "records": [{"message_id": "a"}, {"message_id": "b"}]}'))

    assert isinstance(one, Decoded)
    assert (one.device_code, one.key, one.records) == (
        "M1",
        "k",
        ({"message_id": "a", "quantity": 1},),
    )
    assert isinstance(many, Decoded)
    assert many.records == ({"message_id": "a"}, {"message_id": "b"})


def _message(device: str, key: str, *ids: str) -> Received:
    body = {"key": key, "records": [{"message_id": i} for i in ids]}
    return _received(json.dumps(body).encode(), f"tandem/coffee/devices/{device}/consumption")


class FakeIngestion:
    """Records each call; a key of ``bad`` fails authentication, a message id ``boom`` raises,
    and a record ``no`` is rejected."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []

    def __call__(
        self, _services: ServiceContext, device: str, key: str, payload: Mapping[str, Any]
    ) -> IngestResult:
        ids = [record["message_id"] for record in payload["records"]]
        self.calls.append((device, ids))
        if key == "bad":
            raise AuthenticationFailed("invalid API key")
        if "boom" in ids:
            raise RuntimeError("a bug")
        rejections = tuple(Rejection(n, "quantity", "no") for n, i in enumerate(ids) if i == "no")
        return IngestResult(len(ids), len(ids) - len(rejections), 0, len(rejections), rejections)


def test_a_batch_is_one_call_per_device_in_arrival_order() -> None:
    ingest = FakeIngestion()
    batch = [_message("M1", "k1", "a"), _message("M2", "k2", "b"), _message("M1", "k1", "c", "d")]

    settled = settle(SERVICES, ingest, batch)

    assert ingest.calls == [("M1", ["a", "c", "d"]), ("M2", ["b"])]
    assert settled == Settled(accepted=4)


def test_a_refused_group_is_tried_message_by_message_so_the_good_ones_are_kept() -> None:
    ingest = FakeIngestion()
    batch = [_message("M1", "bad", "a"), _message("M1", "bad", "b")]

    assert settle(SERVICES, ingest, batch) == Settled(rejected=2)
    assert ingest.calls == [("M1", ["a", "b"]), ("M1", ["a"]), ("M1", ["b"])]


def test_an_unexpected_error_drops_only_the_message_that_caused_it() -> None:
    ingest = FakeIngestion()
    batch = [_message("M1", "k", "a"), _message("M1", "k", "boom"), _message("M1", "k", "no")]

    settled = settle(SERVICES, ingest, batch)

    assert settled == Settled(accepted=1, rejected=1, failed=1)
    assert ingest.calls == [
        ("M1", ["a", "boom", "no"]),
        ("M1", ["a"]),
        ("M1", ["boom"]),
        ("M1", ["no"]),
    ]


def test_undecodable_messages_are_counted_as_malformed_and_never_reach_the_service() -> None:
    ingest = FakeIngestion()

    settled = settle(SERVICES, ingest, [_received(b"{"), _message("M1", "k", "a")])

    assert settled == Settled(accepted=1, malformed=1)
    assert ingest.calls == [("M1", ["a"])]


def test_a_longer_topic_prefix_is_understood() -> None:
    message = Received(1, 1, 1, "acme/tandem/coffee/devices/M7/consumption", b'{"key": "k"}')

    decoded = decode(message, prefix_parts=2)

    assert isinstance(decoded, Decoded)
    assert decoded.device_code == "M7"
