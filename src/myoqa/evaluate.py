"""Score the bot on a JSON Lines file of questions with expected keywords (``myoqa eval``).

Each line holds ``q`` (one question) or ``turns`` (a conversation whose last answer is
scored), and ``expect``: a list of keyword groups, every group needing at least one keyword in
the answer (case-insensitive), or ``null`` when the bot must abstain.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from myoqa.conversation import Conversation
from myoqa.kb import KnowledgeBase
from myoqa.models import Answer


@dataclass(frozen=True)
class Case:
    """One line of an evaluation file."""

    turns: tuple[str, ...]
    expect: tuple[tuple[str, ...], ...] | None
    kind: str = ""
    line: int = 0


@dataclass(frozen=True)
class Outcome:
    """A case, the bot's last answer, and whether it was right."""

    case: Case
    answer: Answer
    correct: bool


@dataclass
class Report:
    """Accuracy on answerable questions and at abstaining, with every failure."""

    outcomes: list[Outcome] = field(default_factory=list)

    def _rate(self, answerable: bool) -> tuple[int, int]:
        group = [o for o in self.outcomes if (o.case.expect is not None) == answerable]
        return sum(o.correct for o in group), len(group)

    @property
    def answerable(self) -> tuple[int, int]:
        return self._rate(True)

    @property
    def abstain(self) -> tuple[int, int]:
        return self._rate(False)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.correct]

    def confident(self, threshold: float = 0.8) -> list[Outcome]:
        """Fact answers given with at least this confidence."""
        return [
            o
            for o in self.outcomes
            if o.answer.found and o.answer.kind == "fact" and o.answer.confidence >= threshold
        ]

    def calibration(
        self, edges: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
    ) -> list[tuple[float, float, int, int]]:
        """(low, high, answered, right) for fact answers by confidence band; the last band is closed."""
        rows = []
        answered = [o for o in self.outcomes if o.answer.found and o.answer.kind == "fact"]
        for low, high in pairwise(edges):
            band = [
                o
                for o in answered
                if low <= o.answer.confidence < high or (high == edges[-1] and o.answer.confidence == high)
            ]
            rows.append((low, high, len(band), sum(o.correct for o in band)))
        return rows

    def as_dict(self) -> dict[str, Any]:
        (a_ok, a_n), (b_ok, b_n) = self.answerable, self.abstain
        return {
            "answerable": {"correct": a_ok, "total": a_n, "accuracy": a_ok / a_n if a_n else None},
            "abstain": {"correct": b_ok, "total": b_n, "accuracy": b_ok / b_n if b_n else None},
            "failures": [
                {
                    "line": o.case.line,
                    "turns": list(o.case.turns),
                    "kind": o.case.kind,
                    "expect": o.case.expect,
                    "got": o.answer.text[:200],
                    "fact_id": o.answer.fact_id,
                    "found": o.answer.found,
                }
                for o in self.failures
            ],
        }


def read_cases(path: Path | str) -> list[Case]:
    """Parse an evaluation file; raise ``ValueError`` naming the line of any malformed entry."""
    cases = []
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
            turns = (item["q"],) if "q" in item else tuple(item["turns"])
            expect = item["expect"]
            groups = None if expect is None else tuple(tuple(str(k) for k in g) for g in expect)
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(
                f"{path}:{number}: not a valid case ({exc}); need 'q' or 'turns', and 'expect'"
            ) from exc
        if not turns or not all(isinstance(t, str) for t in turns):
            raise ValueError(f"{path}:{number}: 'q'/'turns' must be text")
        cases.append(Case(turns=turns, expect=groups, kind=str(item.get("kind", "")), line=number))
    return cases


def is_correct(answer: Answer, expect: tuple[tuple[str, ...], ...] | None) -> bool:
    """Right when it abstains on an abstain case, or answers with every keyword group present."""
    if expect is None:
        return not answer.found
    text = answer.text.casefold()
    return answer.found and all(any(k.casefold() in text for k in group) for group in expect)


def evaluate(cases: list[Case], kb: KnowledgeBase) -> Report:
    """Run every case through a fresh conversation and score its last answer."""
    report = Report()
    for case in cases:
        chat = Conversation(kb)
        answer = None
        for turn in case.turns:
            answer = chat.ask(turn)
        assert answer is not None
        report.outcomes.append(Outcome(case, answer, is_correct(answer, case.expect)))
    return report
