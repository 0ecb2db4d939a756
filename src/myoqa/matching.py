"""Find the fact a question asks about, with the evidence needed to decide whether to answer.

The matcher scores every phrasing (question and alternates) of every fact that shares a
meaningful word with the query, found through an inverted index rather than a full scan:

* words are weighted by how rare they are across facts (IDF), so "what is" and "muscle" count
  for little and "calciphylaxis" counts a lot;
* unknown query words are repaired to the nearest knowledge-base word when close enough;
* synonyms and abbreviations are rewritten to one canonical form on both sides, and a
  multi-word canonical term ("myositis ossificans") is a unit of its own;
* the score of a phrasing is an IDF-weighted F-measure of shared units, refined by a
  rapidfuzz similarity of the two content strings, then blended with how much of the query
  the fact's whole vocabulary (answer included) covers;
* the query also records what counts against answering: unknown words, and whether it
  mentions any of the knowledge base's scope terms.

The decision to answer, ask "did you mean" or abstain lives in ``decide.py``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rapidfuzz import fuzz

from myoqa.analysis import MAX_QUERY_CHARS, Analysis, Analyzer, cut
from myoqa.models import Fact
from myoqa.normalize import content_words, normalize
from myoqa.text import stem

__all__ = ["MAX_QUERY_CHARS", "Analysis", "LexicalMatcher", "Match", "Matcher", "Query", "ScoredFact"]

FUZZY_SHARE = 0.25
"""How much of a phrasing's score comes from whole-string similarity (the rest: shared words)."""

FUZZY_TOP = 40
"""Only this many best-overlapping phrasings get the (costlier) whole-string comparison."""

BETA = 0.7
"""F-measure balance: below 1 favours phrasings whose words the query contains (precision)
over queries whose words the phrasing contains (recall), which suits long, chatty questions."""

COVERAGE_SHARE = 0.5
"""How much of a fact's score comes from the share of the query found anywhere in the fact."""

ASPECT_MISS = 0.85
"""A fact that says something else about the subject (its definition, when the question asks
what triggers it) keeps this share of its score; a fact of the aspect asked keeps all of it."""

SUBJECT_MISS = 0.9
"""A fact about another subject than the one named keeps this share of its score (scaled by how
much of the named subject it lacks)."""


ASPECT_UNIT = 1.0
"""The weight of the aspect as a unit shared by a question and the phrasings of facts of that
aspect (about the weight of a common content word)."""


def _aspect_unit(aspect: str) -> str:
    return f"aspect:{aspect}"


def cut_question(question: str) -> str:
    """The first MAX_QUERY_CHARS characters, ending at a word boundary."""
    return cut(question)


Query = Analysis  # the analysed question, as the matcher reads it


@dataclass(frozen=True)
class ScoredFact:
    """One fact's best score for a query and the phrasing that earned it."""

    fact: Fact
    score: float
    phrasing: str
    phrasing_score: float = 0.0
    coverage: float = 0.0
    aspect_fit: float = 1.0
    subject_fit: float = 1.0


@dataclass(frozen=True)
class Match:
    """What the matcher found: the analysed query and facts ranked best first."""

    query: Analysis
    ranked: tuple[ScoredFact, ...] = field(default=())


def combine(phrasing_score: float, coverage: float) -> float:
    """A fact's score from its best phrasing and its whole-fact coverage of the query."""
    return (1 - COVERAGE_SHARE) * phrasing_score + COVERAGE_SHARE * coverage * max(phrasing_score, 0.5)


class Matcher(Protocol):
    """The one interface the rest of myoqa needs from a matcher."""

    def match(self, query: Analysis, *, limit: int = 5, exclude: tuple[str, str] | None = None) -> Match:
        """Rank the facts for an analysed question, best first, at most ``limit`` of them.

        ``exclude`` (fact id, phrasing) leaves one phrasing out, for leave-one-out self-tests.
        """
        ...


@dataclass(frozen=True)
class _Phrasing:
    fact_index: int
    text: str
    content: str
    weights: Mapping[str, float]
    mass: float


class LexicalMatcher:
    """The default matcher: IDF-weighted word overlap plus rapidfuzz, over an inverted index."""

    def __init__(self, facts: Sequence[Fact], analyzer: Analyzer) -> None:
        self._facts = tuple(facts)
        self._analyzer = analyzer
        self._synonyms = analyzer.synonyms
        per_fact = [
            [(text, words, shares) for text, (words, shares) in zip(fact.phrasings, analysed, strict=True)]
            for fact, analysed in zip(self._facts, analyzer.phrasings_analysed, strict=True)
        ]
        self._aspects = tuple(analyzer.fact_aspects(f) for f in self._facts)
        self._subjects = tuple(self._fact_subject(f) for f in self._facts)

        phrasings: list[_Phrasing] = []
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for fact_index, analysed in enumerate(per_fact):
            for text, words, shares in analysed:
                content = content_words(words)
                if not content:
                    continue
                weights = self._weights(words, shares)
                for aspect in self._aspects[fact_index]:
                    weights[_aspect_unit(aspect)] = ASPECT_UNIT
                for s, weight in weights.items():
                    postings[s].append((len(phrasings), weight))
                phrasings.append(
                    _Phrasing(
                        fact_index=fact_index,
                        text=text,
                        content=" ".join(content),
                        weights=weights,
                        mass=sum(weights.values()),
                    )
                )
        self._phrasings = tuple(phrasings)
        self._postings = {s: tuple(ids) for s, ids in postings.items()}

        # Each fact's whole vocabulary (phrasings, answer, topic): long, loosely worded
        # questions are often explained by the answer's words rather than by one phrasing.
        bags: list[frozenset[str]] = []
        fact_postings: dict[str, list[int]] = defaultdict(list)
        for fact_index, fact in enumerate(self._facts):
            words, phrases, _ = self._synonyms.apply(normalize(f"{fact.topic} {fact.answer}").split())
            for _, phrasing_words, phrasing_phrases in per_fact[fact_index]:
                words += phrasing_words
                phrases += phrasing_phrases
            bag = frozenset(stem(w) for w in content_words(words)) | {p for p in phrases if p}
            bags.append(bag)
            for s in bag:
                fact_postings[s].append(fact_index)
        self._bags = tuple(bags)
        self._fact_postings = {s: tuple(ids) for s, ids in fact_postings.items()}

    def _weights(self, words: list[str], phrases: list[str | None]) -> dict[str, float]:
        return self._analyzer.weights(words, phrases)

    def _fact_subject(self, fact: Fact) -> frozenset[str]:
        """The subject units a fact is about: those its question and declared subject (or
        topic) name."""
        units: set[str] = set()
        for text in (fact.question, fact.subject or fact.topic):
            words, phrases, _ = self._synonyms.apply(normalize(text).split())
            units |= {stem(w) for w in content_words(words)} | {p for p in phrases if p}
        return frozenset(u for u in units if u in self._analyzer.subject_units)

    def aspects_of(self, fact_index: int) -> tuple[str, ...]:
        """The aspects of the fact at this index (declared or inferred)."""
        return self._aspects[fact_index]

    def match(self, query: Analysis, *, limit: int = 5, exclude: tuple[str, str] | None = None) -> Match:
        if not query.stems:
            return Match(query=query)
        # Walk the posting lists once, adding up the shared weight of every phrasing and fact
        # that shares a meaningful word with the query; nothing else is looked at.
        content_stems = set(query.stems)
        shared_query: dict[int, float] = defaultdict(float)
        shared_phrasing: dict[int, float] = defaultdict(float)
        candidates: set[int] = set()
        # The aspect asked is a unit of its own, shared with every phrasing of a fact of that
        # aspect: "what triggers X" and "what causes X" meet there, whatever their words.
        weights = dict(query.weights)
        for aspect in query.aspects:
            weights[_aspect_unit(aspect)] = ASPECT_UNIT
        for s, query_weight in weights.items():
            for pid, weight in self._postings.get(s, ()):
                shared_query[pid] += query_weight
                shared_phrasing[pid] += weight
            if s in content_stems:
                candidates.update(pid for pid, _ in self._postings.get(s, ()))
        fact_shared: dict[int, float] = defaultdict(float)
        for s in query.stems:
            for fact_index in self._fact_postings.get(s, ()):
                fact_shared[fact_index] += query.weights[s]
        query_mass = sum(weights.values())
        overlaps = []
        for pid in candidates:
            phrasing = self._phrasings[pid]
            if (
                exclude is not None
                and phrasing.text == exclude[1]
                and self._facts[phrasing.fact_index].id == exclude[0]
            ):
                continue
            overlaps.append(
                (self._overlap(shared_query[pid] / query_mass, shared_phrasing[pid] / phrasing.mass), pid)
            )
        # Whole-string similarity only refines the strongest overlaps; it cannot lift the rest.
        overlaps.sort(reverse=True)
        content = " ".join(content_words(query.normalized.split()))
        best_phrasing: dict[int, tuple[float, str]] = {}
        for rank, (overlap, pid) in enumerate(overlaps):
            phrasing = self._phrasings[pid]
            similarity = fuzz.token_sort_ratio(content, phrasing.content) / 100 if rank < FUZZY_TOP else 0.0
            score = (1 - FUZZY_SHARE) * overlap + FUZZY_SHARE * similarity * overlap**0.5
            current = best_phrasing.get(phrasing.fact_index)
            if current is None or score > current[0]:
                best_phrasing[phrasing.fact_index] = (score, phrasing.text)
        content_mass = sum(query.weights[s] for s in query.stems)
        named = [u for u in query.stems if u in self._analyzer.subject_units and u not in query.cue_stems]
        named_mass = sum(query.weights[u] for u in named)
        table = self._analyzer.aspect_table
        scored = []
        for fact_index in set(fact_shared) | set(best_phrasing):
            phrasing_score, _ = best_phrasing.get(fact_index, (0.0, ""))
            coverage = fact_shared[fact_index] / content_mass
            aspect_fit = table.fit(query.aspects, self._aspects[fact_index])
            subject_fit = 1.0
            if named_mass > 0:
                covered = sum(query.weights[u] for u in named if u in self._subjects[fact_index])
                subject_fit = covered / named_mass
            score = combine(phrasing_score, coverage)
            score *= ASPECT_MISS + (1 - ASPECT_MISS) * aspect_fit
            score *= SUBJECT_MISS + (1 - SUBJECT_MISS) * subject_fit
            scored.append((-score, fact_index, phrasing_score, coverage, aspect_fit, subject_fit))
        # Ties are broken by knowledge-base order, so results never depend on set ordering.
        scored.sort()
        ranked = []
        for negative, fact_index, phrasing_score, coverage, aspect_fit, subject_fit in scored[:limit]:
            fact = self._facts[fact_index]
            text = best_phrasing.get(fact_index, (0.0, fact.question))[1]
            ranked.append(
                ScoredFact(fact, -negative, text, phrasing_score, coverage, aspect_fit, subject_fit)
            )
        return Match(query=query, ranked=tuple(ranked))

    @staticmethod
    def _overlap(recall: float, precision: float) -> float:
        """F-measure of shared weight (see BETA)."""
        if recall == 0 or precision == 0:
            return 0.0
        b2 = BETA * BETA
        return (1 + b2) * precision * recall / (b2 * precision + recall)
