"""A question that lost the word saying what it asks still has the frame of the question meant."""

from __future__ import annotations

from myoqa import Fact, KnowledgeBase
from myoqa.models import Source

NAMES = [
    "Andermann",
    "Gitelman",
    "Joubert",
    "Alport",
    "Bartter",
    "Crouzon",
    "Fabry",
    "Gaucher",
    "Krabbe",
    "Leigh",
]
NAMES += [
    "Menkes",
    "Norrie",
    "Pfeiffer",
    "Refsum",
    "Sandhoff",
    "Tietze",
    "Usher",
    "Wolman",
    "Zellweger",
    "Canavan",
]


def _kb() -> KnowledgeBase:
    """Twenty conditions with five questions each, as a collection of many subjects has them
    (each subject's name is rare, the question words are shared by all)."""
    facts = []
    names = [(n.lower(), f"{n} syndrome") for n in NAMES] + [("hsp", "hereditary spastic paraplegia")]
    for slug, name in names:
        for kind, question in (
            ("definition", f"What is {name}?"),
            ("causes", f"What causes {name}?"),
            ("inherited", f"Is {name} inherited?"),
            ("symptoms", f"What are the symptoms of {name}?"),
            ("treatment", f"What are the treatments for {name}?"),
        ):
            facts.append(
                Fact(
                    id=f"{slug}-{kind}",
                    question=question,
                    answer=f"About the {kind} of {name}.",
                    sources=(Source(title="Handbook", url=f"https://example.org/{slug}"),),
                    topic="Conditions",
                )
            )
    return KnowledgeBase.from_facts(facts)


def test_the_words_around_the_subject_pick_the_question_meant() -> None:
    kb = _kb()
    assert kb.answer("what are the of gitelman syndrome").fact_id == "gitelman-symptoms"
    assert kb.answer("what are the for gitelman syndrome").fact_id == "gitelman-treatment"
    assert kb.answer("is andermann syndrome inherted").fact_id == "andermann-inherited"
    # "hereditary" names an aspect (inheritance) that every fact about this subject shares: the
    # frame still tells them apart.
    assert kb.answer("what are the for hereditary spastic paraplegia").fact_id == "hsp-treatment"


def test_a_named_aspect_or_a_plain_question_is_answered_as_before() -> None:
    kb = _kb()
    assert kb.answer("what is andermann syndrome").fact_id == "andermann-definition"
    assert kb.answer("how is gitelman syndrome treated").fact_id == "gitelman-treatment"
    assert kb.answer("what triggers andermann syndrome").fact_id == "andermann-causes"
    assert kb.answer("andermann syndrome").fact_id == "andermann-definition"
