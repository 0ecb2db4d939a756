"""Perturbed MedQuAD questions, split in two: fit on one half, report on the other.

``myoqa bench`` reports one sample; a change tuned on what it reports is measured on its own
training data. This script samples ``--sample`` answered MedQuAD pairs (``--seed``), perturbs
each question as the bench does (one typo, one word outside the focus dropped), and reports
right, wrong among the answers given, declined, and how often answers at confidence 0.8 or more
are right, for the fit half (even positions) and the report half (odd positions) apart.
``--show fit`` lists the fit half's wrong answers and misses, to study their causes. Run from a
clone, after the README's install:

    .venv/bin/python scripts/perturbed_medquad.py [--sample 2000] [--seed 2026] [--show fit]

A right answer is a fact whose question is the one perturbed (MedQuAD repeats some questions
word for word across its sources; any of those copies is right), as in the bench.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from myoqa.benchscale import MEDQUAD_DIR, perturb
from myoqa.importers import pair_fact, read_medquad
from myoqa.kb import KnowledgeBase
from myoqa.normalize import normalize


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--medquad", type=Path, default=MEDQUAD_DIR / "medquad.jsonl.gz")
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--show", choices=("fit", "report"), help="list this half's wrong answers and misses")
    args = parser.parse_args()
    pairs = [p for p in read_medquad(args.medquad) if p.answer is not None]
    kb = KnowledgeBase.from_facts([pair_fact(p) for p in pairs])
    question_of = {f.id: normalize(f.question) for f in kb.facts}
    rng = random.Random(args.seed)
    chosen = rng.sample(pairs, min(args.sample, len(pairs)))
    tallies = {
        "fit": [0, 0, 0, 0, 0],
        "report": [0, 0, 0, 0, 0],
    }  # right, wrong, declined, >=0.8, right >=0.8
    for position, pair in enumerate(chosen):
        asked = perturb(pair.question, pair.focus, rng)  # every pair, so both halves see the same rng
        half = "fit" if position % 2 == 0 else "report"
        reply = kb.answer(asked)
        tally = tallies[half]
        if reply.kind == "fact" and reply.fact_id is not None:
            right = question_of[reply.fact_id] == normalize(pair.question)
            tally[0 if right else 1] += 1
            if reply.confidence >= 0.8:
                tally[3] += 1
                tally[4] += right
        else:
            tally[2] += 1
            right = False
        if half == args.show and not right:
            fact = kb.get(reply.fact_id) if reply.fact_id else None
            got = fact.question if fact is not None else reply.kind
            print(f"{pair.question}\n    asked {asked!r} -> {got} ({reply.confidence:.2f})")
    for half, (hits, misses, declined, sure, sure_right) in tallies.items():
        total = hits + misses + declined
        print(
            f"{half:<6} {total} questions: right {100 * hits / max(total, 1):.1f}%, wrong among answers given "
            f"{100 * misses / max(hits + misses, 1):.1f}%, declined {declined}; confidence >= 0.8: "
            f"{sure_right}/{sure} right ({100 * sure_right / max(sure, 1):.1f}%)"
        )


if __name__ == "__main__":
    main()
