"""Regression tests for the stream findings of the attack report (C6, C7, C8, C13, C14).

The command is run in-process with its standard streams replaced by real text streams of the
encoding in question, which is what a terminal, a pipe or a file gives Python.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import sys
from pathlib import Path

import pytest

from myoqa.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


pytestmark = pytest.mark.usefixtures("cli_uses_session_kb")


def _stream(data: bytes = b"", encoding: str = "utf-8", errors: str = "strict") -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors=errors)


def _output(stream: io.TextIOWrapper) -> bytes:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue()


def _run(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: bytes = b"", encoding: str = "utf-8"
) -> tuple[int, bytes, bytes]:
    out, err = _stream(encoding=encoding), _stream(encoding=encoding)
    monkeypatch.setattr(sys, "stdin", _stream(stdin))
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    status = main(argv)
    return status, _output(out), _output(err)


def test_binary_stdin_under_a_strict_utf8_locale(monkeypatch: pytest.MonkeyPatch) -> None:  # C6
    noise = bytes(range(256)) * 8 + b"\nwhat is FOP\n\xff\xfe calcification\n"
    status, out, err = _run(monkeypatch, [], stdin=noise)
    assert status == 0, err
    assert b"Fibrodysplasia ossificans progressiva" in out  # the good line among the noise is answered


def test_binary_stdin_in_json_mode(monkeypatch: pytest.MonkeyPatch) -> None:  # C6 + C5
    status, out, err = _run(
        monkeypatch, ["--json"], stdin=b"what is myositis ossificans\nhow is it treated \xff\n"
    )
    assert status == 0, err
    assert [json.loads(line)["found"] for line in out.splitlines()] == [True, True]


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize(
    ("argv", "stdin"),
    [
        (["ask", "what is the capital of france"], b""),
        (["ask", "what", "is", "myositis", "ossificans"], b""),
        (["ask", "--why", "what is FOP"], b""),
        ([], b"what is FOP\nhow is it treated?\n"),
        (["check"], b""),
    ],
)
def test_ascii_and_latin1_output(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: bytes, encoding: str
) -> None:  # C7
    status, out, err = _run(monkeypatch, argv, stdin=stdin, encoding=encoding)
    assert status in (0, 1) and b"Traceback" not in err, err
    assert out.strip()
    out.decode(encoding)  # what was written is valid in the stream's encoding


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_json_output_in_ascii_is_exact(monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:  # C7
    status, out, _ = _run(monkeypatch, ["ask", "--json", "what is the capital of france"], encoding=encoding)
    assert status == 1  # printed, and "no answer" in the exit status
    text = json.loads(out)["text"]
    assert any(ord(c) > 127 for c in text)  # the curly quotes survive as \u escapes
    status, out, _ = _run(monkeypatch, ["--json"], stdin=b"what is FOP\n", encoding=encoding)
    assert status == 0 and json.loads(out)["found"]


def test_closed_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:  # C8
    monkeypatch.setattr(sys, "stdin", None)
    assert main([]) == 2
    assert "standard input is closed" in capsys.readouterr().err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(("argv", "stdin"), [(["ask", "what is FOP"], b""), ([], b"what is FOP\n")])
def test_full_stdout(monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: bytes) -> None:  # C13
    full = open("/dev/full", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    err = _stream()
    monkeypatch.setattr(sys, "stdin", _stream(stdin))
    monkeypatch.setattr(sys, "stdout", full)
    monkeypatch.setattr(sys, "stderr", err)
    try:
        assert main(argv) == 1
        full.flush()  # what the interpreter does at exit: must not fail again
    finally:
        full.close()
    assert b"cannot write the output: No space left on device" in _output(err)


def test_batch_example_reads_latin1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # C14
    spec = importlib.util.spec_from_file_location("batch_example", EXAMPLES / "batch.py")
    assert spec is not None and spec.loader is not None
    batch = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(batch)
    latin1 = tmp_path / "l1.txt"
    latin1.write_bytes(b"caf\xe9 calcification\nwhat is FOP\n")
    assert batch.main([str(latin1)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["found"]
