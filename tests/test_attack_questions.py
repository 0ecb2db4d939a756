"""Regression tests for the question findings of the attack report (S4, W9, S5, C5)."""

from __future__ import annotations

import io
import json
import time

import pytest

from myoqa import Conversation, KnowledgeBase
from myoqa.matching import MAX_QUERY_CHARS


def test_cut_counts_characters_after_normalisation(kb: KnowledgeBase) -> None:  # S4
    # NFKC turns each U+FDFA into 18 characters: the budget must count those, not the input's 500.
    reply = kb.answer("\ufdfa" * 500)
    assert reply.why is not None
    assert len(reply.why.normalized) <= MAX_QUERY_CHARS + 20
    assert reply.question == "\ufdfa" * 500  # the Answer still carries what was asked


@pytest.mark.parametrize(
    "padding",
    [" " * 480, "\n" * 2000, " \t" * 1000, "\u3000" * 600],  # the last: ideographic spaces
)
def test_leading_whitespace_does_not_eat_the_budget(kb: KnowledgeBase, padding: str) -> None:  # W9
    assert kb.answer(padding + "what is myositis ossificans").fact_id == "mo-definition"


def test_repeated_inner_whitespace_does_not_eat_the_budget(kb: KnowledgeBase) -> None:  # W9
    assert kb.answer("what is" + " " * 600 + "myositis ossificans").fact_id == "mo-definition"


def test_cut_question_is_bounded_and_keeps_words() -> None:
    from myoqa.question import cut_question

    assert cut_question("  what   is\u00a0 FOP?  ") == "what is FOP?"
    long = "calcification " * 1_000_000  # 14 MB: must cost no more than a short question
    started = time.perf_counter()
    head = cut_question(long)
    assert time.perf_counter() - started < 0.1
    assert len(head) <= MAX_QUERY_CHARS and head.endswith("calcification")
    # A combining accent split from its letter by the slicing stays composed.
    assert cut_question("e" * 999 + "e\u0301") == ("e" * 999 + "\u00e9")[:MAX_QUERY_CHARS]


def test_lone_surrogate_in_a_follow_up_serialises(kb: KnowledgeBase) -> None:  # C5
    chat = Conversation(kb)
    chat.ask("what is myositis ossificans")
    for follow_up in ("how is it treated \udcff", "\ud800"):
        reply = chat.ask(follow_up)
        assert "\ud800" not in reply.question and "\udcff" not in reply.question
        json.loads(reply.model_dump_json())


def test_piped_json_survives_undecodable_bytes(kb: KnowledgeBase) -> None:  # C5 through piped mode
    from myoqa.pipe import run_pipe

    # What Python hands over for b"\xff" under surrogateescape decoding (the C/C.UTF-8 locale).
    stdin = io.StringIO("what is myositis ossificans\nhow is it treated \udcff\nwhat is FOP\n")
    out = io.StringIO()
    assert run_pipe(kb, stdin, out, as_json=True) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and all(json.loads(line)["text"] for line in lines)


def test_answer_fact_with_a_surrogate_question(kb: KnowledgeBase) -> None:
    json.loads(kb.answer_fact("mo-definition", question="\udcff?").model_dump_json())


def test_conversation_is_as_cheap_as_answer_on_huge_questions(kb: KnowledgeBase) -> None:
    # S5: 50 MB took 13.7 s and 1.2 GB in Conversation.ask, 0.17 s in answer(); 1 MB here.
    question = "ab " * 350_000
    chat = Conversation(kb)
    chat.ask("what is FOP")
    started = time.perf_counter()
    kb.answer(question)
    alone = time.perf_counter() - started
    started = time.perf_counter()
    chat.ask(question)
    assert time.perf_counter() - started < 0.05 + 5 * alone
