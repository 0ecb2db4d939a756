"""A multi-user chat bot: one Conversation per user, one shared, immutable knowledge base.

Follow-ups ("how is it treated?") resolve against each user's own last subject, and a user can
answer with a number to pick a suggested follow-up. Threads are safe: the knowledge base never
changes after loading, and each Conversation belongs to one user.

Run: python examples/chat_bot.py
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
        lines = [answer.text]
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
    ]
    for user, message in script:
        print(f"[{user}] {message}\n{bot.reply(user, message)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
