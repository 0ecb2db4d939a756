"""``myoqa bench --quick`` runs every section end to end on tiny data (a smoke test: nothing
here is timed or compared with a threshold)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from myoqa.cli import main

SAMPLE = Path(__file__).parent / "data" / "medquad_sample.jsonl"
PAIRS = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def test_quick_bench_reports_every_section(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with gzip.open(tmp_path / "medquad.jsonl.gz", "wt", encoding="utf-8") as out:
        for pair in PAIRS:
            out.write(json.dumps(pair) + "\n")
    liveqa = {
        "id": "TQ1",
        "subject": "ABCD",
        "message": "my son has ABCD syndrome, will his children get it",
        "summary": "Is ABCD syndrome inherited?",
        "medquad_qrels": [{"medquad_id": "GARD_0000001_Sec2", "judgment": 4}],
    }
    (tmp_path / "liveqa_test.jsonl").write_text(json.dumps(liveqa) + "\n", encoding="utf-8")
    assert main(["bench", "--quick", "--medquad", str(tmp_path), "--synthetic", "200"]) == 0
    out = capsys.readouterr().out
    for expected in (
        "answer() median",
        "slowest hard input",
        "without the cache",
        "MedQuAD, answered pairs: 3 facts",
        "MedQuAD, all questions: 4 facts",
        "perturbed questions",
        "MedQuAD as a knowledge directory: import 3 facts into 2 files",
        "confidence >= 0.8",
        "LiveQA-Med (1 test questions)",
        "NLM summary       myoqa avgScore 3.000",  # the one judged-excellent pair ranks first
        "synthetic: 50 facts, 200 phrasings",
    ):
        assert expected in out, expected


def test_bench_without_medquad_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from myoqa.benchscale import run_scale

    lines: list[str] = []
    run_scale(lines.append, medquad=tmp_path / "missing", synthetic=0, sample=5, scan_sample=2)
    assert lines == [f"MedQuAD: skipped ({tmp_path / 'missing' / 'medquad.jsonl.gz'} not found)"]
