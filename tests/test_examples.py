"""Every example runs and does what its docstring says."""

from __future__ import annotations

import importlib.util
import json
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


def test_http_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    # The example starts `myoqa serve --port 0` itself and talks to it as a bot would.
    assert load("http_endpoint").main([]) == 0
    out = capsys.readouterr().out
    assert "/answer -> fop-definition" in out and "sources:" in out
    assert "[chat] How is it treated? -> mo-treatment" in out
    assert "a bad request -> 422: invalid request: question" in out
