"""Every example runs and does what its docstring says."""

from __future__ import annotations

import importlib.util
import json
import threading
import urllib.request
from pathlib import Path
from types import ModuleType

import pytest

EXAMPLES = Path(__file__).parents[1] / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_example_is_tested() -> None:
    tested = {"ask", "chat_bot", "custom_knowledge", "batch", "http_endpoint"}
    assert {p.stem for p in EXAMPLES.glob("*.py")} == tested


def test_ask(capsys: pytest.CaptureFixture[str]) -> None:
    assert load("ask").main(["what", "is", "ossification"]) == 0
    assert "bone" in capsys.readouterr().out.lower()


def test_chat_bot_keeps_users_apart(capsys: pytest.CaptureFixture[str]) -> None:
    assert load("chat_bot").main() == 0
    out = capsys.readouterr().out
    assert "[ana] How is it treated?" in out and "[ben] is it inherited?" in out
    assert "dominant" in out  # ben's follow-up resolved against FOP, not ana's subject


def test_custom_knowledge(capsys: pytest.CaptureFixture[str]) -> None:
    assert load("custom_knowledge").main() == 0
    out = capsys.readouterr().out
    assert "Monday to Friday" in out and "Book online" in out
    assert "'what is FOP' -> (not in this knowledge base)" in out


def test_batch_writes_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text("what is fop\n\nwho wrote hamlet\n")
    assert load("batch").main([str(questions)]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [a["found"] for a in answers] == [True, False]


def test_http_endpoint() -> None:
    module = load("http_endpoint")
    server = module.make_server(0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(f"{base}/answer?q=what+is+fop", timeout=10) as response:
            assert json.loads(response.read())["fact_id"] == "fop-definition"
        request = urllib.request.Request(f"{base}/answer", data=b'{"q": "who wrote hamlet"}', method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read())["found"] is False
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(
                urllib.request.Request(f"{base}/answer", data=b"not json", method="POST"), timeout=10
            )
        assert info.value.code == 400
    finally:
        server.shutdown()
        server.server_close()
