"""Find pairs of near-identical strings through a q-gram index instead of comparing every pair.

``myoqa check`` warns about questions that read almost the same (``fuzz.ratio >= 92``). Comparing
every pair is quadratic: 6,000 facts took 85 s. This module finds exactly the same pairs from a
q-gram *prefix filter*:

* ``ratio(a, b) >= t`` means an Indel distance of at most ``d = (1 - t/100) (|a| + |b|)``, and so
  at most ``d`` edits; each edit destroys at most ``q`` of the ``q``-grams a string has, so the
  two strings share at least ``max(|a|, |b|) - q + 1 - q d`` of them (the q-gram lemma);
* with the grams of every string sorted by one global order (rarest first), two strings that
  share at least ``T`` grams share one within their first ``n - T + 1`` grams (the prefix filter);
  so only those first grams are indexed, and only strings meeting in the index are compared.

Strings too short for the bound to mean anything are compared directly, with a length filter.
The result is the same set of pairs as the full comparison (the tests check it), in the same
order, and the search stops once ``limit`` pairs are found.
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from collections.abc import Sequence

from rapidfuzz import fuzz

Q = 3


def _max_distance(length_a: int, length_b: int, threshold: float) -> int:
    # +1: a margin for the floating point of rapidfuzz's score, so no pair is ever missed.
    return math.floor((100.0 - threshold) * (length_a + length_b) / 100.0) + 1


def _length_range(length: int, threshold: float) -> tuple[int, int]:
    """The lengths a string must have to possibly reach ``threshold`` against one of ``length``."""
    share = (100.0 - threshold) / 100.0
    low = math.floor(length * (1 - share) / (1 + share)) - 1
    high = math.ceil(length * (1 + share) / (1 - share)) + 1 if share < 1 else 10**9
    return max(low, 0), high


@functools.lru_cache(maxsize=4096)
def _min_shared(length: int, threshold: float) -> int:
    """The fewest q-grams a string of ``length`` shares with any string it can match."""
    low, high = _length_range(length, threshold)
    return min(
        max(length, other) - Q + 1 - Q * _max_distance(length, other, threshold)
        for other in range(low, high + 1)
    )


def _grams(text: str) -> list[str]:
    """The q-grams of ``text``, numbered by occurrence ("abc", "abc\x001", ...) so that a set of
    them counts a repeated gram as often as it occurs (a multiset)."""
    seen: dict[str, int] = {}
    out = []
    for i in range(len(text) - Q + 1):
        gram = text[i : i + Q]
        count = seen.get(gram, 0)
        seen[gram] = count + 1
        out.append(gram if count == 0 else f"{gram}\0{count}")
    return out


def near_duplicate_pairs(
    texts: Sequence[str], threshold: float, limit: int
) -> tuple[list[tuple[int, int, float]], bool]:
    """Pairs ``(i, j, score)`` with ``i < j``, ``texts[i] != texts[j]`` and
    ``fuzz.ratio >= threshold``, ordered by ``i`` then ``j`` as a double loop would find them;
    at most ``limit`` of them, and whether the search stopped early because of that limit."""
    grams = [_grams(t) for t in texts]
    frequency: Counter[str] = Counter(g for gs in grams for g in gs)  # numbered: no repeats
    index: dict[str, list[int]] = defaultdict(list)
    prefixes: list[list[str]] = []
    short: list[int] = []  # strings the bound says nothing about: compared directly
    for j, gs in enumerate(grams):
        needed = _min_shared(len(texts[j]), threshold)
        if needed <= 0 or not gs:
            short.append(j)
            prefixes.append([])
            continue
        ordered = sorted(gs, key=lambda g: (frequency[g], g))
        prefix = ordered[: len(ordered) - needed + 1]
        prefixes.append(prefix)
        for g in prefix:
            index[g].append(j)
    short_set = set(short)
    pairs: list[tuple[int, int, float]] = []
    for i, text in enumerate(texts):
        candidates: set[int] = set()
        for g in prefixes[i]:
            candidates.update(j for j in index[g] if j > i)
        if i in short_set:
            candidates.update(range(i + 1, len(texts)))
        else:
            candidates.update(j for j in short if j > i)
        low, high = _length_range(len(text), threshold)
        found = []
        for j in candidates:
            other = texts[j]
            if not low <= len(other) <= high or other == text:
                continue
            score = fuzz.ratio(text, other, score_cutoff=threshold)
            if score >= threshold:
                found.append((i, j, score))
        pairs.extend(sorted(found))
        if len(pairs) >= limit:
            return pairs[:limit], True
    return pairs, False
