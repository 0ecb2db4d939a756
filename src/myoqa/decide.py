"""Turn a ranked match into an answer, a "did you mean", or an honest "I don't know".

The rules, in order:

1. no word that carries meaning ("how", "???")                       -> abstain
2. most of the query's weight is in words the knowledge base never uses -> abstain
3. the best fact's confidence is high and clear of the runner-up       -> answer
4. the best fact is plausible, or two facts are too close to call      -> suggestions
5. otherwise                                                           -> abstain
"""

from __future__ import annotations

from collections.abc import Callable

from myoqa.matching import Match, ScoredFact
from myoqa.models import Answer, Candidate, Explanation, Fact, RelatedQuestion, Suggestion

ANSWER_AT = 0.55
SUGGEST_AT = 0.32
MAX_UNKNOWN_SHARE = 0.4
CLOSE_CALL = 0.04
MAX_SUGGESTIONS = 3

OUT_OF_SCOPE = (
    "I don't know about that. I can only answer questions about calcification and "
    "ossification in muscle tissue, for example \u201cWhat is myositis ossificans?\u201d or "
    "\u201cHow is heterotopic ossification prevented?\u201d"
)
NOTHING_ASKED = (
    "I didn't catch a question there. Ask me about calcification or ossification in muscle "
    "tissue, for example \u201cWhat is fibrodysplasia ossificans progressiva?\u201d"
)
UNSURE = "I'm not sure which of these you mean:"


def confidence_of(match: Match) -> float:
    """Calibrated confidence of the best fact: its score, discounted for unknown words."""
    if not match.ranked:
        return 0.0
    raw = match.ranked[0].score * (1.0 - match.query.unknown_share)
    return round(max(0.0, min(1.0, raw)), 3)


def decide(question: str, match: Match, related: Callable[[Fact], tuple[RelatedQuestion, ...]]) -> Answer:
    """Build the ``Answer`` for ``question`` from ``match`` following the rules above."""
    query = match.query
    confidence = confidence_of(match)
    runner_up = match.ranked[1].score * (1.0 - query.unknown_share) if len(match.ranked) > 1 else 0.0
    candidates = tuple(
        Candidate(id=s.fact.id, question=s.fact.question, score=round(s.score, 3), matched=s.phrasing)
        for s in match.ranked
    )

    def explain(reason: str) -> Explanation:
        return Explanation(
            normalized=query.normalized,
            corrections=dict(query.corrections),
            expansions=query.expansions,
            unknown_words=query.unknown,
            candidates=candidates,
            reason=reason,
        )

    if not query.stems:
        return Answer(question=question, text=NOTHING_ASKED, found=False, confidence=0.0, kind="unknown", why=explain("no word that carries meaning"))
    if query.unknown_share > MAX_UNKNOWN_SHARE:
        share = round(100 * query.unknown_share)
        return Answer(question=question, text=OUT_OF_SCOPE, found=False, confidence=confidence, kind="unknown", why=explain(f"{share}% of the question's weight is in words the knowledge base never uses"))
    best = match.ranked[0] if match.ranked else None
    if best is not None and confidence >= ANSWER_AT and confidence - runner_up >= CLOSE_CALL:
        return _found(question, best, confidence, related(best.fact), explain(f"confidence {confidence:.2f} >= {ANSWER_AT}"))
    plausible = [s for s in match.ranked if s.score * (1.0 - query.unknown_share) >= SUGGEST_AT]
    if plausible:
        suggestions = tuple(
            Suggestion(id=s.fact.id, question=s.fact.question, confidence=round(min(1.0, s.score * (1.0 - query.unknown_share)), 3))
            for s in plausible[:MAX_SUGGESTIONS]
        )
        reason = "two facts are too close to call" if confidence >= ANSWER_AT else f"confidence {confidence:.2f} is below {ANSWER_AT}"
        return Answer(question=question, text=UNSURE, found=False, confidence=confidence, kind="unsure", suggestions=suggestions, why=explain(reason))
    return Answer(question=question, text=OUT_OF_SCOPE, found=False, confidence=confidence, kind="unknown", why=explain(f"best confidence {confidence:.2f} is below {SUGGEST_AT}"))


def _found(question: str, best: ScoredFact, confidence: float, related: tuple[RelatedQuestion, ...], why: Explanation) -> Answer:
    fact = best.fact
    return Answer(
        question=question,
        text=fact.answer.strip(),
        found=True,
        confidence=confidence,
        kind="fact",
        fact_id=fact.id,
        matched_question=fact.question,
        topic=fact.topic,
        urgent=fact.urgent,
        sources=fact.sources,
        related=related,
        why=why,
    )
