"""The servers' documented defaults, importable without the optional extras (the command line
shows them in ``--help`` whether or not FastAPI and uvicorn are installed)."""

from __future__ import annotations

MAX_BODY_BYTES = 64 * 1024  # a question is a line of text; nothing legitimate comes near this
DEFAULT_REQUEST_TIMEOUT = 10.0  # seconds for a request (headers and body) to arrive in full
DEFAULT_MAX_CONNECTIONS = 1024  # open connections beyond this get 503
