"""Every statement of the founding document is answerable (one question per statement)."""

from __future__ import annotations

import pytest

from myoqa import KnowledgeBase

# (question asked about a statement of the founding document, words the answer must contain)
SEED_STATEMENTS = [
    ("Are calcification and ossification the same process?", ["calcif", "ossif"]),
    ("Do both processes deposit minerals in the muscle?", ["mineral"]),
    ("What is calcification of muscle?", ["calcium"]),
    ("Can an injury or inflammation cause calcification in a muscle?", ["injur"]),
    ("Does the body deposit calcium to stabilise an injured muscle?", ["stabil"]),
    ("Does calcification make muscles stiff and less flexible?", ["stiff"]),
    (
        "Which diseases are associated with calcification of muscle tissue?",
        ["kidney", "scleroderma", "dermatomyositis"],
    ),
    ("Can calcification cause muscle pain and weakness?", ["pain", "weak"]),
    ("What is ossification in muscle?", ["bone"]),
    ("Can a genetic condition like fibrodysplasia ossificans progressiva turn muscle into bone?", ["bone"]),
    ("Can trauma to a muscle cause ossification?", ["bone"]),
    ("Can ossification happen spontaneously without a cause?", ["bone"]),
    ("Is the muscle gradually replaced by bone in ossification?", ["bone"]),
    ("Does ossification cause stiffness and reduced flexibility?", ["stiff"]),
    ("Why does bone in a muscle press on nerves and cause pain?", ["nerve"]),
]


@pytest.mark.parametrize(("question", "words"), SEED_STATEMENTS)
def test_founding_statement_is_answered(kb: KnowledgeBase, question: str, words: list[str]) -> None:
    reply = kb.answer(question)
    assert reply.found, (question, reply.why)
    text = reply.text.lower()
    for word in words:
        assert word in text, (question, reply.fact_id, word)
    assert reply.sources
