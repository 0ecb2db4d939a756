"""The public data models: what a knowledge file holds and what ``answer()`` returns.

All models are frozen (a loaded knowledge base never changes, which is what makes it safe to
share between threads) and reject unknown fields, so a misspelled key in a YAML file is an
error instead of a silently empty value.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from myoqa.safetext import refuse_unsafe

if TYPE_CHECKING:
    from typing_extensions import Self

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


class _Frozen(BaseModel):
    # defer_build: each model's validator is built when first used, not at import. A start that
    # reads its knowledge base from the cache never validates a Fact, a TriageRule or an About
    # (they were validated when the copy was built), so it never pays for their validators.
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True)
    # The answers myoqa builds itself (decide, kb, followup) use ``model_construct``: their fields
    # come from validated facts and typed code (the pydantic mypy plugin checks every call's
    # field names and types), and skipping validation spares a cold start building the Answer,
    # Explanation, Candidate and RelatedQuestion validators (about 17 ms, a tenth of it) and each
    # answer a validation. tests/test_answer_construct.py checks that what they build is exactly
    # what validation would build. A developer's own ``Answer(...)`` is validated as always.


class _KnowledgeText(_Frozen):
    """A model read from a knowledge file: no text field may hold control or escape characters,
    which would reach the terminal of whoever reads the answer (see ``safetext``)."""

    @field_validator("*")
    @classmethod
    def _printable(cls, value: object) -> object:
        if isinstance(value, str):
            refuse_unsafe(value)
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, str | tuple):
                    cls._printable(item)
        return value


def _kebab_case(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(f"must be kebab-case (lower-case letters, digits and single hyphens), got {value!r}")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


class Source(_KnowledgeText):
    """A reference that supports a fact."""

    title: str
    url: str

    _check_title = field_validator("title")(_not_blank)

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        if not _URL.match(value):
            raise ValueError(f"must be an http(s) URL, got {value!r}")
        return value


class Fact(_KnowledgeText):
    """One curated question and its answer."""

    id: str
    question: str
    answer: str
    alternates: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    related: tuple[str, ...] = ()
    reviewed: datetime.date | None = None
    urgent: bool = False
    topic: str = ""
    subject: str | None = None  # what the fact is about; the topic when not given
    aspect: tuple[str, ...] = ()  # what it says about it (ids of aspects.yaml); inferred when not given

    _check_text = field_validator("question", "answer")(_not_blank)

    @field_validator("aspect", mode="before")
    @classmethod
    def _one_or_more_aspects(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @field_validator("subject")
    @classmethod
    def _check_subject(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be empty; leave it out to use the topic")
        return value

    _check_id = field_validator("id")(_kebab_case)

    @field_validator("alternates")
    @classmethod
    def _check_alternates(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for i, alt in enumerate(value):
            if not alt.strip():
                raise ValueError(f"alternate {i + 1} is empty")
        return value

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The question followed by its alternates: every way the fact can be asked."""
        return (self.question, *self.alternates)


class SmallTalk(_KnowledgeText):
    """A greeting, thanks or question about the bot itself, answered briefly."""

    id: str
    patterns: tuple[str, ...] = Field(min_length=1)
    answer: str

    _check_answer = field_validator("answer")(_not_blank)


class Aspect(_KnowledgeText):
    """A kind of question people ask about a subject (causes, treatment, outlook...), with the
    cue phrases that say a question is of this kind."""

    id: str
    cues: tuple[str, ...] = Field(min_length=1)
    terms: tuple[str, ...] = ()  # content words that imply it ("biopsy"): they keep their weight
    near: tuple[str, ...] = ()  # aspects whose facts still fit, a little less well
    weak: bool = False  # counts only when no other aspect is named ("what is ...")

    @field_validator("cues", "terms")
    @classmethod
    def _check_cues(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for i, cue in enumerate(value):
            if not cue.strip():
                raise ValueError(f"cue {i + 1} is empty")
        return value


class RelatedQuestion(_Frozen):
    """A follow-up the user may want next."""

    id: str
    question: str


class Suggestion(_Frozen):
    """A "did you mean" candidate."""

    id: str
    question: str
    confidence: float = Field(ge=0.0, le=1.0)


class Candidate(_Frozen):
    """A scored fact considered for a query (part of the explanation)."""

    id: str
    question: str
    score: float
    matched: str


class ReadOnlyDict(dict[str, str]):
    """A dict that refuses every change, so a frozen ``Answer`` is immutable all the way down;
    JSON, ``==``, copies and pickles see it as the plain dict it was built from."""

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("this mapping is read-only (it belongs to a frozen Answer)")

    __setitem__ = __delitem__ = _refuse
    clear = pop = popitem = setdefault = update = __ior__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type[ReadOnlyDict], tuple[dict[str, str]]]:
        return (ReadOnlyDict, (dict(self),))


ReadOnlyStrMap = Annotated[Mapping[str, str], AfterValidator(ReadOnlyDict)]


class Explanation(_Frozen):
    """Why the bot answered or abstained: what a curator needs to debug a match."""

    normalized: str
    corrections: ReadOnlyStrMap = Field(default_factory=ReadOnlyDict)  # misspelt word -> correction
    expansions: tuple[str, ...] = ()
    unknown_words: tuple[str, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    reason: str = ""


AnswerKind = Literal["fact", "smalltalk", "unsure", "unknown", "urgent"]

Severity = Literal["emergency", "crisis", "urgent"]
"""How soon care is needed: ``emergency`` now (call an ambulance), ``crisis`` (suicidal thoughts
or self-harm: crisis lines), ``urgent`` (same-day medical assessment)."""


class TriageRule(_KnowledgeText):
    """A sign that needs care now, recognised before any fact is matched (``triage.yaml``).

    Each pattern is a list of concepts that must all be present; each concept lists its
    alternatives separated by ``|`` ("chest pain | pain in my chest"). ``general`` rules
    (emergencies and crises whatever the subject) also protect knowledge bases of other topics.
    """

    id: str
    severity: Severity
    patterns: tuple[tuple[str, ...], ...] = Field(min_length=1)
    answer: str
    sources: tuple[Source, ...] = Field(min_length=1)
    general: bool = False
    related: tuple[str, ...] = ()

    _check_answer = field_validator("answer")(_not_blank)

    _check_id = field_validator("id")(_kebab_case)

    @field_validator("patterns")
    @classmethod
    def _check_patterns(cls, value: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        for i, pattern in enumerate(value, 1):
            if not pattern:
                raise ValueError(f"pattern {i} is empty; list one or more concepts")
            for concept in pattern:
                if any(not re.search(r"\w", alt) for alt in concept.split("|")):
                    raise ValueError(
                        f"pattern {i}: concept {concept!r} has an empty alternative; "
                        "separate alternatives with single '|'"
                    )
        return value

    @property
    def concepts(self) -> tuple[tuple[tuple[str, ...], ...], ...]:
        """Each pattern as its concepts, each concept as its alternatives."""
        return tuple(
            tuple(tuple(a.strip() for a in concept.split("|")) for concept in pattern)
            for pattern in self.patterns
        )


def answer_question(question: str) -> str:
    """``question`` as an ``Answer`` holds it: stripped, and with every lone surrogate (from
    undecodable input) replaced, since ``model_dump_json`` cannot write one."""
    return question.encode("utf-8", "replace").decode("utf-8").strip()


class Answer(_Frozen):
    """What the bot says to one question. ``model_dump_json()`` is the JSON for bots."""

    question: str
    text: str
    found: bool
    confidence: float = Field(ge=0.0, le=1.0)
    kind: AnswerKind = "unknown"
    fact_id: str | None = None
    matched_question: str | None = None
    topic: str | None = None
    urgent: bool = False
    severity: Severity | None = None  # set on triage answers (kind "urgent")
    sources: tuple[Source, ...] = ()
    reviewed: datetime.date | None = None  # when the fact's sources were last checked; None if not a fact
    related: tuple[RelatedQuestion, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    why: Explanation | None = None

    @field_validator("question", mode="before")
    @classmethod
    def _no_lone_surrogates(cls, value: object) -> object:
        return answer_question(value) if isinstance(value, str) else value

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with ``update`` applied. pydantic skips validators here, so a replaced
        ``question`` is cleaned the way validation would clean it."""
        if update is not None and isinstance(update.get("question"), str):
            update = {**update, "question": self._no_lone_surrogates(update["question"])}
        return super().model_copy(update=update, deep=deep)
