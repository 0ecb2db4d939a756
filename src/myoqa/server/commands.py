"""The ``myoqa serve`` and ``myoqa mcp`` subcommands (registered by ``myoqa.cli``).

Kept here so the command line stays light: this module imports neither FastAPI, uvicorn nor
the MCP SDK; each command first checks that its extra is installed and, if not, says how to
install it and exits with status 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from myoqa.kb import KnowledgeBase
from myoqa.server.extras import MissingExtra, require
from myoqa.server.settings import DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT
from myoqa.server.store import DEFAULT_IDLE_SECONDS, DEFAULT_MAX_CONVERSATIONS

EXIT_FAIL, EXIT_USAGE = 1, 2


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535 (0: any free port), got {value}")
    return value


def _missing(command: str, extra: str) -> int | None:
    """Print the install hint and return 2 if ``extra`` is missing, else None."""
    try:
        require(extra)
    except MissingExtra as exc:
        print(f"myoqa {command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return None


def cmd_serve(args: argparse.Namespace) -> int:
    status = _missing("serve", "server")
    if status is not None:
        return status
    from myoqa.server.serve import ServeOptions, serve

    kb = KnowledgeBase.load(args.knowledge)
    options = ServeOptions(
        host=args.host,
        port=args.port,
        max_conversations=args.max_conversations,
        idle_seconds=args.idle_timeout,
        request_timeout=args.request_timeout,
        max_connections=args.max_connections,
    )
    try:
        return serve(kb, options)
    except OSError as exc:
        print(f"myoqa serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return EXIT_FAIL


def cmd_mcp(args: argparse.Namespace) -> int:
    status = _missing("mcp", "mcp")
    if status is not None:
        return status
    from myoqa.server.mcp_server import run_stdio
    from myoqa.server.store import ConversationStore

    kb = KnowledgeBase.load(args.knowledge)
    store = ConversationStore(kb, max_conversations=args.max_conversations, idle_seconds=args.idle_timeout)
    return run_stdio(kb, store)


def _conversation_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--max-conversations",
        type=_positive_int,
        default=DEFAULT_MAX_CONVERSATIONS,
        metavar="N",
        help=f"conversations kept at once; the least recently used goes first (default {DEFAULT_MAX_CONVERSATIONS})",
    )
    p.add_argument(
        "--idle-timeout",
        type=_positive_seconds,
        default=DEFAULT_IDLE_SECONDS,
        metavar="SECONDS",
        help=f"forget a conversation unused for this long (default {DEFAULT_IDLE_SECONDS:g})",
    )


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``serve`` and ``mcp`` to the ``myoqa`` subcommands."""
    p = sub.add_parser(
        "serve",
        parents=[common],
        help="serve answers as an HTTP JSON API (needs: pip install 'myoqa[server]')",
        description="Serve the HTTP JSON API: POST /answer, /conversations; GET /health, /topics, "
        "/facts/ID; schema at /openapi.json, docs at /docs. Loopback only unless --host says otherwise.",
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    p.add_argument(
        "--port", type=_port, default=8000, help="port to listen on (default 8000; 0: any free port)"
    )
    _conversation_options(p)
    p.add_argument(
        "--request-timeout",
        type=_positive_seconds,
        default=DEFAULT_REQUEST_TIMEOUT,
        metavar="SECONDS",
        help=f"close a connection whose request has not fully arrived in this time (default {DEFAULT_REQUEST_TIMEOUT:g})",
    )
    p.add_argument(
        "--max-connections",
        type=_positive_int,
        default=DEFAULT_MAX_CONNECTIONS,
        metavar="N",
        help=f"beyond this many open connections, answer 503 (default {DEFAULT_MAX_CONNECTIONS})",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "mcp",
        parents=[common],
        help="serve the Model Context Protocol over stdio (needs: pip install 'myoqa[mcp]')",
        description="Serve MCP over stdin/stdout for LLM agents: tools answer, list_topics, get_fact; "
        "every fact as a resource myoqa://facts/ID.",
    )
    _conversation_options(p)
    p.set_defaults(func=cmd_mcp)
