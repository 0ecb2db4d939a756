"""The knowledge base: facts, synonyms and small talk, immutable once built.

Nothing in a ``KnowledgeBase`` changes after construction, so one instance can answer from
many threads at once without locks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from myoqa.about import About
from myoqa.analysis import MAX_MESSAGE_CHARS, Analysis, Analyzer, AspectTable
from myoqa.decide import decide, fact_answer
from myoqa.errors import KnowledgeError, Problem
from myoqa.knowledge import (
    bundled_aspects,
    bundled_triage,
    check_in_memory,
    default_directory,
    load_directory,
)
from myoqa.matching import LexicalMatcher, Match, Matcher
from myoqa.models import (
    Answer,
    Aspect,
    Explanation,
    Fact,
    RelatedQuestion,
    SmallTalk,
    TriageRule,
    answer_question,
)
from myoqa.normalize import normalize
from myoqa.question import cut_question
from myoqa.smalltalk import SmallTalkMatcher
from myoqa.triage import Triage, TriageHit, vocabulary_of

MAX_LIMIT = 20
DECIDE_DEPTH = 5

MatcherFactory = Callable[[Sequence[Fact], Analyzer], Matcher]
"""Builds a matcher over the facts, reading questions through the knowledge base's analyzer."""


class KnowledgeBase:
    """A validated, immutable set of facts with the matcher built over them."""

    def __init__(
        self,
        facts: Sequence[Fact],
        *,
        synonyms: Mapping[str, Iterable[str]] | None = None,
        smalltalk: Sequence[SmallTalk] = (),
        scope: Sequence[str] = (),
        aspects: Sequence[Aspect] | None = None,
        qualifiers: Sequence[str] | None = None,
        source: str = "<memory>",
        matcher: MatcherFactory | None = None,
        triage: Sequence[TriageRule] | None = None,
        about: About | None = None,
        broader: Mapping[str, str] | None = None,
    ) -> None:
        by_id: dict[str, Fact] = {}
        for fact in facts:
            if not isinstance(fact, Fact):
                raise TypeError(f"facts must be myoqa.Fact objects, got {type(fact).__name__}")
            by_id[fact.id] = fact
        # The loader's own checks, so a knowledge base built in memory is held to the same rules.
        problems = check_in_memory(facts, synonyms or {}, source, broader or {})
        if problems:
            raise KnowledgeError(problems, source)
        self._facts = tuple(facts)
        self._by_id = MappingProxyType(by_id)
        self._synonyms = MappingProxyType({k: tuple(v) for k, v in (synonyms or {}).items()})
        # What it says of itself and when it has no answer: its own about.yaml, else neutral texts
        # made from its own topics and questions (never another knowledge base's subject).
        self._about = about or About.neutral(
            name="myoqa",
            topics=tuple(dict.fromkeys(f.topic for f in facts if f.topic)),
            questions=[f.question for f in facts],
        )
        self._smalltalk = tuple(smalltalk) or self._about.smalltalk()
        self._small_matcher = SmallTalkMatcher(self._smalltalk)
        self._scope = tuple(scope)
        if aspects is None:
            aspects, default_qualifiers = bundled_aspects()
            qualifiers = default_qualifiers if qualifiers is None else qualifiers
        self._aspect_table = AspectTable(aspects, qualifiers or ())
        known_aspects = {a.id for a in aspects}
        for fact in facts:
            for aspect_id in fact.aspect:
                if aspect_id not in known_aspects:
                    problems.append(
                        Problem(
                            source, f"no aspect has the id {aspect_id!r}", fact_id=fact.id, field="aspect"
                        )
                    )
        # No rules given: the bundled general ones, so no knowledge base meets an emergency with
        # "I don't know". An empty sequence turns triage off.
        rules = tuple(bundled_triage() if triage is None else triage)
        for rule in rules:
            for target in rule.related:
                if target not in by_id:
                    problems.append(
                        Problem(
                            source,
                            f"no fact has the id {target!r}",
                            fact_id=rule.id,
                            field="related",
                            item="rule",
                        )
                    )
        if problems:
            raise KnowledgeError(problems, source)
        self._triage = Triage(rules, synonyms=self._synonyms, vocabulary=vocabulary_of(self._facts))
        self._broader = MappingProxyType(dict(broader or {}))
        self._analyzer = Analyzer(
            self._facts, self._synonyms, scope=self._scope, aspects=self._aspect_table, broader=self._broader
        )
        self._matcher: Matcher = (matcher or LexicalMatcher)(self._facts, self._analyzer)
        self.source = source

    @classmethod
    def load(cls, path: Path | str | None = None) -> KnowledgeBase:
        """Load a knowledge directory (default: $MYOQA_KNOWLEDGE, else the bundled one).

        Raises ``KnowledgeError`` naming every mistake; nothing is half-loaded.
        """
        directory = Path(path) if path is not None else default_directory()
        if (path is None or str(path).strip()) and directory.is_dir():
            from myoqa.cache import cached  # a built copy in the user's cache (MYOQA_CACHE=0: none)

            return cached(directory, lambda: cls._build(directory, path), cls)
        return cls._build(directory, path)

    @classmethod
    def _build(cls, directory: Path, path: Path | str | None) -> KnowledgeBase:
        data = load_directory(directory if path is None else path)  # "" must fail, not mean "."
        return cls(
            data.facts,
            synonyms=data.synonyms,
            smalltalk=data.smalltalk,
            scope=data.scope,
            aspects=data.aspects,
            qualifiers=data.qualifiers if data.aspects is not None else None,
            source=str(directory),
            triage=data.triage,  # None (no triage.yaml): the bundled general rules
            about=data.about,  # None (no about.yaml): neutral texts from its own topics
            broader=data.broader,
        )

    @classmethod
    def from_facts(
        cls,
        facts: Iterable[Fact],
        *,
        synonyms: Mapping[str, Iterable[str]] | None = None,
        smalltalk: Sequence[SmallTalk] = (),
        scope: Sequence[str] = (),
        triage: Sequence[TriageRule] | None = None,
        about: About | None = None,
    ) -> KnowledgeBase:
        """Build a knowledge base in memory, e.g. in tests or for a bot's own facts.

        ``triage`` defaults to the bundled general emergency and crisis rules; pass your own
        rules, or ``()`` for none.
        """
        return cls(
            list(facts), synonyms=synonyms, smalltalk=smalltalk, scope=scope, triage=triage, about=about
        )

    def __getstate__(self) -> dict[str, object]:
        # For the on-disk cache (myoqa.cache): read-only views do not pickle; their dicts do.
        state = dict(self.__dict__)
        views = [k for k, v in state.items() if isinstance(v, MappingProxyType)]
        state.update({k: dict(state[k]) for k in views})
        state["__views__"] = views
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        views = state.pop("__views__", [])
        assert isinstance(views, list)
        state.update({k: MappingProxyType(state[k]) for k in views})  # type: ignore[arg-type]
        self.__dict__.update(state)

    @property
    def facts(self) -> tuple[Fact, ...]:
        """Every fact, in file order (files sorted by name)."""
        return self._facts

    @property
    def about(self) -> About:
        """Its name, example questions and the texts it answers with when no fact answers."""
        return self._about

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

    @property
    def triage_rules(self) -> tuple[TriageRule, ...]:
        """The triage rules checked before any matching, most severe first."""
        return self._triage.rules

    def triage(self, question: str, *, context: str = "") -> Answer | None:
        """The triage answer when ``question`` reports an emergency, a crisis or an urgent sign.

        ``context`` is what a conversation is about so far ("FOP"): it may complete a sign the
        message reports ("he fell and hit his head"), never make one up.
        """
        if not isinstance(question, str):
            raise TypeError(f"question must be a str, got {type(question).__name__}")
        question = question.encode("utf-8", "replace").decode("utf-8")
        hit = self._triage.check(question, context=context)
        return None if hit is None else self._triage_answer(question, hit)

    def _triage_answer(self, question: str, hit: TriageHit) -> Answer:
        urgent = self._rule_answer(question, hit)
        if hit.rule.severity == "urgent":
            # A same-day sign of our own topic: the fact the question matches is offered first.
            matched = self.decide(question, self.match(question, limit=DECIDE_DEPTH))
            if matched.found and matched.kind == "fact" and matched.fact_id is not None:
                fact = self._by_id[matched.fact_id]
                first = RelatedQuestion.model_construct(id=fact.id, question=fact.question)
                others = tuple(r for r in urgent.related if r.id != first.id)
                # The advice first, then the answer to what was asked ("... is it permanent?"):
                # a same-day sign is no reason to leave the question unanswered. An urgent
                # fact would only say the advice again: it is offered first instead.
                update: dict[str, object] = {"related": (first, *others)}
                if not fact.urgent:
                    update |= {
                        "text": f"{urgent.text}\n\n{matched.text}",
                        "matched_question": fact.question,
                        "topic": fact.topic,
                        "sources": (*urgent.sources, *(s for s in fact.sources if s not in urgent.sources)),
                    }
                urgent = urgent.model_copy(update=update)
        return urgent

    def _rule_answer(self, question: str, hit: TriageHit) -> Answer:
        rule = hit.rule
        return Answer.model_construct(
            question=answer_question(question),
            text=rule.answer.strip(),
            found=True,
            confidence=1.0,
            kind="urgent",
            fact_id=rule.id,
            urgent=True,
            severity=rule.severity,
            sources=rule.sources,
            related=tuple(
                RelatedQuestion.model_construct(id=r, question=self._by_id[r].question) for r in rule.related
            ),
            why=Explanation.model_construct(
                normalized=normalize(cut_question(question)),
                reason=f"triage: {rule.severity} rule {rule.id!r} ({'; '.join(hit.evidence)})",
            ),
        )

    def get(self, fact_id: str) -> Fact | None:
        """The fact with this id, or None."""
        return self._by_id.get(fact_id)

    def __len__(self) -> int:
        return len(self._facts)

    def __contains__(self, fact_id: object) -> bool:
        return fact_id in self._by_id

    def related(self, fact: Fact) -> tuple[RelatedQuestion, ...]:
        """The follow-up questions of a fact, in the order the curator listed them."""
        return tuple(
            RelatedQuestion.model_construct(id=r, question=self._by_id[r].question) for r in fact.related
        )

    @property
    def conditions(self) -> frozenset[str]:
        """The canonical phrases that name conditions of this knowledge base's own topics."""
        return self._analyzer.condition_units

    @property
    def aspects(self) -> AspectTable:
        """The aspects (question types) questions and facts are read with."""
        return self._aspect_table

    def analyze(self, question: str) -> Analysis:
        """What a question asks, about what, as every stage after analysis reads it."""
        return self._analyzer.analyze(question)

    def mentions(self, fact: Fact, units: Iterable[str]) -> float:
        """The share of analysed units (``Analysis.stems``) that a fact's words use anywhere."""
        return self._analyzer.mentions(fact, units)

    def fact_aspects(self, fact: Fact) -> tuple[str, ...]:
        """A fact's aspects: declared, else read from its question."""
        return self._analyzer.fact_aspects(fact)

    def match(self, question: str, *, limit: int = 5, exclude: tuple[str, str] | None = None) -> Match:
        """The raw ranking behind ``answer()``; for explanations and tools."""
        return self._matcher.match(self._analyzer.analyze(question), limit=limit, exclude=exclude)

    def match_analysis(self, analysis: Analysis, *, limit: int = 5) -> Match:
        """The ranking for an analysis already made, or completed by the caller (a follow-up
        read with its conversation's subject), so that no message is analysed twice."""
        return self._matcher.match(analysis, limit=limit)

    def decide(self, question: str, match: Match, *, limit: int = 5) -> Answer:
        """Turn a ranking into an answer, as ``answer()`` does after matching (``limit``: how
        many candidates the explanation lists)."""
        return decide(
            question,
            match,
            self.related,
            limit=limit,
            texts=self._about.texts,
            mentions=self._analyzer.mentions,
        )

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
        hit = self._triage.check(question)  # first: an emergency must never meet small talk or "I don't know"
        if hit is not None:
            return self._triage_answer(question, hit)
        # Stripped, NFKC-normalised, then cut: every step after is bounded. A long message keeps
        # room for its question, which often comes last; analysis then reads the asking part.
        return self.answer_analysis(
            question, self._analyzer.analyze(cut_question(question, MAX_MESSAGE_CHARS)), limit=limit
        )

    def answer_analysis(self, question: str, analysis: Analysis, *, limit: int = 5) -> Answer:
        """``answer()`` after triage, for a message the caller has analysed already
        (``analyze(question)``): small talk, matching and the decision. A conversation reads
        each message once and answers it through here."""
        normalized = normalize(cut_question(question, MAX_MESSAGE_CHARS))
        small = self._small_matcher.match(normalized)
        # "what is MO" is close to "what is myoqa" as letters go, but it names a subject of ours.
        if small is not None and not (analysis.scope_stems and analysis.in_scope):
            return self._small_answer(question, normalized, small)
        # Rank more than asked, so that ``limit`` changes how many are shown, never the decision.
        match = self._matcher.match(analysis, limit=max(limit, DECIDE_DEPTH))
        if not match.query.in_scope or not match.query.stems:
            small = self._small_matcher.find_within(normalized)
            if small is not None:
                return self._small_answer(question, normalized, small)
        return self.decide(question, match, limit=limit)

    def _small_answer(self, question: str, normalized: str, small: SmallTalk) -> Answer:
        return Answer.model_construct(
            question=answer_question(question),
            text=small.answer.strip(),
            found=True,
            confidence=1.0,
            kind="smalltalk",
            fact_id=small.id,
            why=Explanation.model_construct(normalized=normalized, reason="small talk"),
        )

    def answer_fact(self, fact_id: str, *, question: str | None = None) -> Answer:
        """The answer for a known fact id, as when a user picks a suggestion or follow-up."""
        fact = self._by_id.get(fact_id)
        if fact is None:
            raise ValueError(f"no fact has the id {fact_id!r}")
        why = Explanation.model_construct(normalized=normalize(fact.question), reason="picked by id")
        return fact_answer(
            question if question is not None else fact.question, fact, 1.0, self.related(fact), why
        )
