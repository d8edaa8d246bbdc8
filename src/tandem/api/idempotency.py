"""``Idempotency-Key`` for every POST and PUT of the API, implemented once as ASGI middleware.

A request carrying the header is handled in three steps around the route, using
:mod:`tandem.services.idempotency`: *claim* the key for the authenticated caller (or get the stored
response of its first run, replayed with ``Idempotent-Replayed: true``), *run* the route, then
*complete* the claim with the response when it succeeded (2xx) or *release* it when it failed, so
that a retry may run again. The response is buffered and stored before it is sent: a client that
saw a response can always replay it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tandem.api.deps import authenticate_request, container_of, principal_key
from tandem.api.errors import domain_problem
from tandem.domain.errors import TandemError
from tandem.services import idempotency
from tandem.services.idempotency import StoredResponse

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
METHODS = frozenset({"POST", "PUT"})
_KEPT_HEADERS = ("content-type", "location")


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, *, prefix: str, exempt: Collection[str]) -> None:
        self.app = app
        self.prefix = prefix
        self.exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        key = request.headers.get(HEADER)
        path = _route_path(scope)
        if key is None or not path.startswith(self.prefix) or path in self.exempt:
            await self.app(scope, receive, send)
            return
        services = container_of(request).services
        try:
            principal = await run_in_threadpool(authenticate_request, services, request)
            owner = principal_key(principal)
            body = await request.body()
            target = f"{path}?{request.url.query}" if request.url.query else path
            fingerprint = idempotency.fingerprint(request.method, target, body)
            stored = await run_in_threadpool(idempotency.claim, services, owner, key, fingerprint)
        except TandemError as error:
            await domain_problem(request, error)(scope, receive, send)
            return
        if stored is not None:
            await _replay(stored)(scope, receive, send)
            return
        captured = _CapturedResponse()
        try:
            await self.app(scope, _replaying(body, receive), captured)
        except BaseException:
            await _settle(idempotency.release, services, owner, key)
            raise
        if captured.succeeded:
            await _settle(idempotency.complete, services, owner, key, captured.stored())
        else:
            await _settle(idempotency.release, services, owner, key)
        await captured.forward(send)


def _route_path(scope: Scope) -> str:
    """The path the routes see: without the prefix the app may be served under."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


async def _settle(step: Callable[..., None], *args: object) -> None:
    """Complete or release the claim, even when the request is being cancelled."""
    with anyio.CancelScope(shield=True):
        await run_in_threadpool(step, *args)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """Hand the already-read body to the application, then pass through (disconnects)."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class _CapturedResponse:
    """An ASGI ``send`` that keeps the response instead of sending it."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = b""

    async def __call__(self, message: Message) -> None:
        self.messages.append(message)
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")

    @property
    def succeeded(self) -> bool:
        return 200 <= self.status < 300

    def stored(self) -> StoredResponse:
        kept = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in self.headers
            if name.decode("latin-1").lower() in _KEPT_HEADERS
        }
        envelope = {"headers": kept, "body": self.body.decode("utf-8", errors="replace")}
        return StoredResponse(self.status, json.dumps(envelope))

    async def forward(self, send: Send) -> None:
        for message in self.messages:
            await send(message)


def _replay(stored: StoredResponse) -> Response:
    envelope = json.loads(stored.body)
    headers = {**envelope["headers"], REPLAYED_HEADER: "true"}
    return Response(envelope["body"].encode("utf-8"), stored.status_code, headers=headers)
