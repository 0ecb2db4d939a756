"""Turn a ranked match into an answer, a "did you mean", or an honest "I don't know".

The rules, in order:

1. no word that carries meaning ("how", "???")                       -> abstain
   no scope term (the knowledge base's subject words) is mentioned    -> abstain
2. most of the query's weight is in words the knowledge base never uses -> abstain
3. the best fact's confidence is high and no fact about another subject or
   aspect is close behind                                              -> answer
4. the best fact is plausible, or two facts are too close to call      -> suggestions
5. otherwise                                                           -> abstain

The analysis (``analysis.py``) is all this reads of the question: the matcher only ranks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import pairwise
from typing import NamedTuple

from myoqa.matching import Match, ScoredFact
from myoqa.models import (
    Answer,
    AnswerKind,
    Candidate,
    Explanation,
    Fact,
    ReadOnlyDict,
    RelatedQuestion,
    Suggestion,
    answer_question,
)
from myoqa.normalize import normalize

ANSWER_AT = 0.5
SUGGEST_AT = 0.3
MAX_UNKNOWN_SHARE = 0.5
SURE_AT = 0.8  # above this, a tie is still answered: both facts fit, the first fits best
CLOSE_MARGIN = 0.05  # a runner-up within this raw margin lowers the confidence...
TIE_DISCOUNT = 0.15  # ...by up to this much (at a tie)

# Raw evidence (best score x share of known words) -> confidence, as (raw, confidence) knots.
# Fitted on our own golden questions so that the answer threshold sits at 0.5 and answers at
# 0.8 or more are right at least 95% of the time; see `myoqa eval --calibration`.
CALIBRATION = ((0.0, 0.0), (0.12, 0.3), (0.2, 0.5), (0.45, 0.8), (0.8, 0.95), (1.0, 1.0))
MAX_SUGGESTIONS = 3
TIE_SHARE = 0.0075  # within this share, any two facts are a tie
CLOSE_SHARE = 0.01  # a runner-up within this share of the best score is a close call
RIVAL_DEPTH = 5  # rivals are sought among this many first facts: answer() ranks at least as deep

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
WHICH_SUBJECT = (
    "Which condition do you mean? Ask with its name, for example \u201cHow is myositis ossificans "
    "treated?\u201d or \u201cIs FOP inherited?\u201d"
)


class DecisionTexts(NamedTuple):
    """What ``decide()`` says when no fact answers; a knowledge base's ``about.yaml`` sets its own."""

    out_of_scope: str = OUT_OF_SCOPE
    nothing_asked: str = NOTHING_ASKED
    unsure: str = UNSURE
    which_subject: str = WHICH_SUBJECT
    personal_dose: str | None = None  # said to "what dose should my son take"; None: never asked


DEFAULT_TEXTS = DecisionTexts()


def calibrate(raw: float) -> float:
    """Map raw evidence onto the calibrated confidence scale (piecewise linear)."""
    raw = max(0.0, min(1.0, raw))
    for (x0, y0), (x1, y1) in pairwise(CALIBRATION):
        if raw <= x1:
            return round(y0 + (y1 - y0) * (raw - x0) / (x1 - x0), 3)
    return 1.0


def _confidence(scored: ScoredFact, match: Match) -> float:
    return calibrate(scored.score * (1.0 - match.query.unknown_share))


def confidence_of(match: Match) -> float:
    """Calibrated confidence of the best fact: its score, discounted for unknown words and
    for a runner-up close behind (a near tie is where the wrong fact wins)."""
    if not match.ranked:
        return 0.0
    confidence = _confidence(match.ranked[0], match)
    rival = _rival(match)
    if rival is not None:
        margin = match.ranked[0].score - rival.score
        # A close runner-up lowers the confidence, down to "did you mean" when the best fact only
        # just passed: a near tie is where the wrong fact wins.
        confidence -= TIE_DISCOUNT * max(0.0, CLOSE_MARGIN - margin) / CLOSE_MARGIN
    return round(max(0.0, confidence), 3)


def decide(
    question: str,
    match: Match,
    related: Callable[[Fact], tuple[RelatedQuestion, ...]],
    *,
    limit: int = 5,
    texts: DecisionTexts = DEFAULT_TEXTS,
    mentions: Callable[[Fact, Iterable[str]], float] | None = None,
) -> Answer:
    """Build the ``Answer`` for ``question`` from ``match`` following the rules above.

    ``mentions(fact, units)`` is the share of ``units`` a fact's words use (the knowledge
    base's ``Analyzer.mentions``): a condition the message names that the best fact speaks of
    is no reason to doubt it. Without it, every such condition is."""
    query = match.query
    confidence = confidence_of(match)
    candidates = tuple(
        Candidate.model_construct(
            id=s.fact.id, question=s.fact.question, score=round(s.score, 3), matched=s.phrasing
        )
        for s in match.ranked[:limit]
    )

    def explain(reason: str) -> Explanation:
        return Explanation.model_construct(
            normalized=query.normalized,
            corrections=ReadOnlyDict(query.corrections),
            expansions=query.expansions,
            unknown_words=query.unknown,
            candidates=candidates,
            reason=reason,
        )

    def abstain(
        text: str, reason: str, *, kind: AnswerKind = "unknown", suggestions: tuple[Suggestion, ...] = ()
    ) -> Answer:
        return Answer.model_construct(
            question=answer_question(question),
            text=text,
            found=False,
            confidence=confidence if query.stems and query.in_scope else 0.0,
            kind=kind,
            suggestions=suggestions,
            why=explain(reason),
        )

    if not query.stems:
        return abstain(texts.nothing_asked, "no word that carries meaning")
    if query.personal_dose and texts.personal_dose is not None:
        # A prescription, not a question a fact answers: what the facts say about the medicine
        # in general is offered, never given as if it were the dose for this person.
        offered = _suggestions(match) if query.in_scope else ()
        return abstain(
            texts.personal_dose,
            "asks what dose someone in particular should take",
            kind="unsure" if offered else "unknown",
            suggestions=offered,
        )
    if not query.in_scope:
        if query.aspects and not query.own_subject:
            return abstain(texts.which_subject, "asks about no subject (a follow-up with nothing before it)")
        return abstain(texts.out_of_scope, "mentions none of the knowledge base's scope terms")
    if query.unknown_share > MAX_UNKNOWN_SHARE:
        share = round(100 * query.unknown_share)
        return abstain(
            texts.out_of_scope, f"{share}% of the question's weight is in words the knowledge base never uses"
        )
    best = match.ranked[0] if match.ranked else None
    doubt = _doubt(match, confidence, mentions)
    if best is not None and confidence >= ANSWER_AT and doubt is None:
        why = explain(f"confidence {confidence:.2f} >= {ANSWER_AT}")
        return fact_answer(question, best.fact, confidence, related(best.fact), why)
    suggestions = _suggestions(match)
    if suggestions:
        reason = doubt if doubt is not None else f"confidence {confidence:.2f} is below {ANSWER_AT}"
        return abstain(texts.unsure, reason, kind="unsure", suggestions=suggestions)
    return abstain(texts.out_of_scope, doubt or f"best confidence {confidence:.2f} is below {SUGGEST_AT}")


def _suggestions(match: Match) -> tuple[Suggestion, ...]:
    """The plausible facts of a ranking, best first, as "did you mean" suggestions."""
    plausible = [s for s in match.ranked if _confidence(s, match) >= SUGGEST_AT]
    return tuple(
        Suggestion.model_construct(id=s.fact.id, question=s.fact.question, confidence=_confidence(s, match))
        for s in plausible[:MAX_SUGGESTIONS]
    )


def _doubt(
    match: Match, confidence: float, mentions: Callable[[Fact, Iterable[str]], float] | None = None
) -> str | None:
    """Why the best fact, though it scores well enough, may answer another question than the
    one asked; None when nothing speaks against it."""
    best = match.ranked[0] if match.ranked else None
    if best is None:
        return None
    if match.query.animals:
        return f"it asks about an animal ({', '.join(match.query.animals)}); no fact here is about animals"
    # "My mum has osteoporosis ... is alendronate safe?": a condition, drug or test that no fact
    # asks about is what the message is about, unless the best fact itself speaks of it.
    query = match.query

    def speaks_of(unit: str) -> bool:
        # A two-word name ("kidney stone") is the message's subject unless it also names one of
        # ours ("can high calcium cause kidney stones"): a fact merely listing it is no answer.
        if mentions is None or mentions(best.fact, [unit]) < 1.0:
            return False
        words = set(unit.split())
        return " " not in unit or any(s in query.scope_stems and s not in words for s in query.asked_subject)

    foreign = [u for u in query.foreign_subjects if not speaks_of(u)]
    if foreign:
        return f"it names {', '.join(foreign)}, which no fact here is about"
    # "... a lump on my fingertip split open and white stuff comes out. Should I squeeze it?":
    # when the question itself names no aspect, a word no fact uses, and nothing the best fact
    # speaks of, only the story chose the fact, and what is asked is something else. ("... Was
    # that right?" asks about the story itself, and keeps its answer.)
    if (
        query.story
        and not query.aspects
        and any(u in query.unknown for u in query.asked)
        and mentions is not None
        and mentions(best.fact, query.asked) == 0
    ):
        return "the question asks with words no fact uses; only the story chose the best fact"
    second = _rival(match)
    if second is not None and confidence < SURE_AT:
        if second.score >= best.score * (1 - TIE_SHARE):
            return "two facts are too close to call"
        if second.score >= best.score * (1 - CLOSE_SHARE) and _differ(best, second):
            return "two facts about different things are too close to call"
    return None


def _rival(match: Match) -> ScoredFact | None:
    """The best runner-up that is not a copy of the best fact: facts with the same question
    (or the same answer) answer alike, so a tie between them is no reason to doubt. Large
    collections merged from several sources repeat questions word for word."""
    best = match.ranked[0]
    question, answer = normalize(best.fact.question), best.fact.answer.strip()
    for other in match.ranked[1:RIVAL_DEPTH]:
        if normalize(other.fact.question) != question and other.fact.answer.strip() != answer:
            return other
    return None


def _differ(first: ScoredFact, second: ScoredFact) -> bool:
    """Whether two facts answer different questions (another aspect or another subject)."""
    return (
        abs(first.aspect_fit - second.aspect_fit) >= 0.5 or abs(first.subject_fit - second.subject_fit) >= 0.5
    )


def fact_answer(
    question: str, fact: Fact, confidence: float, related: tuple[RelatedQuestion, ...], why: Explanation
) -> Answer:
    """The answer that gives a fact: its text, sources and follow-ups."""
    return Answer.model_construct(
        question=answer_question(question),
        text=fact.answer.strip(),
        found=True,
        confidence=confidence,
        kind="fact",
        fact_id=fact.id,
        matched_question=fact.question,
        topic=fact.topic,
        urgent=fact.urgent,
        sources=fact.sources,
        reviewed=fact.reviewed,
        related=related,
        why=why,
    )
