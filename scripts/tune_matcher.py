"""Fit the matcher's few constants on some evaluation files and report on others.

The constants that carry measurable weight (see the docstrings in ``myoqa.analysis``,
``myoqa.matching`` and ``myoqa.decide``) are tried over a grid; each setting is scored on the
``--fit`` files (right answers plus right refusals, minus wrong answers given) and reported on the
``--report`` files, which the choice never looks at. Run from a clone, after the README's install:

    .venv/bin/python scripts/tune_matcher.py \\
        --fit tests/data/golden.jsonl tests/data/golden_b.jsonl \\
        --report tests/data/golden_c.jsonl tests/data/blind_real.jsonl \\
        --grid matching.ASPECT_MISS=0.7,0.85,1.0 matching.ASPECT_UNIT=0,1,1.5

Then ``myoqa eval --calibration FILE`` on a report file shows how confidence bands hold there.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import sys
from pathlib import Path

from myoqa import KnowledgeBase
from myoqa.evaluate import Report, evaluate, read_cases


def _score(report: Report) -> tuple[int, str]:
    (a_ok, a_n), (b_ok, b_n) = report.answerable, report.abstain
    given = [o for o in report.outcomes if o.answer.found and o.answer.kind == "fact"]
    wrong = sum(not o.correct for o in given)
    line = (
        f"{100 * a_ok / max(a_n, 1):.0f}% answered right, {100 * b_ok / max(b_n, 1):.0f}% declined right, "
        f"{100 * wrong / max(len(given), 1):.0f}% of answers wrong"
    )
    return a_ok + b_ok - wrong, line


def _grid(specs: list[str]) -> list[tuple[str, str, list[float]]]:
    out = []
    for spec in specs:
        name, _, values = spec.partition("=")
        module, _, constant = name.rpartition(".")
        if not module or not values:
            raise SystemExit(f"bad --grid entry {spec!r}; write module.CONSTANT=v1,v2")
        out.append((f"myoqa.{module}", constant, [float(v) for v in values.split(",")]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fit", nargs="+", type=Path, required=True)
    parser.add_argument("--report", nargs="+", type=Path, default=[])
    parser.add_argument("--grid", nargs="+", default=[], help="module.CONSTANT=v1,v2,...")
    parser.add_argument("--knowledge", type=Path, default=None)
    args = parser.parse_args(argv)
    fit = [read_cases(p) for p in args.fit]
    report = [read_cases(p) for p in args.report]
    grid = _grid(args.grid)
    modules = [importlib.import_module(m) for m, _, _ in grid]
    best: tuple[int, tuple[float, ...]] | None = None
    for values in itertools.product(*(v for _, _, v in grid)):
        for module, (_, constant, _), value in zip(modules, grid, values, strict=True):
            setattr(module, constant, value)
        kb = KnowledgeBase.load(args.knowledge)  # rebuilt: some constants shape the index
        fit_total = 0
        lines = []
        for cases in fit:
            total, line = _score(evaluate(cases, kb))
            fit_total += total
            lines.append(line)
        shown = ", ".join(f"{c}={v:g}" for (_, c, _), v in zip(grid, values, strict=True)) or "as shipped"
        print(f"{shown}: fit {fit_total}  [{' | '.join(lines)}]")
        for path, cases in zip(args.report, report, strict=True):
            print(f"    report {path.name}: {_score(evaluate(cases, kb))[1]}")
        if best is None or fit_total > best[0]:
            best = (fit_total, values)
    if best is not None and grid:
        chosen = ", ".join(f"{c}={v:g}" for (_, c, _), v in zip(grid, best[1], strict=True))
        print(f"best on the fit files: {chosen} (fit {best[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
