"""A REPL wired to a fake screen, shared by the REPL and front-end tests (tests/ is on sys.path
under pytest's default import mode, as for ``attack_replay``)."""

from __future__ import annotations

from prompt_toolkit import PromptSession
from prompt_toolkit.input.base import PipeInput
from prompt_toolkit.output import DummyOutput

from myoqa import KnowledgeBase
from myoqa.repl.app import Repl


class Screen:
    """Collects what the REPL writes, as blocks of text."""

    def __init__(self) -> None:
        self.blocks: list[str] = []

    def __call__(self, text: str, style: str) -> None:
        self.blocks.append(text)

    @property
    def text(self) -> str:
        return "\n".join(self.blocks)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def clear(self) -> None:
        self.blocks.clear()


def make_repl(
    kb: KnowledgeBase, pipe: PipeInput, width: int = 80, height: int | None = None
) -> tuple[Repl, Screen]:
    """A colourless REPL reading ``pipe`` and writing to a ``Screen``."""
    screen = Screen()
    session: PromptSession[str] = PromptSession(input=pipe, output=DummyOutput())
    return Repl(kb, session=session, write=screen, color=False, width=width, height=height), screen
