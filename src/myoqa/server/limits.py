"""Request limits for the HTTP server: a body cap counted as bytes arrive, and a deadline for
clients that send their request too slowly.

The cap does not trust ``Content-Length``: a declared length over the cap is refused at once,
and every body (declared, chunked or lying) is counted while it is read, so no request can make
the server buffer more than the cap (a ``Content-Length: -1`` once let 300 MB through an older
example, attack report S2).
"""

from __future__ import annotations

import asyncio
import json

import h11
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from myoqa.server.settings import DEFAULT_REQUEST_TIMEOUT, MAX_BODY_BYTES


async def send_json_error(send: Send, status: int, message: str) -> None:
    """Send a complete JSON error response ``{"error": message}``."""
    body = json.dumps({"error": message}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


class BodyLimit:
    """ASGI middleware: read the whole body (at most ``max_bytes``) before the app sees it.

    Over the cap: 413 with a JSON message, and the app is never called. A ``Content-Length``
    that is not a whole number: 400 (RFC 9112 section 6.3 calls that framing invalid; uvicorn's
    HTTP parser already answers such requests with 400 before they reach any app). Our
    endpoints take small JSON bodies, so reading the body up front costs nothing and keeps the
    limit in one place whatever framework runs inside.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_big = f"the request body is larger than {self.max_bytes} bytes"
        declared = [v for k, v in scope["headers"] if k.lower() == b"content-length"]
        if declared:
            if len(set(declared)) != 1 or not declared[0].isdigit():
                await send_json_error(send, 400, "Content-Length must be one whole number of bytes")
                return
            if int(declared[0]) > self.max_bytes:
                await send_json_error(send, 413, too_big)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client went away (or timed out): nobody to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await send_json_error(send, 413, too_big)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: disconnect notices, as usual

        await self.app(scope, replay, send)


class DeadlineH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for receiving each request in full.

    uvicorn times out idle keep-alive connections but not a client that sends half a request
    line, or a body one byte at a time: such a connection would stay open for ever (attack
    report H4). Here the clock starts when the connection opens and again after each response;
    if the request (headers and body) is not complete within ``request_timeout`` seconds, the
    connection is closed. A request being answered is never cut off.
    """

    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]
        self._arm_deadline()

    def on_response_complete(self) -> None:
        self._arm_deadline()  # before super(): it may run a pipelined request that is complete
        super().on_response_complete()

    def handle_events(self) -> None:
        super().handle_events()
        if self._request_received():
            self._cancel_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def _request_received(self) -> bool:
        return self.conn.their_state in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED)

    def _arm_deadline(self) -> None:
        self._cancel_deadline()
        if not self.transport.is_closing():
            self._deadline = self.loop.call_later(self.request_timeout, self._on_deadline)

    def _cancel_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _on_deadline(self) -> None:
        self._deadline = None
        if not self._request_received() and not self.transport.is_closing():
            self.transport.close()


def deadline_protocol(request_timeout: float) -> type[DeadlineH11Protocol]:
    """The protocol class to hand to uvicorn (``Config(http=...)``) for this timeout."""
    return type("DeadlineH11Protocol", (DeadlineH11Protocol,), {"request_timeout": request_timeout})
