"""Regression tests for the loader findings of the attack report (C1-C4, W1, W2, W8, W10, S1).

Each test breaks a copy of a knowledge directory the way the report did and checks that the
load stops with a ``KnowledgeError`` naming the file (and the line where one exists), and that
``myoqa check`` says so instead of printing a traceback.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from myoqa import KnowledgeBase, KnowledgeError
from myoqa.cli import main

ROOT_KB = Path(__file__).resolve().parents[1] / "knowledge"


def _fails(directory: Path, file: str, *words: str, line: int | None = None) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as caught:
        KnowledgeBase.load(directory)
    problems = [p for p in caught.value.problems if p.path == file]
    assert problems, f"no problem names {file}: {caught.value}"
    text = " ".join(str(p) for p in problems)
    for word in words:
        assert word in text, text
    if line is not None:
        assert any(p.line == line for p in problems), text
    return caught.value


def _topic(directory: Path, name: str, body: str) -> None:
    (directory / name).write_text("topic: X\nfacts:\n  - id: x-one\n" + body, encoding="utf-8")


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "2026-11-28 25:00:00"])
def test_invalid_date_names_file_and_line(small_copy: Path, value: str) -> None:  # C1
    _topic(small_copy, "x.yaml", f"    question: Q x?\n    answer: A x.\n    reviewed: {value}\n")
    _fails(small_copy, "x.yaml", "invalid date", line=6)


def test_huge_integer_names_file_and_line(small_copy: Path) -> None:  # C2
    _topic(small_copy, "x.yaml", f"    question: Q x?\n    answer: A x.\n    reviewed: {'9' * 5000}\n")
    error = _fails(small_copy, "x.yaml", "too long", line=6)
    assert len(str(error)) < 2000  # the 5,000 digits are not echoed back


def test_deep_nesting_in_an_invalid_fact(small_copy: Path) -> None:  # C3
    _topic(
        small_copy,
        "x.yaml",
        "    question: Q x?\n    answer: A x.\n    alternates: " + "[" * 600 + "]" * 600 + "\n",
    )
    _fails(small_copy, "x.yaml", "alternates", line=3)


def test_check_command_reports_bad_date_without_traceback(
    small_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # C1 through the CLI
    _topic(small_copy, "x.yaml", "    question: Q x?\n    answer: A x.\n    reviewed: 2026-02-30\n")
    assert main(["check", str(small_copy)]) == 1
    assert "x.yaml:6: invalid YAML: invalid date or time '2026-02-30'" in capsys.readouterr().out


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any directory")
@pytest.mark.parametrize("mode", [0o000, 0o400])
def test_unreadable_directory(small_copy: Path, mode: int) -> None:  # C4
    small_copy.chmod(mode)
    try:
        with pytest.raises(KnowledgeError, match="cannot list this directory"):
            KnowledgeBase.load(small_copy)
    finally:
        small_copy.chmod(0o700)


def test_unreadable_directory_as_root_too(small_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # C4
    """The same case without dropping privileges: the OS error is simulated."""

    def denied(path: object) -> list[str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "listdir", denied)
    with pytest.raises(KnowledgeError, match=r"cannot list this directory \(Permission denied\)"):
        KnowledgeBase.load(small_copy)


@pytest.mark.parametrize("kind", ["loop", "dangling", "directory", "fifo", "device"])
def test_yaml_entry_that_is_not_a_regular_file(small_copy: Path, kind: str) -> None:  # W1
    target = small_copy / "synonyms.yaml"
    target.unlink()
    if kind == "loop":
        target.symlink_to("synonyms.yaml")
    elif kind == "dangling":
        target.symlink_to(small_copy / "missing.yaml")
    elif kind == "directory":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    started = time.monotonic()
    _fails(small_copy, "synonyms.yaml")
    assert time.monotonic() - started < 5  # a FIFO or /dev/zero is never opened


def test_link_to_a_regular_file_still_loads(small_copy: Path, tmp_path: Path) -> None:
    real = tmp_path / "real-synonyms.yaml"
    shutil.move(small_copy / "synonyms.yaml", real)
    (small_copy / "synonyms.yaml").symlink_to(real)
    assert KnowledgeBase.load(small_copy).synonyms


def test_upper_case_suffix_is_read(small_copy: Path) -> None:  # W1 (".YAML" was ignored)
    shutil.move(small_copy / "synonyms.yaml", small_copy / "synonyms.YAML")
    assert "bone in muscle" in KnowledgeBase.load(small_copy).synonyms


def test_duplicate_question_key(small_copy: Path) -> None:  # W2
    _topic(
        small_copy,
        "x.yaml",
        "    question: Q x?\n    answer: A x.\n    question: Who won the 1966 World Cup?\n",
    )
    _fails(small_copy, "x.yaml", "duplicate key 'question'", "first set on line 4", line=6)


def test_second_synonyms_key(small_copy: Path) -> None:  # W2
    with (small_copy / "synonyms.yaml").open("a", encoding="utf-8") as f:
        f.write("synonyms:\n  calcium: [ca]\n")
    _fails(small_copy, "synonyms.yaml", "duplicate key 'synonyms'", line=3)


def test_duplicate_key_in_the_real_knowledge_base(tmp_path: Path) -> None:  # W2, as reported
    copy = tmp_path / "kb"
    shutil.copytree(ROOT_KB, copy)
    with (copy / "synonyms.yaml").open("a", encoding="utf-8") as f:
        f.write("synonyms:\n  calcium: [ca]\n")
    _fails(copy, "synonyms.yaml", "duplicate key")


def test_alias_amplification_is_refused_quickly(small_copy: Path) -> None:  # S1
    text = "calcification muscle bone " * 400
    aliases = ", ".join(["*s"] * 5000)
    _topic(
        small_copy,
        "x.yaml",
        f'    question: Q x?\n    answer: A x.\n    alternates: [&s "{text}", {aliases}]\n',
    )
    started = time.monotonic()
    _fails(small_copy, "x.yaml", "aliases", line=6)
    assert time.monotonic() - started < 2  # was 10 s and 640 MB


@pytest.mark.parametrize(
    "body",
    [
        "    question: &q Q x?\n    answer: *q\n",  # a plain alias
        "    question: Q x?\n    answer: A x.\n    <<: {urgent: true}\n",  # a merge key
    ],
)
def test_aliases_and_merge_keys_are_refused(small_copy: Path, body: str) -> None:  # S1
    _topic(small_copy, "x.yaml", body)
    _fails(small_copy, "x.yaml", "not allowed")


@pytest.mark.parametrize("terms", ["[what]", '["???"]', "[bone, what is the]", "[a]"])
def test_scope_of_stopwords(small_copy: Path, terms: str) -> None:  # W8
    (small_copy / "scope.yaml").write_text(f"scope: {terms}\n", encoding="utf-8")
    _fails(small_copy, "scope.yaml", "no meaningful word", line=1)


def test_meaningful_scope_still_loads(small_copy: Path) -> None:
    (small_copy / "scope.yaml").write_text("scope: [bone, calcium crystals]\n", encoding="utf-8")
    assert KnowledgeBase.load(small_copy).scope == ("bone", "calcium crystals")


def test_empty_directory_name_is_refused(capsys: pytest.CaptureFixture[str]) -> None:  # W10
    with pytest.raises(KnowledgeError, match="empty directory name"):
        KnowledgeBase.load("")
    assert main(["check", ""]) == 2
    assert main(["ask", "--knowledge", "", "what is FOP"]) == 2
    assert "is empty" in capsys.readouterr().err


def test_an_editor_lock_link_is_not_a_topic(small_copy: Path) -> None:
    (small_copy / ".#bones.yaml").symlink_to("root@host.12345:1700000000")  # what Emacs leaves while editing
    assert len(KnowledgeBase.load(small_copy)) == 4
