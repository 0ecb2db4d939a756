"""The matcher's shortcuts (rare units first, scoring facts in the order of their bound) must
give exactly the ranking that scoring every fact gives: same facts, scores and phrasings."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import myoqa.matching as matching
from myoqa import Fact, KnowledgeBase
from myoqa.benchscale import perturb
from myoqa.evaluate import read_cases

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ou")]
DATA = Path(__file__).parent / "data"
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


def _everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the matcher score every phrasing and fact (no bounded shortcut)."""
    monkeypatch.setattr(matching.LexicalMatcher, "_bounded", lambda *args: None)


def _bounded_count(kb: KnowledgeBase, questions: list[str]) -> int:
    """How many of the questions the bounded shortcut answers (rather than falling back)."""
    count = 0
    for question in questions:
        analysis = kb.analyze(question)
        weights = dict(analysis.weights)
        for aspect in analysis.aspects:
            weights[matching._aspect_unit(aspect)] = matching.ASPECT_UNIT
        count += kb._matcher._bounded(analysis, weights, 5, None) is not None  # type: ignore[attr-defined]
    return count


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
    with monkeypatch.context() as patch:
        _everything(patch)
        reference = {q: _ranking(kb, q, 5) for q in questions}  # every fact scored
    # Short lists read whole: most template words are read only as far as the bounds say.
    monkeypatch.setattr(matching, "BOUND_WALK_MIN", 10)
    monkeypatch.setattr(matching, "BOUND_WALK", 0.0)
    for question in questions:
        assert _ranking(kb, question, 5) == reference[question], question
    assert _bounded_count(kb, questions) >= 40  # the shortcut really was used, not only the fallback


def test_the_bundled_knowledge_base_ranks_every_eval_question_as_scoring_everything(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the real constants, on the bundled knowledge base, for every question of the eval
    files and several result sizes (leave-one-out too, as the self-test runs it)."""
    files = ("golden", "golden_b", "golden_c", "blind_real", "blind_long", "blind_conv")
    questions = [t for name in files for case in read_cases(DATA / f"{name}.jsonl") for t in case.turns]
    assert len(questions) > 500
    limits = (1, 5, 8)
    fast = {(q, n): _ranking(kb, q, n) for q in questions for n in limits}
    left_out = {
        q: kb.match(q, limit=5, exclude=(kb.facts[i % len(kb)].id, kb.facts[i % len(kb)].question)).ranked
        for i, q in enumerate(questions[:200])
    }
    assert _bounded_count(kb, questions) >= len(questions) // 2
    _everything(monkeypatch)
    for (question, limit), ranking in fast.items():
        assert ranking == _ranking(kb, question, limit), (question, limit)
    for i, (question, ranked) in enumerate(left_out.items()):
        fact = kb.facts[i % len(kb)]
        assert ranked == kb.match(question, limit=5, exclude=(fact.id, fact.question)).ranked, question


def _geometric(recall: float, precision: float) -> float:
    return float((recall * precision) ** 0.5)


@pytest.mark.parametrize("overlap", ["F-measure", "another"])
def test_a_phrasing_heavier_than_the_cutoff_stays_below_the_floor(
    kb: KnowledgeBase, overlap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mass cut-off the bounded reading stops at: past it, even a phrasing with the most
    shared weight allowed has an overlap below the floor; just under it, the floor is reached.
    Were the overlap changed to another that grows with precision, it would still be safe."""
    matcher = kb._matcher  # type: ignore[attr-defined]
    if overlap == "another":
        monkeypatch.setattr(matching.LexicalMatcher, "_overlap", staticmethod(_geometric))
    checked = 0
    for recall in (0.05, 0.3, 0.7, 1.0):
        for floor in (0.05, 0.2, 0.5, 0.9):
            for weight in (0.5, 3.0, 20.0):
                cutoff = matcher._mass_cutoff(recall, weight, floor)
                if matcher._overlap(recall, 1.0) < floor:
                    assert cutoff < 0
                    continue
                heavier, lighter = cutoff * (1 + 1e-12), cutoff * (1 - 1e-6)
                assert matcher._overlap(recall, min(1.0, weight / heavier)) < floor
                if overlap == "F-measure":  # tight for the real one; only safe for another
                    assert matcher._overlap(recall, min(1.0, weight / lighter)) >= floor
                checked += 1
    assert checked > 20


def test_presorted_words_compare_as_token_sort_ratio(kb: KnowledgeBase) -> None:
    """Phrasings keep their content words sorted so the whole-string comparison is a plain
    ratio: it must score every pair exactly as token_sort_ratio on the words in any order."""
    from rapidfuzz import fuzz

    from myoqa.normalize import content_words

    rng = random.Random(3)
    matcher = kb._matcher  # type: ignore[attr-defined]
    questions = [t for case in read_cases(DATA / "golden.jsonl") for t in case.turns][:40]
    for question in questions:
        words = content_words(kb.analyze(question).normalized.split())
        for phrasing in matcher._phrasings[::5]:
            shuffled = phrasing.content.split()
            rng.shuffle(shuffled)
            expected = fuzz.token_sort_ratio(" ".join(words), " ".join(shuffled))
            assert fuzz.ratio(" ".join(sorted(words)), phrasing.content) == expected
