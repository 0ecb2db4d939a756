"""A conversation: follow-ups read against what the user is talking about, honestly, and numbered picks.

One ``Conversation`` per user; it holds that user's state only and shares the immutable
knowledge base, so a multi-threaded bot keeps one per chat (and one shared by several threads
is still safe: every call holds the conversation's lock).

Each message is analysed once; ``followup.py`` says how a follow-up's own subject and aspect
combine with the conversation's. After "what is FOP", "is it contagious?" and "can she play
sports?" are about FOP; "and in children?" keeps what was asked too; "how do I treat a sprained
ankle?" and "what about my cat?" are answered (or declined) on their own. The subject is what
the user named, as far as the fact given mentions it (else that fact's own subject), and it is
kept even when the turn naming it got "did you mean". An emergency or crisis message is
answered by triage and never becomes the subject; an urgent sign of our own topic that names
one ("a lump getting bigger, the GP said myositis ossificans") does.
"""

from __future__ import annotations

import dataclasses
import re
import threading

from myoqa.analysis import (
    GENERAL_WORDS,
    MAX_MESSAGE_CHARS,
    NEAR_FIT,
    Analysis,
    back_to_clause,
    split_sentences,
)
from myoqa.analysis import asks as _asks_sentence
from myoqa.api import default_kb
from myoqa.followup import (
    ASKED_BEFORE,
    ASPECT_WORDS_SPOKEN,
    DETAIL_MENTIONED,
    FOLLOW_UP_DEPTH,
    SUBJECT_FITS,
    Context,
    Reading,
    asks_nothing,
    aspect_words,
    aspects_for,
    core_subject,
    details,
    did_you_mean,
    fitting_first,
    is_fragment,
    known_subject,
    only_sets,
    reading,
    refers_back,
    strong_aspects,
    subject_share,
    subject_words_of,
    with_aspects,
    with_subject,
)
from myoqa.kb import DECIDE_DEPTH, KnowledgeBase
from myoqa.matching import Match, ScoredFact
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


SETTING_SHARE = 0.3
"""The words of a follow-up that only sets the last question somewhere ("in the upper arm,
after an elbow dislocation" after "MO treatment") weigh together at most this share of the
subject's weight: they narrow the question, the subject and the aspect asked say what it is."""

_COMING_BACK = frozenset({"back", "go", "going", "com", "coming"})
"""The words (and stems) of coming back to a subject, which name none."""

_PEOPLE_WORDS = frozenset(
    "son daughter mum mom mother dad father husband wife partner brother sister gran grandma nan "  # noqa: SIM905
    "grandad grandpa grandson granddaughter nephew niece uncle aunt friend boy girl baby child kid".split()
)

EARLIER_KEPT = 4
"""How many earlier subjects a conversation can come back to by name."""


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
        self._context: Context | None = None
        self._lock = threading.RLock()
        self._offered: tuple[Answer | None, tuple[tuple[str, str], ...]] | None = None
        # The subject an off-topic question ended, and the words it was asked with: "ok, back to
        # the lump" resumes it (``_resumed``).
        self._suspended: tuple[Context, frozenset[str]] | None = None
        self._said: set[str] = set()  # the content units of the messages on the subject so far
        self._said_words: set[str] = set()  # ... and their words, people included ("my daughter")
        # Earlier subjects, oldest first, with the words said of them: "ok back to my daughter"
        # (or "to my first question") comes back to one after another subject (``_returned``).
        self._earlier: list[tuple[Context, frozenset[str]]] = []

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
        """Answer a fact chosen by id (from a menu, a link or a button): its subject becomes
        the conversation's."""
        with self._lock:
            answer = self.kb.answer_fact(fact_id, question=question)
            self._context = self._suspended = None
            return self._remember(answer)

    def ask(self, question: str) -> Answer:
        """Answer ``question`` in the context of the conversation so far."""
        if not isinstance(question, str):
            raise TypeError(f"question must be a str, got {type(question).__name__}")
        with self._lock:
            return self._ask(question)

    def _ask(self, question: str) -> Answer:
        context = self._context
        # Triage first, with the subject so far: "he fell", after "what is FOP", is urgent.
        urgent = self.kb.triage(question, context=self._triage_context())
        if urgent is not None:
            self.last = urgent  # urgent advice stands alone: the subject stays what it was...
            if urgent.severity == "urgent":
                # ...unless a same-day sign of our own topic names it: after "a hard lump that
                # is getting bigger, the doctor said myositis ossificans", "is it permanent?"
                # asks about myositis ossificans.
                analysis = self.kb.analyze(cut_question(question, MAX_MESSAGE_CHARS))
                named = core_subject(known_subject(analysis, self.kb.aspects), self.kb.conditions)
                if named:
                    self._context = Context(subject_words_of(analysis, named), None, analysis.aspects)
                    self._suspended = None
            return urgent
        choices = self.choices
        number = pick_number(question, len(choices)) if choices and len(question) < 40 else None
        if number is not None and 1 <= number <= len(choices):
            return self.pick(number)
        text = cut_question(question, MAX_MESSAGE_CHARS)  # every step below is bounded
        analysis = self.kb.analyze(text)  # the only time this message is analysed
        table = self.kb.aspects
        if context is None:
            context = self._context = self._resumed(analysis)
        returned = self._returned(text, context)
        if returned is not None:
            context = self._context = returned
        aspects = aspects_for(text, analysis, context, table) if context is not None else analysis.aspects
        own = self.kb.answer_analysis(question, with_aspects(analysis, aspects))
        how = reading(text, analysis, table)
        said_before = False  # its details were said of the subject: no new detail to check
        if how is Reading.OWN and context is not None and self._details_of_subject(analysis, context):
            how = Reading.DETAIL  # "the xray says calcific tendinitis in my shoulder" ... "the shoulder pain"
            units = [*known_subject(analysis, table), *details(analysis)]
            said_before = all(u in self._said for u in units)  # the user's own words, not the fact's
        setting_of = None
        if how is Reading.OWN and context is not None:
            setting_of = self._subject_set_in(text, analysis, context)
        if setting_of is not None and context is not None:
            # "MO treatment" ... "in the upper arm, after an elbow dislocation in judo": the
            # setting's everyday words tell, like a story's, they ask nothing unknown.
            how = Reading.INHERIT
            # They only narrow the question: the subject and the aspect asked outweigh them.
            mass = sum(analysis.weights[u] for u in analysis.stems)
            scale = min(1.0, SETTING_SHARE * sum(setting_of.weights[u] for u in setting_of.stems) / mass)
            weights = {u: w * scale for u, w in analysis.weights.items()}
            analysis = dataclasses.replace(analysis, unknown=(), weights=weights)
            aspects = context.aspects or aspects  # and it asks the last question's aspects
        if how is Reading.OWN and context is not None and own.kind != "smalltalk":
            compared = self._compared_with_subject(question, analysis, aspects, context)
            if compared is not None:
                return compared
        if context is None or own.kind == "smalltalk" or how is Reading.OWN:
            return self._remember(own, analysis, on_its_own=True)
        fragment = is_fragment(text, analysis, table)
        asked = strong_aspects(analysis, table) if fragment else analysis.aspects
        if asks_nothing(text, analysis):
            # "Tell me more", "and?": the subject's other facts, not the one just read again.
            combined = with_subject(
                analysis, context.subject(self.fact_subject_terms, self.kb.analyze), aspects
            )
            ranked = self.kb.match_analysis(combined, limit=FOLLOW_UP_DEPTH).ranked
            last_id = context.fact.id if context.fact is not None else None
            others = Match(query=combined, ranked=tuple(s for s in ranked if s.fact.id != last_id))
            options = did_you_mean(question, others, self.kb.about.texts)
            return self._remember(
                options or own, combined if options else analysis, on_its_own=options is None
            )
        resolved, combined = self._answer_with_subject(question, analysis, aspects, context, asked, fragment)
        if how is Reading.DETAIL and not said_before:
            fact = self.kb.get(resolved.fact_id) if resolved.kind == "fact" and resolved.fact_id else None
            if fact is None or self.kb.mentions(fact, details(analysis)) < DETAIL_MENTIONED:
                # "what about a general anaesthetic?" may add a detail to the subject; a detail
                # the fact found never mentions was not about the subject after all. But a
                # message that points back and asks an aspect ("will it go away or am I stuck
                # with it for life?") is about the subject whatever its everyday words, when on
                # its own it has none.
                leans = own.kind != "fact" and refers_back(text) and strong_aspects(analysis, table)
                if not (leans and fact is not None):
                    return self._remember(own, analysis, on_its_own=True)
        if not resolved.found and own.kind == "fact" and own.fact_id is not None:
            fact = self.kb.get(own.fact_id)
            if fact is not None and self._about_subject(fact, context):
                # Read alone it found a fact of the subject after all (a general one).
                return self._remember(own, analysis, on_its_own=True)
        # Read alone, it has no subject: whatever it found there is about something else.
        return self._remember(resolved, combined, on_its_own=False)

    def _compared_with_subject(
        self, question: str, analysis: Analysis, aspects: tuple[str, ...], context: Context
    ) -> Answer | None:
        """After FOP, "and myositis ossificans, is that related or a different thing?" compares
        the condition it names with the last subject: asked alone, it could be compared with
        anything. Only a question of difference that names one condition of ours, another than
        the last subject's, is read so; None otherwise, or when that finds no fact."""
        if "difference" not in analysis.aspects:
            return None
        conditions = self.kb.conditions
        named = [u for u in known_subject(analysis, self.kb.aspects) if u in conditions]
        subject = context.subject(self.fact_subject_terms, self.kb.analyze)
        before = [u for u in subject.stems if u in conditions]
        if len(named) != 1 or not before or named[0] in before:
            return None
        # Compared with the last condition, not with all that was said of it ("Brooker grade 2").
        combined = with_subject(analysis, self.kb.analyze(" ".join(before)), aspects)
        resolved = self.kb.answer_analysis(question, combined)
        if resolved.kind != "fact":
            return None
        return self._remember(resolved, analysis, on_its_own=True)

    def _answer_with_subject(
        self,
        question: str,
        analysis: Analysis,
        aspects: tuple[str, ...],
        context: Context,
        asked: tuple[str, ...],
        fragment: bool,
    ) -> tuple[Answer, Analysis]:
        """The answer to a follow-up read with the last subject, and the reading used.

        The fact just given comes again only to a follow-up that asks, in its own words, what
        that fact answers ("what about swimming?" after the sport fact), or that says nothing
        new ("how would I know?"): the user has read it. A follow-up that asks an aspect gets a
        fact of that aspect about the subject; failing one, about the topic the subject belongs
        to (CREST syndrome's diet question gets scleroderma's diet fact); failing that, "did you
        mean" with the nearest facts, never a fact of another aspect (the subject's definition)."""
        subject = context.subject(self.fact_subject_terms, self.kb.analyze)
        combined = with_subject(analysis, subject, aspects)
        everything = list(self.kb.match_analysis(combined, limit=FOLLOW_UP_DEPTH).ranked)
        ranked = self._without_last(everything, context, analysis, asked, fragment)
        # A fragment asks the last question again ("and in children?" after a definition asks
        # for the definition), even when that question's aspect is a weak one.
        asked_aspects = combined.aspects if fragment else strong_aspects(combined, self.kb.aspects)
        if not asked_aspects:
            last = context.fact
            if last is not None and self._asked_before(last, analysis):
                # "Who is allowed to take it?" after "what is palovarotene and who can take it?".
                last_id = last.id
                again = fitting_first(everything, lambda s: s.fact.id == last_id)
                if again is not None:
                    return self._decide(question, combined, again), combined
            return self._decide(question, combined, ranked), combined
        words = aspect_words(self.kb.aspects, asked_aspects)
        cues = sorted(words & analysis.cue_stems)

        # "And in children?": a fact that never mentions children does not answer it.
        narrowed = analysis.qualifiers

        def declared(s: ScoredFact) -> bool:  # a fact of the aspect, about the subject
            return (
                s.aspect_fit >= NEAR_FIT
                and self._mentions_most(s.fact, subject)
                and self.kb.mentions(s.fact, narrowed) == 1.0
            )

        def speaks_to(s: ScoredFact) -> bool:  # one about the subject whose words answer it
            if not self._mentions_most(s.fact, subject) or self.kb.mentions(s.fact, narrowed) < 1.0:
                return False
            if cues and self.kb.mentions(s.fact, cues) == 1.0:
                return True  # the very words the follow-up asks with ("treated")
            return self.kb.mentions(s.fact, words) * len(words) >= ASPECT_WORDS_SPOKEN

        # The fact just given counts again when its own words answer what is now asked.
        for fits, among in ((declared, ranked), (speaks_to, everything)):
            ordered = fitting_first(among, fits)
            if ordered is not None:
                return self._decide(question, combined, ordered), combined
        last, topic = context.fact, context.topic(self.kb.analyze)
        if last is not None and topic is not None:
            # A fact of the aspect under the topic the subject's fact belongs to.
            broad = with_subject(analysis, topic, aspects)
            in_topic = self._without_last(
                list(self.kb.match_analysis(broad, limit=FOLLOW_UP_DEPTH).ranked),
                context,
                analysis,
                asked,
                fragment,
            )
            ordered = fitting_first(
                in_topic,
                lambda s: (
                    s.aspect_fit >= NEAR_FIT
                    and s.fact.topic == last.topic
                    and self.kb.mentions(s.fact, narrowed) == 1.0
                ),
            )
            if ordered is not None:
                return self._decide(question, broad, ordered), broad
        options = did_you_mean(question, Match(query=combined, ranked=tuple(ranked)), self.kb.about.texts)
        return (options or self._decide(question, combined, ranked)), combined

    def _without_last(
        self,
        ranked: list[ScoredFact],
        context: Context,
        analysis: Analysis,
        asked: tuple[str, ...],
        fragment: bool,
    ) -> list[ScoredFact]:
        """The ranking without the fact just given, unless the follow-up asks what that fact
        answers (its aspect, in the follow-up's own words), says nothing new ("how would I
        know?"), or only adds what that fact mentions ("what about a general anaesthetic?"
        after the surgery fact)."""
        last = context.fact
        if last is None or set(asked) & set(self.kb.fact_aspects(last)):
            return ranked
        if not asked and not analysis.stems:
            return ranked
        added = [u for u in analysis.stems if u not in GENERAL_WORDS]
        if fragment and added and self.kb.mentions(last, added) == 1.0:
            return ranked
        return [s for s in ranked if s.fact.id != last.id]

    def _asked_before(self, fact: Fact, analysis: Analysis) -> bool:
        """Whether a fact's own question already asked what a follow-up that names no aspect
        asks: it uses at least ASKED_BEFORE of the follow-up's words."""
        asked = {stem(w) for w in normalize(fact.question).split()}
        said = analysis.stems
        return bool(said) and sum(u in asked for u in said) >= ASKED_BEFORE * len(said)

    def _decide(self, question: str, combined: Analysis, ranked: list[ScoredFact]) -> Answer:
        return self.kb.decide(question, Match(query=combined, ranked=tuple(ranked[:DECIDE_DEPTH])))

    def _mentions_most(self, fact: Fact, subject: Analysis) -> bool:
        """Whether a fact is about a subject: its words carry most of the subject's weight."""
        share = subject_share(subject, lambda unit: self.kb.mentions(fact, [unit]) == 1.0)
        return share >= SUBJECT_FITS

    def _about_subject(self, fact: Fact, context: Context) -> bool:
        """Whether a fact is about the conversation's subject."""
        return self._mentions_most(fact, context.subject(self.fact_subject_terms, self.kb.analyze))

    def reset(self) -> None:
        """Forget the subject and the choices on offer."""
        with self._lock:
            self.last = None
            self._context = None
            self._offered = None
            self._suspended = None
            self._earlier = []  # nothing forgotten can be come back to

    def _triage_context(self) -> str:
        """What a message may be completing, for triage: the subject and the last question."""
        if self._context is None or self.last is None:
            return ""
        fact = self._context.fact
        topic = fact.topic if fact is not None else " ".join(self._context.named)
        return f"{topic}. {self.last.question}"

    def _remember(
        self, answer: Answer, analysis: Analysis | None = None, *, on_its_own: bool = True
    ) -> Answer:
        """Keep the answer, and what the conversation is now about: the subject the user named
        (as far as the fact given mentions it), else the fact's own subject; a message that
        leant on the last subject keeps it; one that named only something unknown ends it."""
        self.last = answer
        fact = self.kb.get(answer.fact_id) if answer.kind == "fact" and answer.fact_id else None
        aspects = analysis.aspects if analysis is not None else ()
        if fact is not None and not aspects:
            aspects = self.kb.fact_aspects(fact)
        context = self._context
        if not on_its_own and context is not None:
            given = fact if fact is not None else context.fact
            self._context = dataclasses.replace(context, aspects=aspects or context.aspects, fact=given)
            if analysis is not None:
                self._said.update(analysis.stems)
                self._said_words.update(analysis.normalized.split())
            return answer
        named = known_subject(analysis, self.kb.aspects) if analysis is not None else ()
        if fact is not None:
            named = tuple(u for u in named if self.kb.mentions(fact, [u]) == 1.0)
        else:
            named = core_subject(named, self.kb.conditions)
        if named and analysis is not None:
            self._context = Context(subject_words_of(analysis, named), fact, aspects)
            self._start(analysis, context)
        elif fact is not None:
            self._context = Context((), fact, aspects)
            self._start(analysis, context)
        elif (
            analysis is not None and analysis.unknown_subject and not answer.found and _asks(answer.question)
        ):
            # "what about my cat?": the old subject is no longer the subject. A message that asks
            # nothing ("my brother is a para, 2 months post injury") only adds to it.
            if context is not None:
                self._suspended = (context, self._words_of(context) | self._said)
            self._context = None
        return answer

    def _start(self, analysis: Analysis | None, before: Context | None = None) -> None:
        """A new subject: no earlier one to come back to, and only this message said of it.
        The subject before it is kept, to come back to by name."""
        if before is not None and before is not self._context:
            said = self._words_of(before) | self._said | self._said_words
            self._earlier = [*self._earlier, (before, said)][-EARLIER_KEPT:]
        self._suspended = None
        self._said = set(analysis.stems) if analysis is not None else set()
        self._said_words = set(analysis.normalized.split()) if analysis is not None else set()

    def _subject_set_in(self, text: str, analysis: Analysis, context: Context) -> Analysis | None:
        """The subject, when a message only sets the last question in a place or a situation:
        it opens with "in", "after", "on" or the like, asks no aspect of its own and no
        question, and names none of our conditions while the subject is one ("MO treatment" ...
        "in the upper arm, brachialis, after an elbow dislocation in judo" asks how MO is
        treated there). None otherwise."""
        if not only_sets(text, analysis, self.kb.aspects):
            return None
        conditions = self.kb.conditions
        if any(u in conditions for u in known_subject(analysis, self.kb.aspects)):
            return None
        subject = context.subject(self.fact_subject_terms, self.kb.analyze)
        return subject if any(u in conditions for u in subject.stems) else None

    def _details_of_subject(self, analysis: Analysis, context: Context) -> bool:
        """Whether everything a message names was said of the subject so far, or is spoken of
        by the last fact: "the xray says calcific tendinitis in my shoulder" ... "how long does
        the shoulder pain last?" details the subject, it asks no question of its own."""
        units = [*known_subject(analysis, self.kb.aspects), *details(analysis)]
        if not units or analysis.unknown_subject:
            return False
        fact = context.fact
        return all(
            u in self._said or (fact is not None and self.kb.mentions(fact, [u]) == 1.0) for u in units
        )

    def _words_of(self, context: Context) -> frozenset[str]:
        """The content units of a subject and of the question that set it."""
        units = set(context.subject(self.fact_subject_terms, self.kb.analyze).stems)
        if context.fact is not None:
            units |= set(self.kb.analyze(context.fact.question).stems)
        return frozenset(units)

    def _returned(self, text: str, context: Context | None) -> Context | None:
        """The earlier subject a message comes back to by a clause of its own ("ok back to my
        daughter - ...", "going back to my first question, ..."): the latest one whose words
        the clause uses, or the first one for "my first question"; None when none matches."""
        clause = back_to_clause(text)
        if clause is None or not self._earlier:
            return None
        words = set(normalize(clause).split())
        if words & {"first", "original", "earlier"} and words & {"question", "one", "thing", "subject"}:
            return self._earlier[0][0]
        # Its meaningful words, stemmed and as the knowledge base reads them ("back to FOP" names
        # the words said then: "fibrodysplasia ossificans progressiva"), but not those of coming
        # back, nor "the", "my" or "ok", which were said of every subject.
        read = self.kb.analyze(clause)
        units = {stem(w) for w in content_words(list(words))} | set(read.stems)
        units |= set(content_words(read.normalized.split()))
        units -= _COMING_BACK
        units |= words & _PEOPLE_WORDS  # "back to my daughter": who it was about
        for earlier, said in reversed(self._earlier):
            if earlier is not context and units & said:
                return earlier
        return None

    def _resumed(self, analysis: Analysis) -> Context | None:
        """The subject an off-topic question ended, when a message comes back to it: it names
        nothing unknown, and every subject word it names, and at least one word, was said of
        the old subject ("the weather in Manchester?" ... "ok, back to the lump: when can he
        play again?"). "Is it contagious?" after "what about my cat?" names none: it is about
        the cat, and stays unanswered."""
        if self._suspended is None:
            return None
        old, words = self._suspended
        named = known_subject(analysis, self.kb.aspects)
        if analysis.unknown_subject or not set(analysis.stems) & words or not set(named) <= words:
            return None
        self._suspended = None
        return old

    def subject_terms(self) -> list[str]:
        """The words of what the conversation is about ("calcinosis dermatomyositis"), or []."""
        with self._lock:
            return [] if self._context is None else list(self._context.words(self.fact_subject_terms))

    def fact_subject_terms(self, fact: Fact) -> list[str]:
        """What a fact is about: its declared subject, else its named terms ("myositis
        ossificans", "calciphylaxis") rather than what was asked about them ("go away",
        "cause"), so "is it cancer?" stays on the subject and not on the last question."""
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


def _asks(message: str) -> bool:
    """Whether any sentence of a message asks something."""
    return any(_asks_sentence(s) for s in split_sentences(message) or [message])
