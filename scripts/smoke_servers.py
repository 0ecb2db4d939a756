"""Smoke test of the installed servers: start `myoqa serve` and `myoqa mcp` as subprocesses and
exercise every request kind, as a bot in another process would.

    python scripts/smoke_servers.py            # the myoqa next to this Python (e.g. .venv/bin)
    python scripts/smoke_servers.py --fresh    # first pip-install .[server,mcp] into a new venv

It needs only the standard library and the `mcp` SDK (its client). HTTP checks: health, topics,
facts, answers equal to `myoqa ask --json` (serially and under N concurrent requests, default
300, with latencies), conversations with follow-ups, picks, deletion, the cap and idle expiry,
bad JSON, wrong types, a non-JSON content type, bodies over the cap (declared, chunked),
Content-Length -1, no Content-Length, a slow client, unknown paths, the OpenAPI schema and docs.
MCP checks: initialize, list tools, call answer (urgent advice passed on unchanged), a
conversation, list_topics, get_fact, resources. Prints one line per check; exits 1 if any fails.
Everything runs on loopback with timeouts.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 15.0  # seconds for any one request
IDLE = 3  # --idle-timeout of the server under test: long enough for a busy machine, short to wait for
QUESTIONS = [
    "what is fop",
    "What is myositis ossificans?",
    "can bone grow in a muscle after a hip replacement?",
    "calciphylaxis on dialysis",
    "is calcinosis in dermatomyositis treatable",
    "who wrote hamlet",
    "hello",
    "myositis osificans treatment",
    "",
    "how is it treated?",
    "I can't breathe",  # a report of an emergency: the library's triage answers it
]


class Checks:
    """Counts and prints results; a failed check does not stop the others."""

    def __init__(self) -> None:
        self.failed: list[str] = []
        self.passed = 0
        self.started = time.perf_counter()

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        elapsed = time.perf_counter() - self.started
        print(
            f"{elapsed:5.1f}s {'ok  ' if ok else 'FAIL'} {name}{f' ({detail})' if detail else ''}", flush=True
        )
        if ok:
            self.passed += 1
        else:
            self.failed.append(name)
        return ok


# ---------------------------------------------------------------- HTTP helpers


def request(
    base: str,
    method: str,
    path: str,
    body: Any = None,
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """(status, decoded JSON or text) for one request; HTTP errors are returned, not raised."""
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    hdrs = {"Content-Type": "application/json"} if body is not None else {}
    hdrs.update(headers or {})
    req = urllib.request.Request(base + path, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    try:
        return status, json.loads(payload) if payload else None
    except ValueError:
        return status, payload.decode("utf-8", "replace")


def raw_exchange(host: str, port: int, data: bytes, wait: float = TIMEOUT) -> bytes:
    """Send raw bytes, half-close, and read what comes back until the server closes."""
    with socket.create_connection((host, port), timeout=wait) as sock:
        with contextlib.suppress(OSError):
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    return b"".join(chunks)


def status_of(response: bytes) -> int:
    try:
        return int(response.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


@contextlib.contextmanager
def running(command: list[str], cwd: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Start `myoqa serve ...`; yield (process, base URL) once it listens; stop it afterwards."""
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first_line: list[str] = []
    reader = threading.Thread(target=lambda: first_line.append(proc.stdout.readline() if proc.stdout else ""))
    reader.start()
    reader.join(30)
    try:
        line = first_line[0] if first_line else ""
        if "http://" not in line:
            proc.terminate()
            _, errors = proc.communicate(timeout=10)
            raise RuntimeError(f"{' '.join(command)} did not start: {line!r}\n{errors}")
        yield proc, "http://" + line.split("http://", 1)[1].split()[0]
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


LIBRARY = (
    "import json, sys\n"
    "from myoqa import answer\n"
    "out = {q: json.loads(answer(q).model_dump_json(exclude={'why'})) for q in json.load(sys.stdin)}\n"
    "print(json.dumps(out))\n"
)


def library_answers(myoqa: str, questions: list[str], cwd: Path) -> dict[str, Any]:
    """What the library says (``myoqa.answer``, from the same install as ``myoqa``), without
    ``why``: one run of the Python the ``myoqa`` script was installed for."""
    with open(myoqa, "rb") as script:
        shebang = script.readline().decode("utf-8", "replace")
    python = shebang[2:].strip() if shebang.startswith("#!") else ""
    if not python or not Path(python.split()[0]).exists():
        python = sys.executable
    result = subprocess.run(
        [*python.split(), "-c", LIBRARY],
        input=json.dumps(sorted(set(questions))),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answers: dict[str, Any] = json.loads(result.stdout)
    return answers


def without_why(answer: Any) -> Any:
    return {k: v for k, v in answer.items() if k != "why"} if isinstance(answer, dict) else answer


def first_line(response: bytes) -> str:
    return response.split(b"\r\n", 1)[0].decode("latin-1")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


# ---------------------------------------------------------------- HTTP checks


def check_http(
    c: Checks,
    myoqa: str,
    cwd: Path,
    concurrency: int,
    expected_later: concurrent.futures.Future[dict[str, Any]],
    meanwhile: Callable[[int], None],
) -> None:
    """Every HTTP request kind, then ``meanwhile(number of facts)`` while the server still runs.

    Waits overlap: the library's answers are computed while the server starts, and the slow
    client and the idle conversation wait while the other checks (and ``meanwhile``) run.
    """
    command = [
        myoqa,
        "serve",
        "--port",
        "0",
        "--idle-timeout",
        "1",
        "--max-conversations",
        "3",
        "--request-timeout",
        "1",
    ]
    with running(command, cwd) as (proc, base):
        host, port = base.removeprefix("http://").rsplit(":", 1)
        c.check("serve listens on loopback", host == "127.0.0.1", base)

        # A slow client: half a request line, never finished. Checked at the end.
        slow = socket.create_connection((host, int(port)), timeout=10)
        slow.sendall(b"GET /health HTTP/1.1\r\n")
        slow_since = time.perf_counter()
        slow_closed: list[float] = []

        def wait_for_close() -> None:
            with contextlib.suppress(OSError):
                if slow.recv(100) == b"":
                    slow_closed.append(time.perf_counter() - slow_since)

        slow_watch = threading.Thread(target=wait_for_close)
        slow_watch.start()

        status, health = request(base, "GET", "/health")
        c.check(
            "GET /health", status == 200 and health.get("status") == "ok" and health["facts"] > 0, str(health)
        )
        facts = health.get("facts", 0) if isinstance(health, dict) else 0
        status, topics = request(base, "GET", "/topics")
        c.check(
            "GET /topics",
            status == 200 and len(topics) > 0 and sum(t["facts"] for t in topics) == facts,
            f"{len(topics)} topics",
        )

        # Conversations: follow-ups, picks, deletion, the cap (3), then idle expiry (1 s) at the end.
        status, created = request(base, "POST", "/conversations")
        cid = created.get("id", "") if isinstance(created, dict) else ""
        c.check("POST /conversations", status == 201 and len(cid) >= 16, cid)
        status, first = request(
            base, "POST", f"/conversations/{cid}/ask", {"question": "What is myositis ossificans?"}
        )
        status2, follow = request(
            base, "POST", f"/conversations/{cid}/ask", {"question": "How is it treated?"}
        )
        status3, alone = request(base, "POST", "/answer", {"question": "How is it treated?"})
        c.check(
            "follow-up resolved against the last subject",
            status == status2 == status3 == 200
            and follow["found"]
            and follow["topic"] == first["topic"]
            and not alone["found"],
            f"{first['fact_id']} -> {follow['fact_id']} (without the conversation: found={alone['found']})",
        )
        status, picked = request(base, "POST", f"/conversations/{cid}/ask", {"question": "1"})
        c.check(
            "a number picks the first related question",
            status == 200 and picked["fact_id"] == follow["related"][0]["id"],
            picked.get("fact_id", ""),
        )
        status, err = request(base, "POST", f"/conversations/{cid}/ask", {"question": 7})
        c.check("conversation ask with a wrong type -> 422", status == 422 and "error" in err)
        status, _ = request(base, "DELETE", f"/conversations/{cid}")
        c.check("DELETE /conversations/{id} -> 204", status == 204)
        status, err = request(base, "POST", f"/conversations/{cid}/ask", {"question": "and then?"})
        c.check("deleted conversation -> 404 JSON", status == 404 and "error" in err, str(err)[:80])
        status, _ = request(base, "DELETE", f"/conversations/{cid}")
        c.check("deleting it again -> 404", status == 404)
        ids = [request(base, "POST", "/conversations")[1]["id"] for _ in range(4)]
        statuses = [
            request(base, "POST", f"/conversations/{i}/ask", {"question": "what is fop"})[0] for i in ids
        ]
        idle_since = time.perf_counter()
        c.check(
            "cap: the least recently used conversation is evicted",
            statuses == [404, 200, 200, 200],
            str(statuses),
        )
        status, health = request(base, "GET", "/health")
        c.check(
            "cap: never more than the maximum", health["conversations"] == 3, str(health["conversations"])
        )

        # Answers equal the library's, one by one and then under concurrency.
        expected = expected_later.result()
        serial = {}
        for q in QUESTIONS:
            status, got = request(base, "POST", "/answer", {"question": q})
            serial[q] = got
            same = without_why(got) == expected[q]
            c.check(
                f"POST /answer {q!r}",
                status == 200 and same and got.get("why") is None,
                f"found={got.get('found')} fact={got.get('fact_id')}",
            )
        status, got = request(base, "POST", "/answer", {"question": "what is fop", "limit": 2, "why": True})
        c.check(
            "POST /answer with limit and why",
            status == 200 and got["why"] is not None and got["fact_id"] == serial["what is fop"]["fact_id"],
        )

        fact_id = serial["what is fop"]["fact_id"]
        status, fact = request(base, "GET", f"/facts/{fact_id}")
        c.check("GET /facts/{id}", status == 200 and fact["id"] == fact_id and fact["sources"], fact_id)
        status, err = request(base, "GET", "/facts/no-such-fact")
        c.check("GET /facts/{unknown} is 404 JSON", status == 404 and "error" in err, str(err))

        def timed(i: int) -> tuple[str, Any, float]:
            q = QUESTIONS[i % len(QUESTIONS)]
            start = time.perf_counter()
            result = request(base, "POST", "/answer", {"question": q})
            return q, result, time.perf_counter() - start

        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
            results = list(pool.map(timed, range(concurrency)))
        wall = time.perf_counter() - start
        latencies = [t for _, _, t in results]
        wrong = [q for q, (status, got), _ in results if status != 200 or got != serial[q]]
        c.check(
            f"{concurrency} concurrent POST /answer equal the serial answers",
            not wrong,
            f"wall {wall:.2f} s, p50 {percentile(latencies, 0.5) * 1000:.0f} ms, p90 {percentile(latencies, 0.9) * 1000:.0f} ms, "
            f"max {max(latencies) * 1000:.0f} ms; {len(wrong)} wrong",
        )

        # Bad requests: a JSON message with a 4xx, never a dropped connection.
        for name, raw, headers, want in [
            ("bad JSON", b"{not json", {"Content-Type": "application/json"}, 400),
            ("JSON that is not an object", b"[1, 2]", {"Content-Type": "application/json"}, 422),
            ("20,000-deep JSON", b"[" * 20000 + b"]" * 20000, {"Content-Type": "application/json"}, 400),
            ("question of the wrong type", b'{"question": 5}', {"Content-Type": "application/json"}, 422),
            (
                "limit of the wrong type",
                b'{"question": "x", "limit": "5"}',
                {"Content-Type": "application/json"},
                422,
            ),
            (
                "limit out of range",
                b'{"question": "x", "limit": 0}',
                {"Content-Type": "application/json"},
                422,
            ),
            ("unknown field", b'{"q": "what is fop"}', {"Content-Type": "application/json"}, 422),
            ("missing body", b"", {"Content-Type": "application/json"}, 422),
            (
                "form content type (curl -d)",
                b'{"question": "x"}',
                {"Content-Type": "application/x-www-form-urlencoded"},
                415,
            ),
            (
                "body over 64 KB",
                b'{"question": "' + b"x" * 70000 + b'"}',
                {"Content-Type": "application/json"},
                413,
            ),
        ]:
            status, err = request(base, "POST", "/answer", raw=raw, headers=headers)
            c.check(
                f"{name} -> {want}",
                status == want and isinstance(err, dict) and err.get("error"),
                f"{status} {str(err)[:90]}",
            )

        status, err = request(base, "GET", "/nowhere")
        c.check("unknown path -> 404 JSON", status == 404 and isinstance(err, dict) and "error" in err)
        status, err = request(base, "GET", "/answer")
        c.check("wrong method -> 405 JSON", status == 405 and isinstance(err, dict) and "error" in err)

        head = b"POST /answer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        got = raw_exchange(host, int(port), head + b"Content-Length: 300000000\r\n\r\n")
        c.check("declared 300 MB body -> 413 at once", status_of(got) == 413, first_line(got))
        chunk = b"x" * 65536
        chunked = (
            head
            + b"Transfer-Encoding: chunked\r\n\r\n"
            + b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(3))
            + b"0\r\n\r\n"
        )
        got = raw_exchange(host, int(port), chunked)
        c.check("chunked body over 64 KB -> 413", status_of(got) == 413, first_line(got))
        got = raw_exchange(host, int(port), head + b"Content-Length: -1\r\n\r\n" + b'{"question": "x"}')
        c.check("Content-Length: -1 -> 400 (invalid framing)", status_of(got) == 400, first_line(got))
        got = raw_exchange(host, int(port), head + b"\r\n" + b'{"question": "what is fop"}')
        c.check("no Content-Length -> no body -> 422", status_of(got) == 422, first_line(got))

        status, schema = request(base, "GET", "/openapi.json")
        paths = set(schema.get("paths", {})) if isinstance(schema, dict) else set()
        wanted = {
            "/answer",
            "/conversations",
            "/conversations/{conversation_id}/ask",
            "/conversations/{conversation_id}",
            "/health",
            "/topics",
            "/facts/{fact_id}",
        }
        c.check(
            "GET /openapi.json lists every endpoint and the Answer model",
            wanted <= paths and "Answer" in schema["components"]["schemas"],
            f"{len(paths)} paths",
        )
        status, docs = request(base, "GET", "/docs")
        c.check("GET /docs", status == 200 and "swagger" in str(docs).lower())

        meanwhile(facts)

        slow_watch.join(10)
        slow.close()
        took = slow_closed[0] if slow_closed else float("inf")
        c.check(
            "slow client is disconnected after --request-timeout (1 s)",
            took < 3,
            f"closed after {took:.1f} s",
        )
        time.sleep(max(0.0, 1.2 - (time.perf_counter() - idle_since)))
        status, err = request(base, "POST", f"/conversations/{ids[-1]}/ask", {"question": "what is fop"})
        c.check(
            f"idle conversations expire (--idle-timeout {IDLE})", status == 404, f"{status} {str(err)[:60]}"
        )
        c.check("server still running", proc.poll() is None)


# ---------------------------------------------------------------- MCP checks


def check_mcp(c: Checks, myoqa: str, cwd: Path, facts: int, expected: dict[str, Any]) -> None:
    import anyio
    from mcp import Client
    from mcp.client.stdio import StdioServerParameters

    async def run() -> None:
        # The SDK passes the server only a safe subset of the environment; keep what selects
        # the code and knowledge under test, so it is the same as for `myoqa ask` above.
        passed = {k: os.environ[k] for k in ("PYTHONPATH", "MYOQA_KNOWLEDGE") if k in os.environ}
        params = StdioServerParameters(command=myoqa, args=["mcp"], cwd=str(cwd), env=passed)
        with anyio.fail_after(60):
            async with Client(params, mode="legacy", read_timeout_seconds=TIMEOUT) as client:
                c.check(
                    "MCP initialize",
                    client.server_info is not None and client.server_info.name == "myoqa",
                    f"protocol {client.protocol_version}",
                )
                tools = {t.name: t for t in (await client.list_tools()).tools}
                c.check(
                    "MCP list tools",
                    set(tools) == {"answer", "list_topics", "get_fact"},
                    ", ".join(sorted(tools)),
                )
                described = tools.get("answer")
                text = (described.description or "") if described else ""
                c.check(
                    "answer tool says to quote sources and pass urgent advice on",
                    "sources" in text and "urgent" in text and described.output_schema is not None,
                )

                result = await client.call_tool("answer", {"question": "what is fop"})
                got = result.structured_content or {}
                want = expected["what is fop"]
                c.check(
                    "MCP call answer (structured, equal to the library)",
                    not result.is_error
                    and got.get("text") == want["text"]
                    and got.get("sources") == want["sources"]
                    and got.get("found") is True,
                    f"fact {got.get('fact_id')}, {len(got.get('sources', []))} sources",
                )
                c.check(
                    "MCP answer text content cites the sources",
                    want["sources"][0]["url"] in result.content[0].text,
                )
                result = await client.call_tool("answer", {"question": "who wrote hamlet"})
                got = result.structured_content or {}
                c.check(
                    "MCP answer out of scope: found is false",
                    got.get("found") is False and got.get("text") == expected["who wrote hamlet"]["text"],
                )
                report = "I can't breathe"
                result = await client.call_tool("answer", {"question": report})
                got = result.structured_content or {}
                triaged = expected[report]
                fields = ("kind", "urgent", "severity", "text")
                c.check(
                    "MCP triage: an emergency report is passed on as the library says",
                    all(got.get(k) == triaged.get(k) for k in fields)
                    and triaged["text"] in result.content[0].text,
                    f"kind {got.get('kind')}, urgent {got.get('urgent')}, severity {got.get('severity')}",
                )

                first = (
                    await client.call_tool(
                        "answer", {"question": "What is myositis ossificans?", "conversation_id": "smoke"}
                    )
                ).structured_content or {}
                follow = (
                    await client.call_tool(
                        "answer", {"question": "How is it treated?", "conversation_id": "smoke"}
                    )
                ).structured_content or {}
                c.check(
                    "MCP conversation follow-up",
                    follow.get("found") is True and follow.get("topic") == first.get("topic"),
                    f"{first.get('fact_id')} -> {follow.get('fact_id')}",
                )
                bad = await client.call_tool("answer", {"question": "x", "conversation_id": "not an id!"})
                c.check("MCP bad conversation id -> tool error", bad.is_error)

                topics = (await client.call_tool("list_topics", {})).structured_content or {}
                c.check(
                    "MCP list_topics",
                    len(topics.get("topics", [])) > 0 and sum(t["facts"] for t in topics["topics"]) == facts,
                )
                fact = await client.call_tool("get_fact", {"fact_id": want["fact_id"]})
                c.check(
                    "MCP get_fact",
                    not fact.is_error and (fact.structured_content or {}).get("id") == want["fact_id"],
                )
                missing = await client.call_tool("get_fact", {"fact_id": "no-such-fact"})
                c.check("MCP get_fact unknown -> tool error", missing.is_error)

                resources = (await client.list_resources()).resources
                c.check("MCP facts as resources", len(resources) == facts, f"{len(resources)} resources")
                urgent_doc = None
                for resource in resources:
                    contents = (await client.read_resource(str(resource.uri))).contents
                    if "**Urgent:**" in getattr(contents[0], "text", ""):
                        urgent_doc = resource
                        break
                if c.check("MCP read resource; an urgent fact exists", urgent_doc is not None):
                    assert urgent_doc is not None and urgent_doc.title
                    library = library_answers(myoqa, [urgent_doc.title], cwd)[urgent_doc.title]
                    result = await client.call_tool("answer", {"question": urgent_doc.title})
                    got = result.structured_content or {}
                    c.check(
                        "MCP urgent advice passed on unchanged",
                        got.get("urgent") is True
                        and got.get("text") == library["text"]
                        and library["text"] in result.content[0].text,
                        f"{urgent_doc.name}: kind {got.get('kind')}, severity {got.get('severity')}",
                    )

    anyio.run(run)


# ---------------------------------------------------------------- main


def fresh_install(where: Path) -> str:
    """pip install this checkout (not editable) with both extras into a new venv; return its myoqa."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    pip = where / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", f"{ROOT}[server,mcp]"], check=True)
    return str(where / "bin" / "myoqa")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--myoqa", help="the myoqa executable to test (default: next to this Python)")
    parser.add_argument("--fresh", action="store_true", help="install .[server,mcp] into a new venv first")
    parser.add_argument(
        "--concurrency", type=int, default=300, help="concurrent /answer requests (default 300)"
    )
    args = parser.parse_args(argv)
    c = Checks()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="myoqa-smoke-") as tmp:
        cwd = Path(tmp)  # not the checkout: what runs is the installed package
        if args.fresh:
            myoqa = fresh_install(cwd / "venv")
            # Run the checks with the new venv's Python: its mcp (the client) came with the extra.
            python = str(Path(myoqa).parent / "python")
            again = [python, __file__, "--myoqa", myoqa, "--concurrency", str(args.concurrency)]
            return subprocess.run(again, cwd=cwd).returncode
        else:
            myoqa = args.myoqa or str(Path(sys.executable).parent / "myoqa")
            if not Path(myoqa).exists():
                myoqa = shutil.which("myoqa") or myoqa
        print(f"testing {myoqa}", flush=True)
        env_knowledge = os.environ.get("MYOQA_KNOWLEDGE")
        if env_knowledge:
            print(f"(MYOQA_KNOWLEDGE={env_knowledge})")
        with concurrent.futures.ThreadPoolExecutor(1) as background:  # while the server starts
            expected = background.submit(library_answers, myoqa, QUESTIONS, cwd)
            check_http(
                c,
                myoqa,
                cwd,
                args.concurrency,
                expected,
                lambda facts: check_mcp(c, myoqa, cwd, facts, expected.result()),
            )
    print(f"{c.passed} passed, {len(c.failed)} failed in {time.perf_counter() - started:.1f} s")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
