"""Piped input: `myoqa < questions.txt` works without a terminal, in text or JSON Lines."""

from __future__ import annotations

import json
import subprocess
import sys


def _run(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "myoqa", *args], input=stdin, capture_output=True, text=True, timeout=60
    )


def test_one_answer_block_per_line() -> None:
    result = _run("what is ossification\n\nwho wrote hamlet\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("> ") == 2
    assert "> what is ossification" in result.stdout and "bone" in result.stdout.lower()
    assert "I don't know about that" in result.stdout
    assert "\x1b[" not in result.stdout  # plain text, no terminal codes


def test_json_lines_mode() -> None:
    result = _run("what is fop\nhow is it treated\n", "--json")
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["fact_id"] for a in answers] == ["fop-definition", "fop-treatment"]


def test_empty_input_is_fine() -> None:
    result = _run("")
    assert result.returncode == 0 and result.stdout == ""
