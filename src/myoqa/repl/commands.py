"""Slash commands in one registry; ``/help`` is generated from it, so it never goes stale."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from myoqa.render import render_why

if TYPE_CHECKING:
    from myoqa.repl.app import Repl

Handler = Callable[["Repl", str], bool]
"""A command gets the REPL and its argument text; it returns False to end the session."""


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


def unique_commands() -> list[Command]:
    """Each command once, in registration order."""
    return list({id(c): c for c in COMMANDS.values()}.values())


def dispatch(repl: Repl, line: str) -> bool:
    """Run a slash command line; unknown commands get a hint. Returns False to quit."""
    name, _, argument = line.strip().partition(" ")
    entry = COMMANDS.get(name.lower())
    if entry is None:
        close = [c.name for c in unique_commands() if c.name.startswith(name[:2].lower())]
        hint = f" Did you mean {close[0]}?" if close and len(name) > 1 else ""
        repl.say(f"Unknown command {name!r}.{hint} Type /help to see the commands.", "class:error")
        return True
    return entry.handler(repl, argument.strip())


@command("/help", "Show the commands and how to ask questions.", aliases=("/?",))
def _help(repl: Repl, argument: str) -> bool:
    lines = [
        "Ask a question in your own words, e.g. \u201cwhat causes myositis ossificans\u201d.",
        "Type a number to pick one of the numbered follow-ups or suggestions.",
        "",
        "Commands:",
    ]
    for c in unique_commands():
        usage = f"{c.name} {c.argument}".strip()
        lines.append(f"  {usage:<16} {c.help}")
    lines += [
        "",
        "Keys: Tab completes, Up/Down browse history, Ctrl-R searches it, Ctrl-C clears the line, Ctrl-D quits.",
    ]
    repl.say("\n".join(lines))
    return True


@command("/topics", "List the topics the knowledge base covers.")
def _topics(repl: Repl, argument: str) -> bool:
    for i, topic in enumerate(repl.kb.topics, 1):
        count = sum(f.topic == topic for f in repl.kb.facts)
        repl.say(f"  {i:>2}. {topic} ({count} questions)")
    repl.say("Type /topic NAME (or its number) to list its questions.", "class:hint")
    return True


@command("/topic", "List the questions of one topic (name, part of it, or number).", argument="NAME")
def _topic(repl: Repl, argument: str) -> bool:
    topics = repl.kb.topics
    if not argument:
        repl.say("Which topic? For example: /topic FOP. Type /topics for the list.", "class:error")
        return True
    chosen = None
    if argument.isascii() and argument.isdigit() and 1 <= int(argument) <= len(topics):  # not "²"
        chosen = topics[int(argument) - 1]
    else:
        matches = [t for t in topics if argument.casefold() in t.casefold()]
        chosen = matches[0] if matches else None
    if chosen is None:
        repl.say(f"No topic matches {argument!r}. Type /topics for the list.", "class:error")
        return True
    facts = [f for f in repl.kb.facts if f.topic == chosen]
    repl.say(chosen, "class:heading")
    repl.offer([(f.id, f.question) for f in facts])
    return True


@command("/sources", "Show the sources of the last answer.")
def _sources(repl: Repl, argument: str) -> bool:
    last = repl.chat.last
    if last is None or not last.sources:
        repl.say("The last answer has no sources to show. Ask a question first.", "class:hint")
        return True
    for s in last.sources:
        repl.say(f"  - {s.title}\n    {s.url}")
    return True


@command("/why", "Explain how the last answer was chosen.")
def _why(repl: Repl, argument: str) -> bool:
    last = repl.chat.last
    if last is None:
        repl.say("Ask a question first; /why then explains the match.", "class:hint")
        return True
    repl.say(render_why(last.why))
    return True


@command("/related", "Show follow-up questions to the last answer again.")
def _related(repl: Repl, argument: str) -> bool:
    last = repl.chat.last
    if last is None or not last.related:
        repl.say("No follow-up questions for the last answer.", "class:hint")
        return True
    repl.offer([(r.id, r.question) for r in last.related])
    return True


@command("/clear", "Clear the screen and forget the conversation so far.")
def _clear(repl: Repl, argument: str) -> bool:
    repl.clear()
    return True


@command("/quit", "Leave myoqa (Ctrl-D does the same).", aliases=("/exit", "/q"))
def _quit(repl: Repl, argument: str) -> bool:
    return False
