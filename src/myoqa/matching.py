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

FUNCTION_IDF_CAP = 2.0
"""A rare function word ("tell") must not outweigh the subject it asks about."""

PHRASE_WORD_SHARE = 0.3
"""The words of a canonical phrase keep this share of their own weight beside the phrase's."""

FUZZY_TOP = 40
"""Only this many best-overlapping phrasings get the (costlier) whole-string comparison."""

BETA = 0.7
"""F-measure balance: below 1 favours phrasings whose words the query contains (precision)
over queries whose words the phrasing contains (recall), which suits long, chatty questions."""

COVERAGE_SHARE = 0.5
"""How much of a fact's score comes from the share of the query found anywhere in the fact."""


def cut_question(question: str) -> str:
    """The first MAX_QUERY_CHARS characters, ending at a word boundary."""
    if len(question) <= MAX_QUERY_CHARS:
        return question
    head = question[: MAX_QUERY_CHARS + 1]
    return head.rsplit(None, 1)[0] if " " in head.strip() else head[:MAX_QUERY_CHARS]


@dataclass(frozen=True)
class Query:
    """A question after normalisation, typo repair and synonym expansion."""

    normalized: str
    stems: tuple[str, ...]  # content units (stemmed words, canonical phrases): what it is about
    weights: Mapping[str, float]  # every unit's weight, function words included
    corrections: Mapping[str, str]
    expansions: tuple[str, ...]
    unknown: tuple[str, ...]  # content words the knowledge base never uses
    in_scope: bool = True  # mentions a scope term (always True when the KB defines none)
    scope_stems: frozenset[str] = frozenset()  # the query's stems that belong to a scope term it mentions

    @property
    def mass(self) -> float:
        """Total weight of the query's units, function words included."""
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
    phrasing_score: float = 0.0
    coverage: float = 0.0


@dataclass(frozen=True)
class Match:
    """What the matcher found: the analysed query and facts ranked best first."""

    query: Query
    ranked: tuple[ScoredFact, ...] = field(default=())


def combine(phrasing_score: float, coverage: float) -> float:
    """A fact's score from its best phrasing and its whole-fact coverage of the query."""
    return (1 - COVERAGE_SHARE) * phrasing_score + COVERAGE_SHARE * coverage * max(phrasing_score, 0.5)


class Matcher(Protocol):
    """The one interface the rest of myoqa needs from a matcher."""

    def match(self, question: str, *, limit: int = 5, exclude: tuple[str, str] | None = None) -> Match:
        """Rank the facts for ``question``, best first, at most ``limit`` of them.

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

    def __init__(
        self, facts: Sequence[Fact], synonyms: Mapping[str, Iterable[str]], *, scope: Iterable[str] = ()
    ) -> None:
        self._facts = tuple(facts)
        self._synonyms = SynonymTable(synonyms)
        # Each scope term as the set of stems a question must contain (all of them) to mention it.
        self._scope = tuple(
            frozenset(stem(w) for w in content_words(self._synonyms.apply(normalize(term).split())[0]))
            for term in scope
        )
        known_words = set(self._synonyms.words)
        per_fact: list[list[tuple[str, list[str], list[str | None]]]] = []
        for fact in self._facts:
            analysed = []
            for text in fact.phrasings:
                words, shares, _ = self._synonyms.apply(normalize(text).split())
                known_words.update(words)
                analysed.append((text, words, shares))
            per_fact.append(analysed)
            known_words.update(normalize(f"{fact.topic} {fact.answer}").split())
        self._speller = Speller(w for w in known_words if not w.isdigit())

        document_frequency: dict[str, int] = defaultdict(int)
        for analysed in per_fact:
            units = {stem(w) for _, words, _ in analysed for w in words}
            units |= {p for _, _, phrases in analysed for p in phrases if p is not None}
            for unit in units:
                document_frequency[unit] += 1
        n = max(len(self._facts), 1)
        # Stems and whole canonical phrases alike: a phrase is as informative as it is rare.
        self._idf = {s: math.log((n + 1) / (df + 0.5)) for s, df in document_frequency.items()}
        self._unknown_idf = math.log((n + 1) / 0.5)
        self._known_stems = frozenset(stem(w) for w in known_words) | self._synonyms.phrases

        phrasings: list[_Phrasing] = []
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for fact_index, analysed in enumerate(per_fact):
            for text, words, shares in analysed:
                content = content_words(words)
                if not content:
                    continue
                weights = self._weights(words, shares)
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
        """Each distinct unit's weight: a word's IDF, scaled down for function words; a
        canonical phrase ("myositis ossificans") is a unit of its own with its own IDF, and its
        words keep a small share, so "ossificans" alone still finds it but does not make
        myositis ossificans and FOP look alike."""
        weights: dict[str, float] = {}
        for word, phrase in zip(words, phrases, strict=True):
            if len(word) < 2 and not word.isdigit():
                continue
            s = stem(word)
            if phrase is not None and content_words(phrase.split()):
                if word in STOPWORDS:
                    continue  # the "and" of "mineral and bone disorder" says nothing
                weights[phrase] = self.idf(phrase)
                weight = PHRASE_WORD_SHARE * self.idf(s) / len(content_words(phrase.split()))
            elif word in STOPWORDS:
                weight = FUNCTION_WEIGHT * min(self.idf(s), FUNCTION_IDF_CAP)
            else:
                weight = self.idf(s)
            weights[s] = max(weights.get(s, 0.0), weight)
        return weights

    def idf(self, stem_: str) -> float:
        """How informative a (stemmed) word is; unknown words count as the rarest."""
        return self._idf.get(stem_, self._unknown_idf)

    def analyse(self, question: str) -> Query:
        """Normalise, repair typos and expand synonyms, keeping notes for the explanation."""
        normalized = normalize(cut_question(question))
        corrections: dict[str, str] = {}
        repaired: list[str] = []
        for word in self._join_split_words(normalized.split(), corrections):
            if word not in self._speller and content_words([word]):
                fixed = self._speller.correct(word)
                if fixed is not None:
                    corrections[word] = fixed
                    word = fixed
            repaired.append(word)
        words, shares, expansions = self._synonyms.apply(repaired)
        weights = self._weights(words, shares)
        units = [stem(w) for w in content_words(words)] + [p for p in shares if p and p in weights]
        stems = tuple(dict.fromkeys(units))
        unknown = tuple(s for s in stems if s not in self._known_stems)
        stem_set = set(stems)
        mentioned = [term for term in self._scope if term and term <= stem_set]
        return Query(
            normalized=" ".join(words),
            stems=stems,
            weights=weights,
            corrections=corrections,
            expansions=tuple(expansions),
            unknown=unknown,
            in_scope=not self._scope or bool(mentioned),
            scope_stems=frozenset().union(*mentioned),
        )

    def _join_split_words(self, words: list[str], corrections: dict[str, str]) -> list[str]:
        """Rejoin a word typed with a space in it ("fibro dysplasia", "life span")."""
        out: list[str] = []
        i = 0
        while i < len(words):
            if i + 1 < len(words) and (words[i] not in self._speller or words[i + 1] not in self._speller):
                joined = words[i] + words[i + 1]
                fixed = joined if joined in self._speller else self._speller.correct(joined)
                if fixed is not None and content_words([fixed]):
                    corrections[f"{words[i]} {words[i + 1]}"] = fixed
                    out.append(fixed)
                    i += 2
                    continue
            out.append(words[i])
            i += 1
        return out

    def match(self, question: str, *, limit: int = 5, exclude: tuple[str, str] | None = None) -> Match:
        query = self.analyse(question)
        if not query.stems:
            return Match(query=query)
        # Walk the posting lists once, adding up the shared weight of every phrasing and fact
        # that shares a meaningful word with the query; nothing else is looked at.
        content_stems = set(query.stems)
        shared_query: dict[int, float] = defaultdict(float)
        shared_phrasing: dict[int, float] = defaultdict(float)
        candidates: set[int] = set()
        for s, query_weight in query.weights.items():
            for pid, weight in self._postings.get(s, ()):
                shared_query[pid] += query_weight
                shared_phrasing[pid] += weight
            if s in content_stems:
                candidates.update(pid for pid, _ in self._postings.get(s, ()))
        fact_shared: dict[int, float] = defaultdict(float)
        for s in query.stems:
            for fact_index in self._fact_postings.get(s, ()):
                fact_shared[fact_index] += query.weights[s]
        query_mass = query.mass
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
        scored = []
        for fact_index in set(fact_shared) | set(best_phrasing):
            phrasing_score, _ = best_phrasing.get(fact_index, (0.0, ""))
            coverage = fact_shared[fact_index] / content_mass
            scored.append((-combine(phrasing_score, coverage), fact_index, phrasing_score, coverage))
        # Ties are broken by knowledge-base order, so results never depend on set ordering.
        scored.sort()
        ranked = []
        for negative, fact_index, phrasing_score, coverage in scored[:limit]:
            fact = self._facts[fact_index]
            text = best_phrasing.get(fact_index, (0.0, fact.question))[1]
            ranked.append(ScoredFact(fact, -negative, text, phrasing_score, coverage))
        return Match(query=query, ranked=tuple(ranked))

    @staticmethod
    def _overlap(recall: float, precision: float) -> float:
        """F-measure of shared weight (see BETA)."""
        if recall == 0 or precision == 0:
            return 0.0
        b2 = BETA * BETA
        return (1 + b2) * precision * recall / (b2 * precision + recall)
