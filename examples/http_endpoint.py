"""A bot in another process using the HTTP API of `myoqa serve` (standard library only).

The API itself is `myoqa serve` (pip install 'myoqa[server]'): it caps bodies at 64 KB whatever
Content-Length says, times out slow clients, has conversations and an OpenAPI schema. This
example used to be a small server of its own, without those defences; now it is the client side.

Run: myoqa serve --port 8000, then
     python examples/http_endpoint.py --url http://127.0.0.1:8000
Without --url it starts `myoqa serve --port 0` itself and stops it at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any


def call(base: str, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    """(status, JSON) of one request; error statuses are returned, not raised."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(
        base + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            payload = response.read()
            return response.status, json.loads(payload) if payload else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@contextlib.contextmanager
def local_server() -> Iterator[str]:
    """Start `myoqa serve --port 0` and yield its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "myoqa", "serve", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if "http://" not in line:
            raise RuntimeError(f"myoqa serve did not start: {line!r}")
        yield "http://" + line.split("http://", 1)[1].split()[0]
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stdout:
            proc.stdout.close()  # a pipe left open is a ResourceWarning in whoever runs this


def run(base: str) -> None:
    _, reply = call(base, "POST", "/answer", {"question": "what is FOP"})
    print(f"/answer -> {reply['fact_id']}: {reply['text'][:70]}...")
    print("  sources:", "; ".join(s["title"] for s in reply["sources"]))

    _, created = call(base, "POST", "/conversations")
    chat = created["id"]
    for question in ["What is myositis ossificans?", "How is it treated?", "1"]:
        _, reply = call(base, "POST", f"/conversations/{chat}/ask", {"question": question})
        print(f"[chat] {question} -> {reply['fact_id']}")
    call(base, "DELETE", f"/conversations/{chat}")

    status, error = call(base, "POST", "/answer", {"question": 42})
    print(f"a bad request -> {status}: {error['error']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="a running `myoqa serve` (default: start one)")
    args = parser.parse_args(argv)
    if args.url:
        run(args.url.rstrip("/"))
    else:
        with local_server() as base:
            run(base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
