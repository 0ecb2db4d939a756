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

from myoqa.conversation import Conversation, pick_number
from myoqa.kb import KnowledgeBase
from myoqa.layout import item
from myoqa.models import Answer
from myoqa.render import answering, sources_heading, urgent_first, wrap
from myoqa.repl.commands import dispatch, is_quit
from myoqa.repl.completer import build_completer
from myoqa.repl.history import BoundedFileHistory, history_path, open_history

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
        height: int | None = None,
        history: History | None = None,
    ) -> None:
        self.kb = kb
        self.chat = Conversation(kb)
        self.color = color if color is not None else not os.environ.get("NO_COLOR")
        self._width = width
        self._height = height
        self._write = write or self._print
        self._more: list[tuple[str, str]] = []  # the rest of a block taller than the screen
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

    @property
    def height(self) -> int:
        """Rows of the terminal: a block taller than this is shown in parts (``/more``)."""
        if self._height is not None:
            return self._height
        return shutil.get_terminal_size((80, 24)).lines

    def _print(self, text: str, style: str) -> None:
        if self.color and style:
            print_formatted_text(FormattedText([(style, text)]), style=STYLE)
        else:
            print(text)

    def say(self, text: str, style: str = "") -> None:
        """Write a block of text to the user."""
        self._write(text, style)

    def offer(self, choices: list[tuple[str, str]]) -> None:
        """Show numbered choices (fact id, question) and put them on offer in the conversation,
        which alone decides what a typed number picks. A list taller than the screen (a big
        topic) shows its first part; ``/more`` shows the rest, and every number still picks."""
        self.chat.offer(choices)
        self._page([(self._numbered(choices), "class:number")], question_rows=2)  # command + heading

    def _numbered(self, choices: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str:
        width = len(str(len(choices)))
        return "\n".join(
            item(f"{i:>{width}}.", question, self.width) for i, (_, question) in enumerate(choices, 1)
        )

    def clear(self) -> None:
        """Clear the screen and the conversation."""
        self.chat.reset()
        self._more = []
        if self._write == self._print and sys.stdout.isatty():
            print("\033[2J\033[H", end="", flush=True)
        self.say("Conversation cleared.", "class:hint")

    def banner(self) -> None:
        """The title, the size of the knowledge base and its note (ours: the medical disclaimer),
        all from the knowledge base's own ``about.yaml``."""
        about = self.kb.about
        facts, topics = len(self.kb), len(self.kb.topics)
        self.say(wrap(about.title, self.width), "class:heading")
        self.say(
            wrap(
                f"{facts} referenced answers in {topics} topics. Type a question, /help for commands, Ctrl-D to quit.",
                self.width,
            ),
            "class:hint",
        )
        self.say(wrap(about.banner, self.width), "class:hint")

    def show(self, answer: Answer, *, asked: str | None = None) -> None:
        """Render an answer: what it answers, urgent note, text, choices, sources, follow-ups.

        ``asked`` is what the user typed; a block taller than the screen is shown in parts."""
        blocks: list[tuple[str, str]] = [("", "")]
        header = answering(answer.question if asked is None else asked, answer)
        if header:
            blocks.append((wrap(header, self.width), "class:heading"))
        advice, text = urgent_first(answer)
        if advice:  # first, and marked in words: colour only adds to it
            blocks.append((wrap(advice, self.width), "class:urgent"))
        if text:
            blocks.append((wrap(text, self.width), ""))
        if answer.suggestions:
            blocks.append((self._numbered(self.chat.choices), "class:number"))
            blocks.append(
                (wrap("Type a number to pick one, or ask in other words.", self.width), "class:hint")
            )
        else:
            if answer.sources:
                titles = "; ".join(s.title for s in answer.sources)
                heading = sources_heading(answer)
                blocks.append((wrap(f"{heading}: {titles} (/sources for links)", self.width), "class:source"))
            if answer.related:
                blocks.append(("Related (type a number):", "class:heading"))
                blocks.append((self._numbered(self.chat.choices), "class:number"))
        blocks.append(("", ""))
        question_rows = 1 + len("myoqa> " + (asked or answer.question)) // max(self.width, 1)
        self._page(blocks, question_rows)

    def _page(self, blocks: list[tuple[str, str]], question_rows: int = 1) -> None:
        """Write ``blocks``; when they do not fit under the question, write what fits and keep
        the rest for ``/more``, so the question stays on screen."""
        room = self.height - question_rows - 1  # the next prompt needs a row too
        total = sum(_rows(text) for text, _ in blocks)
        self._more = []
        fits = total <= room
        if not fits:
            room = max(room - 1, 3)  # one row for the hint
        for index, (text, style) in enumerate(blocks):
            rows = _rows(text)
            if not fits and rows > room:  # this block crosses the bottom of the screen
                lines = text.split("\n")
                if room:
                    self.say("\n".join(lines[:room]), style)
                self._more = [("\n".join(lines[room:]), style), *blocks[index + 1 :]]
                break
            self.say(text, style)
            room -= rows
        if self._more:
            left = sum(_rows(text) for text, _ in self._more)
            self.say(f"({left} more lines: type /more to see them)", "class:hint")

    def more(self) -> None:
        """Show the next part of a block that did not fit on the screen."""
        if not self._more:
            self.say("There is nothing more to show.", "class:hint")
            return
        rest, self._more = self._more, []
        self._page(rest)

    def handle(self, line: str) -> bool:
        """Act on one line of input. Returns False when the user wants to leave."""
        text = line.strip()
        if not text:
            return True
        if text.startswith("/"):
            return dispatch(self, text)
        if is_quit(text):
            return False
        choices = self.chat.choices  # the conversation alone knows what a number picks
        number = pick_number(text, len(choices)) if len(text) < 40 else None
        if number is not None and not choices:
            self.say("There are no numbered choices to pick from yet; ask a question first.", "class:hint")
            return True
        if number is not None and not 1 <= number <= len(choices):
            self.say(f"Pick a number from 1 to {len(choices)}.", "class:hint")
            return True
        self.show(self.chat.ask(text), asked=text)
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


def _rows(text: str) -> int:
    """Screen rows a block of already wrapped text takes (an empty block is a blank row)."""
    return text.count("\n") + 1


def run_repl(kb: KnowledgeBase, *, history_file: str | None = None, keep_history: bool = True) -> int:
    """Start the REPL on the terminal; ``keep_history=False`` writes nothing to disk."""
    history = open_history(
        Path(history_file) if history_file else None, lambda m: print(m, file=sys.stderr), keep=keep_history
    )
    return Repl(kb, history=history).run()
