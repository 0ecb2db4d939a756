"""Slash commands in one registry; ``/help`` is generated from it, so it never goes stale.

The commands run against a ``Host`` (the REPL, or piped mode), so ``myoqa < file`` runs
``/sources`` or ``/quit`` exactly as the chat does. This module never imports prompt-toolkit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from myoqa.layout import columns, fill, item
from myoqa.normalize import normalize
from myoqa.render import render_why

if TYPE_CHECKING:
    from myoqa.conversation import Conversation
    from myoqa.kb import KnowledgeBase


class Host(Protocol):
    """What a command needs of the front end that runs it."""

    kb: KnowledgeBase
    chat: Conversation

    @property
    def width(self) -> int: ...

    def say(self, text: str, style: str = "") -> None: ...

    def offer(self, choices: list[tuple[str, str]]) -> None: ...

    def clear(self) -> None: ...

    def more(self) -> None: ...


Handler = Callable[[Host, str], bool]
"""A command gets its host and its argument text; it returns False to end the session."""

QUIT_WORDS = frozenset({"quit", "exit"})


def is_quit(text: str) -> bool:
    """Whether a line without a slash means "leave" ("quit", "Exit."), as /quit does."""
    return normalize(text) in QUIT_WORDS


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    handler: Handler
    argument: str = ""
    aliases: tuple[str, ...] = ()


COMMANDS: dict[str, Command] = {}


def command(
    name: str, help: str, *, argument: str = "", aliases: tuple[str, ...] = ()
) -> Callable[[Handler], Handler]:
    """Register a slash command under its name and aliases."""

    def register(handler: Handler) -> Handler:
        entry = Command(name, help, handler, argument, aliases)
        for key in (name, *aliases):
            COMMANDS[key] = entry
        return handler

    return register


def _tell(repl: Host, text: str, style: str) -> None:
    repl.say(fill(text, repl.width), style)


def unique_commands() -> list[Command]:
    """Each command once, in registration order."""
    return list({id(c): c for c in COMMANDS.values()}.values())


def dispatch(repl: Host, line: str) -> bool:
    """Run a slash command line; unknown commands get a hint. Returns False to quit."""
    name, _, argument = line.strip().partition(" ")
    entry = COMMANDS.get(name.lower())
    if entry is None:
        close = [c.name for c in unique_commands() if c.name.startswith(name[:2].lower())]
        hint = f" Did you mean {close[0]}?" if close and len(name) > 1 else ""
        repl.say(
            fill(f"Unknown command {name!r}.{hint} Type /help to see the commands.", repl.width),
            "class:error",
        )
        return True
    return entry.handler(repl, argument.strip())


@command("/help", "Show the commands and how to ask questions.", aliases=("/?",))
def _help(repl: Host, argument: str) -> bool:
    width = repl.width
    examples = " or ".join(f"\u201c{e}\u201d" for e in repl.kb.about.help_examples)
    lines = [
        fill(f"Ask a question in your own words, e.g. {examples}.", width),
        fill("Type a number to pick one of the numbered follow-ups or suggestions.", width),
        "",
        "Commands:",
        columns([(f"{c.name} {c.argument}".strip(), c.help) for c in unique_commands()], width),
        "",
        fill(
            "Keys: Tab completes, Up/Down browse history, Ctrl-R searches it, Ctrl-C clears the line, Ctrl-D quits.",
            width,
            hanging="  ",
        ),
    ]
    repl.say("\n".join(lines))
    return True


@command("/topics", "List the topics the knowledge base covers.")
def _topics(repl: Host, argument: str) -> bool:
    topics = repl.kb.topics
    digits = len(str(len(topics)))
    rows = [
        item(
            f"{i:>{digits}}.",
            f"{topic} ({sum(f.topic == topic for f in repl.kb.facts)} questions)",
            repl.width,
        )
        for i, topic in enumerate(topics, 1)
    ]
    repl.say("\n".join(rows))
    repl.say(fill("Type /topic NAME (or its number) to list its questions.", repl.width), "class:hint")
    return True


@command("/topic", "List the questions of one topic (name, part of it, or number).", argument="NAME")
def _topic(repl: Host, argument: str) -> bool:
    topics = repl.kb.topics
    if not argument:
        _tell(repl, "Which topic? For example: /topic FOP. Type /topics for the list.", "class:error")
        return True
    chosen = None
    if argument.isascii() and argument.isdigit() and 1 <= int(argument) <= len(topics):  # not "²"
        chosen = topics[int(argument) - 1]
    else:
        matches = [t for t in topics if argument.casefold() in t.casefold()]
        chosen = matches[0] if matches else None
    if chosen is None:
        _tell(repl, f"No topic matches {argument!r}. Type /topics for the list.", "class:error")
        return True
    facts = [f for f in repl.kb.facts if f.topic == chosen]
    repl.say(fill(chosen, repl.width), "class:heading")
    repl.offer([(f.id, f.question) for f in facts])
    return True


@command("/sources", "Show the sources of the last answer.")
def _sources(repl: Host, argument: str) -> bool:
    last = repl.chat.last
    if last is None:
        _tell(repl, "Ask a question first; /sources then lists the sources of the answer.", "class:hint")
        return True
    if not last.sources:
        _tell(repl, "The last answer has no sources: it did not come from a referenced fact.", "class:hint")
        return True
    for s in last.sources:  # a URL stays whole on its own line, so it stays clickable
        repl.say(f"{item('-', s.title, repl.width)}\n    {s.url}")
    return True


@command("/why", "Explain how the last answer was chosen.")
def _why(repl: Host, argument: str) -> bool:
    last = repl.chat.last
    if last is None:
        _tell(repl, "Ask a question first; /why then explains the match.", "class:hint")
        return True
    repl.say(render_why(last.why, width=repl.width))
    return True


@command("/related", "Show follow-up questions to the last answer again.")
def _related(repl: Host, argument: str) -> bool:
    last = repl.chat.last
    if last is None or not last.related:
        _tell(repl, "No follow-up questions for the last answer.", "class:hint")
        return True
    repl.offer([(r.id, r.question) for r in last.related])
    return True


@command("/more", "Show the rest of an answer too long for the screen.")
def _more(repl: Host, argument: str) -> bool:
    repl.more()
    return True


@command("/clear", "Clear the screen and forget the conversation so far.")
def _clear(repl: Host, argument: str) -> bool:
    repl.clear()
    return True


@command("/quit", "Leave myoqa (Ctrl-D does the same).", aliases=("/exit", "/q"))
def _quit(repl: Host, argument: str) -> bool:
    return False
