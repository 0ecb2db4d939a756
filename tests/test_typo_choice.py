"""Which word a typo is repaired to, when several known words are equally close."""

from __future__ import annotations

from myoqa import Fact, KnowledgeBase
from myoqa.models import Source
from myoqa.text import Speller

SOURCE = (Source(title="Handbook", url="https://example.org/handbook"),)


def _fact(fact_id: str, question: str, answer: str) -> Fact:
    return Fact(id=fact_id, question=question, answer=answer, sources=SOURCE, topic="Conditions")


def _kb() -> KnowledgeBase:
    # "best", "notes" and "heartattack" (a link) are only in the answers' prose; the questions
    # name "breast", "sotos" and "heart attack".
    return KnowledgeBase.from_facts(
        [
            _fact(
                "breast-cancer",
                "What is breast cancer?",
                "A cancer of the breast tissue. The best notes say more.",
            ),
            _fact("sotos", "What is Sotos syndrome?", "A rare overgrowth syndrome. Read our notes."),
            _fact(
                "heart-attack",
                "What are the signs of a heart attack?",
                "Chest pain; see heartattack.example.org.",
            ),
            _fact(
                "stroke",
                "What is a stroke?",
                "A loss of blood flow to part of the brain: the best known signs.",
            ),
        ]
    )


def test_a_tie_goes_to_the_word_the_questions_use() -> None:
    kb = _kb()
    reply = kb.answer("what is brest cancer")
    assert reply.why is not None and reply.why.corrections == {"brest": "breast"}
    assert reply.fact_id == "breast-cancer"
    reply = kb.answer("what is sotes syndrome")
    assert reply.why is not None and reply.why.corrections == {"sotes": "sotos"}
    assert reply.fact_id == "sotos"


def test_a_typo_beside_a_known_word_is_repaired_not_glued() -> None:
    reply = _kb().answer("what are the signs of a heaart attack")
    assert reply.why is not None and reply.why.corrections == {"heaart": "heart"}
    assert reply.fact_id == "heart-attack"


def test_without_a_prior_the_alphabetically_first_of_the_nearest_wins() -> None:
    assert Speller(["breast", "best"]).correct("brest") == "best"
    assert Speller(["breast", "best"], prior={"breast": 3}).correct("brest") == "breast"
    # A nearer word wins whatever the prior; a far one with another first letter never does.
    assert Speller(["breasts", "brest"], prior={"breasts": 9}).correct("brrest") == "brest"
    assert Speller(["calcification"], prior={"calcification": 9}).correct("vkalcification") is None
