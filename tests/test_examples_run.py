"""The examples as a newcomer meets them: each says how to run it after the README's install,
the chat example models the safe path (sources, urgent advice), and the batch example can
keep one conversation per user."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples"
OURS = ["ask", "batch", "chat_bot", "custom_knowledge"]  # http_endpoint.py belongs to `myoqa serve`'s issue


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", OURS)
def test_docstring_says_how_to_run_it_after_the_install(name: str) -> None:
    doc = load(name).__doc__ or ""
    assert "README" in doc and "quick start" in doc.lower()
    assert f".venv/bin/python examples/{name}.py" in doc
    assert "Run: python examples" not in doc  # the bare `python` has no myoqa after the quick start


@pytest.mark.parametrize("name", OURS)
def test_the_documented_command_works(name: str, tmp_path: Path) -> None:
    doc = load(name).__doc__ or ""
    line = next(line for line in doc.splitlines() if f".venv/bin/python examples/{name}.py" in line)
    command = line.split(".venv/bin/python", 1)[1].split("  ")[0].split(">")[0].strip()
    args = command.split()[1:]
    if "questions.txt" in args:
        (tmp_path / "questions.txt").write_text("what is fop\n")
        args = [str(tmp_path / "questions.txt") if a == "questions.txt" else a for a in args]
    if "chats.tsv" in args:
        (tmp_path / "chats.tsv").write_text("ana\twhat is fop\n")
        args = [str(tmp_path / "chats.tsv") if a == "chats.tsv" else a for a in args]
    args = [a.strip('"') for a in args]
    if name == "ask":
        args = ["what is myositis ossificans"]
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / f"{name}.py"), *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_chat_bot_shows_sources_and_urgent_advice(capsys: pytest.CaptureFixture[str]) -> None:
    assert load("chat_bot").main() == 0
    out = capsys.readouterr().out
    assert "Sources:" in out and "https://" in out
    assert "URGENT" in out
    assert "Answering:" in out  # says when it answered a question other than the words typed


def test_chat_bot_reply_marks_an_urgent_answer() -> None:
    bot = load("chat_bot").ChatBot()
    text = bot.reply("cai", "my calf is suddenly swollen red and hot after my operation")
    assert text.startswith("URGENT")


def test_batch_keeps_one_conversation_per_user(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chats = tmp_path / "chats.tsv"
    chats.write_text(
        "ana\tWhat is myositis ossificans?\nben\ttell me about FOP\nana\tHow is it treated?\nben\tis it inherited?\n"
    )
    assert load("batch").main(["--by-user", str(chats)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["user"] for r in rows] == ["ana", "ben", "ana", "ben"]
    assert rows[2]["fact_id"] == "mo-treatment" and rows[3]["fact_id"] == "fop-inheritance"


def test_batch_without_users_still_answers_each_line_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text("what is fop\nwho wrote hamlet\n")
    assert load("batch").main([str(questions)]) == 0
    assert [json.loads(line)["found"] for line in capsys.readouterr().out.splitlines()] == [True, False]


def test_batch_rejects_a_line_without_a_user(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chats = tmp_path / "chats.tsv"
    chats.write_text("ana\twhat is fop\nno tab here\n")
    assert load("batch").main(["--by-user", str(chats)]) == 2
    assert f"{chats}:2:" in capsys.readouterr().err
