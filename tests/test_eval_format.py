"""`myoqa eval`: the file format is documented, malformed lines are named with file:line, and
`--fail-under` turns a score into an exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from myoqa.cli import main

README = Path(__file__).parents[1] / "README.md"


def write(tmp_path: Path, *lines: object) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    return path


GOOD = {"q": "what is fop", "expect": [["fibrodysplasia"]]}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"q": "what is fop", "expect": []}, "'expect' must be null or a non-empty list"),
        ({"q": "what is fop", "expect": "bone"}, "'expect' must be null or a non-empty list"),
        ({"q": "what is fop", "expect": ["bone"]}, "'expect' must be null or a non-empty list"),
        ({"q": "what is fop", "expect": [[" "]]}, "'expect' must be null or a non-empty list"),
        ({"q": ["what is fop"], "expect": None}, "'q' must be a non-empty string"),
        ({"turns": "what is fop", "expect": None}, "'turns' must be a non-empty list"),
        ({"turns": ["what is fop", " "], "expect": None}, "'turns' must be a non-empty list"),
        ({"q": "what is fop", "expect": None, "expected": [["x"]]}, "unknown field 'expected'"),
        ({"q": "what is fop", "expect": None, "kind": 3}, "'kind' must be a string"),
    ],
)
def test_malformed_lines_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: dict[str, object], message: str
) -> None:
    path = write(tmp_path, GOOD, bad)
    assert main(["eval", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2: " in err and message in err, err


def test_fail_under_sets_the_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD, {"q": "who wrote hamlet", "expect": [["shakespeare"]]})  # 1 of 2
    assert main(["eval", str(path)]) == 0
    assert main(["eval", str(path), "--fail-under", "50"]) == 0
    assert main(["eval", str(path), "--fail-under", "50.1"]) == 1
    assert main(["eval", "--json", str(path), "--fail-under", "90"]) == 1
    out = capsys.readouterr().out
    assert "below --fail-under 50.1%" in out
    assert main(["eval", str(path), "--fail-under", "101"]) == 2
    assert "--fail-under" in capsys.readouterr().err


def test_the_format_is_documented(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["eval", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    readme = " ".join(README.read_text().split())
    for text in (help_text, readme):
        assert '"expect": null' in text and "must abstain" in text
        assert '"turns"' in text and "--fail-under" in text


def test_the_report_counts_wrong_answers_among_those_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"q": "what is FOP", "expect": [["fibrodysplasia"]]},  # right
        {"q": "what is FOP", "expect": [["no such keyword here"]]},  # answered, wrong
        {"q": "who wrote hamlet", "expect": None},  # declined, as it must
        {"q": "what is FOP", "expect": None},  # answered what it had to decline: wrong
    ]
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    main(["eval", str(path)])
    assert "wrong:      2/3 of the answers given (66.7%)" in capsys.readouterr().out
    main(["eval", "--json", str(path)])
    assert json.loads(capsys.readouterr().out)["wrong_answers"] == {"wrong": 2, "given": 3, "share": 2 / 3}
