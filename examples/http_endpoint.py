"""A JSON HTTP endpoint with only the standard library: GET /answer?q=... or POST {"q": ...}.

Run: python examples/http_endpoint.py --port 8080, then
     curl 'http://127.0.0.1:8080/answer?q=what+is+FOP'
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from myoqa import answer

MAX_BODY = 64 * 1024


class AnswerHandler(BaseHTTPRequestHandler):
    """Serves answers as JSON; bad requests get a 4xx with a JSON error."""

    def _send(self, status: int, payload: str) -> None:
        body = payload.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _answer(self, question: object) -> None:
        if not isinstance(question, str):
            self._send(400, json.dumps({"error": "give the question as text in 'q'"}))
            return
        self._send(200, answer(question).model_dump_json(exclude={"why"}))

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path != "/answer":
            self._send(404, json.dumps({"error": "use /answer?q=..."}))
            return
        self._answer(parse_qs(url.query).get("q", [None])[0])

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if self.path != "/answer" or length > MAX_BODY:
            self._send(
                404 if self.path != "/answer" else 413,
                json.dumps({"error": "POST a small JSON body to /answer"}),
            )
            return
        try:
            data = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self._send(400, json.dumps({"error": 'body must be JSON like {"q": "..."}'}))
            return
        self._answer(data.get("q") if isinstance(data, dict) else None)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


def make_server(port: int = 0) -> ThreadingHTTPServer:
    """A server on 127.0.0.1 (port 0: any free port)."""
    return ThreadingHTTPServer(("127.0.0.1", port), AnswerHandler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    server = make_server(args.port)
    print(f"serving on http://127.0.0.1:{server.server_address[1]}/answer?q=...")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
