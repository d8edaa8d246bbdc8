"""Carrier scorecards: tender acceptance, on-time pick-up and on-time delivery of each carrier
a shipper tendered to (:mod:`tandem.domain.performance.carriers`).

A scorecard is the shared data of one shipper and one carrier: the shipper reads one per carrier
it tendered to, the carrier one per shipper that tendered to it; nobody else sees it.
"""

from __future__ import annotations

from datetime import date

from tandem.domain.identity import Principal, Scope
from tandem.domain.performance import check_period
from tandem.domain.performance.carriers import CarrierScorecard, score_carrier
from tandem.services.context import ServiceContext
from tandem.services.ports import UnitOfWork


def _card(
    uow: UnitOfWork, pair: tuple[int, int], since: date, until: date, ctx: ServiceContext
) -> CarrierScorecard:
    shipper, carrier = pair
    tenders = uow.tenders.find(shipper_member_id=shipper, carrier_member_id=carrier)
    loads = [load for i in sorted({t.load_id for t in tenders}) if (load := uow.loads.get(i))]
    events = [e for load in loads for e in uow.tracking_events.find(load_id=load.id)]
    return score_carrier(shipper, carrier, tenders, loads, events, since, until, ctx.clock.now())


def carrier_scorecards(
    ctx: ServiceContext, principal: Principal, since: date, until: date
) -> tuple[CarrierScorecard, ...]:
    """A scorecard of every shipper-carrier pair the caller is part of, over ``[since, until)``,
    in order of shipper and carrier id."""
    principal.require(Scope.DATA_READ)
    check_period(since, until)
    me, network = principal.member_id, principal.network_id
    with ctx.uow() as uow:
        tenders = [
            *uow.tenders.find(network_id=network, shipper_member_id=me),
            *uow.tenders.find(network_id=network, carrier_member_id=me),
        ]
        pairs = sorted({(t.shipper_member_id, t.carrier_member_id) for t in tenders})
        return tuple(_card(uow, pair, since, until, ctx) for pair in pairs)
