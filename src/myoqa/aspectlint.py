"""Curator check: two facts that say the same kind of thing about the same subject.

Matching fits a question's subject and aspect separately (``analysis.py``); two facts with the
same subject and the same aspects can only be told apart by their wording, which is where a
question lands on the wrong one. Each such pair is a warning: declare a narrower ``subject``
(what the fact is really about: "calciphylaxis", "CT scan", "palovarotene") or merge the two.
"""

from __future__ import annotations

from myoqa.analysis import AspectTable
from myoqa.errors import Problem
from myoqa.knowledge import KnowledgeData, bundled_aspects
from myoqa.normalize import normalize
from myoqa.text import stem


def subject_aspect_problems(data: KnowledgeData) -> list[Problem]:
    """A warning for every fact whose subject and aspects another fact already has."""
    aspects, qualifiers = (data.aspects, data.qualifiers) if data.aspects is not None else bundled_aspects()
    table = AspectTable(aspects, qualifiers)
    first: dict[tuple[str, frozenset[str]], str] = {}
    problems: list[Problem] = []
    for fact in data.facts:
        declared = fact.aspect or table.find([stem(w) for w in normalize(fact.question).split()])[0]
        if not declared:
            continue
        subject = " ".join(normalize(fact.subject or fact.topic).split())
        key = (subject, frozenset(declared))
        if key not in first:
            first[key] = fact.id
            continue
        other = first[key]
        problems.append(
            Problem(
                data.files[fact.id],
                f"says the same kind of thing ({', '.join(sorted(declared))}) about the same subject "
                f"({subject!r}) as fact '{other}' ({data.files[other]}); declare a narrower 'subject' "
                "(what this fact is about) or merge the two",
                fact_id=fact.id,
                field="subject",
                severity="warning",
            )
        )
    return problems
