"""Held-out questions on the fact-check corrections and the coverage gaps of issue 10.

The wordings below are not phrasings of any fact; each must reach a fact that says what the
sources say (the safety points above all), so a reader who asks in their own words is not misled.
"""

from __future__ import annotations

import pytest

from myoqa import answer

CASES = [
    # (question, fact ids that answer it, words the answer must contain)
    (
        "is it ok to use sohonos if I might be pregnant",
        {"fop-palovarotene-pregnancy"},
        ["pregnan", "must not"],
    ),
    ("has garetosmab been approved yet for FOP", {"fop-garetosmab"}, ["pasatru", "adults"]),
    (
        "what medicines are approved for stone man syndrome",
        {"fop-treatment", "fop-garetosmab"},
        ["palovarotene", "garetosmab"],
    ),
    ("how should a paramedic treat a patient who has FOP", {"fop-emergency-care"}, ["life"]),
    ("is FOP something other kids can catch", {"fop-contagious"}, ["not contagious"]),
    (
        "can a child with fibrodysplasia ossificans progressiva join in sports lessons",
        {"fop-school-sport"},
        ["fall"],
    ),
    ("is there a charity for families affected by FOP", {"fop-support-organisations"}, ["ifopa"]),
    (
        "dentist visit with fibrodysplasia ossificans progressiva, what precautions",
        {"fop-dental-care"},
        ["jaw"],
    ),
    (
        "are calcium deposits something you inherit from your parents",
        {"basics-calcinosis-inherited"},
        ["not inherited"],
    ),
    (
        "will calciphylaxis ever go away completely",
        {"ckd-calciphylaxis-curable", "ckd-calciphylaxis-prognosis"},
        ["months"],
    ),
    (
        "how long until I can go running again after myositis ossificans in my thigh",
        {"mo-return-to-sport"},
        ["month"],
    ),
    ("why do people with systemic sclerosis get calcinosis", {"ssc-causes"}, ["blood"]),
    ("what are the odds of getting heterotopic ossification", {"ho-how-common"}, ["%"]),
    # Sixth session: home remedies and milk-alkali syndrome (no fact answered them before).
    (
        "will drinking apple cider vinegar break down the calcium lumps in my leg muscle",
        {"tx-home-remedies"},
        ["not been shown"],
    ),
    (
        "i take antacids every day for indigestion, could that give me calcium deposits",
        {"oc-milk-alkali"},
        ["alkali", "kidney"],
    ),
]


@pytest.mark.parametrize(("question", "facts", "words"), CASES)
def test_gap_question_reaches_a_fact_that_answers_it(
    question: str, facts: set[str], words: list[str]
) -> None:
    reply = answer(question)
    assert reply.fact_id in facts, (question, reply.fact_id)
    text = reply.text.lower()
    for word in words:
        assert word in text, (question, word)


def test_garetosmab_is_no_longer_called_investigational() -> None:
    for question in ["what is garetosmab", "is there a treatment for FOP"]:
        text = answer(question).text.lower()
        assert "investigational" not in text and "still being tested" not in text, question


def test_fop_emergency_answers_put_life_first() -> None:
    for question in [
        "when does someone with FOP need urgent medical care",
        "what should I tell emergency staff about FOP",
    ]:
        assert "fop were not an issue" in answer(question).text.lower(), question
