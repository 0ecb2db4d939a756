"""Run the HTTP API with uvicorn, with limits that hold up against slow and abusive clients.

We bind the listening socket ourselves so the real port is known (and printed) even for
``--port 0``, and so the listen backlog is large: the old example's backlog of 5 made 200
concurrent requests wait up to 31 s on TCP retransmits (attack report S3).
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from dataclasses import dataclass

import uvicorn

from myoqa.kb import KnowledgeBase
from myoqa.server.http_api import create_app
from myoqa.server.limits import deadline_protocol
from myoqa.server.settings import DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT, MAX_BODY_BYTES
from myoqa.server.store import DEFAULT_IDLE_SECONDS, DEFAULT_MAX_CONVERSATIONS, ConversationStore

BACKLOG = 2048
MAX_HEADER_BYTES = 16 * 1024
KEEP_ALIVE_SECONDS = 5


@dataclass(frozen=True)
class ServeOptions:
    """What ``myoqa serve`` takes on the command line."""

    host: str = "127.0.0.1"
    port: int = 8000
    max_conversations: int = DEFAULT_MAX_CONVERSATIONS
    idle_seconds: float = DEFAULT_IDLE_SECONDS
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_body_bytes: int = MAX_BODY_BYTES


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: addresses other machines cannot reach."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def build_server(kb: KnowledgeBase, options: ServeOptions) -> uvicorn.Server:
    """The uvicorn server for the API (not started)."""
    store = ConversationStore(
        kb, max_conversations=options.max_conversations, idle_seconds=options.idle_seconds
    )
    app = create_app(kb, store, max_body_bytes=options.max_body_bytes)
    config = uvicorn.Config(
        app,
        http=deadline_protocol(options.request_timeout),
        ws="none",
        lifespan="off",
        backlog=BACKLOG,
        limit_concurrency=options.max_connections,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        log_level="warning",
        access_log=False,
        server_header=False,
    )
    return uvicorn.Server(config)


def serve(kb: KnowledgeBase, options: ServeOptions) -> int:
    """Serve until interrupted; return the exit status."""
    sock = bind(options.host, options.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"myoqa serve: listening on http://{shown}:{port} (API docs at /docs)", flush=True)
    if not is_loopback(options.host):
        print(
            f"myoqa serve: warning: {options.host} is reachable from other machines and the API has no "
            "authentication; put it behind a proxy that does",
            file=sys.stderr,
            flush=True,
        )
    server = build_server(kb, options)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    return 0
