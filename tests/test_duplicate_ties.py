"""A tie between facts that ask the same question is no reason to doubt the answer."""

from __future__ import annotations

from myoqa import Fact, KnowledgeBase
from myoqa.models import Source


def _fact(fact_id: str, question: str, answer: str, site: str) -> Fact:
    return Fact(
        id=fact_id,
        question=question,
        answer=answer,
        sources=(Source(title=site, url=f"https://{site}.example.org/{fact_id}"),),
        topic="Conditions",
    )


def test_the_same_question_from_two_sources_is_answered() -> None:
    kb = KnowledgeBase.from_facts(
        [
            _fact(
                "a-aicardi", "What is Aicardi syndrome?", "A rare disorder that mainly affects girls.", "a"
            ),
            _fact(
                "b-aicardi", "What is Aicardi Syndrome?", "A rare condition seen almost only in girls.", "b"
            ),
            _fact("a-aicardi-causes", "What causes Aicardi syndrome?", "Its cause is unknown.", "a"),
            _fact("a-stroke", "What is a stroke?", "A loss of blood flow to part of the brain.", "a"),
        ]
    )
    for question in ("aicardi", "aicardi syndrome"):
        reply = kb.answer(question)
        assert reply.kind == "fact" and reply.fact_id in {"a-aicardi", "b-aicardi"}, reply.why


def test_two_different_questions_that_tie_still_ask_which() -> None:
    kb = KnowledgeBase.from_facts(
        [
            _fact("a-girls", "What is Aicardi syndrome in girls?", "How it shows in girls.", "a"),
            _fact("a-boys", "What is Aicardi syndrome in boys?", "How it shows in boys.", "a"),
            _fact("a-stroke", "What is a stroke?", "A loss of blood flow to part of the brain.", "a"),
        ]
    )
    for question in ("aicardi", "aicardi syndrome"):
        reply = kb.answer(question)
        assert reply.kind == "unsure", reply.why
        assert {s.id for s in reply.suggestions} >= {"a-girls", "a-boys"}
