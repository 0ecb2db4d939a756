"""Regression tests for ``myoqa eval`` findings of the attack report (C9, H3, W7)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from myoqa import evaluate
from myoqa.cli import main
from myoqa.evaluate import read_cases

MAX_LINE_BYTES: int = getattr(
    evaluate, "MAX_LINE_BYTES", 64 * 1024
)  # getattr: the test also runs on old code

GOOD = '{"q": "what is FOP", "expect": [["bone"]]}\n'

pytestmark = pytest.mark.usefixtures("cli_uses_session_kb")


def _eval_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> str:
    path = tmp_path / "cases.jsonl"
    path.write_text(GOOD + text, encoding="utf-8")
    assert main(["eval", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2:" in err, err
    return err


def test_deep_nesting_is_a_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # C9
    assert "nested too deeply" in _eval_error(tmp_path, capsys, "[" * 30_000 + "]" * 30_000 + "\n")


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('{"q": "what is FOP", "expect": "zzz"}', "list of keyword groups"),  # W7: was z & z & z
        ('{"q": "what is FOP", "expect": ["bone"]}', "list of keyword groups"),  # was b & o & n & e
        ('{"turns": "abc", "expect": null}', "'turns' must be a non-empty list"),  # W7: was a, b, c
        ('{"turns": [], "expect": null}', "'turns' must be a non-empty list"),
        ('{"q": 5, "expect": null}', "'q' must be a non-empty string"),
        ('{"q": "x", "turns": ["y"], "expect": null}', "exactly one of"),
        ('{"q": "x"}', "'expect' is missing"),
        ('{"q": "x", "expect": [[1]]}', "list of keyword groups"),
        ('{"q": "x", "expect": [[]]}', "list of keyword groups"),
        ('["q", "x"]', "JSON object"),
        ('{"q": "x", "expect": null, "kind": 3}', "'kind' must be a string"),
    ],
)
def test_wrong_types_are_rejected_with_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, says: str
) -> None:  # W7
    assert says in _eval_error(tmp_path, capsys, line + "\n")


def test_non_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_bytes(GOOD.encode() + b'{"q": "caf\xe9", "expect": null}\n')
    with pytest.raises(ValueError, match=r"cases\.jsonl:2: not UTF-8"):
        read_cases(path)


def test_too_long_line(tmp_path: Path) -> None:  # H3
    path = tmp_path / "cases.jsonl"
    path.write_text(GOOD + '{"q": "' + "a" * MAX_LINE_BYTES + '", "expect": null}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"cases\.jsonl:2: line is longer than"):
        read_cases(path)


def test_a_line_at_the_limit_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    head = '{"q": "what is FOP", "expect": null, "kind": "'
    line = head + "k" * (MAX_LINE_BYTES - len(head) - 2) + '"}'
    assert len(line) == MAX_LINE_BYTES
    path.write_text(line + "\n" + GOOD, encoding="utf-8")
    assert len(read_cases(path)) == 2


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_endless_file_fails_fast_in_bounded_memory() -> None:  # H3
    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GB: the old code needed it all

    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "myoqa", "eval", "/dev/zero"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit_memory,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "/dev/zero:1: line is longer than" in done.stderr
    assert time.monotonic() - started < 10
