"""Answer-wording lints: bare yes/no openers, an assumed asker, abbreviations not spelled out."""

from __future__ import annotations

from pathlib import Path

import pytest

from myoqa.cli import main
from myoqa.errors import Problem
from myoqa.knowledge import load_directory
from myoqa.models import Fact
from myoqa.wording import abbreviations, bare_opener, pronoun_opener, wording_problems

SYNONYMS = {
    "heterotopic ossification": ("ho", "ectopic bone"),
    "fibrodysplasia ossificans progressiva": ("fop", "stone man syndrome"),
    "juvenile dermatomyositis": ("jdm",),
    "ct scan": ("ct", "cat scan", "computed tomography"),
    "lump": ("mass", "masses"),
}


def _fact(answer: str, question: str = "What is heterotopic ossification?", *alternates: str) -> Fact:
    alts = alternates or (
        "bone outside the skeleton",
        "ectopic bone meaning",
        "extra bone in soft tissue",
        "ho",
    )
    return Fact(id="f", question=question, answer=answer, alternates=alts)


def _findings(*facts: Fact) -> list[Problem]:
    return wording_problems(facts, {"f": "t.yaml"}, SYNONYMS)


def test_abbreviations_are_derived_from_synonyms() -> None:
    table = abbreviations(SYNONYMS)
    assert set(table) == {"ho", "fop", "jdm", "ct"}  # "mass" spells no longer term
    assert table["ct"].terms == ("computed tomography",)  # "cat scan" does not spell "ct"
    assert table["jdm"].terms == ("juvenile dermatomyositis",)


@pytest.mark.parametrize(
    "answer",
    [
        "Yes: bone can form in a muscle after an injury.",
        "Usually not: a deposit in the shoulder is usually in a tendon.",
        "Not usually, because calcium is not bone.",
        "It could be – a hard lump after a kick is typical.",
        "It can, but it is uncommon.",
        "Sometimes, but usually not completely.",
        "No. Surgery makes it worse.",
        "Not according to current medical sources: calcium collects where tissue is damaged.",
        "Usually not early on: doctors avoid an early biopsy.",
    ],
)
def test_bare_yes_no_openers_are_flagged(answer: str) -> None:
    assert bare_opener(answer) is not None
    assert any("bare" in p.message and p.severity == "warning" for p in _findings(_fact(answer)))


@pytest.mark.parametrize(
    "answer",
    [
        "Calcium deposits in the shoulder are usually in a tendon, not a muscle.",
        "During ossification, part of the muscle is replaced by bone.",
        "Early, still-active bone shows as warmth and swelling.",
        "Yes-associated protein is not something this knowledge base covers.",
        "No medicine has been shown in good trials to dissolve established deposits.",
    ],
)
def test_statements_are_not_flagged_as_openers(answer: str) -> None:
    assert bare_opener(answer) is None
    assert pronoun_opener(answer) is None


@pytest.mark.parametrize(
    ("answer", "pronoun"),
    [("They overlap: both are bone outside the skeleton.", "They"), ("It means calcium has settled.", "It")],
)
def test_pronoun_openers_are_flagged(answer: str, pronoun: str) -> None:
    assert pronoun_opener(answer) == pronoun
    assert any(f"opens with {pronoun!r}" in p.message for p in _findings(_fact(answer)))


def test_assumed_relative_is_flagged_unless_every_phrasing_names_one() -> None:
    answer = "Deposits are common on dialysis. Only your relative's own doctors can say what they mean."
    mixed = _fact(answer, "My dad on dialysis has calcium deposits", "why do people on dialysis get deposits")
    found = [p.message for p in _findings(mixed)]
    assert any("your relative" in m and "why do people on dialysis" in m for m in found)
    family = _fact(
        answer,
        "My dad on dialysis has calcium deposits",
        "my mother on dialysis has lumps",
        "why does my grandmother on dialysis have calcium deposits",
    )
    assert not [p for p in _findings(family) if "who is asked" in p.message]


def test_assumed_doctor_verdict_is_flagged() -> None:
    fact = _fact("As your doctor said, the lump is bone.", "Is a hard lump in the thigh bone?")
    assert any("your doctor said" in p.message for p in _findings(fact))
    told = _fact(
        "As your doctor said, the lump is bone.",
        "my doctor said my lump is bone",
        "the gp told me it is bone",
    )
    assert not [p for p in _findings(told) if "who is asked" in p.message]


def test_assumed_child_is_flagged() -> None:
    fact = _fact("It is worth showing your child's toes to a doctor.", "Could short big toes mean FOP?")
    assert any("your child" in p.message for p in _findings(fact))


@pytest.mark.parametrize(
    "answer",
    [
        "HO is bone outside the skeleton.",
        "Bone outside the skeleton (HO) differs from heterotopic ossification in FOP.",
        "A CT scan shows it.",
        "In JDM, calcinosis is common.",
    ],
)
def test_abbreviation_before_its_expansion_is_flagged(answer: str) -> None:
    found = [p.message for p in _findings(_fact(answer))]
    assert any("abbreviation" in m for m in found), found


@pytest.mark.parametrize(
    "answer",
    [
        "Heterotopic ossification (HO) is bone outside the skeleton; HO can recur.",
        "HO (heterotopic ossification) is bone outside the skeleton.",
        "A computed tomography (CT) scan shows it, and CT is quick.",
        "Heterotopic ossifications are common; a mass of HO can hurt.",
        "Ho hum: a lower-case word is not an abbreviation.",
    ],
)
def test_spelled_out_abbreviations_pass(answer: str) -> None:
    assert not [p for p in _findings(_fact(answer)) if "abbreviation" in p.message]


def test_each_abbreviation_is_reported_once_per_answer() -> None:
    found = [
        p for p in _findings(_fact("HO is common. HO can recur. FOP is rare.")) if "abbreviation" in p.message
    ]
    assert len(found) == 2


def _write_topic(directory: Path, answer: str) -> None:
    (directory / "t.yaml").write_text(
        "topic: T\nfacts:\n  - id: bim-x\n    question: What is bone in muscle?\n"
        "    alternates: [what does bone in muscle mean, muscle bone meaning, bone inside a muscle, bim]\n"
        f"    answer: {answer}\n    sources:\n      - title: S\n        url: https://example.org/s\n",
        encoding="utf-8",
    )


def test_check_strict_fails_on_wording_and_passes_once_fixed(
    small_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in small_copy.glob("*.yaml"):
        if path.name not in ("synonyms.yaml", "smalltalk.yaml"):
            path.unlink()
    _write_topic(small_copy, "'Yes: BIM is bone that has formed inside a muscle after an injury.'")
    assert main(["check", "--strict", str(small_copy)]) == 1
    out = capsys.readouterr().out
    assert "bare 'Yes'" in out and "abbreviation 'BIM'" in out
    _write_topic(
        small_copy, "'Bone in muscle (BIM) is bone that has formed inside a muscle after an injury.'"
    )
    assert main(["check", "--strict", str(small_copy)]) == 0, capsys.readouterr().out


def test_shipped_answers_read_right_for_any_question() -> None:
    data = load_directory(Path(__file__).parents[1] / "knowledge")
    found = wording_problems(data.facts, data.files, data.synonyms)
    assert not found, "\n".join(str(p) for p in found[:20])
