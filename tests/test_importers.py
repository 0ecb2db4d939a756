"""``myoqa import medquad``: MedQuAD as a knowledge directory the loader accepts, answers as given."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from myoqa import KnowledgeBase
from myoqa.cli import main
from myoqa.importers import fact_id, medquad_facts, write_medquad

SAMPLE = Path(__file__).parent / "data" / "medquad_sample.jsonl"
"""Four MedQuAD-shaped pairs (the last without an answer), as medquad.jsonl.gz holds them."""
PAIRS = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def medquad_file(tmp_path: Path) -> Path:
    path = tmp_path / "medquad.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for pair in PAIRS:
            out.write(json.dumps(pair) + "\n")
    return path


def test_written_directory_loads_with_answers_as_given(medquad_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "kb"
    assert write_medquad(medquad_file, target) == (3, 2)  # the answerless pair is left out
    assert sorted(p.name for p in target.iterdir()) == ["01-gard.yaml", "02-ninds.yaml"]
    kb = KnowledgeBase.load(target)
    by_id = {f.id: f for f in kb.facts}
    assert set(by_id) == {"gard-0000001-sec1", "gard-0000001-sec2", "ninds-0000002-sec1"}
    fact = by_id["gard-0000001-sec1"]
    assert fact.answer == PAIRS[0]["answer"]  # line breaks, colons and quotes survive
    assert fact.subject == "ABCD syndrome"
    assert fact.reviewed is None
    assert [s.url for s in fact.sources] == [PAIRS[0]["url"]]
    assert "GARD" in fact.topic
    assert kb.answer("is abcd syndrome inheritted").fact_id == "gard-0000001-sec2"


def test_refuses_to_overwrite_and_reports_bad_lines(
    medquad_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "kb"
    assert main(["import", "medquad", str(medquad_file), str(target)]) == 0
    assert "wrote 3 facts in 2 topic files" in capsys.readouterr().out
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    assert main(["import", "medquad", str(medquad_file), str(target)]) == 2
    assert "already holds .yaml files" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(PAIRS[0]) + "\n" + '{"id": "x"}\n', encoding="utf-8")
    assert main(["import", "medquad", str(broken), str(tmp_path / "other")]) == 2
    assert "broken.jsonl:2: not a MedQuAD pair" in capsys.readouterr().err
    assert not (tmp_path / "other").exists()


def test_ids_are_kebab_case_and_all_pairs_can_be_facts(medquad_file: Path) -> None:
    assert fact_id("MPlusHerbsSuppls_0000001_Sec12") == "mplusherbssuppls-0000001-sec12"
    facts = medquad_facts(medquad_file, answered_only=False)
    assert len(facts) == 4
    assert "removed this answer" in facts[-1].answer
