"""Demand signals: consumption records, devices and customer feedback."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StringConstraints

from tandem.api.schemas.common import Code, Id, Name, RequestModel, ResponseModel
from tandem.domain.signals import MAX_COMMENT, DeviceKind, SignalSource
from tandem.services.devices import RegisterDevice
from tandem.services.feedback import SubmitFeedback
from tandem.services.signal_input import MAX_BATCH, SignalInput

_RAW = "checked per record: a bad value rejects that record only"


class SignalRecordIn(RequestModel):
    """One consumption record. Values are checked per record, so that one bad record is
    reported (index, field, reason) while the others are kept."""

    model_config = ConfigDict(extra="allow")

    site_id: Any = Field(default=None, description=f"Your site's id ({_RAW}); or give `site`")
    site: Any = Field(default=None, description="Your site's code; a device's key may omit it")
    item_id: Any = Field(default=None, description="Item id; or give `item` or `recipe`")
    item: Any = Field(default=None, description="Item SKU (exploded if it has a recipe)")
    recipe: Any = Field(default=None, description="SKU of an item with a recipe at the site")
    quantity: Any = Field(default=None, description="Units consumed: a finite number ≥ 0")
    occurred_at: Any = Field(
        default=None,
        description="ISO 8601 timestamp with offset, e.g. 2026-11-21T08:15:00+01:00 (or `at`)",
    )
    message_id: Any = Field(
        default=None,
        description="The sender's id of this record (≤ 128 characters): a record sent again "
        "with the same id counts once. Without one, the record's content is its id.",
    )

    def signal(self) -> SignalInput:
        return SignalInput.from_mapping(self.model_dump(exclude_unset=True))


class SignalBatchIn(RequestModel):
    records: Annotated[list[SignalRecordIn], Field(min_length=1, max_length=MAX_BATCH)]


class RejectionOut(ResponseModel):
    index: int = Field(description="0-based position of the record in the batch")
    line: int | None = Field(description="Line of the CSV file (CSV uploads only)")
    field: str
    reason: str


class DuplicateOut(ResponseModel):
    index: int
    message_id: str


class DayTotalOut(ResponseModel):
    site_id: int
    item_id: int
    day: date
    added: float = Field(description="What this batch added to the day")
    quantity: float = Field(description="The day's demand after this batch")


class IngestReportOut(ResponseModel):
    """``received = accepted + duplicates + rejected records``."""

    received: int
    accepted: int
    duplicates: int
    rejected_records: int
    rejected: list[RejectionOut]
    duplicate_records: list[DuplicateOut]
    days: list[DayTotalOut] = Field(description="Daily demand touched, drinks and components")


class SignalOut(ResponseModel):
    id: int
    owner_member_id: int
    source: SignalSource
    sender: str
    message_id: str
    site_id: int
    item_id: int
    quantity: float
    occurred_at: datetime
    day: date
    received_at: datetime
    device_id: int | None


class DeviceIn(RequestModel):
    site_id: Id
    code: Code
    name: Name
    kind: DeviceKind = DeviceKind.COFFEE_MACHINE

    def command(self) -> RegisterDevice:
        return RegisterDevice(self.site_id, self.code, self.name, self.kind)


class DeviceOut(ResponseModel):
    id: int
    network_id: int
    member_id: int
    site_id: int
    code: str
    name: str
    kind: DeviceKind
    api_key_id: int
    registered_at: datetime
    last_seen_at: datetime | None
    active: bool


class RegisteredDeviceOut(DeviceOut):
    api_key: str = Field(description="The device's ingest-only key: shown this once")


_Comment = Annotated[str, StringConstraints(max_length=MAX_COMMENT, pattern=r"^[^\x00]*$")]


class FeedbackIn(RequestModel):
    rating: Annotated[int, Field(ge=1, le=5, strict=True)]
    comment: _Comment = ""
    site_id: Id | None = Field(default=None, description="Required unless sent by a device")
    item_id: Id | None = None
    item: Code | None = Field(default=None, description="Item SKU, instead of item_id")
    device_id: Id | None = None

    def command(self) -> SubmitFeedback:
        return SubmitFeedback(
            self.rating, self.comment, self.site_id, self.item_id, self.item, self.device_id
        )


class FeedbackOut(ResponseModel):
    id: int
    owner_member_id: int
    site_id: int
    device_id: int | None
    item_id: int | None
    rating: int
    comment: str
    submitted_at: datetime


class FeedbackCommentOut(ResponseModel):
    rating: int
    comment: str
    submitted_at: datetime
    device_id: int | None


class FeedbackSummaryOut(ResponseModel):
    site_id: int
    item_id: int | None
    count: int
    mean_rating: float
    distribution: dict[str, int] = Field(description="How many ratings of 1, 2, 3, 4 and 5")
    latest_comments: list[FeedbackCommentOut]

    @classmethod
    def of(cls, summary: Any) -> FeedbackSummaryOut:
        return cls.model_validate(
            {
                **summary.__dict__,
                "distribution": {str(n + 1): c for n, c in enumerate(summary.distribution)},
                "latest_comments": list(summary.latest_comments),
            }
        )


class FeedbackSummariesOut(ResponseModel):
    items: list[FeedbackSummaryOut]


class DeviceDetailOut(DeviceOut):
    recent_signals: list[SignalOut] = Field(description="The latest records, newest first")
    feedback: list[FeedbackSummaryOut]
