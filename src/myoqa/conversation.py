"""A conversation: follow-up questions resolved against the last subject, numbered picks.

One ``Conversation`` per user; it holds that user's state only and shares the immutable
knowledge base, so a multi-threaded bot keeps one per chat.
"""

from __future__ import annotations

import re

from myoqa.api import default_kb
from myoqa.kb import KnowledgeBase
from myoqa.models import Answer, Fact
from myoqa.normalize import content_words, normalize
from myoqa.text import stem

_PRONOUNS = frozenset({"it", "its", "this", "that", "they", "them", "these", "those", "he", "she"})
_PICK = re.compile(r"^\s*#?(\d{1,2})\s*[.)]?\s*$")


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

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        """The numbered picks on offer: (fact id, question) of suggestions, else follow-ups."""
        if self.last is None:
            return ()
        if self.last.suggestions:
            return tuple((s.id, s.question) for s in self.last.suggestions)
        return tuple((r.id, r.question) for r in self.last.related)

    def pick(self, number: int) -> Answer:
        """Answer the numbered choice (1-based) offered with the last answer."""
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
        return self._remember(self.kb.answer_fact(fact_id, question=question))

    def ask(self, question: str) -> Answer:
        """Answer ``question`` in the context of the conversation so far."""
        if not isinstance(question, str):
            raise TypeError(f"question must be a str, got {type(question).__name__}")
        picked = _PICK.match(question)
        if picked and self.choices:
            number = int(picked.group(1))
            if 1 <= number <= len(self.choices):
                return self.pick(number)
        answer = self.kb.answer(question)
        if self._subject_fact is not None and answer.kind != "smalltalk":
            words = normalize(question).split()
            refers_back = any(w in _PRONOUNS for w in words)
            if refers_back or not answer.found:
                resolved = self.kb.answer(self._resolve(words))
                if resolved.found and (refers_back or resolved.confidence > answer.confidence):
                    answer = resolved.model_copy(update={"question": question})
        return self._remember(answer)

    def reset(self) -> None:
        """Forget the subject and the choices on offer."""
        self.last = None
        self._subject_fact = None

    def _remember(self, answer: Answer) -> Answer:
        self.last = answer
        if answer.kind == "fact" and answer.fact_id is not None:
            self._subject_fact = self.kb.get(answer.fact_id)
        return answer

    def _subject(self) -> list[str]:
        """What the last fact is about: its named terms ("myositis ossificans", "calciphylaxis")
        rather than what was asked about them ("go away", "cause"), so "is it cancer?" stays
        on the subject and not on the last question."""
        assert self._subject_fact is not None
        query = self.kb.match(self._subject_fact.question, limit=1).query
        phrases = [unit for unit in query.stems if " " in unit]
        covered = {w for p in phrases for w in p.split()}
        named = [w for w in query.normalized.split() if stem(w) in query.scope_stems and w not in covered]
        if phrases or named:
            return [*phrases, *dict.fromkeys(named)]
        # No named term: fall back to the rarest words of the question.
        words = content_words(query.normalized.split())
        idf = {w: query.weights.get(stem(w), 0.0) for w in words}
        top = max(idf.values(), default=0.0)
        return [w for w in words if idf[w] >= 0.6 * top]

    def _resolve(self, words: list[str]) -> str:
        subject = self._subject()
        if any(w in _PRONOUNS for w in words):
            out: list[str] = []
            for w in words:
                out.extend(subject if w in _PRONOUNS else [w])
            return " ".join(out)
        return " ".join([*words, *subject])
