"""Golden questions in our own words, independent of the shared dev set: golden.jsonl (227
lines), golden_b.jsonl (120) and golden_c.jsonl (100), written separately from the topic map by
three helpers who never saw the knowledge files. golden_c.jsonl ends with 18 more lines for the
coverage-gap facts, written in fresh wording by the curator who added those facts.

The floors sit just under what the bot reaches today: a change that loses ground fails.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from myoqa import KnowledgeBase
from myoqa.evaluate import evaluate, read_cases

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "golden.jsonl"


@pytest.fixture(scope="module", params=["golden.jsonl", "golden_b.jsonl", "golden_c.jsonl"])
def report(kb: KnowledgeBase, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return evaluate(read_cases(DATA / request.param), kb)


def test_golden_file_is_large_and_varied() -> None:
    cases = read_cases(GOLDEN)
    kinds = Counter(c.kind for c in cases)
    assert len(cases) >= 150
    for kind in ["paraphrase", "lay", "typo", "terse", "smalltalk", "ood", "near_ood", "junk", "followup"]:
        assert kinds[kind] >= 5, kind


def test_answers_what_it_covers(report) -> None:  # type: ignore[no-untyped-def]
    correct, total = report.answerable
    assert correct / total >= 0.90, [(o.case.turns, o.answer.fact_id) for o in report.failures]


def test_abstains_on_what_it_does_not_cover(report) -> None:  # type: ignore[no-untyped-def]
    correct, total = report.abstain
    assert correct / total >= 0.95, [
        (o.case.turns, o.answer.fact_id) for o in report.failures if o.case.expect is None
    ]


def test_confident_answers_are_right(report) -> None:  # type: ignore[no-untyped-def]
    confident = report.confident(0.8)
    right = sum(o.correct for o in confident)
    _, answerable = report.answerable
    assert len(confident) >= 0.5 * answerable  # most answers are confident, not hedged
    assert right / len(confident) >= 0.95


# Sets written blind (by helpers who never saw the knowledge files, the tests or the dev set)
# from real patients' forum and Q&A wording, scored blind once before any change was tuned on
# them: single questions, long stories ending in a question, and conversations with follow-ups,
# subject switches and hijacks. Floors sit at most 2 points under the scores measured when they
# were added (answerable, must-decline).
BLIND_FLOORS = {
    "blind_real.jsonl": (0.89, 0.93),  # raised in the third session (90.8 %, 95.0 %)
    "blind_long.jsonl": (0.73, 0.90),  # raised in the third session (75.0 %, 91.7 %)
    "blind_conv.jsonl": (0.9, 0.91),  # raised with the follow-up reading (92.5 %, 93.3 %)
    # Third session, written blind the same way (170 and 80 lines; scored blind at 92.6 % /
    # 80.0 % and 69.1 % / 96.0 % before that session's changes); the odd lines were inspected
    # while changing the bot, the even ones only scored.
    "blind5_real.jsonl": (0.92, 0.86),  # 94.1 %, 88.6 %
    "blind5_conv.jsonl": (0.83, 0.90),  # 85.5 %, 92.0 %
    # Long stories, the same way (70 lines, and 40 written without the search tool): scored
    # blind at 65.5 % / 91.7 % and 62.5 % / 87.5 % at the third session's start.
    "blind5_long.jsonl": (0.67, 0.90),  # 69.0 %, 91.7 %
    "blind5_long2.jsonl": (0.73, 0.95),  # 75.0 %, 100 %
    # Fourth session, written blind the same way (130, 70 and 80 lines; scored blind at 85.0 % /
    # 80.0 %, 81.0 % / 100 % and 67.3 % / 100 % before that session's changes); odd lines
    # inspected, even ones only scored.
    "blind6_real.jsonl": (0.83, 0.9),  # 85.0 %, 93.3 % (fifth session: organs and kidney stones)
    "blind6_long.jsonl": (0.79, 0.95),  # 81.0 %, 100 %
    "blind6_conv.jsonl": (0.72, 0.95),  # 74.5 %, 100 %
    # Fifth session, written blind by the rules in BLIND_RULES.md (130, 60 and 70 lines; scored
    # blind at 78.0 % / 86.7 %, 56.0 % / 100 % and 72.0 % / 95.0 % before that session's
    # changes); odd lines inspected, even ones only scored.
    "blind7_real.jsonl": (0.78, 0.96),  # 80.0 %, 100 % at the fifth session's end
    "blind7_long.jsonl": (0.6, 0.95),  # 62.0 %, 100 %
    "blind7_conv.jsonl": (0.76, 0.93),  # 78.0 %, 95.0 %
    # Written blind later in the fifth session, the same way (120, 50 and 60 lines; scored
    # blind at 85.6 % / 90.0 %, 66.7 % / 62.5 % and 66.7 % / 94.4 % at that session's start
    # commit); odd lines inspected, even ones only scored.
    "blind8_real.jsonl": (0.88, 0.96),  # 90.0 %, 100 %
    "blind8_long.jsonl": (0.69, 0.6),  # 71.4 %, 62.5 %
    "blind8_conv.jsonl": (0.73, 0.9),  # 76.2 %, 94.4 %
    # Written blind at the end of the fifth session (100, 40 and 50 lines; scored blind at
    # 70.7 % / 88.0 %, 58.8 % / 100 % and 60.0 % / 86.7 % at that session's start commit).
    "blind9_real.jsonl": (0.71, 0.96),  # 73.3 %, 100 %
    "blind9_long.jsonl": (0.59, 0.95),  # 61.8 %, 100 %
    "blind9_conv.jsonl": (0.68, 0.9),  # 71.4 %, 93.3 %
    # Sixth session, written blind by the same rules (120, 50 and 60 lines; scored blind at
    # 80.2 % / 91.7 %, 67.5 % / 100 % and 60.0 % / 100 % at that session's start commit); odd
    # lines inspected while changing the bot, the even ones after blind11 replaced them as judge.
    "blind10_real.jsonl": (0.83, 0.95),  # 85.4 %, 100 %
    "blind10_long.jsonl": (0.7, 0.95),  # 72.5 %, 100 %
    "blind10_conv.jsonl": (0.69, 0.95),  # 71.1 %, 100 %
    # Written blind later in the sixth session (100, 40 and 50 lines) and never inspected:
    # 81.2 % / 100 %, 62.5 % / 100 % and 63.2 % / 100 % at the session's start commit, the
    # session's end figures below (the session's changes did not carry over to them).
    "blind11_real.jsonl": (0.78, 0.95),  # 80.0 %, 100 %
    "blind11_long.jsonl": (0.6, 0.95),  # 62.5 %, 100 %
    "blind11_conv.jsonl": (0.63, 0.95),  # 65.8 %, 100 %
    # Seventh session, written blind by the same rules (112, 46 and 50 lines) and never
    # inspected: scored blind at the session's start commit 1f456ee; unchanged at its end.
    "blind13_real.jsonl": (0.71, 0.95),  # 73.0 %, 100 %
    "blind13_long.jsonl": (0.65, 0.95),  # 67.5 %, 100 %
    "blind13_conv.jsonl": (0.71, 0.8),  # 73.7 %, 83.3 %
}


@pytest.mark.parametrize("name", sorted(BLIND_FLOORS))
def test_blind_sets_hold_their_floors(kb: KnowledgeBase, name: str) -> None:
    report = evaluate(read_cases(DATA / name), kb)
    answer_floor, abstain_floor = BLIND_FLOORS[name]
    (a_ok, a_n), (b_ok, b_n) = report.answerable, report.abstain
    failures = [(o.case.line, o.answer.fact_id) for o in report.failures]
    assert a_ok / a_n >= answer_floor, failures
    assert b_ok / b_n >= abstain_floor, failures
