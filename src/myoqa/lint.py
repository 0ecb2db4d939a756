"""Curator checks beyond validity: missing sources, colliding phrasings, odd lengths, self-test.

Errors stop a knowledge base from loading (see ``knowledge.py``); these findings are the
quality bar for the shipped one. Collisions are errors, the rest warnings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from myoqa.aspectlint import subject_aspect_problems
from myoqa.errors import Problem
from myoqa.kb import KnowledgeBase
from myoqa.knowledge import KnowledgeData
from myoqa.models import Fact
from myoqa.neardup import near_duplicate_pairs
from myoqa.normalize import normalize
from myoqa.text import SynonymTable, stem
from myoqa.triage import triage_problems
from myoqa.urlcheck import source_url_problems
from myoqa.wording import wording_problems

MIN_ALTERNATES = 4
ANSWER_CHARS = (40, 1200)
NEAR_DUPLICATE = 92.0
MAX_NEAR_DUPLICATES = 50


def lint(data: KnowledgeData) -> list[Problem]:
    """Every finding about a valid knowledge directory, errors first."""
    problems: list[Problem] = []
    owner: dict[str, tuple[Fact, str]] = {}
    table = SynonymTable(data.synonyms)
    for fact in data.facts:
        file = data.files[fact.id]
        for text in fact.phrasings:
            # Compare phrasings as the matcher sees them: synonyms rewritten, words stemmed.
            words, _, _ = table.apply(normalize(text).split())
            key = " ".join(stem(w) for w in words)
            other, other_text = owner.get(key, (fact, text))
            if other.id != fact.id:
                same = (
                    "is also used"
                    if normalize(other_text) == normalize(text)
                    else f"reads the same to the matcher as {other_text!r}"
                )
                problems.append(
                    Problem(
                        file,
                        f"phrasing {text!r} {same} by fact '{other.id}' ({data.files[other.id]}); one fact must own it",
                        fact_id=fact.id,
                        field="alternates",
                    )
                )
            elif other_text is not text:
                problems.append(
                    Problem(
                        file,
                        f"alternate {text!r} reads the same to the matcher as {other_text!r} of the "
                        "same fact; it adds nothing, so reword it the way people ask differently",
                        fact_id=fact.id,
                        field="alternates",
                        severity="warning",
                    )
                )
            owner.setdefault(key, (fact, text))
        if not fact.sources:
            problems.append(
                Problem(
                    file,
                    "no source; add at least one reference with a URL",
                    fact_id=fact.id,
                    field="sources",
                    severity="warning",
                )
            )
        if len(fact.alternates) < MIN_ALTERNATES:
            problems.append(
                Problem(
                    file,
                    f"only {len(fact.alternates)} alternates; add at least {MIN_ALTERNATES} other ways people ask this",
                    fact_id=fact.id,
                    field="alternates",
                    severity="warning",
                )
            )
        low, high = ANSWER_CHARS
        if not low <= len(fact.answer) <= high:
            problems.append(
                Problem(
                    file,
                    f"answer is {len(fact.answer)} characters; keep it between {low} and {high}",
                    fact_id=fact.id,
                    field="answer",
                    severity="warning",
                )
            )
    problems += _near_duplicates(data)
    problems += triage_problems(data.triage or ())
    problems += wording_problems(data.facts, data.files, data.synonyms)
    problems += subject_aspect_problems(data)
    problems += source_url_problems(data)
    return sorted(problems, key=lambda p: p.severity != "error")


def _near_duplicates(data: KnowledgeData) -> Iterable[Problem]:
    """Questions that read almost the same, found through a q-gram index (not every pair: 6,000
    facts took 85 s) and capped, so a generated file cannot print millions of lines."""
    facts = data.facts
    pairs, stopped = near_duplicate_pairs(
        [normalize(f.question) for f in facts], NEAR_DUPLICATE, MAX_NEAR_DUPLICATES
    )
    for i, j, score in pairs:
        a, b = facts[i], facts[j]
        yield Problem(
            data.files[b.id],
            f"question is nearly the same as fact '{a.id}' ({score:.0f}%); users will get one when they want the other",
            fact_id=b.id,
            field="question",
            severity="warning",
        )
    if stopped:
        last = facts[pairs[-1][1]]
        yield Problem(
            data.files[last.id],
            f"more near-duplicate questions were not listed (stopped after {MAX_NEAR_DUPLICATES}); "
            "fix these and run check again",
            severity="warning",
        )


@dataclass(frozen=True)
class SelfTest:
    """Leave-one-out retrieval: each alternate, removed from the index, must find its fact."""

    total: int
    failures: tuple[tuple[str, str, str | None], ...]  # (fact id, alternate, what it found)

    @property
    def rate(self) -> float:
        return 1.0 if self.total == 0 else 1 - len(self.failures) / self.total


def self_test(kb: KnowledgeBase) -> SelfTest:
    """Ask each alternate with that alternate left out of the index; it must find its fact.

    Only the phrasing is left out: the fact's answer still counts, as it would for a user.
    """
    failures = []
    total = 0
    for fact in kb.facts:
        for alternate in fact.alternates:
            total += 1
            got = kb.decide(alternate, kb.match(alternate, exclude=(fact.id, alternate)))
            if got.fact_id != fact.id:
                failures.append((fact.id, alternate, got.fact_id if got.found else None))
    return SelfTest(total=total, failures=tuple(failures))
