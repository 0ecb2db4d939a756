"""The interactive chat: one loop, one place that catches errors, edges that behave.

``Repl`` takes its prompt session and its writer as parameters, which is what lets the tests
drive it through prompt-toolkit's pipe input without a terminal.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import History, InMemoryHistory
from prompt_toolkit.styles import Style

from myoqa.conversation import Conversation
from myoqa.kb import KnowledgeBase
from myoqa.models import Answer
from myoqa.render import sources_heading, urgent_first, wrap
from myoqa.repl.commands import dispatch
from myoqa.repl.completer import build_completer
from myoqa.repl.history import BoundedFileHistory, history_path, open_history

DISCLAIMER = (
    "myoqa gives general information from referenced sources. It is not medical advice and "
    "cannot diagnose you; for your own symptoms see a clinician, and for sudden or severe "
    "symptoms seek urgent care."
)
STYLE = Style.from_dict(
    {
        "prompt": "ansicyan bold",
        "heading": "bold",
        "hint": "ansibrightblack",
        "error": "ansired",
        "urgent": "ansired bold",
        "number": "ansicyan",
        "source": "ansibrightblack",
    }
)

Writer = Callable[[str, str], None]


__all__ = ["Repl", "history_path", "open_history", "run_repl"]  # the history helpers live in history.py


class Repl:
    """The chat loop over one ``Conversation``."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        session: PromptSession[str] | None = None,
        write: Writer | None = None,
        color: bool | None = None,
        width: int | None = None,
        history: History | None = None,
    ) -> None:
        self.kb = kb
        self.chat = Conversation(kb)
        self.color = color if color is not None else not os.environ.get("NO_COLOR")
        self._width = width
        self._write = write or self._print
        self.menu: list[tuple[str, str]] = []
        self.session = session or PromptSession(
            history=history or InMemoryHistory(),
            auto_suggest=AutoSuggestFromHistory(),
            completer=build_completer(kb),
            complete_while_typing=False,
            style=STYLE if self.color else None,
            include_default_pygments_style=False,
        )

    @property
    def width(self) -> int:
        if self._width is not None:
            return self._width
        return min(shutil.get_terminal_size((80, 24)).columns, 100) - 1

    def _print(self, text: str, style: str) -> None:
        if self.color and style:
            print_formatted_text(FormattedText([(style, text)]), style=STYLE)
        else:
            print(text)

    def say(self, text: str, style: str = "") -> None:
        """Write a block of text to the user."""
        self._write(text, style)

    def offer(self, choices: list[tuple[str, str]]) -> None:
        """Show numbered choices (fact id, question); typing the number asks that question."""
        self.menu = choices
        for i, (_, question) in enumerate(choices, 1):
            self.say(f"  {i}. {question}", "class:number")

    def clear(self) -> None:
        """Clear the screen and the conversation."""
        self.chat.reset()
        self.menu = []
        if self._write == self._print and sys.stdout.isatty():
            print("\033[2J\033[H", end="", flush=True)
        self.say("Conversation cleared.", "class:hint")

    def banner(self) -> None:
        facts, topics = len(self.kb), len(self.kb.topics)
        self.say(
            "myoqa: questions and answers about calcification and ossification in muscle tissue",
            "class:heading",
        )
        self.say(
            f"{facts} referenced answers in {topics} topics. Type a question, /help for commands, Ctrl-D to quit.",
            "class:hint",
        )
        self.say(wrap(DISCLAIMER, self.width), "class:hint")

    def show(self, answer: Answer) -> None:
        """Render an answer: text, urgent note, choices, sources, follow-ups."""
        self.say("")
        advice, text = urgent_first(answer)
        if advice:  # first, and marked in words: colour only adds to it
            self.say(wrap(advice, self.width), "class:urgent")
        if text:
            self.say(wrap(text, self.width))
        if answer.suggestions:
            self.offer([(s.id, s.question) for s in answer.suggestions])
            self.say("Type a number to pick one, or ask in other words.", "class:hint")
            self.say("")
            return
        if answer.sources:
            titles = "; ".join(s.title for s in answer.sources)
            heading = sources_heading(answer)
            self.say(wrap(f"{heading}: {titles} (/sources for links)", self.width), "class:source")
        if answer.related:
            self.say("Related (type a number):", "class:heading")
            self.offer([(r.id, r.question) for r in answer.related])
        else:
            self.menu = []
        self.say("")

    def handle(self, line: str) -> bool:
        """Act on one line of input. Returns False when the user wants to leave."""
        text = line.strip()
        if not text:
            return True
        if text.startswith("/"):
            return dispatch(self, text)
        if text.isascii() and text.isdigit() and len(text) <= 2:  # "²" and "①" pass isdigit(), not int()
            number = int(text)
            if not self.menu:
                self.say(
                    "There are no numbered choices to pick from yet; ask a question first.", "class:hint"
                )
            elif not 1 <= number <= len(self.menu):
                self.say(f"Pick a number from 1 to {len(self.menu)}.", "class:hint")
            else:
                fact_id, question = self.menu[number - 1]
                self.say(question, "class:heading")
                self.show(self.chat.select(fact_id, question=question))
            return True
        self.show(self.chat.ask(text))
        return True

    def run(self) -> int:
        """Read, answer, repeat, until /quit or Ctrl-D. Returns the exit status."""
        self.banner()
        while True:
            try:
                line = self.session.prompt([("class:prompt", "myoqa> ")])
            except KeyboardInterrupt:
                continue  # Ctrl-C clears the line, as in every shell.
            except EOFError:
                break
            history = self.session.history
            if isinstance(history, BoundedFileHistory):
                for warning in history.take_warnings():  # e.g. the disk is full: say so, go on
                    self.say(warning, "class:error")
            try:
                if not self.handle(line):
                    break
            except KeyboardInterrupt:  # Ctrl-C while an answer is computed or printed: back to the prompt
                self.say("(interrupted)", "class:hint")
            except Exception as exc:  # Don't crash the REPL on our own bugs; say so and go on.
                self.say(
                    f"internal error: {type(exc).__name__}: {exc}. Please report it; you can keep asking.",
                    "class:error",
                )
        self.say("Goodbye.", "class:hint")
        return 0


def run_repl(kb: KnowledgeBase, *, history_file: str | None = None, keep_history: bool = True) -> int:
    """Start the REPL on the terminal; ``keep_history=False`` writes nothing to disk."""
    history = open_history(
        Path(history_file) if history_file else None, lambda m: print(m, file=sys.stderr), keep=keep_history
    )
    return Repl(kb, history=history).run()
