"""Tab completion over commands, topics and every known question, fuzzy so "fop treat" works."""

from __future__ import annotations

from collections.abc import Iterable

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from rapidfuzz import fuzz, process

from myoqa.kb import KnowledgeBase
from myoqa.normalize import normalize
from myoqa.repl.commands import unique_commands

MAX_COMPLETIONS = 12
MIN_SCORE = 70.0


class QuestionCompleter(Completer):
    """Completes the whole line: slash commands by prefix, questions by fuzzy similarity."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._commands = [c.name for c in unique_commands()]
        self._topic_lines = [f"/topic {t}" for t in kb.topics]
        self._questions = list(dict.fromkeys(f.question for f in kb.facts))
        self._topics = {f.question: f.topic for f in kb.facts}
        self._normalized = [normalize(q) for q in self._questions]

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        text = document.text_before_cursor
        if text.startswith("/"):
            low = text.lower()
            for option in [*self._commands, *self._topic_lines]:
                if option.lower().startswith(low) and option.lower() != low:
                    yield Completion(option, start_position=-len(text))
            return
        query = normalize(text)
        if len(query) < 2:
            return
        hits = process.extract(
            query, self._normalized, scorer=fuzz.partial_ratio, limit=MAX_COMPLETIONS, score_cutoff=MIN_SCORE
        )
        for _, _, index in hits:
            question = self._questions[index]
            yield Completion(question, start_position=-len(text), display_meta=self._topics[question])


def build_completer(kb: KnowledgeBase) -> Completer:
    """The completer the REPL uses."""
    return QuestionCompleter(kb)
