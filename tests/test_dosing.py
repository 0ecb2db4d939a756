"""A request for a personal dose ("what dose should my son take?") gets the knowledge base's
``personal_dose`` text, with its facts about the medicine offered, never a fact's text as if it
were the prescription; questions about doses in general are answered as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from myoqa import Conversation, KnowledgeBase, KnowledgeError
from myoqa.dosing import asks_personal_dose
from myoqa.normalize import normalize

BAKERY = """\
topic: Bread
facts:
  - id: bread-flour
    question: How much flour do I need for a loaf of bread?
    alternates: [flour for one loaf, how much flour for bread, amount of flour in a loaf]
    answer: A standard loaf uses about 500 g of strong white flour.
    sources:
      - title: Bakery handbook
        url: https://example.org/flour
    reviewed: 2026-11-28
  - id: bread-yeast
    question: How much yeast goes in a loaf?
    alternates: [yeast for one loaf, amount of yeast in bread]
    answer: About 7 g of dried yeast for a 500 g loaf.
    sources:
      - title: Bakery handbook
        url: https://example.org/yeast
    reviewed: 2026-11-28
"""
ABOUT = """\
about:
  name: bakebot
  description: baking bread
  examples: [How much flour do I need for a loaf of bread?]
  help_examples: [how much flour for bread]
  banner: Answers about baking.
  out_of_scope: Sorry, I only know about baking bread.
  nothing_asked: Ask me about bread.
  unsure: "Did you mean one of these?"
  which_subject: Which bread do you mean?
"""


def bakery(tmp_path: Path, about: str = ABOUT) -> Path:
    directory = tmp_path / "bakery"
    directory.mkdir()
    (directory / "bread.yaml").write_text(BAKERY, encoding="utf-8")
    (directory / "about.yaml").write_text(about, encoding="utf-8")
    return directory


PERSONAL = [
    "what dose of palovarotene should my 9 year old daughter be on",
    "how many grams of sodium thiosulfate should my mum get at dialysis",
    "how much indomethacin should I take after my hip replacement?",
    "whats the right dose of indomethacin for me",
    "how many mg of ibuprofen can my son have",
    "what dosage of etidronate would he need",
    "indomethacin dose for my husband after hip replacement?",
    "palovarotene dosage for a 9 year old",
]
GENERAL = [
    "how long dose myositis ossificans take to go away",  # "dose" for "does"
    "is the radiation dose safe",
    "can a high dose of vitamin d cause calcification",
    "I take 50,000 IU of vitamin D every day, could that be putting calcium in my muscles?",
    "what dose of radiation is used to prevent heterotopic ossification",
    "how much does surgery for myositis ossificans cost",
    "how many people get fop",
    "how much exercise should i do with myositis ossificans",
    "How much vitamin D is too much?",
]


@pytest.mark.parametrize("question", PERSONAL)
def test_a_dose_for_someone_is_recognised(question: str) -> None:
    assert asks_personal_dose(normalize(question))


@pytest.mark.parametrize("question", GENERAL)
def test_a_question_about_doses_in_general_is_not(question: str) -> None:
    assert not asks_personal_dose(normalize(question))


def test_the_bundled_kb_declines_a_personal_dose_and_offers_the_medicine(kb: KnowledgeBase) -> None:
    got = kb.answer("what dose of palovarotene should my 9 year old daughter be on")
    assert not got.found
    assert got.text == kb.about.personal_dose
    assert got.suggestions and all(
        "palovarotene" in s.question.lower() or "sohonos" in s.question.lower() for s in got.suggestions[:1]
    )
    assert "dose" in (got.why.reason if got.why else "")


def test_a_dose_off_the_subject_gets_the_dose_text_without_suggestions(kb: KnowledgeBase) -> None:
    got = kb.answer("how much paracetamol should i take for a headache")
    assert not got.found and got.kind == "unknown" and not got.suggestions
    assert got.text == kb.about.personal_dose


def test_a_general_dose_question_is_still_answered(kb: KnowledgeBase) -> None:
    got = kb.answer("What is the usual radiation dose used to prevent heterotopic ossification?")
    assert got.found and got.kind == "fact"


def test_a_follow_up_asking_a_dose_is_declined_too(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    assert chat.ask("what is palovarotene").found
    assert not chat.ask("how much should my son take").found


def test_a_knowledge_base_without_the_text_answers_as_usual(tmp_path: Path) -> None:
    kb = KnowledgeBase.load(bakery(tmp_path))
    assert kb.about.personal_dose is None
    question = "how much flour should I use for my loaf of bread"
    assert asks_personal_dose(normalize(question))  # read as a dose, were this a medical FAQ
    got = kb.answer(question)
    assert got.found and got.fact_id == "bread-flour"


def test_a_blank_dose_text_is_a_named_mistake(tmp_path: Path) -> None:
    directory = bakery(tmp_path, about=ABOUT + '  personal_dose: "  "\n')
    with pytest.raises(KnowledgeError, match=r"about\.personal_dose"):
        KnowledgeBase.load(directory)
