"""The smallest embedding: answer a question from Python and print what a bot would show.

Run it from the clone after the README's quick start (which installs myoqa into .venv;
the system `python` has no myoqa):

    .venv/bin/python examples/ask.py "what is myositis ossificans"
"""

from __future__ import annotations

import sys

from myoqa import answer


def main(argv: list[str] | None = None) -> int:
    question = " ".join(argv if argv is not None else sys.argv[1:]) or "what is heterotopic ossification"
    reply = answer(question)
    print(reply.text)
    if reply.found:
        for source in reply.sources:
            print(f"  source: {source.title} <{source.url}>")
    for suggestion in reply.suggestions:
        print(f"  did you mean: {suggestion.question}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
