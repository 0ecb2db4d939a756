"""The HTTP API (`myoqa serve`): through FastAPI's test client, and on a real uvicorn server on
an ephemeral loopback port for what only a socket shows (framing, slow clients, concurrency)."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from myoqa import KnowledgeBase
from myoqa.server.http_api import create_app
from myoqa.server.serve import ServeOptions, bind, build_server, is_loopback
from myoqa.server.store import ConversationStore

QUESTIONS = [
    "what is fop",
    "What is myositis ossificans?",
    "can bone grow in a muscle after a hip replacement?",
    "calciphylaxis on dialysis",
    "who wrote hamlet",
    "hello",
    "myositis osificans treatment",
    "",
    "how is it treated?",
    "x" * 5000,
    "I can't breathe",  # triage: the library's urgent answer, passed on as it is
    "my leg is suddenly swollen, hot and painful",
]


def library(kb: KnowledgeBase, question: str) -> dict[str, Any]:
    """The library's answer as the API sends it (without the explanation)."""
    return json.loads(kb.answer(question).model_copy(update={"why": None}).model_dump_json())


@pytest.fixture
def client(kb: KnowledgeBase) -> TestClient:
    return TestClient(create_app(kb, ConversationStore(kb, max_conversations=5)))


# ---------------------------------------------------------------- through the test client


def test_answer_is_the_librarys(client: TestClient, kb: KnowledgeBase) -> None:
    for q in QUESTIONS:
        response = client.post("/answer", json={"question": q})
        assert response.status_code == 200
        assert response.json() == library(kb, q)


def test_answer_limit_and_why(client: TestClient, kb: KnowledgeBase) -> None:
    got = client.post("/answer", json={"question": "myositis osificans", "limit": 2, "why": True}).json()
    assert got == json.loads(kb.answer("myositis osificans", limit=2).model_dump_json())
    assert got["why"]["normalized"]


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b"{not json", 400, "not valid JSON"),
        (b"[" * 20000 + b"]" * 20000, 400, "error parsing the body"),
        (b"[1, 2]", 422, "valid dictionary"),
        (b'{"question": 5}', 422, "question: Input should be a valid string"),
        (b'{"question": ["what is fop"]}', 422, "question"),
        (b'{"question": "x", "limit": "5"}', 422, "limit: Input should be a valid integer"),
        (b'{"question": "x", "limit": true}', 422, "limit"),
        (b'{"question": "x", "limit": 0}', 422, "greater than or equal to 1"),
        (b'{"question": "x", "limit": 21}', 422, "less than or equal to 20"),
        (b'{"q": "what is fop"}', 422, "q: Extra inputs are not permitted"),
        (b"", 422, "Field required"),
    ],
)
def test_bad_bodies_get_a_json_4xx(client: TestClient, body: bytes, status: int, says: str) -> None:
    response = client.post("/answer", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert says in response.json()["error"]


def test_a_body_not_sent_as_json_is_415_with_the_fix(client: TestClient) -> None:
    for content_type in ["application/x-www-form-urlencoded", "text/plain"]:
        response = client.post(
            "/answer", content=b'{"question": "x"}', headers={"Content-Type": content_type}
        )
        assert response.status_code == 415
        assert "Content-Type: application/json" in response.json()["error"]


def test_body_cap_whatever_content_length_says(client: TestClient) -> None:
    small = json.dumps({"question": "what is fop"}).encode()
    big = json.dumps({"question": "x" * 70_000}).encode()
    assert (
        client.post("/answer", content=big, headers={"Content-Type": "application/json"}).status_code == 413
    )
    just_under = json.dumps({"question": "x" * (64 * 1024 - 20)}).encode()
    assert (
        client.post("/answer", content=just_under, headers={"Content-Type": "application/json"}).status_code
        == 200
    )

    def chunks() -> Iterator[bytes]:  # no Content-Length at all: chunked
        for _ in range(100):
            yield b" " * 1000

    response = client.post("/answer", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and "larger than 65536 bytes" in response.json()["error"]
    for bad in ["-1", "abc", "1e3"]:
        response = client.post(
            "/answer", content=small, headers={"Content-Type": "application/json", "Content-Length": bad}
        )
        assert response.status_code == 400 and "Content-Length" in response.json()["error"]


def test_conversations(client: TestClient, kb: KnowledgeBase) -> None:
    created = client.post("/conversations")
    assert created.status_code == 201
    cid = created.json()["id"]
    first = client.post(f"/conversations/{cid}/ask", json={"question": "What is myositis ossificans?"}).json()
    follow = client.post(f"/conversations/{cid}/ask", json={"question": "How is it treated?"}).json()
    assert first["fact_id"] == "mo-definition" and follow["fact_id"] == "mo-treatment"
    assert follow["question"] == "How is it treated?"
    assert client.post("/answer", json={"question": "How is it treated?"}).json()["found"] is False
    picked = client.post(f"/conversations/{cid}/ask", json={"question": "1"}).json()
    assert picked["fact_id"] == follow["related"][0]["id"]
    wrong = client.post(f"/conversations/{cid}/ask", json={"question": 1})
    assert wrong.status_code == 422
    assert client.delete(f"/conversations/{cid}").status_code == 204
    gone = client.post(f"/conversations/{cid}/ask", json={"question": "and then?"})
    assert gone.status_code == 404 and "start a new one" in gone.json()["error"]
    assert client.delete(f"/conversations/{cid}").status_code == 404
    assert client.post("/conversations/not%20an%20id/ask", json={"question": "x"}).status_code == 422


def test_conversation_cap_evicts_the_least_recently_used(client: TestClient) -> None:
    ids = [client.post("/conversations").json()["id"] for _ in range(6)]  # the cap is 5
    statuses = [
        client.post(f"/conversations/{i}/ask", json={"question": "what is fop"}).status_code for i in ids
    ]
    assert statuses == [404, 200, 200, 200, 200, 200]
    assert client.get("/health").json()["conversations"] == 5


def test_conversations_expire_when_idle(kb: KnowledgeBase) -> None:
    now = [0.0]
    store = ConversationStore(kb, idle_seconds=30, clock=lambda: now[0])
    client = TestClient(create_app(kb, store))
    cid = client.post("/conversations").json()["id"]
    now[0] = 29
    assert client.post(f"/conversations/{cid}/ask", json={"question": "what is fop"}).status_code == 200
    now[0] = 58
    assert client.post(f"/conversations/{cid}/ask", json={"question": "is it inherited?"}).status_code == 200
    now[0] = 89
    assert client.post(f"/conversations/{cid}/ask", json={"question": "is it inherited?"}).status_code == 404


def test_health_topics_facts(client: TestClient, kb: KnowledgeBase) -> None:
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["facts"] == len(kb) and health["topics"] == len(kb.topics)
    topics = client.get("/topics").json()
    assert [t["name"] for t in topics] == list(kb.topics)
    assert sum(t["facts"] for t in topics) == len(kb)
    fact = client.get("/facts/fop-definition").json()
    assert fact == json.loads(kb.get("fop-definition").model_dump_json())
    missing = client.get("/facts/no-such-fact")
    assert missing.status_code == 404 and "no-such-fact" in missing.json()["error"]


def test_unknown_paths_and_methods_are_json(client: TestClient) -> None:
    assert client.get("/nowhere").json() == {"error": "Not Found"}
    response = client.get("/answer")
    assert response.status_code == 405 and response.json() == {"error": "Method Not Allowed"}


def test_openapi_schema_comes_from_the_models(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/answer", "/conversations", "/conversations/{conversation_id}/ask", "/health", "/topics"} <= set(
        schema["paths"]
    )
    answer_schema = schema["components"]["schemas"]["Answer"]
    assert {"text", "found", "urgent", "sources", "suggestions"} <= set(answer_schema["properties"])
    assert client.get("/docs").status_code == 200


def test_loopback_detection() -> None:
    assert all(is_loopback(h) for h in ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
    assert not any(is_loopback(h) for h in ["0.0.0.0", "::", "192.168.1.2", "example.org"])


# ---------------------------------------------------------------- on a real server


class Running:
    def __init__(self, base: str, host: str, port: int) -> None:
        self.base, self.host, self.port = base, host, port

    def post(self, path: str, body: Any = None, timeout: float = 10) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + path, data=data, method="POST", headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def raw(self, data: bytes) -> bytes:
        """Send raw bytes, half-close, read until the server closes."""
        with socket.create_connection((self.host, self.port), timeout=10) as sock:
            with contextlib.suppress(OSError):
                sock.sendall(data)
                sock.shutdown(socket.SHUT_WR)
            out = b""
            with contextlib.suppress(OSError):
                while chunk := sock.recv(65536):
                    out += chunk
        return out


@pytest.fixture(scope="module")
def server() -> Iterator[Running]:
    kb = KnowledgeBase.load()
    options = ServeOptions(port=0, idle_seconds=0.5, max_conversations=3, request_timeout=0.5)
    sock = bind(options.host, options.port)
    uvicorn_server = build_server(kb, options)
    thread = threading.Thread(target=uvicorn_server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uvicorn_server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    host, port = sock.getsockname()[:2]
    try:
        yield Running(f"http://{host}:{port}", host, port)
    finally:
        uvicorn_server.should_exit = True
        thread.join(10)
        sock.close()


HEAD = b"POST /answer HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"


def status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0


def test_real_server_answers_like_the_library(server: Running, kb: KnowledgeBase) -> None:
    assert server.host == "127.0.0.1"
    for q in QUESTIONS[:4]:
        assert server.post("/answer", {"question": q}) == (200, library(kb, q))


def test_real_server_200_concurrent_requests(server: Running, kb: KnowledgeBase) -> None:
    expected = {q: library(kb, q) for q in QUESTIONS}

    def one(i: int) -> tuple[bool, float]:
        q = QUESTIONS[i % len(QUESTIONS)]
        start = time.perf_counter()
        got = server.post("/answer", {"question": q}, timeout=30)
        return got == (200, expected[q]), time.perf_counter() - start

    with ThreadPoolExecutor(200) as pool:
        results = list(pool.map(one, range(200)))
    assert all(ok for ok, _ in results)
    # The old example's listen backlog of 5 made the slowest of 200 wait 8-31 s (SYN retries).
    assert max(t for _, t in results) < 5


def test_real_server_bad_json_wrong_types_huge_bodies(server: Running) -> None:
    assert server.post("/answer", None)[0] == 422
    response = server.raw(HEAD + b"Content-Length: 9\r\n\r\n{not json")
    assert status(response) == 400 and b'"error"' in response
    response = server.raw(HEAD + b'Content-Length: 15\r\n\r\n{"question": 5}')
    assert status(response) == 422 and b"valid string" in response
    # Declared too big: refused before any of it is read.
    assert status(server.raw(HEAD + b"Content-Length: 300000000\r\n\r\n")) == 413
    # Chunked, no Content-Length: counted as it arrives.
    chunk = b"x" * 65536
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(3)) + b"0\r\n\r\n"
    response = server.raw(HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + chunked)
    assert status(response) == 413 and b"larger than 65536" in response


def test_real_server_negative_or_absent_content_length(server: Running) -> None:
    # Invalid framing (RFC 9112 section 6.3): uvicorn's parser answers 400 and closes, buffering nothing.
    response = server.raw(HEAD + b"Content-Length: -1\r\n\r\n" + b" " * 1_000_000)
    assert status(response) in (400, 0)  # 0: the server closed while we were still sending
    response = server.raw(HEAD + b"Content-Length: -1\r\n\r\n")
    assert status(response) == 400
    # No Content-Length and not chunked: the request has no body.
    response = server.raw(HEAD + b"\r\n" + b'{"question": "what is fop"}')
    assert status(response) == 422 and b"Field required" in response


def test_real_server_drops_slow_clients(server: Running) -> None:
    for partial in [b"GET /health HTTP/1.1\r\n", HEAD + b"Content-Length: 100\r\n\r\n" + b'{"ques']:
        start = time.perf_counter()
        with socket.create_connection((server.host, server.port), timeout=5) as sock:
            sock.sendall(partial)  # and never the rest
            assert sock.recv(100) == b""  # closed by the server, without an answer
        assert time.perf_counter() - start < 3  # the request timeout is 0.5 s


def test_real_server_keeps_answering_while_slow_clients_wait(server: Running, kb: KnowledgeBase) -> None:
    idle = [socket.create_connection((server.host, server.port), timeout=5) for _ in range(50)]
    try:
        for sock in idle:
            sock.sendall(b"GET /answer?q=x HTTP/1.1\r\n")
        assert server.post("/answer", {"question": "what is fop"}) == (200, library(kb, "what is fop"))
    finally:
        for sock in idle:
            sock.close()


def test_real_server_conversations_follow_ups_cap_expiry(server: Running) -> None:
    _, created = server.post("/conversations")
    cid = created["id"]
    assert server.post(f"/conversations/{cid}/ask", {"question": "What is myositis ossificans?"})[0] == 200
    code, follow = server.post(f"/conversations/{cid}/ask", {"question": "How is it treated?"})
    assert code == 200 and follow["fact_id"] == "mo-treatment"
    ids = [server.post("/conversations")[1]["id"] for _ in range(3)]  # the cap is 3: cid goes
    assert server.post(f"/conversations/{cid}/ask", {"question": "what is fop"})[0] == 404
    assert server.post(f"/conversations/{ids[-1]}/ask", {"question": "what is fop"})[0] == 200
    time.sleep(0.7)  # idle for longer than 0.5 s
    assert server.post(f"/conversations/{ids[-1]}/ask", {"question": "what is fop"})[0] == 404
