"""The answers myoqa builds without validation (``model_construct``) are exactly what pydantic's
validation would build from the same fields: every kind of answer, from every code path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from myoqa import Conversation, KnowledgeBase
from myoqa.models import Answer, Explanation

DATA = Path(__file__).parent / "data"


def _questions() -> list[list[str]]:
    """Single questions and conversations of every kind: facts, "did you mean", unknown,
    small talk, triage, follow-ups, picks, and hostile text."""
    turns: list[list[str]] = []
    for name in ("golden.jsonl", "blind_conv.jsonl", "triage.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                turns.append(item["turns"] if "turns" in item else [item["q"]])
    turns += [
        ["hello"],
        ["  what is FOP?\t"],
        ["\udcff what is fop"],
        ["what is MO", "2"],
        [""],
        ["x" * 5000],
    ]
    return turns


def _revalidated(answer: Answer) -> Answer:
    return Answer.model_validate(answer.model_dump())


def test_every_constructed_answer_is_what_validation_builds(kb: KnowledgeBase) -> None:
    seen_kinds = set()
    for turns in _questions():
        chat = Conversation(kb)
        for turn in turns:
            got = chat.ask(turn)
            seen_kinds.add(got.kind)
            assert _revalidated(got) == got, turns
            assert got.model_dump_json()  # writable as JSON (no lone surrogate)
    assert seen_kinds == {"fact", "smalltalk", "unsure", "unknown", "urgent"}


def test_the_comparison_notices_a_field_validation_would_change() -> None:
    built = Answer.model_construct(question=" padded ", text="t", found=False, confidence=0.0)
    assert _revalidated(built) != built


def test_a_picked_fact_is_a_valid_answer(kb: KnowledgeBase) -> None:
    got = kb.answer_fact(kb.facts[0].id, question="  which one?  ")
    assert got.question == "which one?"
    assert _revalidated(got) == got


def test_explanations_inside_answers_stay_read_only(kb: KnowledgeBase) -> None:
    got = kb.answer("whats myositis ossifcans")
    assert isinstance(got.why, Explanation)
    with pytest.raises(TypeError):
        got.why.corrections["x"] = "y"  # type: ignore[index]
