"""The second topic family: carriers' load status reports.

Topic ``<prefix>/<network code>/loads/<load id>/status``; the payload is the JSON of one report
(``message_id``, ``status``, ``at``, optional ``location`` — a site code or ``{"latitude",
"longitude"}`` — ``delay_hours`` and ``note``) plus the carrier's ingest key as ``"key"``. Each
message is one call of :func:`tandem.services.logistics.tracking.record_device_message`, one
transaction, acknowledged after it committed like the consumption topic: a redelivered message
is a duplicate by its ``message_id`` and stored once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.exc import InterfaceError, OperationalError

from tandem.adapters.mqtt.settle import IngestFunction, Received, Settled, _describe, settle
from tandem.domain.errors import TandemError
from tandem.services.context import ServiceContext
from tandem.services.logistics.tracking import Recorded

log = logging.getLogger("tandem.ingest.mqtt")

TrackFunction = Callable[[ServiceContext, str, int, Mapping[str, Any]], Recorded]


def is_load_status(message: Received, prefix_parts: int = 1) -> bool:
    parts = message.topic.split("/")
    return len(parts) == prefix_parts + 4 and parts[-3] == "loads" and parts[-1] == "status"


def decode_status(message: Received) -> tuple[str, int, dict[str, Any]] | str:
    """The network code, the load id and the report, or why the message cannot be read."""
    parts = message.topic.split("/")
    if not parts[-2].isdigit():
        return f"topic {message.topic!r} names no load id"
    try:
        body = json.loads(message.payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return f"payload is not JSON ({error})"
    if not isinstance(body, dict):
        return f"payload is a JSON {type(body).__name__}, not an object"
    if not isinstance(body.get("key"), str) or not body["key"]:
        return 'payload has no carrier key ("key")'
    return parts[-4], int(parts[-2]), body


def settle_status(services: ServiceContext, track: TrackFunction, message: Received) -> Settled:
    """Record one status message; counted as accepted, duplicate, rejected or malformed."""
    decoded = decode_status(message)
    if isinstance(decoded, str):
        log.warning("malformed message on %s: %s", message.topic, decoded)
        return Settled(malformed=1)
    network, load_id, body = decoded
    try:
        recorded = track(services, network, load_id, body)
    except (OperationalError, InterfaceError):
        raise
    except TandemError as error:
        log.warning("load %d: report rejected: %s", load_id, _describe(error))
        return Settled(rejected=1)
    except Exception:
        log.exception("load %d: report dropped after an unexpected error", load_id)
        return Settled(failed=1)
    return Settled(duplicates=1) if recorded.duplicate else Settled(accepted=1)


def settle_all(
    services: ServiceContext,
    ingest: IngestFunction,
    track: TrackFunction,
    batch: Sequence[Received],
    prefix_parts: int = 1,
) -> Settled:
    """Settle a batch of both topic families: status reports one by one, in arrival order,
    then the consumption records per device (:func:`.settle.settle`)."""
    total = Settled()
    for message in batch:
        if is_load_status(message, prefix_parts):
            total += settle_status(services, track, message)
    rest = [m for m in batch if not is_load_status(m, prefix_parts)]
    return total + (settle(services, ingest, rest, prefix_parts) if rest else Settled())
