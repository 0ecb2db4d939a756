"""Find the fact a question asks about, with the evidence needed to decide whether to answer.

The matcher scores every phrasing (question and alternates) of every fact that shares a
meaningful word with the query, found through an inverted index rather than a full scan:

* words are weighted by how rare they are across facts (IDF), so "what is" and "muscle" count
  for little and "calciphylaxis" counts a lot;
* unknown query words are repaired to the nearest knowledge-base word when close enough;
* synonyms and abbreviations are rewritten to one canonical form on both sides;
* the score of a phrasing is an IDF-weighted F-measure of shared words, blended with a
  rapidfuzz similarity of the two content strings;
* unknown words the query keeps after repair count against it, which is what lets the bot
  abstain on "what is osteoporosis" instead of answering the nearest fact.

The decision to answer, ask "did you mean" or abstain lives in ``decide.py``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rapidfuzz import fuzz

from myoqa.models import Fact
from myoqa.normalize import STOPWORDS, content_words, normalize
from myoqa.text import Speller, SynonymTable, stem

MAX_QUERY_CHARS = 500
"""Only the start of a very long question is matched; nobody asks 1 MB questions on purpose."""

FUZZY_SHARE = 0.25
"""How much of a phrasing's score comes from whole-string similarity (the rest: shared words)."""

FUNCTION_WEIGHT = 0.25
"""Function words ("who", "how", "is") say what is asked about a subject, so they count, a little."""


@dataclass(frozen=True)
class Query:
    """A question after normalisation, typo repair and synonym expansion."""

    normalized: str
    stems: tuple[str, ...]  # content words only: what the question is about
    weights: Mapping[str, float]  # every word's weight, function words included
    corrections: Mapping[str, str]
    expansions: tuple[str, ...]
    unknown: tuple[str, ...]

    @property
    def mass(self) -> float:
        """Total IDF weight of the query's content words (known and unknown)."""
        return sum(self.weights.values())

    @property
    def unknown_share(self) -> float:
        """The share of the query's weight carried by words the knowledge base never uses."""
        total = sum(self.weights[s] for s in self.stems)
        if total == 0:
            return 0.0
        return sum(self.weights[s] for s in self.unknown) / total


@dataclass(frozen=True)
class ScoredFact:
    """One fact's best score for a query and the phrasing that earned it."""

    fact: Fact
    score: float
    phrasing: str


@dataclass(frozen=True)
class Match:
    """What the matcher found: the analysed query and facts ranked best first."""

    query: Query
    ranked: tuple[ScoredFact, ...] = field(default=())


class Matcher(Protocol):
    """The one interface the rest of myoqa needs from a matcher."""

    def match(self, question: str, *, limit: int = 5) -> Match:
        """Rank the facts for ``question``, best first, at most ``limit`` of them."""
        ...


@dataclass(frozen=True)
class _Phrasing:
    fact_index: int
    text: str
    content: str
    stems: frozenset[str]
    mass: float


class LexicalMatcher:
    """The default matcher: IDF-weighted word overlap plus rapidfuzz, over an inverted index."""

    def __init__(self, facts: Sequence[Fact], synonyms: Mapping[str, Iterable[str]]) -> None:
        self._facts = tuple(facts)
        self._synonyms = SynonymTable(synonyms)
        known_words = set(self._synonyms.words)
        per_fact: list[list[tuple[str, list[str]]]] = []
        for fact in self._facts:
            analysed = []
            for text in fact.phrasings:
                words = self._canonical_words(normalize(text))
                known_words.update(words)
                analysed.append((text, words))
            per_fact.append(analysed)
            known_words.update(normalize(f"{fact.topic} {fact.answer}").split())
        self._speller = Speller(w for w in known_words if not w.isdigit())

        document_frequency: dict[str, int] = defaultdict(int)
        for analysed in per_fact:
            for stem_ in {stem(w) for _, words in analysed for w in words}:
                document_frequency[stem_] += 1
        n = max(len(self._facts), 1)
        self._idf = {s: math.log((n + 1) / (df + 0.5)) for s, df in document_frequency.items()}
        self._unknown_idf = math.log((n + 1) / 0.5)
        self._known_stems = frozenset(stem(w) for w in known_words)

        phrasings: list[_Phrasing] = []
        postings: dict[str, list[int]] = defaultdict(list)
        for fact_index, analysed in enumerate(per_fact):
            for text, words in analysed:
                content = content_words(words)
                if not content:
                    continue
                for s in {stem(w) for w in content}:
                    postings[s].append(len(phrasings))
                weights = self._weights(words)
                phrasings.append(
                    _Phrasing(
                        fact_index=fact_index,
                        text=text,
                        content=" ".join(content),
                        stems=frozenset(weights),
                        mass=sum(weights.values()),
                    )
                )
        self._phrasings = tuple(phrasings)
        self._postings = {s: tuple(ids) for s, ids in postings.items()}

    def _canonical_words(self, normalized: str) -> list[str]:
        words, _ = self._synonyms.apply(normalized.split())
        return words

    def _weights(self, words: Iterable[str]) -> dict[str, float]:
        """Each distinct word's weight: its IDF, scaled down for function words."""
        weights: dict[str, float] = {}
        for word in words:
            if len(word) < 2 and not word.isdigit():
                continue
            s = stem(word)
            factor = FUNCTION_WEIGHT if word in STOPWORDS else 1.0
            weights[s] = max(weights.get(s, 0.0), self.idf(s) * factor)
        return weights

    def idf(self, stem_: str) -> float:
        """How informative a (stemmed) word is; unknown words count as the rarest."""
        return self._idf.get(stem_, self._unknown_idf)

    def analyse(self, question: str) -> Query:
        """Normalise, repair typos and expand synonyms, keeping notes for the explanation."""
        normalized = normalize(question[:MAX_QUERY_CHARS])
        corrections: dict[str, str] = {}
        repaired: list[str] = []
        for word in normalized.split():
            if word not in self._speller and content_words([word]):
                fixed = self._speller.correct(word)
                if fixed is not None:
                    corrections[word] = fixed
                    word = fixed
            repaired.append(word)
        words, expansions = self._synonyms.apply(repaired)
        stems = tuple(dict.fromkeys(stem(w) for w in content_words(words)))
        weights = self._weights(words)
        unknown = tuple(s for s in stems if s not in self._known_stems)
        return Query(
            normalized=" ".join(words),
            stems=stems,
            weights=weights,
            corrections=corrections,
            expansions=tuple(expansions),
            unknown=unknown,
        )

    def match(self, question: str, *, limit: int = 5) -> Match:
        query = self.analyse(question)
        if not query.stems:
            return Match(query=query)
        candidate_ids: set[int] = set()
        for s in query.stems:
            candidate_ids.update(self._postings.get(s, ()))
        content = " ".join(content_words(query.normalized.split()))
        best: dict[int, ScoredFact] = {}
        for pid in candidate_ids:
            phrasing = self._phrasings[pid]
            score = self._score(query, content, phrasing)
            current = best.get(phrasing.fact_index)
            if current is None or score > current.score:
                best[phrasing.fact_index] = ScoredFact(
                    self._facts[phrasing.fact_index], score, phrasing.text
                )
        # Ties are broken by knowledge-base order, so results never depend on set ordering.
        order = sorted(best.items(), key=lambda item: (-item[1].score, item[0]))
        return Match(query=query, ranked=tuple(scored for _, scored in order[:limit]))

    def _score(self, query: Query, content: str, phrasing: _Phrasing) -> float:
        shared = sum(w for s, w in query.weights.items() if s in phrasing.stems)
        if shared == 0:
            return 0.0
        recall = shared / query.mass
        precision = shared / phrasing.mass
        overlap = 2 * precision * recall / (precision + recall)
        similarity = fuzz.token_sort_ratio(content, phrasing.content) / 100
        return (1 - FUZZY_SHARE) * overlap + FUZZY_SHARE * similarity * overlap**0.5
