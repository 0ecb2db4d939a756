"""The matcher's shortcuts (rare units first, scoring facts in the order of their bound) must
give exactly the ranking that scoring every fact gives: same facts, scores and phrasings."""

from __future__ import annotations

import random

import pytest

import myoqa.matching as matching
from myoqa import Fact, KnowledgeBase
from myoqa.benchscale import perturb

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ou")]
TEMPLATES = (
    "what is {}",
    "what causes {}",
    "how is {} treated",
    "what are the symptoms of {}",
    "is {} inherited",
    "how is {} diagnosed",
)


def _facts(rng: random.Random) -> list[Fact]:
    """Made-up conditions with five or six facts each (like MedQuAD's foci and question types),
    some sharing a word of their names."""
    words = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(400)})
    facts = []
    for n in range(60):
        subject = " ".join(rng.sample(words, 2))
        for k, template in enumerate(rng.sample(TEMPLATES, rng.randint(5, 6))):
            question = template.format(subject)
            facts.append(
                Fact(id=f"f{n}-{k}", question=question, answer=f"An answer about {subject}.", topic="T")
            )
    return facts


def _ranking(kb: KnowledgeBase, question: str, limit: int) -> list[tuple[object, ...]]:
    match = kb.match(question, limit=limit)
    return [
        (r.fact.id, r.score, r.phrasing, r.phrasing_score, r.coverage, r.aspect_fit, r.subject_fit)
        for r in match.ranked
    ]


@pytest.mark.parametrize("seed", [1, 2])
def test_shortcuts_rank_exactly_as_scoring_everything(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    facts = _facts(rng)  # rare made-up subjects, template words on 60 facts each
    kb = KnowledgeBase.from_facts(facts, triage=())
    phrasings = [f.question for f in facts]
    questions = [perturb(p, "", rng) for p in rng.sample(phrasings, 60)]
    questions += [" ".join(p.split()[:3]) for p in rng.sample(phrasings, 20)]  # common words only
    questions += ["what is it", "how is it treated", "who gets", "can be prevented"]
    names = [f.question.split()[-1] for f in facts]
    questions += [
        f"{rng.choice(TEMPLATES).format(rng.choice(names))} and is it {rng.choice(names)}" for _ in range(40)
    ]
    # A rare word with a long run of common ones: facts reached only through the common words
    # come close to those reached through the rare one.
    questions += [
        f"{rng.choice(names)} {' '.join(t.format('') for t in rng.sample(TEMPLATES, 2))}" for _ in range(40)
    ]
    monkeypatch.setattr(matching, "PRUNE_POSTINGS", 10**9)  # no rare-first shortcut
    reference = {q: _ranking(kb, q, 10**6)[:5] for q in questions}  # every fact scored
    monkeypatch.setattr(matching, "PRUNE_POSTINGS", 20)  # most template words count as common
    pruned = 0
    for question in questions:
        analysis = kb.analyze(question)
        weights = dict(analysis.weights)
        for aspect in analysis.aspects:
            weights[matching._aspect_unit(aspect)] = matching.ASPECT_UNIT
        pruned += kb._matcher._rare_first(analysis, weights, 5, None) is not None  # type: ignore[attr-defined]
        assert _ranking(kb, question, 5) == reference[question], question
    assert pruned >= 10  # the rare-first proof really was used, not only the fallback
