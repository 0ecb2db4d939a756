"""Answer a file of questions in parallel and write JSON Lines (one Answer per line).

Each line stands alone by default. With ``--by-user``, each line is ``USER<Tab>QUESTION`` and
every user keeps one Conversation, so "how is it treated?" follows that user's last subject
(as in a chat log); users are answered in parallel, each user's lines in order.

Run it from the clone after the README's quick start (which installs myoqa into .venv;
the system `python` has no myoqa):

    .venv/bin/python examples/batch.py questions.txt > answers.jsonl   (no file: a demo list)
    .venv/bin/python examples/batch.py --by-user chats.tsv > answers.jsonl
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor

from myoqa import Answer, Conversation, answer

DEMO = [
    "what is calcification",
    "heterotopic osification after hip replacement",
    "how is FOP treated",
    "who wrote hamlet",
]


def read_lines(path: str) -> list[str]:
    # A Latin-1 or binary line is still asked, with U+FFFD for the bytes that are not UTF-8.
    with open(path, encoding="utf-8", errors="replace") as handle:
        return [line.rstrip("\n") for line in handle]


def by_user(path: str) -> int:
    """One Conversation per user; output rows keep the input order and name the user."""
    turns: list[tuple[str, str]] = []
    for number, line in enumerate(read_lines(path), 1):
        if not line.strip():
            continue
        user, tab, question = line.partition("\t")
        if not tab or not user.strip() or not question.strip():
            print(f"{path}:{number}: expected USER<Tab>QUESTION", file=sys.stderr)
            return 2
        turns.append((user.strip(), question.strip()))
    replies: dict[int, Answer] = {}

    def run(user: str) -> None:
        chat = Conversation()  # this user's own context; the knowledge base is shared
        for index, (who, question) in enumerate(turns):
            if who == user:
                replies[index] = chat.ask(question)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(run, dict.fromkeys(user for user, _ in turns)))
    for index, (user, _) in enumerate(turns):
        row = json.loads(replies[index].model_dump_json(exclude={"why"}))
        print(json.dumps({"user": user, **row}, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if args[:1] == ["--by-user"]:
        if len(args) != 2:
            print("usage: batch.py --by-user CHATS.tsv", file=sys.stderr)
            return 2
        return by_user(args[1])
    questions = [line.strip() for line in read_lines(args[0]) if line.strip()] if args else DEMO
    # answer() is thread-safe; map keeps the input order.
    with ThreadPoolExecutor(max_workers=4) as pool:
        for reply in pool.map(answer, questions):
            print(reply.model_dump_json(exclude={"why"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
