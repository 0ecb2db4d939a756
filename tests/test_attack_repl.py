"""Regression tests for the REPL findings of the attack report (H1, C10, W4, W5, W6)."""

from __future__ import annotations

import io
import os
import stat
import sys
import time
from pathlib import Path

import pytest
from prompt_toolkit import PromptSession
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input.base import PipeInput
from prompt_toolkit.output import DummyOutput

from myoqa import KnowledgeBase
from myoqa.cli import main
from myoqa.repl.app import Repl, history_path, open_history

pytestmark = pytest.mark.usefixtures("cli_uses_session_kb")


def _repl(kb: KnowledgeBase, pipe: PipeInput, history: object = None) -> tuple[Repl, list[str]]:
    said: list[str] = []
    session: PromptSession[str] = PromptSession(
        input=pipe,
        output=DummyOutput(),
        history=history or InMemoryHistory(),  # type: ignore[arg-type]
    )
    return Repl(kb, session=session, write=lambda text, style: said.append(text), color=False, width=80), said


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- W4: privacy ---------------------------------------------------------------------------


def test_history_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    history = open_history(None, pytest.fail)
    history.append_string("do I have FOP")
    path = tmp_path / "data" / "myoqa" / "history"
    assert "do I have FOP" in path.read_text(encoding="utf-8")
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700


def test_an_old_world_readable_history_is_made_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    folder = tmp_path / "myoqa"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    (folder / "history").write_text("\n# old\n+my question\n", encoding="utf-8")
    (folder / "history").chmod(0o644)
    history = open_history(None, pytest.fail)
    assert _mode(folder) == 0o700 and _mode(folder / "history") == 0o600
    assert list(history.load_history_strings()) == ["my question"]


def test_relative_xdg_data_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", "data")
    assert history_path() == Path.home() / ".local" / "share" / "myoqa" / "history"
    open_history(None, pytest.fail).append_string("private")
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    ("argv", "env"), [(["--no-history"], None), (["repl", "--no-history"], None), ([], "0")]
)
def test_no_history_keeps_nothing_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], env: str | None
) -> None:
    import myoqa.repl.app

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    kept: list[bool] = []

    def fake_run_repl(
        kb: KnowledgeBase, *, history_file: str | None = None, keep_history: bool = True
    ) -> int:
        kept.append(keep_history)
        open_history(
            Path(history_file) if history_file else None, pytest.fail, keep=keep_history
        ).append_string("q")
        return 0

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    if env is not None:
        monkeypatch.setenv("MYOQA_HISTORY", env)
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(myoqa.repl.app, "run_repl", fake_run_repl)
    assert main(argv) == 0
    assert kept == [False]
    assert list(tmp_path.iterdir()) == []


# --- H1: endless or huge history files -------------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/full"])
def test_a_device_as_history_file_is_not_read(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    warnings: list[str] = []
    started = time.monotonic()
    history = open_history(Path(device), warnings.append)
    assert isinstance(history, InMemoryHistory)
    assert warnings and "not a regular file" in warnings[0]
    assert time.monotonic() - started < 1


def test_a_huge_history_file_is_read_only_at_its_end(tmp_path: Path) -> None:
    path = tmp_path / "history"
    entries = [f"question number {i}" for i in range(400_000)]  # about 10 MB
    path.write_text("".join(f"\n# t\n+{q}\n" for q in entries), encoding="utf-8")
    history = open_history(path, pytest.fail)
    started = time.monotonic()
    loaded = list(history.load_history_strings())
    assert time.monotonic() - started < 1
    assert loaded[0] == entries[-1]  # newest first, as prompt-toolkit expects
    assert 10_000 < len(loaded) < 100_000


def test_a_history_line_of_zeros_does_not_hang(tmp_path: Path) -> None:
    path = tmp_path / "history"
    path.write_bytes(b"\n# t\n+what is FOP\n" + b"\0" * (5 << 20))
    loaded = list(open_history(path, pytest.fail).load_history_strings())
    assert len("".join(loaded)) <= 1 << 20


# --- W5: a full disk -------------------------------------------------------------------------


def test_full_disk_loses_no_question(kb: KnowledgeBase, pipe: PipeInput, tmp_path: Path) -> None:
    from myoqa.repl.history import BoundedFileHistory

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    history = BoundedFileHistory("/dev/full")  # every write fails with ENOSPC, like a full disk
    repl, said = _repl(kb, pipe, history)
    pipe.send_text("what is myositis ossificans\rwhat is FOP\r/quit\r")
    assert repl.run() == 0
    text = "\n".join(said)
    assert text.count("cannot save history") == 1  # said once, not at every question
    assert "lump of real bone" in text or "myositis ossificans" in text.lower()
    assert "Fibrodysplasia ossificans progressiva" in text
    assert history.get_strings()[:2] == ["what is myositis ossificans", "what is FOP"]  # kept in memory


# --- C10: Ctrl-C during an answer ------------------------------------------------------------


def test_ctrl_c_during_an_answer_returns_to_the_prompt(
    kb: KnowledgeBase, pipe: PipeInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    repl, said = _repl(kb, pipe)
    real_ask = repl.chat.ask
    calls = []

    def interrupted_once(question: str):  # type: ignore[no-untyped-def]
        calls.append(question)
        if len(calls) == 1:
            raise KeyboardInterrupt  # what Ctrl-C does while the answer is being computed
        return real_ask(question)

    monkeypatch.setattr(repl.chat, "ask", interrupted_once)
    pipe.send_text("\ufdfa" * 300 + "\rwhat is FOP\r/quit\r")
    assert repl.run() == 0
    assert "(interrupted)" in said and said[-1] == "Goodbye."
    assert "Fibrodysplasia ossificans progressiva" in "\n".join(said)


# --- W6: Unicode digits ----------------------------------------------------------------------


def test_unicode_digits_are_not_picks(kb: KnowledgeBase, pipe: PipeInput) -> None:
    repl, said = _repl(kb, pipe)
    pipe.send_text("what is myositis ossificans\r\u00b2\r\u2460\r/topic \u00b2\r/quit\r")
    assert repl.run() == 0
    assert not any("internal error" in s for s in said), said
