"""Settling a batch of received MQTT messages: decode, group per device, ingest, count.

Free of paho so it can be tested without a broker; :mod:`tandem.adapters.mqtt.subscriber` feeds it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import InterfaceError, OperationalError

from tandem.domain.errors import TandemError
from tandem.services.context import ServiceContext
from tandem.services.ingestion import IngestResult

__all__ = ["IngestFunction", "Received", "Settled", "decode", "settle"]

log = logging.getLogger("tandem.ingest.mqtt")


IngestFunction = Callable[[ServiceContext, str, str, Mapping[str, Any]], IngestResult]


@dataclass(frozen=True)
class Received:
    """One MQTT message as it came off the wire, with what is needed to acknowledge it."""

    mid: int
    qos: int
    generation: int
    topic: str
    payload: bytes


@dataclass(frozen=True)
class Settled:
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    malformed: int = 0
    failed: int = 0

    def __add__(self, other: Settled) -> Settled:
        return Settled(
            self.accepted + other.accepted,
            self.duplicates + other.duplicates,
            self.rejected + other.rejected,
            self.malformed + other.malformed,
            self.failed + other.failed,
        )


@dataclass(frozen=True)
class Decoded:
    message: Received
    network_code: str
    device_code: str
    key: str
    records: tuple[Any, ...]


def decode(message: Received, prefix_parts: int = 1) -> Decoded | str:
    """The device, its key and its records, or the reason the message cannot be read."""
    parts = message.topic.split("/")
    if (
        len(parts) != prefix_parts + 4
        or parts[-3] != "devices"
        or parts[-1] != "consumption"
        or not parts[-2]
    ):
        return f"topic {message.topic!r} is not <prefix>/<network>/devices/<device>/consumption"
    try:
        body = json.loads(message.payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return f"payload is not JSON ({error})"
    if not isinstance(body, dict):
        return f"payload is a JSON {type(body).__name__}, not an object"
    key = body.pop("key", None)
    if not isinstance(key, str) or not key:
        return 'payload has no device key ("key")'
    if "records" not in body:
        return Decoded(message, parts[-4], parts[-2], key, (body,))
    records = body["records"]
    if not isinstance(records, list):
        return '"records" is not a list'
    return Decoded(message, parts[-4], parts[-2], key, tuple(records))


def settle(
    services: ServiceContext,
    ingest: IngestFunction,
    batch: Sequence[Received],
    prefix_parts: int = 1,
) -> Settled:
    """Ingest a batch, one call (one transaction) per device; never raises for bad input.

    A lost database connection (``OperationalError``, ``InterfaceError``) propagates: the caller
    retries the batch, whose records already stored then count as duplicates.
    """
    total = Settled()
    groups: dict[tuple[str, str, str], list[Decoded]] = {}
    for message in batch:
        decoded = decode(message, prefix_parts)
        if isinstance(decoded, str):
            log.warning("malformed message on %s: %s", message.topic, decoded)
            total += Settled(malformed=1)
        else:
            group = (decoded.network_code, decoded.device_code, decoded.key)
            groups.setdefault(group, []).append(decoded)
    for messages in groups.values():
        total += _ingest_group(services, ingest, messages)
    return total


def _ingest_group(
    services: ServiceContext, ingest: IngestFunction, messages: list[Decoded]
) -> Settled:
    device = messages[0].device_code
    records = [record for message in messages for record in message.records]
    try:
        payload = {"network": messages[0].network_code, "records": records}
        result = ingest(services, device, messages[0].key, payload)
    except (OperationalError, InterfaceError):
        raise
    except TandemError as error:
        if len(messages) > 1:  # keep the good messages of the group: try them one by one
            return _one_by_one(services, ingest, messages)
        log.warning("device %s: message rejected: %s", device, _describe(error))
        return Settled(rejected=len(records))
    except Exception:
        if len(messages) > 1:
            return _one_by_one(services, ingest, messages)
        log.exception("device %s: message dropped after an unexpected error", device)
        return Settled(failed=1)
    _log_rejections(device, result)
    return Settled(result.accepted, result.duplicates, result.rejected)


def _one_by_one(
    services: ServiceContext, ingest: IngestFunction, messages: list[Decoded]
) -> Settled:
    total = Settled()
    for message in messages:
        total += _ingest_group(services, ingest, [message])
    return total


def _describe(error: TandemError) -> str:
    details = "; ".join(str(v) for v in error.violations[:10])
    return f"{error.code}: {error.detail}" + (f" ({details})" if details else "")


def _log_rejections(device: str, result: IngestResult) -> None:
    if not result.rejected:
        return
    shown = "; ".join(f"record {r.index} {r.field}: {r.reason}" for r in result.rejections[:10])
    log.warning("device %s: %d records rejected: %s", device, result.rejected, shown)
