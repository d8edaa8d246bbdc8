"""The one error handler: every failure leaves the API as RFC 9457 ``application/problem+json``.

Domain errors keep their stable ``code``; the HTTP status comes from the class (the first match
along the class hierarchy in :data:`STATUS`). Request validation, unknown routes, wrong methods and
unexpected exceptions get problem documents too, the last without any internal detail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from tandem.api.schemas.common import Problem, ProblemError
from tandem.domain.errors import (
    AuthenticationFailed,
    Conflict,
    Forbidden,
    IdempotencyInProgress,
    IdempotencyKeyReused,
    NotFound,
    StaleVersion,
    TandemError,
    ValidationFailed,
)

PROBLEM_TYPE_BASE = "https://tandem.dev/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"

STATUS: dict[type[TandemError], int] = {
    NotFound: 404,
    ValidationFailed: 422,  # and BomCycle, ImportRejected
    StaleVersion: 412,  # If-Match (or a form's version) no longer matches the document
    Conflict: 409,  # and DuplicateCode, InUse
    AuthenticationFailed: 401,
    Forbidden: 403,
    IdempotencyKeyReused: 422,
    IdempotencyInProgress: 409,
}

# Codes for the HTTP errors raised by routing and the framework itself.
HTTP_CODES = {
    400: "malformed_body",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}

CHALLENGE = {"WWW-Authenticate": "Bearer"}


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def status_of(error: TandemError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def problem(
    request: Request,
    status: int,
    code: str,
    detail: str,
    *,
    title: str | None = None,
    errors: Iterable[ProblemError] = (),
    headers: Mapping[str, str] | None = None,
) -> ProblemResponse:
    """Render one problem document; ``instance`` is the request path."""
    document = Problem(
        type=PROBLEM_TYPE_BASE + code,
        title=title or _phrase(status),
        status=status,
        detail=detail,
        instance=request.url.path,
        code=code,
        errors=list(errors),
    )
    all_headers = dict(headers or {})
    if status == 401:
        all_headers.update(CHALLENGE)
    return ProblemResponse(document.model_dump(mode="json"), status, headers=all_headers)


def domain_problem(request: Request, error: TandemError) -> ProblemResponse:
    return problem(
        request,
        status_of(error),
        error.code,
        error.detail,
        title=error.title,
        errors=(
            ProblemError(location=v.location, field=v.field, message=v.message)
            for v in error.violations
        ),
    )


def _validation_errors(raw: Sequence[Any]) -> list[ProblemError]:
    found = []
    for error in raw:
        loc = [str(part) for part in error.get("loc", ())]
        found.append(
            ProblemError(
                location=loc[0] if loc else "request",
                field=".".join(loc) or None,
                message=str(error.get("msg", "invalid")),
            )
        )
    return found


async def _on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TandemError)
    return domain_problem(request, exc)


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    raw = list(exc.errors())
    malformed = next((e for e in raw if e.get("type") == "json_invalid"), None)
    if malformed is not None:
        reason = str(malformed.get("ctx", {}).get("error", "invalid JSON"))
        where = f"at position {malformed['loc'][-1]}" if len(malformed["loc"]) > 1 else ""
        return problem(
            request,
            400,
            "malformed_body",
            f"the request body is not valid JSON: {reason}",
            errors=[ProblemError(location="body", message=f"{reason} {where}".strip())],
        )
    errors = _validation_errors(raw)
    fields = ", ".join(e.field or e.location for e in errors)
    return problem(
        request,
        422,
        "request_validation",
        f"the request does not match the expected shape: {fields}",
        title="Invalid request",
        errors=errors,
    )


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
    detail = str(exc.detail)
    if detail == _phrase(exc.status_code):  # the framework's default: say what happened
        path = request.url.path
        detail = {
            404: f"no resource at {path}",
            405: f"{request.method} is not allowed on {path}",
        }.get(exc.status_code, detail)
    errors = [ProblemError(location="body", message=detail)] if exc.status_code == 400 else []
    return problem(request, exc.status_code, code, detail, errors=errors, headers=exc.headers)


async def _on_unexpected_error(request: Request, exc: Exception) -> Response:
    # The traceback is logged by the server (ServerErrorMiddleware re-raises); nothing leaks here.
    return problem(
        request,
        500,
        "internal_error",
        "an unexpected error occurred; it has been logged",
        title="Internal server error",
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TandemError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected_error)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": phrase}
    for status, phrase in (
        (400, "Malformed request body (not JSON, or not UTF-8)"),
        (401, "Missing or invalid credentials"),
        (403, "The credential may not do this"),
        (404, "Not found, or not visible to the caller"),
        (409, "Conflict with the current state"),
        (412, "If-Match names a version the document has moved past"),
        (422, "Invalid input; each error names the field"),
    )
}


def document_problems(openapi: dict[str, Any]) -> dict[str, Any]:
    """Show error responses under their real media type, application/problem+json."""
    for operations in openapi.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status[:1] in "45" and "application/json" in content:
                    content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
    return openapi
