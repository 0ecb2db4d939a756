"""Word-level helpers for matching: a light stemmer, synonym canonicalisation, typo repair.

Kept apart from ``normalize`` (which both sides share verbatim) because these steps depend on
the knowledge base's own vocabulary and synonyms.
"""

from __future__ import annotations

import pickle
import threading
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
_UNDOUBLE = frozenset({"ing", "ings", "ed"})
_DOUBLED_KEPT = frozenset("aeioulsz")  # "calling", "passed", "buzzing", "freed" keep both letters


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Strip a common English suffix so "treated", "treatment" and "treat" meet."""
    return _stem(word, undouble=True)


@lru_cache(maxsize=65536)
def stem_keeping_doubles(word: str) -> str:
    """``stem`` that leaves a doubled consonant before "-ing" or "-ed": triage patterns are
    exact, and "been cutting" must not meet "it has been cut out"."""
    return _stem(word, undouble=False)


def _stem(word: str, *, undouble: bool) -> str:
    if len(word) == 4 and word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]  # toes -> toe, legs -> leg
    if len(word) <= 4 or word.isdigit():
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix, length in (("ancies", 4), ("encies", 4), ("ancy", 2), ("ency", 2)):
        # The state and its adjective meet: "pregnancy" and "pregnant", "malignancy" and
        # "malignant", "deficiency" and "deficient".
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[:-length] + "t"
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            if suffix == "s" and word.endswith(_KEEP_S):
                continue
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                base += "y"
            if undouble and suffix in _UNDOUBLE and base[-1] == base[-2] and base[-1] not in _DOUBLED_KEPT:
                return base[:-1]  # "swimming" and "swim", "stopped" and "stop", "referred" and "refer"
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
        # A phrase in the plural names the same thing ("thigh contusions", "ct scans"); the
        # forms written in the table come first.
        for key, target in list(table.items()):
            last = key[-1]
            if len(last) > 2 and not last.endswith("s"):
                for plural in (last + "s", last + "es"):
                    table.setdefault((*key[:-1], plural), target)
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
        if longest.keys().isdisjoint(words):  # no phrase starts anywhere (a long message's words)
            return list(words), [None] * len(words), notes
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


SPELLER_CACHE = 4096
"""Corrections remembered per speller: users repeat their typos, and the repair of a word is
asked for again by every later turn of a conversation."""


def _grams(word: str) -> list[str]:
    """The bigrams of ``^word$``, each tagged with its occurrence number ("ab0", "ab1"), so that
    set intersection counts shared bigrams as multisets do."""
    padded = f"^{word}$"
    seen: dict[str, int] = {}
    out = []
    for i in range(len(padded) - 1):
        gram = padded[i : i + 2]
        k = seen.get(gram, 0)
        seen[gram] = k + 1
        out.append(f"{gram}{k}")
    return out


class Speller:
    """Maps an unknown word to the nearest known word, within a length-bounded edit distance.

    The answer is the one a scan of the whole vocabulary gives (the closest word; among equally
    close ones, the one with the highest ``prior``, then the first in alphabetical order), found
    through two indexes instead. The prior says how likely a word is to be meant: a knowledge
    base passes how many of its facts' questions use it, so "syndroem" is "syndrome", not a
    one-off "syndroeme" of some answer's prose, and "brest" is "breast", not "best". A word
    further than one edit away whose first letter differs is never the answer (real typos
    rarely touch the first letter).

    * One edit away (most typos): two words are within one OSA edit exactly when deleting at
      most one letter from each makes them equal, so every known word is filed under itself and
      its one-letter deletions, and a query looks up its own: a handful of dictionary lookups.
    * Further (only when nothing is one edit away): each edit
    (OSA: substitution, insertion, deletion, swap of neighbours) destroys at most 3 of a word's
    padded bigrams, so an ``L``-letter word within ``d`` edits of an ``n``-letter query
    (``|L - n| <= d``) shares at least ``need = max(n, L) + 1 - 3d`` of the query's ``n + 1``
    bigrams, hence at least one of any ``n + 2 - need`` of them: its rarest among words of that
    length. Only the words holding one of those are compared, so the cost follows the query's
    rare letter pairs, not the vocabulary's size.
    """

    def __init__(self, vocabulary: Iterable[str], prior: Mapping[str, float] | None = None) -> None:
        self._words = sorted(set(vocabulary))
        self._prior = dict(prior) if prior else {}
        self._known = frozenset(self._words)
        deletes: dict[str, list[int]] = {}
        for index, word in enumerate(self._words):
            if len(word) >= 4:  # a query of 5 letters or more is one edit from 4 letters or more
                for variant in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
                    deletes.setdefault(variant, []).append(index)
        self._deletes = {key: tuple(ids) for key, ids in deletes.items()}
        postings: dict[tuple[str, int], list[int]] = {}
        for index, word in enumerate(self._words):
            for gram in _grams(word):
                postings.setdefault((gram, len(word)), []).append(index)
        self._postings = {key: tuple(ids) for key, ids in postings.items()}
        self._packed: bytes | None = None
        self._lock = threading.Lock()
        self._cached = lru_cache(maxsize=SPELLER_CACHE)(self._correct)

    # A pickled speller (the knowledge base's cached copy, myoqa.cache) keeps its two indexes as
    # one packed blob, unpacked when a word first needs correcting: they are most of the objects
    # a cached start would otherwise recreate (and free again at exit), and a message spelt
    # right never reads them. Unpacking takes a quarter of the time building them does.

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        del state["_cached"]  # a cache of a bound method is neither picklable nor worth keeping
        del state["_lock"]
        if "_deletes" in state:
            index = (state.pop("_deletes"), state.pop("_postings"))
            state["_packed"] = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.__dict__.setdefault("_packed", None)  # a state with its indexes unpacked
        self._lock = threading.Lock()
        self._cached = lru_cache(maxsize=SPELLER_CACHE)(self._correct)

    def _unpack(self) -> None:
        """Recreate the indexes from the packed blob, once, whichever thread asks first."""
        with self._lock:
            if self._packed is None:
                return  # another thread was first
            from myoqa.cache import unpickle  # the collector-paused load the cache itself uses

            index = unpickle(self._packed)
            assert isinstance(index, tuple) and len(index) == 2
            self._deletes, self._postings = index
            self._packed = None

    def __contains__(self, word: object) -> bool:
        return word in self._known

    def correct(self, word: str) -> str | None:
        """Return the known word meant by ``word``, or None when nothing is close enough."""
        result: str | None = self._cached(word)
        return result

    def _correct(self, word: str) -> str | None:
        limit = max_typo_distance(word)
        if limit == 0 or word.isdigit():
            return None
        if self._packed is not None:
            self._unpack()
        near: set[int] = set()
        for variant in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
            near.update(self._deletes.get(variant, ()))
        if near:  # a word one edit away or closer: no word further away can be the answer
            found = self._closest(word, [self._words[i] for i in sorted(near)], 1)
            if found is not None or limit == 1:
                return found
        elif limit == 1:
            return None
        grams = _grams(word)
        if len(grams) <= 3 * limit:  # too short for the bound to say anything
            return self.correct_by_scan(word)
        candidates: set[int] = set()
        postings = self._postings
        for length in range(max(1, len(word) - limit), len(word) + limit + 1):
            need = max(len(word), length) + 1 - 3 * limit  # bigrams such a word must share
            if need > len(grams):
                continue
            sizes = sorted((len(postings.get((g, length), ())), g) for g in grams)
            for size, gram in sizes[: len(grams) - need + 1]:
                if size:
                    candidates.update(postings[gram, length])
        return self._closest(word, [self._words[i] for i in sorted(candidates)], limit)

    def correct_by_scan(self, word: str) -> str | None:
        """``correct`` by comparing ``word`` with every known word: the reference the index
        must agree with (tests), and the fallback for a query too short for the bigram bound."""
        limit = max_typo_distance(word)
        if limit == 0 or word.isdigit():
            return None
        return self._closest(word, self._words, limit)

    def _closest(self, word: str, choices: list[str], limit: int) -> str | None:
        within = process.extract(
            word,
            choices,
            scorer=OSA.distance,  # a swapped pair of letters is one typo, not two
            score_cutoff=limit,
            limit=None,
        )
        # A wrong first letter is rare in real typos; demand a closer match then.
        found = [(str(c), int(d)) for c, d, _ in within if c[0] == word[0] or d <= 1]
        if not found:
            return None
        nearest = min(d for _, d in found)
        prior = self._prior
        return min((c for c, d in found if d == nearest), key=lambda c: (-prior.get(c, 0.0), c))
