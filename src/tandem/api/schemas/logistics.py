"""Vehicle types, loads, tenders, tracking events, inbound loads and carrier scorecards.

Times are ISO 8601 with a zone (a time without one is refused); money in minor units of the
network's currency; quantities as in the inventory ledger (three-decimal strings out).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Self

from pydantic import AwareDatetime, Field

from tandem.api.schemas.common import Code, Id, Line120, Name, RequestModel, ResponseModel
from tandem.api.schemas.inventory import QuantityIn, QuantityOut
from tandem.domain.logistics import (
    EtaBasis,
    LoadStatus,
    TenderStatus,
    TrackingSource,
    TrackingStatus,
)
from tandem.domain.network import TransportMode
from tandem.domain.performance.carriers import CarrierScorecard
from tandem.services.logistics.inbound import InboundLoad
from tandem.services.logistics.loads import CreateLoad, LoadDetail, PlanLine, StopPlan
from tandem.services.logistics.tenders import TenderLoad, TenderView
from tandem.services.logistics.tracking import Recorded, ReportStatus
from tandem.services.logistics.vehicles import VehicleTypeFields

Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]
Minor = Annotated[int, Field(ge=0, le=10**15)]
Text500 = Annotated[str, Field(max_length=500)]


class VehicleTypeIn(RequestModel):
    code: Code
    name: Name
    mode: TransportMode
    max_weight_kg: Positive
    max_volume_m3: Positive
    cost_per_km: NonNegative
    fixed_cost: NonNegative
    network_wide: bool = Field(default=False, description="Network administrators only")

    def fields(self) -> VehicleTypeFields:
        return VehicleTypeFields(**self.model_dump())


class VehicleTypeOut(ResponseModel):
    id: int
    network_id: int
    code: str
    name: str
    mode: TransportMode
    max_weight_kg: float
    max_volume_m3: float
    cost_per_km: float
    fixed_cost: float
    member_id: int | None = Field(description="Null: network-wide")


class LoadLineIn(RequestModel):
    quantity: Annotated[QuantityIn, Field(gt=0)]
    order_line_id: Id | None = Field(default=None, description="A line of your sales order")
    item_id: Id | None = Field(default=None, description="For a transfer")
    to_site_id: Id | None = Field(default=None, description="For a transfer")
    transfer_reference: Line120 = ""


class StopIn(RequestModel):
    site_id: Id
    planned_arrival: AwareDatetime | None = None


class LoadIn(RequestModel):
    origin_site_id: Id
    mode: TransportMode
    pickup_from: AwareDatetime
    pickup_to: AwareDatetime
    delivery_from: AwareDatetime
    delivery_to: AwareDatetime
    lines: Annotated[list[LoadLineIn], Field(min_length=1, max_length=500)]
    stops: list[StopIn] = Field(default=[], description="Drops in order; omitted: the lines'")
    vehicle_type_id: Id | None = None
    planned_cost_minor: Minor = 0
    distance_km: NonNegative | None = None
    reference: Annotated[str, Field(max_length=200)] = ""

    def command(self) -> CreateLoad:
        return CreateLoad(
            self.origin_site_id, self.mode, self.pickup_from, self.pickup_to, self.delivery_from,
            self.delivery_to, tuple(PlanLine(**x.model_dump()) for x in self.lines),
            tuple(StopPlan(x.site_id, x.planned_arrival) for x in self.stops),
            self.vehicle_type_id, self.planned_cost_minor, self.distance_km, self.reference,
        )  # fmt: skip


class LoadOut(ResponseModel):
    id: int
    network_id: int
    number: str
    shipper_member_id: int
    origin_site_id: int
    mode: TransportMode
    pickup_from: datetime
    pickup_to: datetime
    delivery_from: datetime
    delivery_to: datetime
    weight_kg: float
    volume_m3: float
    planned_cost_minor: int
    status: LoadStatus
    version: int
    created_at: datetime
    vehicle_type_id: int | None
    carrier_member_id: int | None
    distance_km: float | None
    reference: str


class StopOut(ResponseModel):
    sequence: int
    site_id: int
    consignee_member_id: int
    planned_arrival: datetime | None


class LoadLineOut(ResponseModel):
    id: int
    item_id: int
    quantity: QuantityOut
    weight_kg: float
    volume_m3: float
    to_site_id: int
    order_line_id: int | None
    transfer_reference: str
    shipment_id: int | None = Field(description="The shipment made at pick-up")


class TenderOut(ResponseModel):
    id: int
    load_id: int
    shipper_member_id: int
    carrier_member_id: int
    rate_minor: int
    pickup_from: datetime
    pickup_to: datetime
    delivery_from: datetime
    delivery_to: datetime
    respond_by: datetime
    offered_at: datetime
    status: TenderStatus
    reason: str
    responded_at: datetime | None


class EventOut(ResponseModel):
    id: int
    load_id: int
    message_id: str
    status: TrackingStatus
    at: datetime
    recorded_at: datetime
    source: TrackingSource
    site_id: int | None
    latitude: float | None
    longitude: float | None
    delay_hours: float | None
    note: str


class EtaOut(ResponseModel):
    estimated_arrival: datetime
    basis: EtaBasis
    computed_at: datetime
    late_risk: bool
    late_probability: float


class LoadDetailOut(LoadOut):
    stops: list[StopOut]
    lines: list[LoadLineOut]
    tenders: list[TenderOut] = Field(description="All for the shipper, a carrier's own")
    events: list[EventOut]
    eta: EtaOut | None = Field(description="The newest estimate; null before acceptance")

    @classmethod
    def of(cls, detail: LoadDetail) -> Self:
        return cls.model_validate(
            {
                **vars(detail.load),
                "stops": list(detail.stops),
                "lines": list(detail.lines),
                "tenders": list(detail.tenders),
                "events": list(detail.events),
                "eta": detail.eta,
            }
        )


class CancelIn(RequestModel):
    reason: Text500 = ""


class TenderIn(RequestModel):
    carrier_member_id: Id
    rate_minor: Minor
    respond_by: AwareDatetime
    pickup_from: AwareDatetime | None = Field(default=None, description="Omitted: the load's")
    pickup_to: AwareDatetime | None = None
    delivery_from: AwareDatetime | None = None
    delivery_to: AwareDatetime | None = None

    def command(self, load_id: int) -> TenderLoad:
        pickup = (self.pickup_from, self.pickup_to)
        delivery = (self.delivery_from, self.delivery_to)
        return TenderLoad(
            load_id, self.carrier_member_id, self.rate_minor, self.respond_by,
            pickup if None not in pickup else None,  # type: ignore[arg-type]
            delivery if None not in delivery else None,  # type: ignore[arg-type]
        )  # fmt: skip


class RejectIn(RequestModel):
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class TenderViewOut(TenderOut):
    load: LoadOut

    @classmethod
    def of(cls, view: TenderView) -> Self:
        return cls.model_validate({**vars(view.tender), "load": view.load})


class EventIn(RequestModel):
    message_id: Annotated[str, Field(min_length=1, max_length=128)]
    status: TrackingStatus
    at: AwareDatetime
    site_id: Id | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    delay_hours: NonNegative | None = Field(default=None, description="Exceptions only")
    note: Text500 = ""

    def command(self, load_id: int) -> ReportStatus:
        return ReportStatus(
            load_id, self.message_id, self.status, self.at, TrackingSource.API, self.site_id,
            self.latitude, self.longitude, self.delay_hours, self.note,
        )  # fmt: skip


class RecordedOut(ResponseModel):
    event: EventOut
    duplicate: bool = Field(description="True when this message id was already recorded")
    load_status: LoadStatus
    eta: EtaOut | None
    shipment_ids: list[int] = Field(description="Shipments this report made (pick-up)")

    @classmethod
    def of(cls, recorded: Recorded) -> Self:
        return cls.model_validate(
            {
                "event": recorded.event,
                "duplicate": recorded.duplicate,
                "load_status": recorded.load.status,
                "eta": recorded.eta,
                "shipment_ids": list(recorded.shipment_ids),
            }
        )


class InboundOut(ResponseModel):
    load: LoadOut
    site_id: int = Field(description="Your drop")
    expected_arrival: datetime
    late_risk: bool
    eta: EtaOut | None

    @classmethod
    def of(cls, row: InboundLoad) -> Self:
        return cls.model_validate(
            {
                "load": row.load,
                "site_id": row.stop.site_id,
                "expected_arrival": row.expected,
                "late_risk": row.late_risk,
                "eta": row.eta,
            }
        )


class InboundListOut(ResponseModel):
    items: list[InboundOut]


class OnTimeOut(ResponseModel):
    due: int
    on_time: int
    rate: float | None


class CarrierScorecardOut(ResponseModel):
    shipper_member_id: int
    carrier_member_id: int
    since: date
    until: date
    tenders_offered: int
    tenders_answered: int
    tenders_accepted: int
    acceptance_rate: float | None
    pickup: OnTimeOut
    delivery: OnTimeOut

    @classmethod
    def of(cls, card: CarrierScorecard) -> Self:
        return cls.model_validate(card)


class CarrierScorecardsOut(ResponseModel):
    items: list[CarrierScorecardOut]
