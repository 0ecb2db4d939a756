"""Recognise greetings, thanks and questions about the bot, before any fact is matched."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from myoqa.models import SmallTalk
from myoqa.normalize import normalize

MIN_SIMILARITY = 86.0


class SmallTalkMatcher:
    """Matches a whole short utterance ("hi there", "thanks!") against known patterns."""

    def __init__(self, items: Sequence[SmallTalk]) -> None:
        self._patterns: list[str] = []
        self._items: list[SmallTalk] = []
        for item in items:
            for pattern in item.patterns:
                self._patterns.append(normalize(pattern))
                self._items.append(item)

    def match(self, normalized: str) -> SmallTalk | None:
        """Return the small-talk item the utterance is, or None when it is a real question."""
        if not normalized or len(normalized) > 60 or not self._patterns:
            return None
        best = process.extractOne(normalized, self._patterns, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY)
        return None if best is None else self._items[best[2]]
