"""Answer a file of questions in parallel and write JSON Lines (one Answer per line).

Run: python examples/batch.py questions.txt > answers.jsonl   (or with no file: a demo list)
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

from myoqa import answer

DEMO = [
    "what is calcification",
    "heterotopic osification after hip replacement",
    "how is FOP treated",
    "who wrote hamlet",
]


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if args:
        # A Latin-1 or binary line is still asked, with U+FFFD for the bytes that are not UTF-8.
        with open(args[0], encoding="utf-8", errors="replace") as handle:
            questions = [line.strip() for line in handle if line.strip()]
    else:
        questions = DEMO
    # answer() is thread-safe; map keeps the input order.
    with ThreadPoolExecutor(max_workers=4) as pool:
        for reply in pool.map(answer, questions):
            print(reply.model_dump_json(exclude={"why"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
