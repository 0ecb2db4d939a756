"""Regression tests for W3: nothing from a knowledge file reaches the terminal raw.

YAML's ``"\\e"`` puts a raw ESC into a string; printed, ``ESC [2J`` clears the screen and
``ESC ]52;c;...`` writes the clipboard. Text fields refuse such characters when a file is
validated, and what ``check`` prints about a broken file (ids, keys, file names) is escaped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from myoqa import KnowledgeBase, KnowledgeError
from myoqa.cli import main
from myoqa.models import Fact, SmallTalk, Source

CLEAR_AND_CLIPBOARD = r"\e[2J\e]52;c;cHduZWQ=\a"
RAW = ("\x1b", "\x07", "\x9b")


def _assert_no_raw_control(text: str) -> None:
    assert not any(c in text for c in RAW), repr(text)


def _escape_fact(
    directory: Path,
    answer: str = "Calcification explained.",
    question: str = "What is escape calcification?",
    topic: str = "T",
) -> None:
    (directory / "esc.yaml").write_text(
        f'topic: "{topic}"\nfacts:\n  - id: esc\n    question: "{question}"\n    answer: "{answer}"\n',
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    "field",
    ["answer", "question", "topic"],
)
def test_escape_codes_in_text_are_refused(small_copy: Path, field: str) -> None:
    _escape_fact(small_copy, **{field: "Calcification." + CLEAR_AND_CLIPBOARD})
    with pytest.raises(KnowledgeError) as caught:
        KnowledgeBase.load(small_copy)
    assert "control character \\x1b" in str(caught.value)
    _assert_no_raw_control(str(caught.value))


def test_escape_codes_in_a_source_title_are_refused(small_copy: Path) -> None:
    (small_copy / "esc.yaml").write_text(
        "topic: T\nfacts:\n  - id: esc\n    question: What is escape calcification?\n"
        "    answer: Calcification explained.\n    sources:\n"
        f'      - title: "Title{CLEAR_AND_CLIPBOARD}"\n        url: https://example.org/x\n',
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError, match=r"sources\[1\]\.title"):
        KnowledgeBase.load(small_copy)


def test_ask_never_prints_the_escape(small_copy: Path, capfd: pytest.CaptureFixture[str]) -> None:
    _escape_fact(small_copy, answer="Calcification." + CLEAR_AND_CLIPBOARD)
    assert main(["ask", "--knowledge", str(small_copy), "what is escape calcification"]) == 1
    out, err = capfd.readouterr()
    _assert_no_raw_control(out + err)
    assert "\\x1b" in err


def test_check_escapes_ids_keys_and_file_names(small_copy: Path, capfd: pytest.CaptureFixture[str]) -> None:
    (small_copy / "esc.yaml").write_text(
        'topic: T\nfacts:\n  - id: "bad\\e[2J"\n    question: Q?\n    answer: A.\n    "\\e]0;pwned\\a": 1\n',
        encoding="utf-8",
    )
    (small_copy / "synonyms.yaml").write_text('synonyms:\n  "ca\\e[2J": calcium\n', encoding="utf-8")
    (small_copy / "odd\x1b[2J.yaml").write_text("facts: 1\n", encoding="utf-8")
    assert main(["check", str(small_copy)]) == 1
    out, err = capfd.readouterr()
    _assert_no_raw_control(out + err)
    assert "bad\\x1b[2J" in out and "\\x1b]0;pwned\\x07" in out and "odd\\x1b[2J.yaml" in out


def test_pipe_and_repl_start_refuse_the_file(
    small_copy: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The REPL and piped mode load the knowledge base the same way before reading input."""
    import io
    import sys

    _escape_fact(small_copy, answer="Calcification." + CLEAR_AND_CLIPBOARD)
    monkeypatch.setattr(sys, "stdin", io.StringIO("what is escape calcification\n"))
    assert main(["--knowledge", str(small_copy)]) == 1
    out, err = capfd.readouterr()
    _assert_no_raw_control(out + err)


def test_models_refuse_control_characters_from_python_too() -> None:
    base = {"id": "a", "question": "Q?", "answer": "A."}
    for bad in ({"answer": "A\x1b[2J"}, {"alternates": ("ok", "b\x07")}, {"related": ("x\x9b",)}):
        with pytest.raises(ValueError, match="control character"):
            Fact(**{**base, **bad})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="control character"):
        Source(title="T", url="https://example.org/\x1b]52")
    with pytest.raises(ValueError, match="control character"):
        SmallTalk(id="hi", patterns=("hi\u202e",), answer="Hello")
    # Newlines and tabs are text.
    assert Fact(**{**base, "answer": "Line one.\n\tLine two."}).answer.endswith("two.")


def test_escape_shows_what_was_removed() -> None:
    from myoqa.safetext import escape

    assert escape("a\x1b[2Jb\u202ec\n\t") == "a\\x1b[2Jb\\u202ec\n\t"
