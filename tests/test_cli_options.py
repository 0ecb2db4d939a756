"""Global options work wherever they are typed, `ask` says through its exit status whether it
had an answer, and `--json` on a terminal says what it waits for."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from myoqa import cli
from myoqa.cli import EXIT_FAIL, EXIT_OK, build_parser, main

SMALL = Path(__file__).parent / "data" / "kb_small"


@pytest.mark.parametrize(
    "argv",
    [
        ["--knowledge", str(SMALL), "topics"],
        ["topics", "--knowledge", str(SMALL)],
    ],
)
def test_knowledge_before_or_after_the_command(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == EXIT_OK
    out = capsys.readouterr().out
    assert "Bone in muscle" in out and "Myositis ossificans" not in out


@pytest.mark.parametrize(
    "argv",
    [
        ["--knowledge", str(SMALL), "ask", "how is bone in muscle treated"],
        ["ask", "--knowledge", str(SMALL), "how is bone in muscle treated"],
        ["--json", "--knowledge", str(SMALL), "ask", "how is bone in muscle treated"],
        ["ask", "how is bone in muscle treated", "--json", "--knowledge", str(SMALL)],
    ],
)
def test_ask_options_anywhere(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == EXIT_OK
    out = capsys.readouterr().out
    if "--json" in argv:
        assert json.loads(out)["fact_id"] == "bim-treat"
    else:
        assert "rest, gentle movement" in out


def test_a_missing_knowledge_directory_fails_before_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--knowledge", str(tmp_path / "nonexistent"), "topics"]) == EXIT_FAIL
    assert "nonexistent" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["before", "after"])
def test_repl_options_before_or_after(where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}

    def fake_run_repl(kb: object, *, history_file: str | None = None, keep_history: bool = True) -> int:
        seen.update(history_file=history_file, keep_history=keep_history, kb=kb)
        return 0

    import myoqa.repl.app

    monkeypatch.setattr(myoqa.repl.app, "run_repl", fake_run_repl)

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(cli.sys, "stdin", Tty())
    history = str(tmp_path / "h")
    options = ["--history-file", history, "--knowledge", str(SMALL), "--no-history"]
    argv = [*options, "repl"] if where == "before" else ["repl", *options]
    assert main(argv) == 0
    assert seen["history_file"] == history and seen["keep_history"] is False
    assert len(seen["kb"]) == 4  # type: ignore[arg-type]


def test_json_before_repl_gives_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli.sys, "stdin", io.StringIO("what is fop\n"))
    assert main(["--json", "repl"]) == 0
    assert json.loads(capsys.readouterr().out)["fact_id"] == "fop-definition"


def test_each_global_option_is_declared_once() -> None:
    parser = build_parser()
    declared = [a.option_strings for a in parser._actions]
    for option in ("--knowledge", "--json", "--history-file", "--no-history"):
        assert sum(option in strings for strings in declared) == 1
    source = Path(cli.__file__).read_text()
    for option in ("--knowledge", "--json", "--history-file", "--no-history"):
        assert len(re.findall(rf'add_argument\(\s*"{option}"', source)) == 1, option


def test_ask_exit_status_tells_whether_it_answered(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "what is fop"]) == EXIT_OK
    assert main(["ask", "who wrote hamlet"]) == EXIT_FAIL
    assert "I don't know about that" in capsys.readouterr().out  # still printed
    assert main(["ask", "--json", "who wrote hamlet"]) == EXIT_FAIL
    assert json.loads(capsys.readouterr().out)["found"] is False


def test_exit_status_of_ask_is_documented(capsys: pytest.CaptureFixture[str]) -> None:
    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text().split())
    assert "exits 0 with an answer and 1 without one" in readme
    with pytest.raises(SystemExit):
        main(["ask", "--help"])
    assert "exits 0 with an answer and 1 without one" in " ".join(capsys.readouterr().out.split())


def test_json_on_a_terminal_says_what_it_expects(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(cli.sys, "stdin", Tty("what is fop\n"))
    assert main(["--json"]) == 0
    captured = capsys.readouterr()
    assert "one question per line" in captured.err and "myoqa --json < " in captured.err
    assert json.loads(captured.out)["fact_id"] == "fop-definition"
