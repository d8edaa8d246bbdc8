"""GS1 EPCIS 2.0 events of a carrier's tracking reports: a pure builder.

Each report on a load becomes one ``ObjectEvent`` (``OBSERVE``) per shipment on the load, with
the CBV 2.0 business step of the report and the disposition ``in_transit`` (the goods stay in
transit until the consignee's goods receipt records ``receiving``):

=============  ================
report         bizStep
=============  ================
picked_up      ``loading``
departed       ``departing``
arrived        ``arriving``
delivered      ``unloading``
exception      ``transporting``
=============  ================

``readPoint`` is the reported site's URN, or a ``geo:`` URI (RFC 5870) of the reported position,
or the shipment's origin site when the report names neither. The load is named as a
``bol`` (bill of lading) business transaction next to the order (``po``) and shipment
(``desadv``). Event ids are name-based on the shipment and the report's message id, so the
same report never yields two events.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from tandem.domain.epcis import (
    Action,
    Consignment,
    Disposition,
    Event,
    EventType,
    Goods,
    PartyType,
    Urns,
    event_id,
    quantity_list,
    timestamp,
    timezone_offset,
)
from tandem.domain.logistics import Load, TrackingEvent, TrackingStatus

SAFE = "-._~"
BIZ_STEP = {
    TrackingStatus.PICKED_UP: "loading",
    TrackingStatus.DEPARTED: "departing",
    TrackingStatus.ARRIVED: "arriving",
    TrackingStatus.DELIVERED: "unloading",
    TrackingStatus.EXCEPTION: "transporting",
}


def load_urn(network_code: str, number: str) -> str:
    """``urn:tandem:<network>:load:<number>``, like the other private URNs of the network."""
    return f"urn:tandem:{quote(network_code, safe=SAFE)}:load:{quote(number, safe=SAFE)}"


def _read_point(urns: Urns, report: TrackingEvent, site_code: str | None, origin: str) -> str:
    if site_code is not None:
        return urns.site(site_code)
    if report.latitude is not None and report.longitude is not None:
        return f"geo:{report.latitude:g},{report.longitude:g}"
    return urns.site(origin)


def tracking_event(
    c: Consignment,
    load: Load,
    report: TrackingEvent,
    goods: Sequence[Goods],
    site_code: str | None = None,
) -> Event:
    """The ``ObjectEvent`` of ``report`` for the shipment ``c`` carried on ``load``."""
    urns = Urns(c.network_code)
    seed = urns.shipment(c.shipment_number)
    step = BIZ_STEP[report.status]
    return {
        "type": EventType.OBJECT.value,
        "eventTime": timestamp(report.at),
        "eventTimeZoneOffset": timezone_offset(report.at),
        "eventID": event_id(f"{seed}#tracking/{load.number}/{report.message_id}"),
        "action": Action.OBSERVE.value,
        "bizStep": step,
        "disposition": Disposition.IN_TRANSIT.value,
        "quantityList": quantity_list(urns, goods),
        "readPoint": {"id": _read_point(urns, report, site_code, c.from_site_code)},
        "bizTransactionList": [
            {"type": "po", "bizTransaction": urns.po(c.order_number)},
            {"type": "desadv", "bizTransaction": urns.desadv(c.shipment_number)},
            {"type": "bol", "bizTransaction": load_urn(c.network_code, load.number)},
        ],
        "sourceList": [
            {"type": PartyType.OWNING_PARTY.value, "source": urns.member(c.shipper_code)},
            {"type": PartyType.LOCATION.value, "source": urns.site(c.from_site_code)},
        ],
        "destinationList": [
            {"type": PartyType.OWNING_PARTY.value, "destination": urns.member(c.consignee_code)},
            {"type": PartyType.LOCATION.value, "destination": urns.site(c.to_site_code)},
        ],
    }
