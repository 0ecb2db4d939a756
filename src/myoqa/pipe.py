"""Piped input: one question per line in, one answer block (or JSON line) out, no terminal UI."""

from __future__ import annotations

import json
import os
from typing import TextIO

from myoqa.conversation import Conversation
from myoqa.kb import KnowledgeBase
from myoqa.layout import fill, item
from myoqa.render import render_answer
from myoqa.repl.commands import dispatch, is_quit
from myoqa.streams import json_line, speaks_unicode

DEFAULT_WIDTH = 80


def pipe_width() -> int:
    """``$COLUMNS`` when it is set to a number (a script may want narrow or wide text), else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return DEFAULT_WIDTH
    return columns if columns > 0 else DEFAULT_WIDTH


class PipeHost:
    """Runs the REPL's slash commands in piped mode: their text is collected, then written as
    a text block or, with ``--json``, as one JSON line ``{"command": ..., "text": ...}``."""

    def __init__(self, kb: KnowledgeBase, chat: Conversation, width: int) -> None:
        self.kb = kb
        self.chat = chat
        self._width = width
        self.output: list[str] = []

    @property
    def width(self) -> int:
        return self._width

    def say(self, text: str, style: str = "") -> None:
        self.output.append(text)

    def offer(self, choices: list[tuple[str, str]]) -> None:
        self.chat.offer(choices)
        self.output.extend(item(f"{i}.", q, self._width) for i, (_, q) in enumerate(choices, 1))

    def clear(self) -> None:
        self.chat.reset()
        self.say("Conversation cleared.")

    def more(self) -> None:
        self.say("There is nothing more to show: piped output is never cut.")


def run_pipe(kb: KnowledgeBase, stdin: TextIO, stdout: TextIO, *, as_json: bool = False) -> int:
    """Answer each non-blank line of ``stdin`` in one conversation; return the exit status.

    Lines starting with ``/`` run the REPL's commands; ``/quit``, ``quit`` or ``exit`` stop."""
    chat = Conversation(kb)
    width = pipe_width()
    first = True
    for line in stdin:
        question = line.strip()
        if not question:
            continue
        if not as_json:
            stdout.write(("" if first else "\n") + fill(question, width, indent="> ") + "\n")
        first = False
        if is_quit(question):
            break
        if question.startswith("/"):
            host = PipeHost(kb, chat, width)
            go_on = dispatch(host, question)
            text = "\n".join(host.output)
            if as_json:
                if text:
                    row = {"command": question.split()[0].lower(), "text": text}
                    stdout.write(json.dumps(row, ensure_ascii=not speaks_unicode(stdout)) + "\n")
            elif text:
                stdout.write(text + "\n")
            stdout.flush()
            if not go_on:
                break
            continue
        answer = chat.ask(question)
        if as_json:
            stdout.write(json_line(answer, stdout, exclude={"why"}) + "\n")
        else:
            stdout.write(render_answer(answer, width=width, numbered=True, asked=question) + "\n")
        stdout.flush()
    return 0
