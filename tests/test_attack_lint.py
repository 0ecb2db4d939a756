"""Regression tests for H2: near-duplicate questions found through an index, with a capped output."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from myoqa import KnowledgeBase
from myoqa.knowledge import KnowledgeData
from myoqa.lint import MAX_NEAR_DUPLICATES, NEAR_DUPLICATE, _near_duplicates
from myoqa.models import Fact
from myoqa.normalize import normalize


def _data(questions: list[str]) -> KnowledgeData:
    facts = tuple(
        Fact(id=f"f{i}", question=q, answer="An answer.", topic="T") for i, q in enumerate(questions)
    )
    return KnowledgeData(facts=facts, synonyms={}, smalltalk=(), files={f.id: "x.yaml" for f in facts})


def _every_pair(texts: list[str], threshold: float) -> list[tuple[int, int, float]]:
    return [
        (i, j, fuzz.ratio(a, b))
        for i, a in enumerate(texts)
        for j, b in enumerate(texts)
        if i < j and a != b and fuzz.ratio(a, b) >= threshold
    ]


def _mutate(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(0, 4)):
        k = rng.randrange(len(chars) + 1)
        roll = rng.random()
        if roll < 0.4 and chars:
            del chars[min(k, len(chars) - 1)]
        elif roll < 0.8:
            chars.insert(k, rng.choice("abcdeiou "))
        elif chars:
            chars[min(k, len(chars) - 1)] = rng.choice("xyz")
    return "".join(chars)


def test_index_finds_exactly_the_pairs_of_the_full_comparison(kb: KnowledgeBase) -> None:
    from myoqa.neardup import near_duplicate_pairs

    rng = random.Random(7)
    real = [normalize(p) for f in kb.facts[:120] for p in f.phrasings[:3]]
    texts = real + [_mutate(rng.choice(real), rng) for _ in range(250)] + ["", "a", "ab", "abc", "abd"]
    for threshold in (NEAR_DUPLICATE, 80.0):
        found, stopped = near_duplicate_pairs(texts, threshold, limit=10**9)
        assert not stopped
        assert found == _every_pair(texts, threshold)
    assert _every_pair(texts, NEAR_DUPLICATE)  # the mutations do make near duplicates


def test_thousands_of_similar_questions_are_fast_and_capped() -> None:
    data = _data([f"What is calcification number {i} of muscle?" for i in range(3000)])
    started = time.perf_counter()
    problems = list(_near_duplicates(data))
    assert time.perf_counter() - started < 2  # every pair: about 20 s here, 85 s for 6,000
    assert len(problems) == MAX_NEAR_DUPLICATES + 1
    assert "not listed (stopped after" in problems[-1].message


def test_thousands_of_distinct_questions_are_fast() -> None:
    rng = random.Random(3)
    words = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        for _ in range(2000)
    ]
    data = _data(
        [
            "What is " + " ".join(rng.choice(words) for _ in range(rng.randint(3, 7))) + "?"
            for _ in range(3000)
        ]
    )
    started = time.perf_counter()
    assert list(_near_duplicates(data)) == []
    assert time.perf_counter() - started < 2


def test_shipped_findings_are_unchanged(kb: KnowledgeBase) -> None:
    data = KnowledgeData(facts=kb.facts, synonyms={}, smalltalk=(), files={f.id: "x.yaml" for f in kb.facts})
    questions = [normalize(f.question) for f in kb.facts]
    expected = [(kb.facts[j].id, f"'{kb.facts[i].id}'") for i, j, _ in _every_pair(questions, NEAR_DUPLICATE)]
    got = [(p.fact_id, p.message.split(" (")[0].rsplit(" ", 1)[-1]) for p in _near_duplicates(data)]
    assert got == expected


def test_check_on_a_generated_file_prints_a_bounded_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # H2 through `myoqa check`: 14.5 million lines before
    from myoqa.cli import MAX_WARNINGS_SHOWN, main

    facts = "".join(
        f"  - id: f{i}\n    question: What is calcification number {i} of muscle?\n"
        f"    answer: Answer {i} about calcification.\n"
        for i in range(1500)
    )
    (tmp_path / "x.yaml").write_text("topic: Big\nfacts:\n" + facts, encoding="utf-8")
    started = time.perf_counter()
    assert main(["check", str(tmp_path)]) == 0
    assert time.perf_counter() - started < 5
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == MAX_WARNINGS_SHOWN + 2
    assert lines[-2].startswith("... and ") and "--all lists every one" in lines[-2]
    assert main(["check", "--all", str(tmp_path)]) == 0
    assert len(capsys.readouterr().out.splitlines()) > 3 * 1500
