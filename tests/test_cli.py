"""The command line: exit codes and what people read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from myoqa.cli import build_parser, main


def test_ask_prints_answer_with_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "what", "is", "ossification"]) == 0
    out = capsys.readouterr().out
    assert "bone" in out.lower()
    assert "Sources (reviewed " in out and "http" in out


def test_ask_json_is_an_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "what is fop"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["found"] is True and data["fact_id"].startswith("fop-")
    assert "why" not in data


def test_ask_why_explains(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--why", "myositis osificans"]) == 0
    out = capsys.readouterr().out
    assert "Corrected words:" in out and "osificans → ossificans" in out
    assert "Top candidates:" in out and "Decision:" in out


def test_ask_off_topic_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "who wrote hamlet"]) == 1  # no answer: exit status 1
    assert "I don't know about that" in capsys.readouterr().out


def test_check_passes_on_shipped_knowledge(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--strict"]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().out


def test_check_reports_every_mistake_and_fails(small_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small_copy / "broken.yaml").write_text(
        "topic: X\nfacts:\n  - id: bad id\n    question: q\n    answer: a\n    colour: red\n"
    )
    assert main(["check", str(small_copy)]) == 1
    out = capsys.readouterr().out
    assert "broken.yaml:3 › fact 'bad id' › id:" in out
    assert "broken.yaml:3 › fact 'bad id' › colour: unknown field" in out
    assert "nothing was loaded" in out


def test_check_lints_colliding_phrasings(small_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        (small_copy / "crystals.yaml").read_text().replace("calcium crystal meaning", "bone inside a muscle")
    )
    (small_copy / "crystals.yaml").write_text(text)
    assert main(["check", str(small_copy)]) == 1
    assert "phrasing 'bone inside a muscle' is also used by fact 'bim-what'" in capsys.readouterr().out


def test_check_self_test(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--self-test", str(Path(__file__).parent / "data" / "kb_small")]) == 0
    assert "self-test:" in capsys.readouterr().out


def test_broken_knowledge_flag_exits_1(small_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small_copy / "bad.yaml").write_text("nope: [")
    assert main(["ask", "--knowledge", str(small_copy), "hello"]) == 1
    assert "invalid YAML" in capsys.readouterr().err


def test_topics_lists_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["topics"]) == 0
    out = capsys.readouterr().out
    for section in [
        "Myositis ossificans",
        "Heterotopic ossification",
        "FOP",
        "dermatomyositis",
        "scleroderma",
        "kidney",
        "Other causes",
        "Symptoms",
        "Diagnosis",
        "Treatment",
        "Prevention",
        "doctor",
    ]:
        assert section in out, section


def test_eval_scores_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        '{"q": "what is ossification", "expect": [["bone"]]}\n'
        '{"q": "who wrote hamlet", "expect": null}\n'
        '{"turns": ["what is myositis ossificans", "how is it treated"], "expect": [["zzz-not-there"]]}\n'
    )
    assert main(["eval", "--verbose", str(cases)]) == 0
    out = capsys.readouterr().out
    assert "answerable: 1/2 correct (50.0%)" in out
    assert "abstain:    1/1 correct (100.0%)" in out
    assert "FAIL line 3" in out


def test_eval_rejects_malformed_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"q": "x"}\n')
    assert main(["eval", str(bad)]) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err


def test_every_command_is_documented_in_readme() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name in sub.choices:  # type: ignore[union-attr]
        if name != "repl":
            assert f"myoqa {name}" in readme, name
