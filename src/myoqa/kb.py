"""The knowledge base: facts, synonyms and small talk, immutable once built.

Nothing in a ``KnowledgeBase`` changes after construction, so one instance can answer from
many threads at once without locks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from myoqa.decide import decide, fact_answer
from myoqa.errors import KnowledgeError, Problem
from myoqa.knowledge import default_directory, load_directory
from myoqa.matching import LexicalMatcher, Match, Matcher
from myoqa.models import Answer, Explanation, Fact, RelatedQuestion, SmallTalk
from myoqa.normalize import normalize
from myoqa.question import cut_question
from myoqa.smalltalk import SmallTalkMatcher

MAX_LIMIT = 20


class KnowledgeBase:
    """A validated, immutable set of facts with the matcher built over them."""

    def __init__(
        self,
        facts: Sequence[Fact],
        *,
        synonyms: Mapping[str, Iterable[str]] | None = None,
        smalltalk: Sequence[SmallTalk] = (),
        scope: Sequence[str] = (),
        source: str = "<memory>",
    ) -> None:
        by_id: dict[str, Fact] = {}
        problems: list[Problem] = []
        for fact in facts:
            if not isinstance(fact, Fact):
                raise TypeError(f"facts must be myoqa.Fact objects, got {type(fact).__name__}")
            if fact.id in by_id:
                problems.append(Problem(source, "duplicate id", fact_id=fact.id, field="id"))
            by_id[fact.id] = fact
        for fact in facts:
            for target in fact.related:
                if target not in by_id:
                    problems.append(
                        Problem(source, f"no fact has the id {target!r}", fact_id=fact.id, field="related")
                    )
        if problems:
            raise KnowledgeError(problems, source)
        self._facts = tuple(facts)
        self._by_id = MappingProxyType(by_id)
        self._synonyms = MappingProxyType({k: tuple(v) for k, v in (synonyms or {}).items()})
        self._smalltalk = tuple(smalltalk)
        self._small_matcher = SmallTalkMatcher(self._smalltalk)
        self._scope = tuple(scope)
        self._matcher: Matcher = LexicalMatcher(self._facts, self._synonyms, scope=self._scope)
        self.source = source

    @classmethod
    def load(cls, path: Path | str | None = None) -> KnowledgeBase:
        """Load a knowledge directory (default: $MYOQA_KNOWLEDGE, else the bundled one).

        Raises ``KnowledgeError`` naming every mistake; nothing is half-loaded.
        """
        directory = Path(path) if path is not None else default_directory()
        data = load_directory(directory if path is None else path)  # "" must fail, not mean "."
        return cls(
            data.facts,
            synonyms=data.synonyms,
            smalltalk=data.smalltalk,
            scope=data.scope,
            source=str(directory),
        )

    @classmethod
    def from_facts(
        cls,
        facts: Iterable[Fact],
        *,
        synonyms: Mapping[str, Iterable[str]] | None = None,
        smalltalk: Sequence[SmallTalk] = (),
        scope: Sequence[str] = (),
    ) -> KnowledgeBase:
        """Build a knowledge base in memory, e.g. in tests or for a bot's own facts."""
        return cls(list(facts), synonyms=synonyms, smalltalk=smalltalk, scope=scope)

    @property
    def facts(self) -> tuple[Fact, ...]:
        """Every fact, in file order (files sorted by name)."""
        return self._facts

    @property
    def synonyms(self) -> Mapping[str, tuple[str, ...]]:
        """Canonical term -> variants, as the matcher uses them."""
        return self._synonyms

    @property
    def scope(self) -> tuple[str, ...]:
        """Terms one of which a question must mention to be answered (empty: no such rule)."""
        return self._scope

    @property
    def topics(self) -> tuple[str, ...]:
        """Topic names in the order they first appear."""
        return tuple(dict.fromkeys(f.topic for f in self._facts if f.topic))

    def get(self, fact_id: str) -> Fact | None:
        """The fact with this id, or None."""
        return self._by_id.get(fact_id)

    def __len__(self) -> int:
        return len(self._facts)

    def __contains__(self, fact_id: object) -> bool:
        return fact_id in self._by_id

    def related(self, fact: Fact) -> tuple[RelatedQuestion, ...]:
        """The follow-up questions of a fact, in the order the curator listed them."""
        return tuple(RelatedQuestion(id=r, question=self._by_id[r].question) for r in fact.related)

    def match(self, question: str, *, limit: int = 5, exclude: tuple[str, str] | None = None) -> Match:
        """The raw ranking behind ``answer()``; for explanations and tools."""
        return self._matcher.match(question, limit=limit, exclude=exclude)

    def decide(self, question: str, match: Match) -> Answer:
        """Turn a ranking into an answer, as ``answer()`` does after matching."""
        return decide(question, match, self.related)

    def answer(self, question: str, *, limit: int = 5) -> Answer:
        """Answer one question. Never raises for a ``str``; see ``myoqa.answer``."""
        if not isinstance(question, str):
            raise TypeError(f"question must be a str, got {type(question).__name__}")
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise TypeError(f"limit must be an int, got {type(limit).__name__}")
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
        # Lone surrogates (e.g. from bad decoding) cannot be stored in a str field; replace them.
        question = question.encode("utf-8", "replace").decode("utf-8")
        text = cut_question(question)  # stripped, NFKC-normalised, then cut: every step after is bounded
        normalized = normalize(text)
        small = self._small_matcher.match(normalized)
        if small is not None:
            return self._small_answer(question, normalized, small)
        match = self._matcher.match(text, limit=limit)
        if not match.query.in_scope or not match.query.stems:
            small = self._small_matcher.find_within(normalized)
            if small is not None:
                return self._small_answer(question, normalized, small)
        return decide(question, match, self.related)

    def _small_answer(self, question: str, normalized: str, small: SmallTalk) -> Answer:
        return Answer(
            question=question,
            text=small.answer.strip(),
            found=True,
            confidence=1.0,
            kind="smalltalk",
            fact_id=small.id,
            why=Explanation(normalized=normalized, reason="small talk"),
        )

    def answer_fact(self, fact_id: str, *, question: str | None = None) -> Answer:
        """The answer for a known fact id, as when a user picks a suggestion or follow-up."""
        fact = self._by_id.get(fact_id)
        if fact is None:
            raise ValueError(f"no fact has the id {fact_id!r}")
        why = Explanation(normalized=normalize(fact.question), reason="picked by id")
        return fact_answer(
            question if question is not None else fact.question, fact, 1.0, self.related(fact), why
        )
