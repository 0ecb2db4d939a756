"""Recognise greetings, thanks and questions about the bot, before any fact is matched."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from myoqa.models import SmallTalk
from myoqa.normalize import content_words, normalize

MIN_SIMILARITY = 86.0
MAX_WORDS = 8
_PLEASANTRIES = frozenset(
    """
    helpful useful great good nice awesome perfect brilliant cool appreciated appreciate lovely
    much very lot info information answer answers today morning evening day
    """.split()  # noqa: SIM905
)


class SmallTalkMatcher:
    """Matches a whole short utterance ("hi there", "thanks!") against known patterns."""

    def __init__(self, items: Sequence[SmallTalk]) -> None:
        self._patterns: list[str] = []
        self._items: list[SmallTalk] = []
        for item in items:
            for pattern in item.patterns:
                self._patterns.append(normalize(pattern))
                self._items.append(item)
        self._vocabulary = frozenset(w for p in self._patterns for w in p.split()) | _PLEASANTRIES

    def match(self, normalized: str) -> SmallTalk | None:
        """Return the small-talk item the utterance is, or None when it is a real question."""
        if not normalized or len(normalized) > 60 or not self._patterns:
            return None
        best = process.extractOne(normalized, self._patterns, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY)
        return None if best is None else self._items[best[2]]

    def find_within(self, normalized: str) -> SmallTalk | None:
        """The longest pattern said as whole words inside a short utterance ("ok bye",
        "thanks, that was helpful"). Only for utterances that are not about the subject."""
        words = normalized.split()
        if not words or len(words) > MAX_WORDS:
            return None
        padded = f" {normalized} "
        found = [(len(p), i) for i, p in enumerate(self._patterns) if p and f" {p} " in padded]
        if not found:
            return None
        # Everything else said must be small talk too: "thanks, that was helpful" is, but
        # "translate 'good night' into Spanish" is a request we do not serve.
        leftover = content_words(words)
        if any(w not in self._vocabulary for w in leftover):
            return None
        return self._items[max(found)[1]]
