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
  mentions any of the knowledge base's scope terms;
* most queries score a few hundred phrasings, not every one that shares a word: bounds prove
  which phrasings and facts can rank (``LexicalMatcher._bounded``), with the same result.

The decision to answer, ask "did you mean" or abstain lives in ``decide.py``.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
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

BOUND_WALK = 0.01
"""``LexicalMatcher._bounded`` walks the whole posting lists of the query's heaviest units while
they hold at most this share of the phrasings (and at least BOUND_WALK_MIN postings); the
other units' lists are read only as far as a bound says a phrasing could still rank."""

BOUND_WALK_MIN = 200

BOUND_SEED = 8
"""At least this many phrasings are read from the light end of each other unit's list (and
twice FUZZY_TOP in all) before the first bound is set: light phrasings are the precise ones."""

BOUND_SLACK = 1e-9
"""Bounds are compared with this margin, so that float rounding can never prune a fact that ties."""

BOUND_RETRIES = 2
"""When the bound fails, the next heaviest unit's list is read whole and ``_bounded`` tries
again, this many times at most, and only for a unit on at most BOUND_RETRY_SHARE of the
phrasings or facts."""

BOUND_RETRY_SHARE = 0.05

BOUND_TOPS = (FUZZY_TOP, 4 * FUZZY_TOP)
"""How many best overlaps ``_bounded`` finds exactly, one try after the other (at least FUZZY_TOP,
so that the whole-string comparisons go to the same phrasings)."""

STORY_ASPECT_MISS = 0.75
"""ASPECT_MISS for a message that tells a story: its story names other aspects' words ("was
diagnosed last year ... can we stop it?"), so the aspect its question asks must count for more.
Fitted on the long messages of blind_long.jsonl and two further inspected sets."""

CONDITION_MISS = 0.7
"""A fact that never mentions the condition a message names ("myositis ossificans", "heterotopic
ossification": the analyzer's ``condition_units``) keeps this share of its score: after a story
about myositis ossificans in a kickboxer's thigh, "how long before I can go back to contact
sport?" is not FOP's school-sport fact, however well "contact sport" matches. Fitted on the
inspected halves of two blind sets (long messages +2 right, -2 wrong; 0.8: +1, -1); golden and
blind_real each lost one answer that named the wrong condition's fact (NSAIDs for myositis
ossificans, to a question about heterotopic bone; FOP's school PE, to one about JDM); the
held-out halves did not change; self-test 1354 -> 1355."""
ASPECT_TAKEN_MISS = 0.75
"""ASPECT_MISS for a fact of the condition a question names, of another aspect, when some fact of
that condition has the aspect a cue of the question asks (not a term, not a weak guess): "HO
after brain injury, what is the treatment" has a treatment fact of HO, so the fact about HO
after brain injury, which shares the setting's rare words, must not win on them. Tried at 0.6,
0.7, 0.75 and 0.85 (off) on every file and the self-test: 0.75 gained golden_c +2, blind5_real
+1, blind5_long2 +1 and one held-out line each of the fresh blind8_real and blind8_conv, lost
nothing, and kept the self-test at 1354/1381; 0.7 cost the self-test 8 alternates."""

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
    content: str  # its content words in sorted order, as token_sort_ratio compares them
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
                        content=" ".join(sorted(content)),
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
        # Per unit, its phrasings lightest first (with their masses, for bisection) and the most
        # weight it has on any of them: what bounds a phrasing's precision (``_bounded``).
        # One sort of all phrasings, dealt out to their units' lists in that order.
        light: dict[str, list[int]] = defaultdict(list)
        for pid in sorted(range(len(phrasings)), key=lambda pid: (phrasings[pid].mass, pid)):
            for s in phrasings[pid].weights:
                light[s].append(pid)
        self._by_mass: dict[str, tuple[tuple[int, ...], tuple[float, ...]]] = {
            s: (tuple(pids), tuple(phrasings[pid].mass for pid in pids)) for s, pids in light.items()
        }
        self._max_weight = {s: max(weight for _, weight in ids) for s, ids in self._postings.items()}

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

    def _excluded(self, phrasing: _Phrasing, exclude: tuple[str, str] | None) -> bool:
        """Whether this is the (fact id, phrasing) a leave-one-out self-test leaves out."""
        return (
            exclude is not None
            and phrasing.text == exclude[1]
            and self._facts[phrasing.fact_index].id == exclude[0]
        )

    def _fact_subject(self, fact: Fact) -> frozenset[str]:
        """The subject units a fact is about: those its question and declared subject (or
        topic) name."""
        units: set[str] = set()
        for text in (fact.question, fact.subject or fact.topic):
            words, phrases, _ = self._synonyms.apply(normalize(text).split())
            units |= {stem(w) for w in content_words(words)} | {p for p in phrases if p}
        return frozenset(
            u for u in self._analyzer.widen(frozenset(units)) if u in self._analyzer.subject_units
        )

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
        ranked = self._bounded(query, weights, depth, exclude)
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
        phrasings = self._phrasings
        for pid in pids:
            own = phrasings[pid].weights
            sq = sp = 0.0
            for s, query_weight in items:
                if s in own:
                    sq += query_weight
                    sp += own[s]
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
            if self._excluded(phrasing, exclude):
                continue
            overlaps.append(
                (self._overlap(shared_query[pid] / query_mass, shared_phrasing[pid] / phrasing.mass), pid)
            )
        overlaps.sort(reverse=True)
        return overlaps

    def _best_phrasings(
        self, query: Analysis, overlaps: list[tuple[float, int]], *, first_rank: int = 0
    ) -> dict[int, tuple[float, str]]:
        """Each fact's best phrasing score; whole-string similarity only refines the strongest
        overlaps (the first FUZZY_TOP), it cannot lift the rest. ``overlaps`` are ranked from
        ``first_rank`` on (when the stronger ones were taken apart)."""
        # token_sort_ratio, with both sides' words sorted once rather than at every comparison
        content = " ".join(sorted(content_words(query.normalized.split())))
        best_phrasing: dict[int, tuple[float, str]] = {}
        for rank, (overlap, pid) in enumerate(overlaps):
            phrasing = self._phrasings[pid]
            fuzzy = first_rank + rank < FUZZY_TOP
            similarity = fuzz.ratio(content, phrasing.content) / 100 if fuzzy else 0.0
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
        conditions = [u for u in named if u in self._analyzer.condition_units]
        named_mass = sum(query.weights[u] for u in named)
        table = self._analyzer.aspect_table
        # A condition named in one word ("calcinosis") counts as one for the aspect it asks; with
        # no condition, the subject units named together do.
        # (Measured over the golden and blind files: +1 declined, -1 wrong, self-test the same.)
        taken_of = conditions or [u for u in query.stems if u in self._analyzer.condition_stems] or named
        taken = self._aspect_taken(query, taken_of)
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
            if taken and aspect_fit == 0 and all(c in self._bags[fact_index] for c in taken_of):
                aspect_miss = min(aspect_miss, ASPECT_TAKEN_MISS)
            score *= aspect_miss + (1 - aspect_miss) * aspect_fit
            score *= SUBJECT_MISS + (1 - SUBJECT_MISS) * subject_fit
            if conditions and not any(c in self._bags[fact_index] for c in conditions):
                score *= CONDITION_MISS  # a fact about another condition than the one named
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

    def _aspect_taken(self, query: Analysis, conditions: Sequence[str]) -> bool:
        """Whether a cue of the question asks an aspect that some fact about every condition it
        names has (``ASPECT_TAKEN_MISS``)."""
        table = self._analyzer.aspect_table
        cued = table.strong(query.cued_aspects)
        if not conditions or not cued:
            return False
        facts = set(self._fact_postings.get(conditions[0], ()))
        for c in conditions[1:]:
            facts &= set(self._fact_postings.get(c, ()))
        return any(table.fit(cued, self._aspects[f]) == 1 for f in facts)

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

    def _bounded(
        self, query: Analysis, weights: dict[str, float], limit: int, exclude: tuple[str, str] | None
    ) -> list[ScoredFact] | None:
        """The ranking ``_everything`` gives, found by scoring few phrasings and facts, or None
        when that cannot be proven (then everything is scored).

        The query's heaviest content units (the *essential* ones) have their posting lists read
        whole. A phrasing holding none of them shares at most the other units with the query:
        its recall is at most their share of the query's weight, and its precision at most the
        most weight they have anywhere over its own mass. So, once some phrasings' overlaps are
        known, a phrasing heavier than a cut-off cannot be among the best ``top``: the other
        units' lists, kept lightest first, are read only up to it. That gives the best ``top``
        overlaps exactly (the first FUZZY_TOP of them get the whole-string comparison, as in
        ``_everything``). Their facts, and the facts an essential unit reaches, are scored
        exactly. Any other fact has only phrasings outside the best ``top`` (phrasing score at
        most ``(1 - FUZZY_SHARE)`` times the ``top``-th overlap) and no essential unit in its
        words (coverage at most the other units' share): when the bound that gives is below the
        ``limit``-th score found, no such fact can rank. Else the next heaviest unit becomes
        essential and it tries again (BOUND_RETRIES).

        The bounds hold while the overlap grows with recall and precision, ``combine`` grows
        with both its arguments, the aspect and subject fits only scale a score down, and a
        phrasing outside the first FUZZY_TOP overlaps scores ``(1 - FUZZY_SHARE)`` times its
        overlap; tests/test_matcher_pruning.py compares it with scoring everything.
        """
        stems = query.stems
        query_mass = sum(weights.values())
        content_mass = sum(query.weights[s] for s in stems)
        if query_mass <= 0 or content_mass <= 0:
            return None
        postings, fact_postings = self._postings, self._fact_postings
        size = {s: len(postings.get(s, ())) + len(fact_postings.get(s, ())) for s in stems}
        budget = max(BOUND_WALK_MIN, BOUND_WALK * len(self._phrasings))
        heaviest = sorted(stems, key=lambda s: (-query.weights[s], size[s]))
        essential: list[str] = []
        walked = 0
        for s in heaviest:
            if walked + size[s] <= budget:
                essential.append(s)
                walked += size[s]
        overlap_of: dict[int, float] = {}  # exact overlaps found so far, kept across tries
        for _ in range(BOUND_RETRIES + 1):
            if len(essential) == len(stems):
                return None  # every list is read whole: scoring everything is as cheap
            ranked = self._bounded_by(query, weights, limit, exclude, essential, overlap_of)
            if ranked is not None:
                return ranked
            # A heavy unit just over the budget can keep the bound on the other facts'
            # coverage high: read its list whole too, and try again.
            extra = next(s for s in heaviest if s not in essential)
            if size[extra] > BOUND_RETRY_SHARE * len(self._phrasings):
                return None
            essential = [*essential, extra]
        return None

    def _bounded_by(
        self,
        query: Analysis,
        weights: dict[str, float],
        limit: int,
        exclude: tuple[str, str] | None,
        essential: list[str],
        overlap_of: dict[int, float],
    ) -> list[ScoredFact] | None:
        """``_bounded`` with these essential units (see there)."""
        stems = query.stems
        postings, fact_postings = self._postings, self._fact_postings
        query_mass = sum(weights.values())
        content_mass = sum(query.weights[s] for s in stems)
        chosen = set(essential)
        content = set(stems)
        others = [s for s in stems if s not in chosen]
        # The other units, longest list first: a phrasing is looked for in the list of its last
        # unit in this order, so it is bounded by that unit, the ones before it and the
        # function words and aspects, and the long lists get the tight bounds.
        others.sort(key=lambda s: -len(postings.get(s, ())))
        common = [s for s in weights if s not in content]
        recall_bounds, weight_bounds = [], []
        recall = sum(weights[s] for s in common)
        weight = sum(self._max_weight.get(s, 0.0) for s in common)
        for s in others:
            recall += weights[s]
            weight += self._max_weight.get(s, 0.0)
            recall_bounds.append(recall / query_mass)
            weight_bounds.append(weight)
        coverage_bound = sum(query.weights[s] for s in others) / content_mass
        reached: set[int] = set()
        for s in essential:
            reached.update(pid for pid, _ in postings.get(s, ()) if pid not in overlap_of)
        overlap_of.update(self._overlap_table(reached, weights, query_mass, exclude))
        lists = [self._by_mass.get(s, ((), ())) for s in others]
        seed = max(range(len(others)), key=lambda i: weights[others[i]])  # likeliest to rank
        read = [0] * len(others)  # how far each list has been read
        reached_facts: set[int] = set()
        for s in essential:
            reached_facts.update(fact_postings.get(s, ()))
        for top in BOUND_TOPS:
            best = self._best_overlaps(
                top, overlap_of, lists, read, recall_bounds, weight_bounds, weights, query_mass, exclude, seed
            )
            if len(best) == top:
                threshold = best[-1][0]
            elif all(n == len(pids) for n, (pids, _) in zip(read, lists, strict=True)):
                threshold = 0.0  # every list read whole: no other fact has a phrasing to score
            else:
                return None
            ranked = self._rank_reached(
                query, weights, best, threshold, reached_facts, overlap_of, query_mass, limit, exclude
            )
            # Any other fact: no phrasing among the best, no essential unit among its words.
            score_bound = combine((1 - FUZZY_SHARE) * threshold, coverage_bound)
            if len(ranked) == limit and ranked[-1].score > score_bound + BOUND_SLACK:
                return ranked
        return None

    def _best_overlaps(
        self,
        top: int,
        overlap_of: dict[int, float],
        lists: Sequence[tuple[tuple[int, ...], tuple[float, ...]]],
        read: list[int],
        recall_bounds: Sequence[float],
        weight_bounds: Sequence[float],
        weights: Mapping[str, float],
        query_mass: float,
        exclude: tuple[str, str] | None,
        seed: int,
    ) -> list[tuple[float, int]]:
        """The best ``top`` (overlap, phrasing id) of all phrasings, best first: the other units'
        lists (``_bounded``) are read lightest first, a chunk at a time, the floor (the
        ``top``-th overlap so far) rising as overlaps are found, until each list has been read
        up to the mass above which its phrasings stay below the floor. Until ``top`` are known,
        the ``seed`` list (of the heaviest unit) is read alone. ``overlap_of`` and ``read`` are
        updated."""
        best = heapq.nlargest(top, ((o, pid) for pid, o in overlap_of.items()))
        heapq.heapify(best)  # a min-heap of the best ``top`` so far
        chunk = max(BOUND_SEED, 2 * top // len(lists))
        if len(best) < top and read[seed] == 0:
            pids = lists[seed][0]
            read[seed] = min(len(pids), 2 * top)
            found = self._overlap_table(
                [pid for pid in pids[: read[seed]] if pid not in overlap_of], weights, query_mass, exclude
            )
            overlap_of.update(found)
            best = heapq.nlargest(top, ((o, pid) for pid, o in overlap_of.items()))
            heapq.heapify(best)
        while True:
            floor = best[0][0] if len(best) == top else 0.0
            batch: set[int] = set()
            advanced = False
            for i, ((pids, masses), recall, weight) in enumerate(
                zip(lists, recall_bounds, weight_bounds, strict=True)
            ):
                end = min(read[i] + chunk, bisect_right(masses, self._mass_cutoff(recall, weight, floor)))
                if end > read[i]:
                    batch.update(pid for pid in pids[read[i] : end] if pid not in overlap_of)
                    read[i] = end
                    advanced = True
            if not advanced:
                break
            found = self._overlap_table(batch, weights, query_mass, exclude)
            overlap_of.update(found)
            for pid, overlap in found.items():
                if len(best) < top:
                    heapq.heappush(best, (overlap, pid))
                elif (overlap, pid) > best[0]:
                    heapq.heapreplace(best, (overlap, pid))
            chunk *= 2
        return sorted(best, reverse=True)

    def _rank_reached(
        self,
        query: Analysis,
        weights: Mapping[str, float],
        best: list[tuple[float, int]],
        threshold: float,
        reached_facts: set[int],
        overlap_of: dict[int, float],
        query_mass: float,
        limit: int,
        exclude: tuple[str, str] | None,
    ) -> list[ScoredFact]:
        """``_rank`` over the facts of the best phrasings and those an essential unit reaches,
        scored as ``_everything`` scores them: a fact with a phrasing among the best has its
        best phrasing there; any other has all its phrasings that share a content unit scored,
        unless even its best possible phrasing score (below the best ones') with its coverage
        is below the ``limit``-th score of the first kind."""
        best_facts = {self._phrasings[pid].fact_index for _, pid in best}
        content_mass = sum(query.weights[s] for s in query.stems)
        fact_shared: dict[int, float] = {}
        for fact_index in best_facts | reached_facts:
            bag = self._bags[fact_index]
            total = 0.0
            found = False
            for s in query.stems:
                if s in bag:
                    total += query.weights[s]
                    found = True
            if found:
                fact_shared[fact_index] = total
        best_phrasing = self._best_phrasings(query, best)
        ranked = self._rank(query, best_facts, best_phrasing, fact_shared, limit)
        floor = ranked[-1].score - BOUND_SLACK if len(ranked) == limit else -math.inf
        phrasing_bound = (1 - FUZZY_SHARE) * threshold  # of a phrasing outside the best
        extra_facts = {
            fact_index
            for fact_index in reached_facts - best_facts
            if combine(phrasing_bound, fact_shared[fact_index] / content_mass) >= floor
        }
        if not extra_facts:
            return ranked
        content = set(query.stems)
        extra = [
            pid
            for fact_index in extra_facts
            for pid in self._fact_phrasings[fact_index]
            if not content.isdisjoint(self._phrasings[pid].weights)
        ]
        overlap_of.update(
            self._overlap_table([pid for pid in extra if pid not in overlap_of], weights, query_mass, exclude)
        )
        # After the best, in the order ``_everything`` sorts them (the excluded one left out).
        tail = sorted(((overlap_of[pid], pid) for pid in extra if pid in overlap_of), reverse=True)
        best_phrasing.update(self._best_phrasings(query, tail, first_rank=len(best)))
        facts = best_facts | {f for f in extra_facts if f in fact_shared or f in best_phrasing}
        return self._rank(query, facts, best_phrasing, fact_shared, limit)

    def _overlap_table(
        self,
        pids: Iterable[int],
        weights: Mapping[str, float],
        query_mass: float,
        exclude: tuple[str, str] | None,
    ) -> dict[int, float]:
        """The word overlap of each of these phrasings (the excluded one left out)."""
        shared_query, shared_phrasing = self._shared(pids, weights)
        table = {}
        overlap = self._overlap
        for pid, sq in shared_query.items():
            phrasing = self._phrasings[pid]
            if self._excluded(phrasing, exclude):
                continue
            table[pid] = overlap(sq / query_mass, shared_phrasing[pid] / phrasing.mass)
        return table

    def _mass_cutoff(self, recall: float, weight: float, floor: float) -> float:
        """The mass above which a phrasing whose recall is at most ``recall`` and whose shared
        weight is at most ``weight`` has an overlap below ``floor`` (infinite: none is known).
        Only needs the overlap to grow with precision."""
        if floor <= 0:
            return math.inf
        if self._overlap(recall, 1.0) < floor:
            return -1.0  # not even a phrasing made only of these units reaches the floor
        # The precision at which the F-measure reaches the floor, a little below it...
        b2 = BETA * BETA
        denominator = (1 + b2) * recall - floor * b2
        low = floor * recall / denominator * (1 - BOUND_SLACK) if denominator > 0 else 0.0
        if not 0 < low < 1 or not self._overlap(recall, low) < floor:  # ...else by bisection
            low, high = 0.0, 1.0  # overlap(recall, low) < floor <= overlap(recall, high)
            for _ in range(60):
                middle = (low + high) / 2
                if self._overlap(recall, middle) < floor:
                    low = middle
                else:
                    high = middle
        return math.inf if low <= 0 else weight / low * (1 + BOUND_SLACK)

    @staticmethod
    def _overlap(recall: float, precision: float) -> float:
        """F-measure of shared weight (see BETA)."""
        if recall == 0 or precision == 0:
            return 0.0
        b2 = BETA * BETA
        return (1 + b2) * precision * recall / (b2 * precision + recall)
