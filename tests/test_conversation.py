"""Conversations: follow-ups against the last subject, numbered picks, one per user."""

from __future__ import annotations

import pytest

from myoqa import KnowledgeBase
from myoqa.conversation import Conversation


def test_follow_up_resolves_pronoun(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    assert chat.ask("What is myositis ossificans?").fact_id == "mo-definition"
    follow = chat.ask("How is it treated?")
    assert follow.found and follow.fact_id == "mo-treatment"
    assert follow.question == "How is it treated?"


def test_follow_up_on_fop_inheritance(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    chat.ask("tell me about FOP")
    assert chat.ask("is it inherited?").fact_id == "fop-inheritance"


def test_number_picks_a_related_question(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    first = chat.ask("what is myositis ossificans")
    picked = chat.ask("2")
    assert picked.fact_id == first.related[1].id


def test_pick_out_of_range(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    with pytest.raises(ValueError, match="nothing to pick"):
        chat.pick(1)
    chat.ask("what is myositis ossificans")
    with pytest.raises(ValueError, match="no choice 99"):
        chat.pick(99)


def test_conversations_are_independent(kb: KnowledgeBase) -> None:
    a, b = Conversation(kb), Conversation(kb)
    a.ask("what is myositis ossificans")
    b.ask("what is fop")
    assert a.ask("how is it treated").fact_id == "mo-treatment"
    assert b.ask("how is it treated").fact_id == "fop-treatment"


def test_reset_forgets_subject(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    chat.ask("what is myositis ossificans")
    chat.reset()
    assert chat.last is None and chat.choices == ()


def test_type_errors(kb: KnowledgeBase) -> None:
    with pytest.raises(TypeError):
        Conversation(kb).ask(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Conversation("kb")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("turns", "fact_id"),
    [
        (["What is myositis ossificans?", "how long does it last?", "is it cancer?"], "mo-is-it-cancer"),
        (
            ["Why does kidney failure cause calcification?", "and what can be done about it?"],
            "ckd-management",
        ),
        (
            ["What is calciphylaxis?", "how is it treated?", "can you die from it?"],
            "ckd-calciphylaxis-prognosis",
        ),
        (["tell me about heterotopic ossification", "can it be prevented"], "ho-prevention"),
    ],
)
def test_subject_survives_several_turns(kb: KnowledgeBase, turns: list[str], fact_id: str) -> None:
    chat = Conversation(kb)
    for turn in turns:
        reply = chat.ask(turn)
    assert reply.fact_id == fact_id
