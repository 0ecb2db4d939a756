"""Word-level helpers for matching: a light stemmer, synonym canonicalisation, typo repair.

Kept apart from ``normalize`` (which both sides share verbatim) because these steps depend on
the knowledge base's own vocabulary and synonyms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from myoqa.normalize import normalize

_SUFFIXES = (
    "ations", "ation", "ments", "ment", "ances", "ance", "ences", "ence", "ions", "ion",
    "ings", "ing", "ies", "ied", "es", "ed", "ly", "s",
)  # fmt: skip
_IRREGULAR = {"diagnosis": "diagnos", "prognosis": "prognos"}
_KEEP_S = ("ss", "us", "is", "as", "os")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Strip a common English suffix so "treated", "treatment" and "treat" meet."""
    if len(word) == 4 and word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]  # toes -> toe, legs -> leg
    if len(word) <= 4 or word.isdigit():
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            if suffix == "s" and word.endswith(_KEEP_S):
                continue
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                base += "y"
            return base.rstrip("e") if len(base) > 4 else base
    return word.rstrip("e") if len(word) > 4 else word


class SynonymTable:
    """Rewrites every variant phrase to its canonical phrase (longest match first).

    ``apply`` also says which multi-word canonical phrase each word belongs to, so the matcher
    can weigh "fibrodysplasia ossificans progressiva" as one term, not three, while
    "ossificans" alone can still match it.
    """

    def __init__(self, synonyms: Mapping[str, Iterable[str]]) -> None:
        table: dict[tuple[str, ...], tuple[str, ...]] = {}
        for canonical, variants in synonyms.items():
            target = tuple(normalize(canonical).split())
            if not target:
                continue
            for phrase in (canonical, *variants):
                key = tuple(normalize(phrase).split())
                if key:
                    table.setdefault(key, target)
        self._table = table
        # Longest phrase starting with each word: most words start none and are passed at once.
        self._longest: dict[str, int] = {}
        for key in table:
            self._longest[key[0]] = max(self._longest.get(key[0], 0), len(key))

    @property
    def phrases(self) -> frozenset[str]:
        """Every multi-word canonical phrase, as the matcher names it."""
        return frozenset(" ".join(v) for v in self._table.values() if len(v) > 1)

    @property
    def phrase_words(self) -> frozenset[str]:
        """Every word of a canonical phrase or of a variant (as normalised, unstemmed)."""
        return frozenset(w for key, value in self._table.items() for w in (*key, *value))

    @property
    def words(self) -> set[str]:
        """Every word that appears in a variant or canonical phrase."""
        out: set[str] = set()
        for key, value in self._table.items():
            out.update(key)
            out.update(value)
        return out

    def apply(self, words: list[str]) -> tuple[list[str], list[str | None], list[str]]:
        """Return the canonical words, the multi-word canonical phrase each word belongs to
        (None for a word on its own), and "variant → canonical" notes."""
        out: list[str] = []
        phrases: list[str | None] = []
        notes: list[str] = []
        longest = self._longest
        i = 0
        while i < len(words):
            word = words[i]
            target: tuple[str, ...] | None = None
            if word not in longest:  # most words start no phrase
                out.append(word)
                phrases.append(None)
                i += 1
                continue
            for n in range(min(longest[word], len(words) - i), 0, -1):
                key = tuple(words[i : i + n])
                target = self._table.get(key)
                if target is not None:
                    break
            if target is None:
                out.append(word)
                phrases.append(None)
                i += 1
                continue
            out.extend(target)
            phrase = " ".join(target) if len(target) > 1 else None
            phrases.extend([phrase] * len(target))
            if key != target:
                notes.append(f"{' '.join(key)} → {' '.join(target)}")
            i += n
        return out, phrases, notes


def max_typo_distance(word: str) -> int:
    """How many edits a word of this length may be away from the word meant."""
    n = len(word)
    if n < 5:
        return 0
    if n < 8:
        return 1
    if n < 12:
        return 2
    return 3


class Speller:
    """Maps an unknown word to the nearest known word, within a length-bounded edit distance."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._words = sorted(set(vocabulary))
        self._known = frozenset(self._words)

    def __contains__(self, word: object) -> bool:
        return word in self._known

    def correct(self, word: str) -> str | None:
        """Return the known word meant by ``word``, or None when nothing is close enough."""
        limit = max_typo_distance(word)
        if limit == 0 or word.isdigit():
            return None
        best = process.extractOne(
            word,
            self._words,
            scorer=OSA.distance,  # a swapped pair of letters is one typo, not two
            score_cutoff=limit,
        )
        if best is None:
            return None
        candidate, distance, _ = best
        # A wrong first letter is rare in real typos; demand a closer match then.
        if candidate[0] != word[0] and distance > 1:
            return None
        return str(candidate)
