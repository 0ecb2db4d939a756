"""Answer-wording lints: an answer must read right whatever the wording of the question.

One fact answers many phrasings ("what is X", "is X Y", "X in my leg"), so its answer cannot
lean on one of them. Three habits break that, and each has a check here:

- a bare yes/no opener ("Yes:", "Usually not:", "It could be:", "Not according to current
  sources:") reads as nonsense after a question that was not a yes/no question, and an opening
  pronoun ("They overlap", "It means") refers to a subject another phrasing may not name; the
  first sentence must state the fact;
- an answer that names who is asking ("your relative's doctors", "your child's toes") is
  wrong for everyone else, unless every phrasing of the fact names that person too;
- an abbreviation ("HO", "CKD") used before it is spelled out leaves a lay reader behind.
  The abbreviations come from ``synonyms.yaml``: a one-word variant of 2-5 letters whose
  letters start the words of a longer term of the same entry (``ho`` -> "heterotopic
  ossification") is an abbreviation of that term, so adding a synonym extends the check.

Word lists live in ``data/wording.yaml``. The checks return findings as warnings;
``myoqa check --strict`` fails on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

import yaml

from myoqa.errors import Problem
from myoqa.models import Fact
from myoqa.normalize import normalize

_FIRST_CLAUSE = re.compile(r"^\s*([^.:;,!?\u2013\u2014()]*)")
_MAX_OPENER_WORDS = 5
_MAX_VERDICT_WORDS = 6
# Words in the phrasing lists that mark a third party in a question but that an answer uses
# harmlessly after "your" ("your family doctor"), or that never follow "your" (pronouns).
_NOT_AFTER_YOUR = frozenset({"family", "he", "she", "his", "her", "him"})
_DOCTORS = r"(?:doctors?|gp|consultant|surgeon|specialist)(?:'s)?"


@dataclass(frozen=True)
class WordLists:
    """The word lists of ``data/wording.yaml``."""

    opener_words: frozenset[str]
    verdict_words: frozenset[str]  # a short first clause starting with one is a verdict
    pronoun_openers: frozenset[str]  # a first word that can only refer back to the question
    third_parties: Mapping[str, frozenset[str]]  # group -> words that name such a person

    @cached_property
    def asker(self) -> re.Pattern[str]:
        """ "your child", "your relative's", "your doctor said": an answer assuming the asker."""
        people = sorted(
            {w for g, words in self.third_parties.items() if g != "told" for w in words} - _NOT_AFTER_YOUR,
            key=len,
            reverse=True,
        )
        told = "|".join(sorted(self.third_parties.get("told", ()), key=len, reverse=True)) or "said"
        return re.compile(
            rf"\byour\s+(?:own\s+)?(?:(?P<person>{'|'.join(people)})(?:'s|s'|s)?|{_DOCTORS}\s+(?P<told>{told}))\b",
            re.IGNORECASE,
        )


@cache
def word_lists() -> WordLists:
    """The word lists shipped with the package."""
    text = resources.files("myoqa").joinpath("data/wording.yaml").read_text(encoding="utf-8")
    return parse_word_lists(text)


def parse_word_lists(text: str) -> WordLists:
    """Word lists from YAML text: ``opener_words`` and ``third_parties`` (group -> words)."""
    data = yaml.safe_load(text)
    groups = data.get("third_parties") or {}
    return WordLists(
        opener_words=frozenset(str(data.get("opener_words", "")).lower().split()),
        verdict_words=frozenset(str(data.get("verdict_words", "")).lower().split()),
        pronoun_openers=frozenset(str(data.get("pronoun_openers", "")).lower().split()),
        third_parties={g: frozenset(str(words).lower().split()) for g, words in groups.items()},
    )


_SHORT = re.compile(r"^[a-z]{2,5}$")
_STOP_WORDS = frozenset({"and", "of", "the", "a", "an", "in", "to"})
_WORD = re.compile(r"[A-Za-z0-9]+")
# How far after an abbreviation's first use its spelled-out form may start: "HO
# (heterotopic ossification)" counts as spelled out at first use.
_EXPANSION_AFTER = 2


@dataclass(frozen=True)
class Abbreviation:
    """A short form and the longer terms that spell it out."""

    short: str  # lower case, as in synonyms.yaml
    expansions: tuple[tuple[str, ...], ...]  # each a sequence of light-stemmed words
    terms: tuple[str, ...]  # the same expansions as written in synonyms.yaml

    @property
    def label(self) -> str:
        return repr(self.terms[0])


def abbreviations(synonyms: Mapping[str, Iterable[str]]) -> dict[str, Abbreviation]:
    """Abbreviations derived from a synonym table, keyed by their lower-case short form."""
    found: dict[str, Abbreviation] = {}
    for canonical, variants in synonyms.items():
        terms = [canonical, *variants]
        for short in terms:
            if not _SHORT.match(short):
                continue
            spelled = tuple(
                term
                for term in terms
                if term != short and short not in normalize(term).split() and _spells(short, term)
            )
            if spelled:
                expansions = tuple(tuple(_light_stem(w) for w in normalize(t).split()) for t in spelled)
                previous = found.get(short)
                if previous is not None:
                    expansions, spelled = previous.expansions + expansions, previous.terms + spelled
                found[short] = Abbreviation(short, expansions, spelled)
    return found


def _spells(short: str, term: str) -> bool:
    """True if the letters of ``short`` start each word of ``term`` in order.

    Each word (stop words may be skipped) gives a non-empty run of letters beginning with its
    first letter: "jdm" spells "juvenile dermatomyositis" (j + dm), "ct" spells "computed
    tomography" but not "cat scan".
    """
    words = normalize(term).split()
    if not words or len("".join(words)) <= len(short) + 1:
        return False  # "x ray" for "xray", "nsaids" for "nsaid": the same word, not a spelling-out
    if len(words) == 1 and len(words[0]) < 2 * len(short) + 2:
        return False  # "cpk" for "ck", "masses" for "mass"; "parathormone" still spells "pth"

    def match(letters: str, rest: list[str]) -> bool:
        if not rest:
            return not letters
        word, tail = rest[0], rest[1:]
        if word in _STOP_WORDS and match(letters, tail):
            return True
        if not letters or letters[0] != word[0]:
            return False
        # Take 1..n letters from this word as a subsequence starting at its first letter.
        for take in range(1, len(letters) + 1):
            if _is_subsequence(letters[1:take], word[1:]) and match(letters[take:], tail):
                return True
        return False

    return match(short, words)


def _is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


def _light_stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def wording_problems(
    facts: Iterable[Fact], files: Mapping[str, str], synonyms: Mapping[str, Iterable[str]]
) -> list[Problem]:
    """Every wording finding over ``facts``, as warnings located at each fact's answer."""
    table = abbreviations(synonyms)
    problems: list[Problem] = []
    for fact in facts:
        messages = [*_bare_opener(fact), *_assumed_asker(fact), *_unexpanded(fact.answer, table)]
        problems += [
            Problem(files.get(fact.id, "?"), m, fact_id=fact.id, field="answer", severity="warning")
            for m in messages
        ]
    return problems


def bare_opener(answer: str) -> str | None:
    """The answer's opening clause if it is a bare verdict, else None.

    A verdict is a short first clause made only of hedge words ("Usually not", "It could be")
    or starting with yes/no/not ("Not according to current sources").
    """
    match = _FIRST_CLAUSE.match(answer)
    clause = match.group(1).strip() if match else ""
    words = normalize(clause).split()
    lists = word_lists()
    if not words:
        return None
    if len(words) <= _MAX_OPENER_WORDS and all(w in lists.opener_words for w in words):
        return clause
    if len(words) <= _MAX_VERDICT_WORDS and words[0] in lists.verdict_words:
        return clause
    # "Usually not early on": a hedge and a yes/no start the clause, whatever follows.
    lead = words[:2]
    hedged = all(w in lists.opener_words for w in lead)
    if (
        hedged
        and len(words) <= _MAX_VERDICT_WORDS
        and any(w in lists.verdict_words or w == "no" for w in lead)
    ):
        return clause
    return None


def pronoun_opener(answer: str) -> str | None:
    """The answer's first word if it is a pronoun that refers back to the question ("They")."""
    words = answer.split(maxsplit=1)
    first = normalize(words[0]) if words else ""
    return words[0].strip(",:;") if first in word_lists().pronoun_openers else None


def _bare_opener(fact: Fact) -> Iterable[str]:
    clause = bare_opener(fact.answer)
    pronoun = pronoun_opener(fact.answer)
    if clause is not None:
        yield (
            f"answer opens with a bare {clause!r}, which reads wrong after a question that is not a "
            "yes/no question; make the first sentence state the fact itself"
        )
    elif pronoun is not None:
        yield (
            f"answer opens with {pronoun!r}, which only makes sense after one wording of the question; "
            "name the subject in the first sentence"
        )


def _assumed_asker(fact: Fact) -> Iterable[str]:
    lists = word_lists()
    for match in lists.asker.finditer(fact.answer):
        if match.group("told"):
            group = "told"
        else:
            person = match.group("person").lower()
            group = next(g for g, words in lists.third_parties.items() if person in words and g != "told")
        markers = lists.third_parties[group]
        unnamed = [p for p in fact.phrasings if not markers & set(normalize(p).split())]
        if unnamed:
            yield (
                f"answer says {match.group(0)!r} but the phrasing {unnamed[0]!r} does not say who is asked "
                'about; use neutral wording ("the person\'s own doctors")'
            )


def _unexpanded(answer: str, table: Mapping[str, Abbreviation]) -> Iterable[str]:
    raw = _WORD.findall(answer)
    words = [_light_stem(w.lower()) for w in raw]
    seen: set[str] = set()
    for i, token in enumerate(raw):
        short = _abbreviation_use(token, table)
        if short is None or short in seen:
            continue
        seen.add(short)
        entry = table[short]
        if not any(_occurs(e, words, i) for e in entry.expansions):
            yield (
                f"abbreviation {token!r} is used before it is spelled out; write {entry.label} at its first "
                f"use, e.g. '{entry.terms[0]} ({token})'"
            )


def _abbreviation_use(token: str, table: Mapping[str, Abbreviation]) -> str | None:
    """The short form ``token`` writes, if it is written as an abbreviation (2+ capitals)."""
    if sum(ch.isupper() for ch in token) < 2:
        return None
    lower = token.lower()
    if lower in table:
        return lower
    if token.endswith("s") and lower[:-1] in table:  # "NSAIDs"
        return lower[:-1]
    return None


def _occurs(expansion: tuple[str, ...], words: list[str], first_use: int) -> bool:
    """True if ``expansion`` starts before ``first_use`` or right after it (a parenthesis)."""
    n = len(expansion)
    last_start = min(first_use + _EXPANSION_AFTER, len(words) - n)
    return any(tuple(words[s : s + n]) == expansion for s in range(0, last_start + 1))
