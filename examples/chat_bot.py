"""A multi-user chat bot: one Conversation per user, one shared, immutable knowledge base.

Follow-ups ("how is it treated?") resolve against each user's own last subject, and a user can
answer with a number to pick a suggested follow-up. Threads are safe: the knowledge base never
changes after loading, and each Conversation belongs to one user.

Each reply shows what a bot must not drop: urgent advice first and marked, which question was
answered when the user's words were different, and the sources.

Run it from the clone after the README's quick start (which installs myoqa into .venv;
the system `python` has no myoqa):

    .venv/bin/python examples/chat_bot.py
"""

from __future__ import annotations

import sys
import threading

from myoqa.conversation import Conversation


class ChatBot:
    """Routes each user's messages to that user's conversation."""

    def __init__(self) -> None:
        self._chats: dict[str, Conversation] = {}
        self._lock = threading.Lock()

    def reply(self, user: str, message: str) -> str:
        with self._lock:
            chat = self._chats.setdefault(user, Conversation())
        answer = chat.ask(message)
        lines = []
        if answer.kind == "urgent":  # triage: the whole answer is the advice (call for help now, ...)
            lines.append(f"URGENT ({answer.severity}): {answer.text}")
        else:
            if answer.urgent:  # a fact about a sign that needs prompt care: say so first
                lines.append(
                    "URGENT: if this describes you or someone you care for now, seek medical care promptly."
                )
            asked = message.casefold().strip(" ?.!")
            if answer.matched_question and answer.matched_question.casefold().strip(" ?.!") != asked:
                lines.append(f"Answering: {answer.matched_question}")  # the user sees what was understood
            lines.append(answer.text)
        if answer.sources:
            lines.append("Sources:")
            lines += [f"  - {s.title} <{s.url}>" for s in answer.sources]
        for number, (_, question) in enumerate(chat.choices, 1):
            lines.append(f"{number}. {question}")
        return "\n".join(lines)


def main() -> int:
    bot = ChatBot()
    script = [
        ("ana", "What is myositis ossificans?"),
        ("ben", "tell me about FOP"),
        ("ana", "How is it treated?"),
        ("ben", "is it inherited?"),
        ("ana", "1"),
        ("cai", "my calf is suddenly swollen red and hot after my operation"),
    ]
    for user, message in script:
        print(f"[{user}] {message}\n{bot.reply(user, message)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
