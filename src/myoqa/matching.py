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

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from myoqa.analysis import MAX_QUERY_CHARS, Analysis, Analyzer, asks
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

PRUNE_POSTINGS = 1000
"""A query unit on more phrasings or facts than this is common: facts reached only through
common units are bounded rather than scored (``LexicalMatcher._rare_first``)."""

PRUNE_REACHED = 5000
"""Past this many facts reached through rare units, pruning saves nothing: score everything."""

STORY_ASPECT_MISS = 0.75
"""ASPECT_MISS for a message that tells a story: its story names other aspects' words ("was
diagnosed last year ... can we stop it?"), so the aspect its question asks must count for more.
Fitted on the long messages of blind_long.jsonl and two further inspected sets."""

SUBJECT_MISS = 0.9
"""A fact about another subject than the one named keeps this share of its score (scaled by how
much of the named subject it lacks)."""


FRAME_MISS = 0.3
"""The words around a question's subject say what is asked, even when the word that named it
is lost ("Is Andermann syndrome?", "What are the of X?"): among the first facts about that
subject, the one whose question is worded most like it keeps its score, the others keep at
least this share of it (``LexicalMatcher._by_frame``). Only a single question worded as one (a
question word first) has a frame: a bare topic ("calcinosis in dermatomyositis") or a story
keeps its ranking."""

FRAME_AT = 0.5
"""...but only when some fact's question frame is this close to the question's (word-level edit
similarity): a paraphrase ("tell me about X") shares no frame, and its ranking stays as it is."""

FRAME_TOP = 10
"""The frame reorders this many first facts (as many as ``answer()`` always ranks), and the
matcher ranks at least this deep, so ``limit`` never changes which fact comes first."""


ASPECT_UNIT = 1.0
"""The weight of the aspect as a unit shared by a question and the phrasings of facts of that
aspect (about the weight of a common content word)."""


def _frame_fit(query_words: Sequence[str], named: set[str], words: Sequence[str]) -> float | None:
    """How alike a question's frame is to a phrasing's: their words besides the content words
    the question names, in order (word-level edit similarity; 1 when neither has any). None
    when the phrasing lacks something the question names: another subject, not another frame."""
    stems = [stem(w) for w in words]
    if not named <= set(stems):
        return None
    asked = [w for w in query_words if stem(w) not in named]
    offered = [w for w, s in zip(words, stems, strict=True) if s not in named]
    if not asked and not offered:
        return 1.0
    return float(Levenshtein.normalized_similarity(asked, offered))


def _aspect_unit(aspect: str) -> str:
    return f"aspect:{aspect}"


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
    words: tuple[str, ...]  # every canonical word, function words included, in order
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
                        words=tuple(words),
                        weights=weights,
                        mass=sum(weights.values()),
                    )
                )
        self._phrasings = tuple(phrasings)
        self._index = {fact.id: i for i, fact in enumerate(self._facts)}
        by_fact: list[list[int]] = [[] for _ in self._facts]
        for pid, phrasing in enumerate(phrasings):
            by_fact[phrasing.fact_index].append(pid)
        self._fact_phrasings = tuple(tuple(ids) for ids in by_fact)
        self._postings = {s: tuple(ids) for s, ids in postings.items()}

        # Each fact's whole vocabulary (phrasings, answer, topic): long, loosely worded
        # questions are often explained by the answer's words rather than by one phrasing.
        self._bags = analyzer.fact_bags
        fact_postings: dict[str, list[int]] = defaultdict(list)
        for fact_index, bag in enumerate(self._bags):
            for s in bag:
                fact_postings[s].append(fact_index)
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
        weights = dict(query.weights)
        # The aspect asked is a unit of its own, shared with every phrasing of a fact of that
        # aspect: "what triggers X" and "what causes X" meet there, whatever their words.
        for aspect in query.aspects:
            weights[_aspect_unit(aspect)] = ASPECT_UNIT
        depth = max(limit, FRAME_TOP)
        ranked = self._rare_first(query, weights, depth, exclude)
        if ranked is None:
            ranked = self._everything(query, weights, depth, exclude)
        if not query.story and asks(query.normalized):
            ranked = self._by_frame(query, ranked[:FRAME_TOP]) + ranked[FRAME_TOP:]
        return Match(query=query, ranked=tuple(ranked[:limit]))

    def _everything(
        self, query: Analysis, weights: dict[str, float], limit: int, exclude: tuple[str, str] | None
    ) -> list[ScoredFact]:
        """Score every phrasing and fact that shares a meaningful unit with the query."""
        # Walk the posting lists once, adding up the shared weight of every phrasing and fact
        # that shares a meaningful word with the query; nothing else is looked at.
        content_stems = set(query.stems)
        candidates: set[int] = set()
        for s in content_stems:
            candidates.update(pid for pid, _ in self._postings.get(s, ()))
        walk = sum(len(self._postings.get(s, ())) for s in weights)
        if walk <= len(candidates) * len(weights):
            shared_query: dict[int, float] = defaultdict(float)
            shared_phrasing: dict[int, float] = defaultdict(float)
            for s, query_weight in weights.items():
                for pid, weight in self._postings.get(s, ()):
                    shared_query[pid] += query_weight
                    shared_phrasing[pid] += weight
        else:  # function words on most phrasings: look up the candidates' units instead
            shared_query, shared_phrasing = self._shared(candidates, weights)
        fact_shared: dict[int, float] = defaultdict(float)
        for s in query.stems:
            for fact_index in self._fact_postings.get(s, ()):
                fact_shared[fact_index] += query.weights[s]
        query_mass = sum(weights.values())
        overlaps = self._overlaps(candidates, shared_query, shared_phrasing, query_mass, exclude)
        best_phrasing = self._best_phrasings(query, overlaps)
        return self._rank(query, set(fact_shared) | set(best_phrasing), best_phrasing, fact_shared, limit)

    def _shared(
        self, pids: Iterable[int], weights: Mapping[str, float]
    ) -> tuple[dict[int, float], dict[int, float]]:
        """The query weight and the phrasing weight each phrasing shares with the query, added
        in the order of ``weights`` as the posting walk adds them, so every float is the same."""
        shared_query: dict[int, float] = {}
        shared_phrasing: dict[int, float] = {}
        items = list(weights.items())
        for pid in pids:
            own = self._phrasings[pid].weights
            sq = sp = 0.0
            for s, query_weight in items:
                weight = own.get(s)
                if weight is not None:
                    sq += query_weight
                    sp += weight
            shared_query[pid] = sq
            shared_phrasing[pid] = sp
        return shared_query, shared_phrasing

    def _overlaps(
        self,
        pids: Iterable[int],
        shared_query: Mapping[int, float],
        shared_phrasing: Mapping[int, float],
        query_mass: float,
        exclude: tuple[str, str] | None,
    ) -> list[tuple[float, int]]:
        """(word overlap, phrasing id) of these phrasings, best first."""
        overlaps = []
        for pid in pids:
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
        overlaps.sort(reverse=True)
        return overlaps

    def _best_phrasings(
        self, query: Analysis, overlaps: list[tuple[float, int]]
    ) -> dict[int, tuple[float, str]]:
        """Each fact's best phrasing score; whole-string similarity only refines the strongest
        overlaps (the first FUZZY_TOP), it cannot lift the rest."""
        content = " ".join(content_words(query.normalized.split()))
        best_phrasing: dict[int, tuple[float, str]] = {}
        for rank, (overlap, pid) in enumerate(overlaps):
            phrasing = self._phrasings[pid]
            similarity = fuzz.token_sort_ratio(content, phrasing.content) / 100 if rank < FUZZY_TOP else 0.0
            score = (1 - FUZZY_SHARE) * overlap + FUZZY_SHARE * similarity * overlap**0.5
            current = best_phrasing.get(phrasing.fact_index)
            if current is None or score > current[0]:
                best_phrasing[phrasing.fact_index] = (score, phrasing.text)
        return best_phrasing

    def _rank(
        self,
        query: Analysis,
        fact_indices: Iterable[int],
        best_phrasing: Mapping[int, tuple[float, str]],
        fact_shared: Mapping[int, float],
        limit: int,
    ) -> list[ScoredFact]:
        """The best ``limit`` of these facts, scored from their best phrasing and coverage.

        The aspect and subject fits only scale ``combine(phrasing score, coverage)`` down, so
        facts are scored in the order of that bound, and the rest are left once their bound is
        below the ``limit``-th score found: they could not have ranked.
        """
        content_mass = sum(query.weights[s] for s in query.stems)
        named = [u for u in query.stems if u in self._analyzer.subject_units and u not in query.cue_stems]
        named_mass = sum(query.weights[u] for u in named)
        table = self._analyzer.aspect_table
        scored = []
        best: list[float] = []  # the ``limit`` highest scores so far (a min-heap)

        def add(fact_index: int, phrasing_score: float, coverage: float) -> None:
            aspect_fit = table.fit(query.aspects, self._aspects[fact_index])
            subject_fit = 1.0
            if named_mass > 0:
                covered = sum(query.weights[u] for u in named if u in self._subjects[fact_index])
                subject_fit = covered / named_mass
            score = combine(phrasing_score, coverage)
            aspect_miss = STORY_ASPECT_MISS if query.story else ASPECT_MISS
            score *= aspect_miss + (1 - aspect_miss) * aspect_fit
            score *= SUBJECT_MISS + (1 - SUBJECT_MISS) * subject_fit
            scored.append((-score, fact_index, phrasing_score, coverage, aspect_fit, subject_fit))
            if len(best) < limit:
                heapq.heappush(best, score)
            elif score > best[0]:
                heapq.heapreplace(best, score)

        # Facts with a scored phrasing, popped in the order of their bound.
        bounds = []
        words_only = []  # facts that share words only through their answer (phrasing score 0)
        for fact_index in fact_indices:
            entry = best_phrasing.get(fact_index)
            if entry is None:
                words_only.append(fact_index)
                continue
            coverage = fact_shared.get(fact_index, 0.0) / content_mass
            bounds.append((-combine(entry[0], coverage), fact_index, entry[0], coverage))
        heapq.heapify(bounds)  # popped in sorted order; usually only a few are needed
        while bounds:
            negative_bound, fact_index, phrasing_score, coverage = heapq.heappop(bounds)
            if len(best) >= limit and -negative_bound < best[0]:
                break
            add(fact_index, phrasing_score, coverage)
        # The others' bound combine(0, coverage) grows with their shared weight: most shared first.
        words_only.sort(key=lambda f: fact_shared.get(f, 0.0), reverse=True)
        for fact_index in words_only:
            coverage = fact_shared.get(fact_index, 0.0) / content_mass
            if len(best) >= limit and combine(0.0, coverage) < best[0]:
                break
            add(fact_index, 0.0, coverage)
        # Ties are broken by knowledge-base order, so results never depend on set ordering.
        scored.sort()
        ranked = []
        for negative, fact_index, phrasing_score, coverage, aspect_fit, subject_fit in scored[:limit]:
            fact = self._facts[fact_index]
            text = best_phrasing.get(fact_index, (0.0, fact.question))[1]
            ranked.append(
                ScoredFact(fact, -negative, text, phrasing_score, coverage, aspect_fit, subject_fit)
            )
        return ranked

    def _by_frame(self, query: Analysis, top: list[ScoredFact]) -> list[ScoredFact]:
        """The first facts rescored by the question's frame: among those whose best phrasing
        names everything the question names (the same subject), the words around the subject,
        in order ("is _" against "is _ inherited" and "what is (are) _"). A question that lost
        its question word ("what causes X" typed "what X") still has the frame of the question
        meant; word weights cannot see it, as function words weigh almost nothing.

        When the question's aspects are only weak guesses ("what ..." read as a definition),
        the frame replaces the guess; when it names an aspect, the frame only tells apart the
        facts of that aspect (a subject's own name may name one: "hereditary ..."). Other facts
        keep their scores, and the best frame loses nothing, so the facts after these, left in
        place, could not have come first."""
        query_words = query.normalized.split()
        named = {stem(w) for w in content_words(query_words)}
        fits: list[float | None] = []
        for scored in top:
            words = next(
                (
                    self._phrasings[p].words
                    for p in self._fact_phrasings[self._index[scored.fact.id]]
                    if self._phrasings[p].text == scored.phrasing
                ),
                None,
            )
            fits.append(_frame_fit(query_words, named, words) if words is not None else None)
        table = self._analyzer.aspect_table
        guessed = all(table.aspects[a].weak for a in query.aspects if a in table.aspects)
        if not guessed:  # an aspect named: the frame only tells apart the facts of that aspect
            fits = [f if s.aspect_fit == 1 else None for s, f in zip(top, fits, strict=True)]
        most = max((f for f in fits if f is not None), default=0.0)
        if most < FRAME_AT:
            return top
        rescored = [
            scored
            if fit is None
            else replace(
                scored,
                score=scored.score
                / (ASPECT_MISS + (1 - ASPECT_MISS) * (scored.aspect_fit if guessed else 1.0))
                * (FRAME_MISS + (1 - FRAME_MISS) * fit / most),
            )
            for scored, fit in zip(top, fits, strict=True)
        ]
        order = sorted(range(len(top)), key=lambda i: (-rescored[i].score, i))
        return [rescored[i] for i in order]

    def _rare_first(
        self, query: Analysis, weights: dict[str, float], limit: int, exclude: tuple[str, str] | None
    ) -> list[ScoredFact] | None:
        """The ranking ``_everything`` gives, found from the query's rare units alone, or None
        when that cannot be proven (then everything is scored).

        Facts reached through a rare unit (few postings) are scored exactly, with all their
        phrasings. Any other fact shares only common units and function words with the query,
        which bounds its phrasings' overlap (recall at most the weight of the non-rare units),
        its phrasing score and its coverage, hence its score (aspect and subject fits are at
        most 1). When that bound is below the ``limit``-th exact score, and the bound on the
        overlap of the phrasings left out is below the overlaps whose rank decides who gets
        the whole-string comparison, the result is the same as scoring everything. Common
        units are added back rarest first until the proof holds or none is left.
        """
        by_rarity = sorted(
            query.stems,
            key=lambda s: max(len(self._postings.get(s, ())), len(self._fact_postings.get(s, ()))),
        )
        common = [
            s
            for s in by_rarity
            if len(self._postings.get(s, ())) > PRUNE_POSTINGS
            or len(self._fact_postings.get(s, ())) > PRUNE_POSTINGS
        ]
        if not common:
            return None  # everything is rare: scoring everything is as cheap
        rare = [s for s in by_rarity if s not in common]
        query_mass = sum(weights.values())
        content_mass = sum(query.weights[s] for s in query.stems)
        content_stems = set(query.stems)
        reached: set[int] = set()
        added = 0
        while rare and common:
            for s in rare[added:]:
                if len(reached) + len(self._fact_postings.get(s, ())) > PRUNE_REACHED:
                    return None  # so many facts to score exactly that pruning saves nothing
                reached.update(self._fact_postings.get(s, ()))
                reached.update(self._phrasings[pid].fact_index for pid, _ in self._postings.get(s, ()))
            added = len(rare)
            if len(reached) < limit:  # fewer facts than places: others must rank too
                rare.append(common.pop(0))
                continue
            ranked = self._score_reached(
                query, weights, reached, content_stems, query_mass, content_mass, rare, limit, exclude
            )
            if ranked is not None:
                return ranked
            rare.append(common.pop(0))
        return None

    def _score_reached(
        self,
        query: Analysis,
        weights: dict[str, float],
        reached: set[int],
        content_stems: set[str],
        query_mass: float,
        content_mass: float,
        rare: list[str],
        limit: int,
        exclude: tuple[str, str] | None,
    ) -> list[ScoredFact] | None:
        # The phrasings of the reached facts that share a meaningful unit.
        pids = [
            pid
            for fact_index in reached
            for pid in self._fact_phrasings[fact_index]
            if any(s in self._phrasings[pid].weights for s in content_stems)
        ]
        shared_query, shared_phrasing = self._shared(pids, weights)
        overlaps = self._overlaps(shared_query, shared_query, shared_phrasing, query_mass, exclude)
        rare_set = set(rare)
        recall_bound = (query_mass - sum(weights[s] for s in rare_set)) / query_mass
        overlap_bound = self._overlap(recall_bound, 1.0)
        decisive = overlaps[:FUZZY_TOP]
        if not decisive or overlap_bound >= decisive[-1][0]:
            return None  # a phrasing left out could take a whole-string comparison's place
        phrasing_bound = (1 - FUZZY_SHARE) * overlap_bound
        if len(overlaps) < FUZZY_TOP:  # a phrasing left out may rank in the first FUZZY_TOP
            phrasing_bound += FUZZY_SHARE * overlap_bound**0.5
        coverage_bound = sum(query.weights[s] for s in query.stems if s not in rare_set) / content_mass
        score_bound = combine(phrasing_bound, coverage_bound)
        fact_shared: dict[int, float] = {}
        for fact_index in reached:
            bag = self._bags[fact_index]
            total = 0.0
            found = False
            for s in query.stems:
                if s in bag:
                    total += query.weights[s]
                    found = True
            if found:
                fact_shared[fact_index] = total
        best_phrasing = self._best_phrasings(query, overlaps)
        ranked = self._rank(query, set(fact_shared) | set(best_phrasing), best_phrasing, fact_shared, limit)
        if len(ranked) < limit or score_bound >= ranked[-1].score:
            return None  # a fact left out could rank among the first ``limit``
        return ranked

    @staticmethod
    def _overlap(recall: float, precision: float) -> float:
        """F-measure of shared weight (see BETA)."""
        if recall == 0 or precision == 0:
            return 0.0
        b2 = BETA * BETA
        return (1 + b2) * precision * recall / (b2 * precision + recall)
