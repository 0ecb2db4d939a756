"""A conversation: follow-ups resolved against the last subject, honestly, and numbered picks.

One ``Conversation`` per user; it holds that user's state only and shares the immutable
knowledge base, so a multi-threaded bot keeps one per chat (and one shared by several threads
is still safe: every call holds the conversation's lock).

A follow-up keeps the last subject only when it names none of its own: after "what is FOP",
"is it contagious?" and "can she play sports?" are about FOP, but "how do I treat a sprained
ankle?" and "what about my cat?" are not, and are answered (or declined) on their own. "And in
children?" keeps the last question and adds who it is about. An emergency or crisis message is
answered by triage and never becomes the subject.
"""

from __future__ import annotations

import re
import threading

from myoqa.analysis import MAX_MESSAGE_CHARS, PRONOUNS, Analysis
from myoqa.api import default_kb
from myoqa.kb import KnowledgeBase
from myoqa.models import Answer, Fact
from myoqa.normalize import content_words, normalize
from myoqa.question import cut_question
from myoqa.text import stem

_PICK = re.compile(
    r"^\s*(?:number|no|option|choice|#)?\s*#?([0-9]{1,2})\s*(?:st|nd|rd|th)?\s*[.)]?\s*$", re.ASCII
)
_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "last": -1,
}  # fmt: skip
_PICK_FILLER = frozenset({"the", "one", "please", "that", "option", "choice", "question", "number", "no"})
_YES = frozenset({"yes", "yeah", "yep", "yup", "y", "sure", "ok", "okay", "correct", "right"})


def pick_number(text: str, choices: int) -> int | None:
    """The 1-based choice a reply picks ("2", "#2", "number 2", "the first one", "yes" for the
    first of the choices offered), or None when it is not a pick. Only ASCII digits count."""
    match = _PICK.match(text.casefold())
    if match:
        return int(match.group(1))
    words = normalize(text).split()
    if not words or len(words) > 4:
        return None
    if all(w in _YES for w in words) and choices:
        return 1
    ordinals = [w for w in words if w in _ORDINALS]
    if len(ordinals) == 1 and all(w in _ORDINALS or w in _PICK_FILLER for w in words):
        number = _ORDINALS[ordinals[0]]
        return choices if number == -1 else number
    return None


class Conversation:
    """Ask questions in turn; "how is it treated?" is read against the previous subject.

    >>> chat = Conversation()
    >>> chat.ask("What is myositis ossificans?").found
    True
    >>> chat.ask("How is it treated?").fact_id
    'mo-treatment'
    """

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        if kb is not None and not isinstance(kb, KnowledgeBase):
            raise TypeError(f"kb must be a KnowledgeBase, got {type(kb).__name__}")
        self.kb = kb if kb is not None else default_kb()
        self.last: Answer | None = None
        self._subject_fact: Fact | None = None
        self._lock = threading.RLock()
        self._offered: tuple[Answer | None, tuple[tuple[str, str], ...]] | None = None

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        """The numbered picks on offer: a list shown with ``offer()`` since the last answer, else
        (fact id, question) of the last answer's suggestions, else its follow-ups."""
        last = self.last
        if self._offered is not None and self._offered[0] is last:
            return self._offered[1]
        if last is None:
            return ()
        if last.suggestions:
            return tuple((s.id, s.question) for s in last.suggestions)
        return tuple((r.id, r.question) for r in last.related)

    def offer(self, choices: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> None:
        """Put other numbered choices on offer (a topic's questions): (fact id, question) pairs.
        They hold until the next answer, so the numbers always pick what was shown last."""
        with self._lock:
            self._offered = (self.last, tuple(choices))

    def pick(self, number: int) -> Answer:
        """Answer the numbered choice (1-based) offered with the last answer."""
        with self._lock:
            choices = self.choices
            if not 1 <= number <= len(choices):
                raise ValueError(
                    f"there is no choice {number}; pick 1 to {len(choices)}"
                    if choices
                    else "there is nothing to pick from yet"
                )
            fact_id, question = choices[number - 1]
            return self.select(fact_id, question=question)

    def select(self, fact_id: str, *, question: str | None = None) -> Answer:
        """Answer a fact chosen by id (from a menu, a link or a button)."""
        with self._lock:
            return self._remember(self.kb.answer_fact(fact_id, question=question))

    def ask(self, question: str) -> Answer:
        """Answer ``question`` in the context of the conversation so far."""
        if not isinstance(question, str):
            raise TypeError(f"question must be a str, got {type(question).__name__}")
        with self._lock:
            return self._ask(question)

    def _ask(self, question: str) -> Answer:
        answer = self.kb.answer(question)  # triage runs first, inside
        if answer.kind != "urgent" and self.last is not None:  # "he fell", after "what is FOP"
            topic = self._subject_fact.topic if self._subject_fact is not None else ""
            answer = self.kb.triage(question, context=f"{topic}. {self.last.question}") or answer
        if answer.kind == "urgent":
            self.last = answer  # urgent advice stands alone: the subject stays what it was
            return answer
        choices = self.choices
        number = pick_number(question, len(choices)) if choices and len(question) < 40 else None
        if number is not None and 1 <= number <= len(choices):
            return self.pick(number)
        if self._subject_fact is None or answer.kind == "smalltalk":
            return self._remember(answer)
        text = cut_question(question, MAX_MESSAGE_CHARS)  # every step below is bounded
        analysis = self.kb.analyze(text)
        if analysis.names_subject and (answer.found or analysis.unknown_subject):
            # It names a subject of its own: answered, or declined, on its own.
            return self._remember(answer)
        resolved = self.kb.answer(self._resolve(text, analysis))
        if resolved.kind == "urgent":
            return self._remember(answer)
        fact = self.kb.get(resolved.fact_id) if resolved.kind == "fact" and resolved.fact_id else None
        if analysis.names_subject and (fact is None or self.kb.mentions(fact, analysis.asked_subject) < 0.5):
            # "what about a general anaesthetic?" may add a detail to the subject; "how do I
            # treat a sprained ankle?" names another one: only a fact that mentions it answers.
            return self._remember(answer)
        if resolved.found or (resolved.kind == "unsure" and not answer.found):
            answer = resolved.model_copy(update={"question": question})
        return self._remember(answer)

    def reset(self) -> None:
        """Forget the subject and the choices on offer."""
        with self._lock:
            self.last = None
            self._subject_fact = None
            self._offered = None

    def _remember(self, answer: Answer) -> Answer:
        self.last = answer
        if answer.kind == "fact" and answer.fact_id is not None:
            self._subject_fact = self.kb.get(answer.fact_id)
        return answer

    def subject_terms(self) -> list[str]:
        """What the last fact is about: its declared subject, else its named terms ("myositis
        ossificans", "calciphylaxis") rather than what was asked about them ("go away",
        "cause"), so "is it cancer?" stays on the subject and not on the last question."""
        fact = self._subject_fact
        if fact is None:
            return []
        if fact.subject:
            return normalize(fact.subject).split()
        query = self.kb.analyze(fact.question)
        phrases = [unit for unit in query.stems if " " in unit]
        covered = {w for p in phrases for w in p.split()}
        named = [
            w
            for w in query.normalized.split()
            if stem(w) in query.scope_stems and stem(w) not in query.cue_stems and w not in covered
        ]
        if phrases or named:
            return [*phrases, *dict.fromkeys(named)]
        # No named term: fall back to the rarest words of the question.
        words = [w for w in content_words(query.normalized.split()) if stem(w) not in query.cue_stems]
        idf = {w: query.weights.get(stem(w), 0.0) for w in words}
        top = max(idf.values(), default=0.0)
        return [w for w in words if idf[w] >= 0.6 * top]

    def _resolve(self, question: str, analysis: Analysis) -> str:
        """The follow-up with the last subject filled in; "and in children?" (no aspect of its
        own) keeps the last question and adds who it is about."""
        subject = self.subject_terms()
        words = normalize(question).split()
        if not analysis.aspects and self._subject_fact is not None:
            extra = [w for w in content_words(words) if w not in PRONOUNS]
            return " ".join([*normalize(self._subject_fact.question).split(), *extra])
        if any(w in PRONOUNS for w in words):
            out: list[str] = []
            for w in words:
                out.extend(subject if w in PRONOUNS else [w])
            return " ".join(out)
        return " ".join([*words, *subject])
