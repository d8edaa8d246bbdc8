"""The EPCIS 2.0 builder (tandem.domain.epcis) against the standard's structure.

``jsonschema`` is not a dependency, so :func:`violations` checks what the GS1 EPCIS 2.0 JSON
schema and CBV 2.0 require of the events we emit: the keys of each event type, the value
vocabularies, the time-zone offset and unit-of-measure patterns, and that identifiers are URIs.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from urllib.parse import urlparse

import pytest

from tandem.domain.epcis import (
    CONTEXT,
    Consignment,
    Goods,
    Urns,
    epcis_document,
    event_id,
    quantity_list,
    receiving_events,
    shipping_events,
    timestamp,
    timezone_offset,
    uom_of,
)

AT = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
CONSIGNMENT = Consignment("coffee", "PO-000007", "SHP-000003", "ROAST", "CAFE", "PLANT", "CAFE-1")
GOODS = [
    Goods("BLEND", "kg", Decimal("30.000"), "L1"),
    Goods("LATTE", "cup", Decimal("12.000")),
    Goods("BLEND", "kg", Decimal("0.500"), "L1"),
]

# CBV 2.0 vocabularies (the subsets a schema-valid event of ours may use).
ACTIONS = {"ADD", "OBSERVE", "DELETE"}
BIZ_STEPS = {"packing", "shipping", "unpacking", "receiving", "departing", "arriving"}
DISPOSITIONS = {
    "in_progress",
    "in_transit",
    "damaged",
    "active",
    "sellable_accessible",
}
BIZ_TRANSACTION_TYPES = {"po", "desadv", "recadv", "inv", "bol"}
PARTY_TYPES = {"owning_party", "possessing_party", "location"}
COMMON = {"type", "eventTime", "eventTimeZoneOffset", "eventID", "action"}
ALLOWED = {
    "ObjectEvent": {
        *COMMON,
        "epcList",
        "quantityList",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "bizTransactionList",
        "sourceList",
        "destinationList",
    },
    "AggregationEvent": {
        *COMMON,
        "parentID",
        "childEPCs",
        "childQuantityList",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "bizTransactionList",
        "sourceList",
        "destinationList",
    },
}
OFFSET = re.compile(r"^[+-]((0\d|1[0-3]):[0-5]\d|14:00)$")
UOM = re.compile(r"^[A-Z0-9]{2,3}$")


def _is_uri(value: Any) -> bool:
    return isinstance(value, str) and bool(urlparse(value).scheme) and " " not in value


def _quantity_violations(elements: list[dict[str, Any]], where: str) -> list[str]:
    found = []
    for element in elements:
        if not _is_uri(element.get("epcClass")):
            found.append(f"{where}: epcClass must be a URI")
        if not isinstance(element.get("quantity"), int | float) or element["quantity"] <= 0:
            found.append(f"{where}: quantity must be a positive number")
        if "uom" in element and not UOM.match(element["uom"]):
            found.append(f"{where}: uom {element['uom']!r} is not a UN/ECE Rec 20 code")
    return found


def _list_violations(event: dict[str, Any]) -> list[str]:
    found = []
    for entry in event.get("bizTransactionList", []):
        if entry.get("type") not in BIZ_TRANSACTION_TYPES or not _is_uri(entry["bizTransaction"]):
            found.append(f"bad bizTransaction {entry}")
    for key, field in (("sourceList", "source"), ("destinationList", "destination")):
        for entry in event.get(key, []):
            if entry.get("type") not in PARTY_TYPES or not _is_uri(entry.get(field)):
                found.append(f"bad {field} {entry}")
    for key in ("readPoint", "bizLocation"):
        if key in event and (set(event[key]) != {"id"} or not _is_uri(event[key]["id"])):
            found.append(f"{key} must be {{'id': URI}}")
    return found


def _header_violations(event: dict[str, Any]) -> list[str]:
    found = []
    if datetime.fromisoformat(event["eventTime"]).tzinfo is None:
        found.append("eventTime needs a time zone")
    if not OFFSET.match(event["eventTimeZoneOffset"]):
        found.append("eventTimeZoneOffset must read ±hh:mm")
    if not _is_uri(event["eventID"]):
        found.append("eventID must be a URI")
    if event["action"] not in ACTIONS:
        found.append(f"action {event['action']!r}")
    if event.get("bizStep", "shipping") not in BIZ_STEPS:
        found.append(f"bizStep {event['bizStep']!r}")
    if event.get("disposition", "active") not in DISPOSITIONS:
        found.append(f"disposition {event['disposition']!r}")
    return found


def violations(event: dict[str, Any]) -> list[str]:
    """What makes ``event`` break the EPCIS 2.0 JSON schema (or CBV 2.0); empty if nothing."""
    kind = event.get("type")
    if kind not in ALLOWED:
        return [f"unknown event type {kind!r}"]
    found = [f"missing {key}" for key in sorted(COMMON - set(event))]
    found += [f"unexpected {key}" for key in sorted(set(event) - ALLOWED[kind])]
    if found:
        return found
    found += _header_violations(event)
    if kind == "ObjectEvent":
        if not event.get("quantityList") and "epcList" not in event:
            found.append("an ObjectEvent needs epcList or a non-empty quantityList")
        found += _quantity_violations(event.get("quantityList", []), "quantityList")
    else:
        if event["action"] != "DELETE" and not _is_uri(event.get("parentID")):
            found.append("an aggregation ADD/OBSERVE needs a parentID")
        if event["action"] != "DELETE" and not event.get("childQuantityList"):
            found.append("an aggregation ADD/OBSERVE needs children")
        found += _quantity_violations(event.get("childQuantityList", []), "childQuantityList")
    return found + _list_violations(event)


def test_the_checker_catches_what_the_schema_forbids() -> None:
    bad = {
        "type": "ObjectEvent",
        "eventTime": "2026-11-21T09:00:00",
        "eventTimeZoneOffset": "+15:00",
        "eventID": "not a uri",
        "action": "MOVE",
        "bizStep": "teleporting",
        "quantityList": [{"epcClass": "urn:x:y", "quantity": 1, "uom": "kg"}],
        "readPoint": "urn:x:site",
    }

    assert violations(bad) == [
        "eventTime needs a time zone",
        "eventTimeZoneOffset must read ±hh:mm",
        "eventID must be a URI",
        "action 'MOVE'",
        "bizStep 'teleporting'",
        "quantityList: uom 'kg' is not a UN/ECE Rec 20 code",
        "readPoint must be {'id': URI}",
    ]
    assert violations({"type": "ObjectEvent"}) == [
        "missing action",
        "missing eventID",
        "missing eventTime",
        "missing eventTimeZoneOffset",
    ]


def test_shipping_is_a_packing_aggregation_then_an_object_event_in_transit() -> None:
    packing, shipping = shipping_events(CONSIGNMENT, GOODS, AT)

    assert violations(packing) == []
    assert violations(shipping) == []
    quantities = [
        {"epcClass": "urn:tandem:coffee:item:BLEND:lot:L1", "quantity": 30.5, "uom": "KGM"},
        {"epcClass": "urn:tandem:coffee:item:LATTE", "quantity": 12},
    ]
    assert packing == {
        "type": "AggregationEvent",
        "eventTime": "2026-11-21T09:00:00.000Z",
        "eventTimeZoneOffset": "+00:00",
        "eventID": event_id(
            "urn:tandem:coffee:shipment:SHP-000003#AggregationEvent/packing/in_progress"
        ),
        "action": "ADD",
        "bizStep": "packing",
        "disposition": "in_progress",
        "parentID": "urn:tandem:coffee:shipment:SHP-000003",
        "childQuantityList": quantities,
        "readPoint": {"id": "urn:tandem:coffee:site:PLANT"},
        "bizLocation": {"id": "urn:tandem:coffee:site:PLANT"},
        "bizTransactionList": [
            {"type": "po", "bizTransaction": "urn:tandem:coffee:po:PO-000007"},
            {"type": "desadv", "bizTransaction": "urn:tandem:coffee:desadv:SHP-000003"},
        ],
    }
    assert (shipping["action"], shipping["bizStep"], shipping["disposition"]) == (
        "OBSERVE",
        "shipping",
        "in_transit",
    )
    assert shipping["quantityList"] == quantities
    assert "bizLocation" not in shipping  # goods on the road are at no business location
    assert shipping["sourceList"] == [
        {"type": "owning_party", "source": "urn:tandem:coffee:member:ROAST"},
        {"type": "location", "source": "urn:tandem:coffee:site:PLANT"},
    ]
    assert shipping["destinationList"] == [
        {"type": "owning_party", "destination": "urn:tandem:coffee:member:CAFE"},
        {"type": "location", "destination": "urn:tandem:coffee:site:CAFE-1"},
    ]


def test_receiving_splits_accepted_and_damaged_goods_by_disposition() -> None:
    accepted = [Goods("BLEND", "kg", Decimal("27.5"), "L1")]
    damaged = [Goods("BLEND", "kg", Decimal("2.5"), "L1")]

    events = receiving_events(CONSIGNMENT, "GR-000004", accepted, damaged, AT)

    assert [violations(e) for e in events] == [[], [], []]
    assert [(e["type"], e["action"], e["bizStep"], e["disposition"]) for e in events] == [
        ("AggregationEvent", "DELETE", "unpacking", "in_progress"),
        ("ObjectEvent", "OBSERVE", "receiving", "in_progress"),
        ("ObjectEvent", "OBSERVE", "receiving", "damaged"),
    ]
    assert [e["quantityList"][0]["quantity"] for e in events[1:]] == [27.5, 2.5]
    assert events[1]["bizTransactionList"][-1] == {
        "type": "recadv",
        "bizTransaction": "urn:tandem:coffee:recadv:GR-000004",
    }
    assert {e["bizLocation"]["id"] for e in events} == {"urn:tandem:coffee:site:CAFE-1"}
    assert len({e["eventID"] for e in events}) == 3


def test_a_disposition_without_goods_has_no_event() -> None:
    nothing = [Goods("BLEND", "kg", Decimal(0))]

    intact = receiving_events(CONSIGNMENT, "GR-1", [Goods("BLEND", "kg", Decimal(5))], nothing, AT)
    lost = receiving_events(CONSIGNMENT, "GR-1", nothing, nothing, AT)

    assert [e["disposition"] for e in intact] == ["in_progress", "in_progress"]
    assert [e["type"] for e in lost] == ["AggregationEvent"]


def test_event_ids_are_stable_per_step_and_differ_between_steps() -> None:
    again = shipping_events(CONSIGNMENT, GOODS[:1], AT + timedelta(hours=1))
    first = shipping_events(CONSIGNMENT, GOODS, AT)

    assert [e["eventID"] for e in again] == [e["eventID"] for e in first]
    assert first[0]["eventID"] != first[1]["eventID"]
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", first[0]["eventID"])


@pytest.mark.parametrize(
    ("unit", "code"),
    [("kg", "KGM"), ("KG", "KGM"), ("l", "LTR"), ("pcs", "H87"), ("TNE", "TNE"), ("cup", None)],
)
def test_units_map_to_un_ece_codes_or_count_instances(unit: str, code: str | None) -> None:
    assert uom_of(unit) == code


def test_identifiers_escape_what_a_urn_cannot_hold() -> None:
    urns = Urns("coffee net")

    assert urns.site("CAFE 1/B") == "urn:tandem:coffee%20net:site:CAFE%201%2FB"
    assert urns.item("BLEND", "L:7") == "urn:tandem:coffee%20net:item:BLEND:lot:L%3A7"
    assert quantity_list(urns, []) == []


def test_times_are_utc_with_the_local_offset_kept_apart() -> None:
    local = datetime(
        2026, 3, 1, 14, 30, 5, 123456, tzinfo=timezone(timedelta(hours=-5, minutes=-30))
    )

    assert (timestamp(local), timezone_offset(local)) == ("2026-03-01T20:00:05.123Z", "-05:30")
    with pytest.raises(ValueError, match="timezone-aware"):
        timestamp(datetime(2026, 3, 1))


def test_document_wraps_the_events_and_is_plain_json() -> None:
    events = shipping_events(CONSIGNMENT, GOODS, AT)

    document = epcis_document(events, AT + timedelta(seconds=1))

    assert json.loads(json.dumps(document)) == document
    assert {k: v for k, v in document.items() if k != "epcisBody"} == {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-21T09:00:01.000Z",
    }
    assert document["epcisBody"] == {"eventList": events}
    assert CONTEXT == "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
