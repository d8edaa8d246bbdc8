"""The consignee's view: loads bound for its sites, their latest arrival estimate and the
late-risk alerts among them (an alert is an undelivered inbound load whose newest estimate is at
risk; it clears when a newer estimate is not)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tandem.domain.identity import Principal, Scope
from tandem.domain.logistics import Load, LoadEta, LoadStatus, LoadStop
from tandem.services.context import ServiceContext
from tandem.services.logistics.loads import latest_eta

INBOUND = frozenset(
    {LoadStatus.TENDERED, LoadStatus.ACCEPTED, LoadStatus.IN_TRANSIT, LoadStatus.DELIVERED}
)


@dataclass(frozen=True)
class InboundLoad:
    load: Load
    stop: LoadStop
    """The caller's (first) drop on the load."""
    eta: LoadEta | None

    @property
    def late_risk(self) -> bool:
        return self.eta is not None and self.eta.late_risk

    @property
    def expected(self) -> datetime:
        """The estimated arrival, or the end of the delivery window before any estimate."""
        return self.load.delivery_to if self.eta is None else self.eta.estimated_arrival


def inbound(
    ctx: ServiceContext, principal: Principal, include_delivered: bool = False
) -> tuple[InboundLoad, ...]:
    """Loads bound for the caller's sites (not cancelled, rejected or merely planned), by
    expected arrival."""
    principal.require(Scope.DATA_READ)
    wanted = INBOUND if include_delivered else INBOUND - {LoadStatus.DELIVERED}
    found: dict[int, InboundLoad] = {}
    with ctx.uow() as uow:
        stops = uow.load_stops.find(
            network_id=principal.network_id, consignee_member_id=principal.member_id
        )
        for stop in sorted(stops, key=lambda s: (s.load_id, s.sequence)):
            load = uow.loads.get(stop.load_id)
            if load is None or load.status not in wanted or load.id in found:
                continue
            found[load.id] = InboundLoad(load, stop, latest_eta(uow, load.id))
    return tuple(sorted(found.values(), key=lambda x: (x.expected, x.load.id)))


def late_risk_alerts(ctx: ServiceContext, principal: Principal) -> tuple[InboundLoad, ...]:
    """Inbound loads, not yet delivered, whose newest estimate says they are at risk."""
    return tuple(x for x in inbound(ctx, principal) if x.late_risk)
