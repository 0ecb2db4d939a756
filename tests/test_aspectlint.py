"""Subject/aspect lint: two facts that say the same kind of thing about the same subject are flagged."""

from __future__ import annotations

from pathlib import Path

from myoqa.aspectlint import subject_aspect_problems
from myoqa.cli import main
from myoqa.knowledge import default_directory, load_directory

SECOND_TREATMENT = """
  - id: bim-physio
    aspect: treatment
    question: How does physiotherapy help bone in muscle?
    alternates: [physio for bone in muscle, exercises for bone in muscle, stretching bone in muscle, does physio help]
    answer: Physiotherapy keeps the joint moving while the bone settles. It is a test fact.
    sources:
      - title: Test source
        url: https://example.org/physio
    related: [bim-treat]
    reviewed: 2026-11-28
"""


def _add_second_treatment_fact(kb_dir: Path, subject: str | None) -> None:
    facts = kb_dir / "bones.yaml"
    text = SECOND_TREATMENT
    if subject is not None:
        text = text.replace("    aspect: treatment\n", f"    aspect: treatment\n    subject: {subject}\n")
    facts.write_text(facts.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, encoding="utf-8")


def test_same_subject_and_aspect_is_a_warning(small_copy: Path) -> None:
    _add_second_treatment_fact(small_copy, subject=None)
    problems = subject_aspect_problems(load_directory(small_copy))
    assert [(p.fact_id, p.field, p.severity) for p in problems] == [("bim-physio", "subject", "warning")]
    assert "bim-treat" in problems[0].message and "treatment" in problems[0].message
    assert main(["check", str(small_copy), "--strict"]) == 1


def test_a_narrower_subject_resolves_it(small_copy: Path) -> None:
    _add_second_treatment_fact(small_copy, subject="physiotherapy")
    assert subject_aspect_problems(load_directory(small_copy)) == []


def test_shipped_knowledge_has_one_fact_per_subject_and_aspect() -> None:
    assert subject_aspect_problems(load_directory(default_directory())) == []
