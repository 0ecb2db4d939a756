"""Follow-ups as a user meets them: what a follow-up keeps from the turn before, and what it must not.

A follow-up that names no subject is about the last one; a fragment ("and in children?") also
keeps what was asked; one that names a subject of its own is answered on its own, or declined
when we do not know that subject. The fact just read is not given again to a question that
asks something else, and an aspect the subject has no fact for gets "did you mean", not the
subject's definition or another condition's answer.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from myoqa import Conversation, KnowledgeBase
from myoqa.analysis import Analysis
from myoqa.evaluate import evaluate, read_cases


def _last(kb: KnowledgeBase, *turns: str) -> tuple[str | None, ...]:
    """The fact id of every answer in one conversation."""
    chat = Conversation(kb)
    return tuple(chat.ask(turn).fact_id for turn in turns)


def test_a_new_aspect_does_not_get_the_definition_again(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    first = chat.ask("what is dystrophic calcification")
    reply = chat.ask("does it need treating")
    assert reply.fact_id != first.fact_id
    assert reply.text != first.text


def test_who_can_take_a_medicine_after_its_side_effects_is_another_answer(kb: KnowledgeBase) -> None:
    side_effects, who = _last(kb, "what are the side effects of palovarotene", "who can take it")
    assert side_effects == "fop-palovarotene-side-effects"
    assert who == "fop-palovarotene"


def test_a_question_the_last_answer_was_asked_with_gets_it_again(kb: KnowledgeBase) -> None:
    # That fact's question is "What is palovarotene (Sohonos) and who can take it for FOP?".
    assert _last(kb, "What is palovarotene?", "Who is allowed to take it?") == ("fop-palovarotene",) * 2


def test_a_qualifier_keeps_the_subject_and_the_question(kb: KnowledgeBase) -> None:
    assert _last(kb, "calcinosis in dermatomyositis", "and in children?")[-1] == "dm-juvenile"


def test_a_qualifier_the_knowledge_base_never_uses_is_not_an_unknown_subject(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    chat.ask("how is FOP diagnosed")
    reply = chat.ask("and in babies?")  # no FOP fact is about babies: "did you mean", never "I don't know"
    assert reply.kind == "unsure"
    assert reply.suggestions and all(s.id.startswith("fop-") for s in reply.suggestions)


def test_a_qualifier_no_fact_of_the_aspect_mentions_is_not_answered_by_one(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    chat.ask("how is calcinosis in dermatomyositis treated")
    reply = chat.ask("and in children?")
    assert not reply.found or "child" in reply.text.lower()


def test_a_fragment_the_last_answer_covers_gets_it_again(kb: KnowledgeBase) -> None:
    assert _last(kb, "what is FOP", "can she play sports", "what about swimming")[1:] == (
        "fop-school-sport",
        "fop-school-sport",
    )
    assert (
        _last(kb, "can people with FOP have surgery", "what about a general anaesthetic?")[-1]
        == "fop-surgery"
    )


def test_a_subject_named_in_an_unanswered_turn_is_the_subject(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    chat.ask("my granddaughter was diagnosed with FOP")
    assert chat.ask("can she play sports").fact_id == "fop-school-sport"


def test_a_follow_up_naming_a_new_subject_of_ours_switches(kb: KnowledgeBase) -> None:
    assert (
        _last(kb, "what is FOP", "thanks. and how is calciphylaxis treated")[-1]
        == "ckd-calciphylaxis-treatment"
    )
    assert _last(kb, "what is dystrophic calcification", "and metastatic calcification?")[-1] == (
        "basics-metastatic-calcification"
    )


@pytest.mark.parametrize(
    ("first", "hijack"),
    [
        ("calciphylaxis on dialysis", "whats the waiting list for a kidney transplant in the uk"),
        ("is FOP inherited", "is colour blindness inherited"),
        ("what is myositis ossificans", "how do i treat tennis elbow"),
        ("what is heterotopic ossification", "how do i build bigger quads"),
    ],
)
def test_a_follow_up_about_something_we_do_not_cover_is_declined(
    kb: KnowledgeBase, first: str, hijack: str
) -> None:
    chat = Conversation(kb)
    assert chat.ask(first).found
    reply = chat.ask(hijack)
    assert not reply.found, reply.fact_id


def test_an_aspect_the_subject_has_no_fact_for_is_not_answered_from_another_subject(
    kb: KnowledgeBase,
) -> None:
    chat = Conversation(kb)
    chat.ask("what is calciphylaxis")
    reply = chat.ask("is it contagious")
    assert not reply.found  # FOP's contagion fact is no answer about calciphylaxis
    assert reply.kind == "unsure"
    assert any(s.id.startswith("ckd-calciphylaxis") for s in reply.suggestions)


def test_the_last_answer_counts_when_its_words_answer_the_new_question(kb: KnowledgeBase) -> None:
    # The tumoral calcinosis answer says the lumps are non-cancerous.
    assert _last(kb, "what is tumoral calcinosis", "is it cancer") == ("oc-tumoral-calcinosis",) * 2


def test_a_subject_without_a_fact_for_the_aspect_falls_back_on_its_topic(kb: KnowledgeBase) -> None:
    # CREST syndrome is a form of scleroderma; scleroderma's diet fact answers.
    assert _last(kb, "I have CREST", "can diet help it")[-1] == "ssc-diet"


def test_a_follow_up_is_analysed_once(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    chat = Conversation(kb)
    chat.ask("what is myositis ossificans")
    seen: list[str] = []
    analyzer = kb._analyzer  # every analysis, the knowledge base's own included, goes through it
    analyze = analyzer.analyze

    def counting(question: str) -> Analysis:
        seen.append(question)
        return analyze(question)

    monkeypatch.setattr(analyzer, "analyze", counting)
    assert chat.ask("how is it treated").fact_id == "mo-treatment"
    assert [q for q in seen if "treated" in q] == ["how is it treated"]


def test_one_conversation_shared_by_threads_stays_consistent(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    chat.ask("what is FOP")
    answers: list[str | None] = []

    def ask() -> None:
        answers.append(chat.ask("is it inherited?").fact_id)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == ["fop-inheritance"] * 8


@pytest.mark.parametrize("reply", ["tell me more", "and?", "really?"])
def test_a_reply_that_asks_nothing_offers_the_subjects_other_facts(kb: KnowledgeBase, reply: str) -> None:
    chat = Conversation(kb)
    first = chat.ask("what is FOP")
    answer = chat.ask(reply)
    assert answer.kind == "unsure"
    assert answer.suggestions and first.fact_id not in {s.id for s in answer.suggestions}
    assert all(s.id.startswith("fop-") for s in answer.suggestions)


def test_the_follow_up_scripts_hold_their_floor(kb: KnowledgeBase) -> None:
    """tests/data/conv_followups.jsonl: 74 multi-turn scripts written for this work in two
    batches, each scored once before the changes it led to (90.0/100 and 86.4/90.0 at first
    run, answerable/declined). Floors sit 2 points under today's 94.2 % and 95.5 %."""
    report = evaluate(read_cases(Path(__file__).parent / "data" / "conv_followups.jsonl"), kb)
    (a_ok, a_n), (b_ok, b_n) = report.answerable, report.abstain
    failures = [(o.case.line, o.answer.fact_id) for o in report.failures]
    assert a_ok / a_n >= 0.92, failures
    assert b_ok / b_n >= 0.93, failures


def test_a_statement_with_an_unknown_word_does_not_end_the_subject(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    assert chat.ask("what is heterotopic ossification after spinal cord injury").found
    chat.ask("my brother is a para, two months after his injury")  # tells, asks nothing
    assert chat.subject_terms(), "the subject was dropped by a message that asked nothing"
    chat.ask("what about my cat?")  # asks about something else: the subject ends
    assert chat.subject_terms() == []
