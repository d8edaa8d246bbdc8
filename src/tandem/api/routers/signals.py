"""Consumption records from tills and devices: JSON batches, CSV files, and the raw signal."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from tandem.api.deps import Caller, Paging, Services
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.signals import IngestReportOut, SignalBatchIn, SignalOut
from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.signals import SignalSource
from tandem.services import ingestion
from tandem.services.ingestion import IngestResult
from tandem.services.signal_input import CSV_COLUMNS

router = APIRouter(prefix="/signals", tags=["demand signals"])

CSV_TYPES = ("text/csv", "text/plain", "application/csv")
_CSV_BODY = {
    "requestBody": {
        "required": True,
        "description": f"A CSV file with the header `{','.join(CSV_COLUMNS)}`: as the body "
        "(text/csv) or as the form field `file` (multipart/form-data)",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


def report(result: IngestResult) -> IngestReportOut:
    """The per-record report; a batch of which nothing was usable is refused (422)."""
    if result.accepted == 0 and result.duplicates == 0 and result.rejected:
        raise ValidationFailed(
            f"all {result.received} records were rejected",
            violations=[
                Violation(
                    f"line {r.line}" if r.line is not None else f"records[{r.index}]",
                    r.reason,
                    r.field,
                )
                for r in result.rejections
            ],
        )
    return IngestReportOut.model_validate(
        {
            **result.__dict__,
            "rejected_records": result.rejected,
            "rejected": list(result.rejections),
            "duplicate_records": list(result.duplicate_records),
            "days": list(result.days),
        }
    )


@router.post("", name="ingest_signals")
def ingest_signals(services: Services, caller: Caller, body: SignalBatchIn) -> IngestReportOut:
    """Ingest consumption records (needs the `ingest` scope; a device's key reports for its own
    site). Good records are kept and bad ones reported one by one, with 200; a resent record
    (same sender and `message_id`) is a duplicate and counts once. A body that is not a batch,
    or a batch whose records are *all* rejected, is refused with 422 naming each record."""
    records = [record.signal() for record in body.records]
    return report(ingestion.ingest_records(services, caller, records, SignalSource.HTTP))


@router.post("/csv", name="upload_signals_csv", openapi_extra=_CSV_BODY)
async def upload_signals_csv(
    services: Services, caller: Caller, request: Request
) -> IngestReportOut:
    """Ingest a CSV file of consumption records (`site` code, `item` SKU, `quantity`,
    `timestamp`, optional `message_id`). Wrong columns refuse the file (422 naming the expected
    columns); bad rows are reported with their line, good rows kept."""
    text = await _csv_text(request)
    result = await run_in_threadpool(ingestion.ingest_csv, services, caller, text)
    return report(result)


async def _csv_text(request: Request) -> str:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "multipart/form-data":
        async with request.form() as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise _bad_file("send the CSV as the form field 'file'")
            data = await upload.read()
    elif media in CSV_TYPES:
        data = await request.body()
    else:
        got = media or "no content type"
        raise HTTPException(
            415, f"send the CSV as text/csv or as the multipart/form-data field 'file' ({got})"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad_file("the file is not UTF-8 text") from None


def _bad_file(reason: str) -> ValidationFailed:
    return ValidationFailed(reason, violations=[Violation("body", reason, "file")])


@router.get("", name="list_signals")
def list_signals(
    services: Services,
    caller: Caller,
    page: Paging,
    site_id: Annotated[Id | None, Query()] = None,
    item_id: Annotated[Id | None, Query()] = None,
    device_id: Annotated[Id | None, Query()] = None,
) -> PageOut[SignalOut]:
    """The raw records in arrival order: yours, and partners' their `demand_history` grants
    cover (audited)."""
    page_of = ingestion.read_signals(services, caller, page, site_id, item_id, device_id)
    return PageOut[SignalOut].of(page_of)
