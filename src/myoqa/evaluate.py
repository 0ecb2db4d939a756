"""Score the bot on a JSON Lines file of questions with expected keywords (``myoqa eval``).

Each line holds ``q`` (one question) or ``turns`` (a conversation whose last answer is
scored), and ``expect``: a list of keyword groups, every group needing at least one keyword in
the answer (case-insensitive), or ``null`` when the bot must abstain. ``kind`` is an optional
label for the report. Anything else on a line is a mistake, named with file:line.
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
    def wrong_answers(self) -> tuple[int, int]:
        """(answers given that are wrong, answers given): an answer to a question it had to
        decline, or one without the expected keywords. A medical bot is judged on this as much
        as on its right answers: "I don't know" is better than a wrong fact."""
        given = [o for o in self.outcomes if o.answer.found]
        return sum(not o.correct for o in given), len(given)

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

    @property
    def overall(self) -> float:
        """The share of all cases scored right, as a percentage (100 for no cases)."""
        return 100 * sum(o.correct for o in self.outcomes) / len(self.outcomes) if self.outcomes else 100.0

    def as_dict(self) -> dict[str, Any]:
        (a_ok, a_n), (b_ok, b_n) = self.answerable, self.abstain
        w_n, g_n = self.wrong_answers
        return {
            "answerable": {"correct": a_ok, "total": a_n, "accuracy": a_ok / a_n if a_n else None},
            "abstain": {"correct": b_ok, "total": b_n, "accuracy": b_ok / b_n if b_n else None},
            "wrong_answers": {"wrong": w_n, "given": g_n, "share": w_n / g_n if g_n else None},
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


CASE_FIELDS = ("q", "turns", "expect", "kind")
NOTE_FIELDS = ("topic", "note", "id", "source")
"""Annotations a case may carry for its writer (the shared dev set has ``topic``); never scored."""
MAX_LINE_BYTES = 64 * 1024
"""A case is one question or a short conversation; a longer line is a mistake (or /dev/zero)."""


def read_cases(path: Path | str) -> list[Case]:
    """Parse an evaluation file line by line; raise ``ValueError`` naming the line of any bad entry.

    Lines are read one at a time with a length limit, so an endless or binary file fails at its
    first line instead of being read into memory whole.
    """
    cases = []
    with Path(path).open("rb") as handle:
        for number, raw in enumerate(iter(lambda: handle.readline(MAX_LINE_BYTES + 1), b""), 1):
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                raise ValueError(
                    f"{path}:{number}: line is longer than {MAX_LINE_BYTES} bytes; put one case per line"
                )
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(
                    f"{path}:{number}: not UTF-8 text ({exc.reason} at byte {exc.start})"
                ) from exc
            if text.strip():
                cases.append(_case(text, f"{path}:{number}", number))
    return cases


def _case(text: str, where: str, number: int) -> Case:
    """One line as a Case, every field checked for its type (a string is not a list of strings)."""
    try:
        item = json.loads(text)
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise ValueError(f"{where}: not valid JSON ({reason})") from exc
    if not isinstance(item, dict):
        raise ValueError(f"{where}: a case must be a JSON object with 'q' or 'turns', and 'expect'")
    unknown = [str(key) for key in item if key not in CASE_FIELDS and key not in NOTE_FIELDS]
    if unknown:
        fields = ", ".join((*CASE_FIELDS, *NOTE_FIELDS))
        raise ValueError(f"{where}: unknown field {unknown[0]!r}; a case has only {fields}")
    if ("q" in item) == ("turns" in item):
        raise ValueError(f"{where}: give exactly one of 'q' (a question) or 'turns' (a list of questions)")
    if "q" in item:
        if not isinstance(item["q"], str) or not item["q"].strip():
            raise ValueError(f"{where}: 'q' must be a non-empty string")
        turns: tuple[str, ...] = (item["q"],)
    else:
        raw_turns = item["turns"]
        if (
            not isinstance(raw_turns, list)
            or not raw_turns
            or not all(isinstance(t, str) and t.strip() for t in raw_turns)
        ):
            raise ValueError(
                f'{where}: \'turns\' must be a non-empty list of strings, e.g. ["what is FOP", "is it rare?"]'
            )
        turns = tuple(raw_turns)
    if "expect" not in item:
        raise ValueError(
            f"{where}: 'expect' is missing; give keyword groups, or null when the bot must abstain"
        )
    expect = item["expect"]
    groups = None
    if expect is not None:
        ok = (
            isinstance(expect, list)
            and bool(expect)  # [] would score every answer right
            and all(
                isinstance(g, list) and g and all(isinstance(k, str) and k.strip() for k in g) for g in expect
            )
        )
        if not ok:
            raise ValueError(
                f"{where}: 'expect' must be null or a non-empty list of keyword groups, each a non-empty "
                'list of strings, e.g. [["bone"], ["calcium", "mineral"]]'
            )
        groups = tuple(tuple(g) for g in expect)
    kind = item.get("kind", "")
    if not isinstance(kind, str):
        raise ValueError(f"{where}: 'kind' must be a string")
    return Case(turns=turns, expect=groups, kind=kind, line=number)


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
