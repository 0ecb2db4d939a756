"""Piped input: one question per line in, one answer block (or JSON line) out, no terminal UI."""

from __future__ import annotations

from typing import TextIO

from myoqa.conversation import Conversation
from myoqa.kb import KnowledgeBase
from myoqa.render import render_answer
from myoqa.streams import json_line


def run_pipe(kb: KnowledgeBase, stdin: TextIO, stdout: TextIO, *, as_json: bool = False) -> int:
    """Answer each non-blank line of ``stdin`` in one conversation; return the exit status."""
    chat = Conversation(kb)
    first = True
    for line in stdin:
        question = line.strip()
        if not question:
            continue
        answer = chat.ask(question)
        if as_json:
            stdout.write(json_line(answer, stdout, exclude={"why"}) + "\n")
        else:
            if not first:
                stdout.write("\n")
            stdout.write(f"> {question}\n{render_answer(answer, numbered=True)}\n")
        first = False
        stdout.flush()
    return 0
