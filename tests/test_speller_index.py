"""The speller's index must give exactly the corrections a scan of the whole vocabulary gives."""

from __future__ import annotations

import pickle
import random

from myoqa import KnowledgeBase
from myoqa.text import Speller


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + rng.choice("aeiou") + word[i:]
    return word[:i] + rng.choice("bcdfgklmnprst") + word[i + 1 :]


def _sample(words: list[str], rng: random.Random) -> list[str]:
    long = [w for w in words if len(w) >= 4]
    one = [_typo(w, rng) for w in rng.sample(long, min(600, len(long)))]
    two = [_typo(_typo(w, rng), rng) for w in rng.sample(long, min(300, len(long)))]
    three = [_typo(_typo(_typo(w, rng), rng), rng) for w in long if len(w) >= 12][:200]
    noise = ["".join(rng.choice("etaoinshrdlu") for _ in range(rng.randint(5, 15))) for _ in range(300)]
    return one + two + three + noise + rng.sample(words, min(100, len(words)))


def test_index_agrees_with_the_full_scan_on_the_bundled_vocabulary(kb: KnowledgeBase) -> None:
    speller = kb._analyzer.speller
    rng = random.Random(14)
    sample = _sample(sorted(speller._words), rng)
    fixed = [w for w in sample if speller.correct_by_scan(w) not in (None, w)]
    assert len(fixed) > 300  # the sample really exercises corrections, not only misses
    for word in sample:
        assert speller.correct(word) == speller.correct_by_scan(word), word


def test_ties_and_first_letter_rule_match_the_scan() -> None:
    # "cat" and "car" are both one edit from "cax": the alphabetically first wins, as in a scan.
    speller = Speller(["carts", "catts", "bones", "zones", "calcification", "calcifications"])
    for word in ("caxts", "cones", "xones", "calcifcation", "kalcification", "calsificashun", "bo", "12345"):
        assert speller.correct(word) == speller.correct_by_scan(word), word
    assert speller.correct("caxts") == "carts"
    assert speller.correct("calcifcation") == "calcification"
    assert speller.correct("xones") == "bones"  # one edit: a different first letter is allowed
    assert speller.correct("vkalcification") is None  # two edits and a wrong first letter


def test_corrections_are_cached_and_the_speller_pickles() -> None:
    speller = Speller(["ossification", "calcification"])
    assert speller.correct("osification") == "ossification"
    assert speller._cached.cache_info().currsize == 1
    assert speller.correct("osification") == "ossification"
    assert speller._cached.cache_info().hits == 1
    copy = pickle.loads(pickle.dumps(speller))
    assert copy.correct("calcificaton") == "calcification"


def test_a_speller_read_back_from_a_pickle_corrects_as_the_one_built(kb: KnowledgeBase) -> None:
    # A pickled speller (the cached knowledge base) unpacks its index on the first correction.
    built = kb._analyzer.speller
    copy = pickle.loads(pickle.dumps(built))
    sample = _sample(sorted(built._words), random.Random(7))
    assert [copy.correct(w) for w in sample] == [built.correct(w) for w in sample]
    again = pickle.loads(pickle.dumps(copy))  # pickled again once unpacked
    still_packed = pickle.loads(pickle.dumps(pickle.loads(pickle.dumps(built))))  # and before
    for speller in (again, still_packed):
        assert [speller.correct(w) for w in sample[:200]] == [built.correct(w) for w in sample[:200]]
