"""Triage: recognise a message that reports an emergency, a crisis or an urgent sign, before any
fact is matched, so that a person in danger is told what to do now instead of "I don't know".

A rule (``triage.yaml``, see ``TriageRule``) holds patterns; a pattern is a set of concepts that
must all be present somewhere in the message, in any order; a concept is a list of alternative
phrases. A phrase matches the message's words in order, stemmed, with a few words allowed in
between ("chest pain" matches "my chest is in so much pain"). The message goes through the same
normalisation, typo repair and synonyms as a question does.

Not every mention is a report. A mention does not count when it is:

* negated: "no chest pain", "she isn't having trouble breathing", "not suicidal" (a negation
  reaches a few words forward within its clause; "I don't know why I want to die" is not a
  negation of "want to die", because a new subject starts in between);
* asked about: "can calcification cause chest pain?", "what are the signs of a stroke?" (a
  word such as cause, sign, symptom or treatment comes before the mention in its clause);
* in the past, for emergencies and crises: "my dad had a heart attack years ago";
* for same-day (``urgent``) signs of our own topic, also hypothetical or general: "what should I
  do if a leg swells after surgery?", "what should someone on dialysis do about painful sores?"
  are questions about urgency, answered from the facts (which are themselves marked urgent).

Emergencies and crises are kept even in general questions: "what do I do, someone is choking"
is better answered with the emergency number than with "I don't know".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from myoqa.analysis import english_words
from myoqa.errors import Problem
from myoqa.models import Fact, Severity, TriageRule
from myoqa.normalize import STOPWORDS, normalize
from myoqa.text import Speller, SynonymTable, stem_keeping_doubles


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MAX_CHARS = 2000
"""Only the start of a very long message is read; an emergency is said early."""

REPAIR_CACHE = 4096
"""Typo repairs remembered per triage: a long message repeats its words, and a conversation's
later turns are checked again with the earlier ones as context."""

MAX_GAP = 4
"""Words allowed between two consecutive words of a phrase ("chest ... pain")."""

NEGATION_REACH = 5
"""How many words before a mention a negation may stand and still apply to it."""

NEGATORS = _words(
    """
    no not never nor neither without isnt arent wasnt werent dont doesnt didnt havent hasnt
    hadnt wont wouldnt shouldnt aint none nothing nobody denies deny denied
    """
)
"""Words that negate what follows. "can't", "cannot" and "unable" are not among them: "can't
breathe" and "can't wake him" are the emergencies themselves."""

FILLERS = _words("really properly even at all just very so normally well anymore any more now keep to")

OPTIONAL = _words("a an the of in on at to into from with for my is are was has have had been be")
"""Small words a message may leave out of a pattern phrase (see ``_phrase``)."""
"""The only words allowed inside a phrase that itself holds a negation ("not really breathing"),
so that "isn't having trouble breathing" never reads as "isn't breathing"."""

_BELIEF = _words("think believe reckon feel suppose")
"""After "don't think" a negation reaches past a new subject: "I don't think I'm having a stroke"."""

_SUBJECTS = _words("i im ive id he hes she shes we they theyre it its")
"""A new subject ends the reach of a negation: "I don't know why | I want to die"."""

ABOUT = _words(
    """
    cause causes causing lead leads result results trigger triggers sign signs symptom symptoms
    warning risk risks chance chances treatment treatments prevent prevents prevention
    avoid mean means difference linked link links associated related connection connected define
    definition likely common typical treated prognosis mortality prevalence normal usual
    """
)
"""Words that make a following mention the subject of a question rather than a report."""

_REPORTING = _words("have having has had got getting showing shows experiencing all these the")
"""Before an ABOUT word these turn it back into a report: "I'm having symptoms of a stroke"."""

_PAST_PHRASES = (
    ("years", "ago"),
    ("year", "ago"),
    ("months", "ago"),
    ("month", "ago"),
    ("decades", "ago"),
    ("last", "year"),
    ("last", "month"),
    ("used", "to"),
    ("history", "of"),
    ("in", "the", "past"),
    ("when", "i", "was"),
    ("as", "a", "child"),
    ("as", "a", "teenager"),
    ("survived",),
    ("recovered",),
    ("previous",),
    ("previously",),
    ("survivor",),
    ("survivors",),
)
"""Clause markers of an event long over: a heart attack "years ago", "as a child"."""

_SINCE = _words("since after following post")
"""Right before a mention (with a possessive between at most), an event that is over: "paralysed
since his stroke", "HO after my head injury"; "suicidal since my diagnosis" is not one."""

GENERIC = _words(
    "people patients someone somebody person persons anyone anybody children kids adults sufferers"
)
"""The subjects of a question asked in general ("why do people with FOP have trouble breathing?")."""

_GENERAL_OPENERS = _words("why how does do can could are is will would which")

IDIOMS = (
    ("choking", "up"),
    ("choked", "up"),
    ("killing", "me"),
    ("dying", "to"),
    ("to", "death"),
    ("gave", "me", "a", "heart", "attack"),
    ("give", "me", "a", "heart", "attack"),
    ("giving", "me", "a", "heart", "attack"),
    ("have", "a", "heart", "attack", "when"),
    ("died", "laughing"),
    ("dead", "tired"),
    ("kill", "for"),
)
"""Figures of speech with alarming words; their words are set aside before any rule is tried."""

_ABOUT_PHRASES = (
    ("can", "you"),
    ("could", "you"),
    ("can", "someone"),
    ("can", "people"),
    ("how", "much"),
    ("how", "many"),
    ("is", "it", "possible"),
    ("possible", "to"),
    ("how", "long"),
    ("what", "is"),
    ("what", "are"),
    ("what", "does"),
    ("whats",),
)
"""Frames of a general question: "can you overdose on vitamin D?", "how much is too much?"."""

_URGENCY_WORDS = _words(
    "emergency emergencies urgent urgently prognosis worry worried hospital ambulance er doctor gp 999 911 112"
)
"""In a general question, these make it a question about urgency ("is trouble breathing in FOP an
emergency?"), which the facts answer, rather than a report."""

_CONDITIONAL = _words("if unless should")
_MODAL = _words("can could would might may will")
"""For urgent signs of our topic: a mention after these is a question about urgency."""
PERSONAL = _words(
    """
    i im ive id me my mine myself we our ours us he hes him his himself she shes her hers
    herself mum mom mummy mommy dad daddy son daughter husband wife partner baby toddler brother
    sister grandma grandmother grandad grandfather granny nan aunt uncle friend boyfriend
    girlfriend
    """
)
"""Words that show a message is about a real person rather than a general question."""

_QUESTION_WORDS = _words("what when how why which who where can could does do is are should will would whats")
_CLAUSE_BREAK = re.compile(
    r"[.!?;:,()\[\]\n]+|\s[-–—]+\s|\b(?:but|however|although|though|except|yet)\b", re.I
)
_PREFIXES = ("over", "under", "out", "un", "re", "pre", "self", "mis")
_DIGIT_UNIT = re.compile(r"(\d)([a-z])")  # "5cm" -> "5 cm"
_SEVERITY_ORDER: dict[Severity, int] = {"emergency": 0, "crisis": 1, "urgent": 2}


@dataclass(frozen=True)
class _Phrase:
    stems: tuple[str, ...]
    negated: bool  # the phrase holds a negation itself ("not breathing", "won't wake up")
    optional: tuple[bool, ...] = ()  # small words a message may leave out ("pain in chest")
    # the stems every occurrence holds (all but the optional ones): a clause without one of
    # them cannot hold the phrase, so it is not searched
    required: frozenset[str] = frozenset()

    def skippable(self, index: int) -> bool:
        return bool(self.optional) and self.optional[index]


def _starts(phrase: _Phrase) -> set[str]:
    """The stems a match of ``phrase`` can begin with."""
    required = [s for i, s in enumerate(phrase.stems) if not phrase.skippable(i)]
    starts = {required[0]}
    if len(phrase.stems) == 2 and not phrase.negated:
        starts.add(phrase.stems[1])
    return starts


def _phrase(words: list[str]) -> _Phrase:
    """A pattern phrase: its words as the message's are read (lemma, person, stem); articles,
    prepositions and the like may be left out when two or more other words remain, so "half
    of my face numb" also matches "half my face is numb" but "end it all" stays whole."""
    stems = tuple(_unit(w) for w in words)
    optional = tuple(w in OPTIONAL for w in words)
    if sum(not o for o in optional) < 2:
        optional = ()
    required = frozenset(s for i, s in enumerate(stems) if not (optional and optional[i]))
    return _Phrase(stems, any(w in NEGATORS for w in words), optional, required)


@dataclass(frozen=True)
class _Pattern:
    concepts: tuple[tuple[_Phrase, ...], ...]
    # per concept, the stems any of its phrases can start with (2-word phrases: either word)
    firsts: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class TriageHit:
    """A rule that fired, and the phrase of each concept that was found (for ``/why``)."""

    rule: TriageRule
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class _Clause:
    words: tuple[str, ...]
    stems: tuple[str, ...]
    past: bool
    units: frozenset[str] = frozenset()  # the stems, as a set


class Triage:
    """Checks a message against triage rules; immutable and thread-safe once built."""

    def __init__(
        self,
        rules: Sequence[TriageRule],
        *,
        synonyms: Mapping[str, Iterable[str]] | None = None,
        vocabulary: Iterable[str] = (),
    ) -> None:
        # Most severe first; within a severity, our own topic's rules (more specific: "trouble
        # breathing" in FOP) before the general ones.
        self._rules = tuple(sorted(rules, key=lambda r: (_SEVERITY_ORDER[r.severity], r.general)))
        self._synonyms = SynonymTable(synonyms or {})
        pattern_words: set[str] = set()
        compiled: list[tuple[_Pattern, ...]] = []
        for rule in self._rules:
            patterns = []
            for pattern in rule.concepts:
                concepts = []
                for alternatives in pattern:
                    phrases = []
                    for alternative in alternatives:
                        words, _, _ = self._synonyms.apply(normalize(alternative).split())
                        pattern_words.update(words)
                        phrases.append(_phrase(words))
                    concepts.append(tuple(p for p in phrases if p.stems))
                firsts = tuple(frozenset(w for p in c for w in _starts(p)) for c in concepts)
                patterns.append(_Pattern(tuple(concepts), firsts))
            compiled.append(tuple(patterns))
        self._compiled = tuple(compiled)
        self._pattern_words = frozenset(w for w in pattern_words if not w.isdigit())
        self._anagrams: dict[str, str] = {}
        for w in sorted(self._pattern_words):
            self._anagrams.setdefault("".join(sorted(w)), w)
        known = set(vocabulary) | self._pattern_words | STOPWORDS | NEGATORS | FILLERS
        self._known = frozenset(known)
        self._speller = Speller(w for w in known if not w.isdigit())
        self._pattern_speller = Speller(self._pattern_words)
        self._repaired = lru_cache(maxsize=REPAIR_CACHE)(self._repair)
        self._last: tuple[str, tuple[_Clause, ...]] | None = None  # replaced whole: thread-safe

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        del state["_repaired"]  # a cache of a bound method is neither picklable nor worth keeping
        del state["_last"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._repaired = lru_cache(maxsize=REPAIR_CACHE)(self._repair)
        self._last = None

    @property
    def rules(self) -> tuple[TriageRule, ...]:
        """The rules, most severe first."""
        return self._rules

    def __len__(self) -> int:
        return len(self._rules)

    def check(self, message: str, *, context: str = "") -> TriageHit | None:
        """The most severe rule the message reports, or None.

        ``context`` (in a conversation, the subject so far, e.g. "FOP") may supply a concept a
        rule needs, but never a whole pattern: the message itself must report something.
        """
        if not self._rules or not message.strip():
            return None
        text = message[:MAX_CHARS]
        clauses = list(self._clauses(text))
        if not clauses:
            return None
        all_words = [w for c in clauses for w in c.words]
        general = not _personal(all_words) and _is_question(text, all_words)
        if general and all_words[0] in _GENERAL_OPENERS and set(all_words) & GENERIC:
            return None  # "why do people with FOP have trouble breathing?": asked in general
        about_urgency = general and bool(set(all_words) & _URGENCY_WORDS)
        own = len(clauses)
        if context.strip():
            clauses += [c for c in (self._clause(part) for part in _CLAUSE_BREAK.split(context)) if c.words]
        present = frozenset().union(*(c.units for c in clauses))
        for rule, patterns in zip(self._rules, self._compiled, strict=True):
            if rule.severity == "urgent" and general:
                continue  # a general question about an urgent sign of our topic: the facts answer it
            if rule.severity == "emergency" and about_urgency:
                continue  # "when is chest pain an emergency?" asks about urgency; it reports none
            for pattern in patterns:
                evidence = self._find(pattern, clauses, present, own, rule.severity, general)
                if evidence is not None:
                    return TriageHit(rule, evidence)
        return None

    def _clauses(self, text: str) -> tuple[_Clause, ...]:
        """The clauses of a message that hold words. A conversation checks each message twice
        (alone, then with its subject as context), so the last message's are kept."""
        last = self._last
        if last is not None and last[0] == text:
            return last[1]
        clauses = tuple(c for c in (self._clause(part) for part in _CLAUSE_BREAK.split(text)) if c.words)
        self._last = (text, clauses)
        return clauses

    def _clause(self, text: str | None) -> _Clause:
        if not text:
            return _Clause((), (), False)
        known = self._known
        repaired = self._repaired
        words = [
            word if word in known else repaired(word)
            for word in _DIGIT_UNIT.sub(r"\1 \2", normalize(text)).split()
        ]
        canonical, _, _ = self._synonyms.apply(_mask_idioms(words))
        past = _has_past_marker(canonical)
        units = {w: _unit(w) for w in set(canonical)}  # a long message repeats its words
        stems = tuple(units[w] for w in canonical)
        return _Clause(tuple(canonical), stems, past, frozenset(stems))

    def _repair(self, word: str) -> str:
        """The pattern word an unknown word is a typo of, else the word itself."""
        if word in self._known or word.isdigit() or len(word) < 2 or self._compound(word):
            return word
        if (
            self._pattern_speller.correct(word) is None
            and self._swapped(word) is None
            and self._moved(word) is None
        ):
            # No pattern word is near it, so whatever the nearest known word is, it would not be
            # taken (the nearest of all, were it a pattern word, is also the nearest of those):
            # a large knowledge base's vocabulary need not be searched.
            return word
        fixed = self._speller.correct(word) or self._swapped(word) or self._moved(word)
        if fixed is None or fixed not in self._pattern_words or not plausible_typo(word, fixed):
            return word
        if OSA.distance(word, fixed) > 1 and word in english_words():
            return word  # "sparring" is a word of its own, not two slips from "slurring"
        return fixed

    def _compound(self, word: str) -> bool:
        """A prefix and a known word ("overdoing" = over + doing): a real word, not a typo."""
        for prefix in _PREFIXES:
            rest = word[len(prefix) :]
            if word.startswith(prefix) and len(rest) >= 3 and rest in self._known:
                return True
        return False

    def _moved(self, word: str) -> str | None:
        """A pattern word with one letter typed in the wrong place ("tounge", "siezure"): the
        same letters, at most two edits away."""
        if len(word) < 5:
            return None
        candidate = self._anagrams.get("".join(sorted(word)))
        if candidate is not None and Levenshtein.distance(word, candidate) <= 2:
            return candidate
        return None

    def _swapped(self, word: str) -> str | None:
        """A short pattern word typed with two letters swapped ("pian", "cuty"): too short for
        the speller, but a swap is the commonest slip."""
        for i in range(len(word) - 1):
            candidate = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if candidate in self._pattern_words:
                return candidate
        return None

    def _find(
        self,
        pattern: _Pattern,
        clauses: list[_Clause],
        present: frozenset[str],
        own: int,
        severity: Severity,
        general: bool,
    ) -> tuple[str, ...] | None:
        """The evidence for each concept, or None; ``clauses[:own]`` are the message's own and
        ``present`` holds the stems of all of them."""
        if any(firsts.isdisjoint(present) for firsts in pattern.firsts):
            return None  # some concept has none of its words: no need to look closer
        evidence = []
        from_message = False
        for concept in pattern.concepts:
            found = next(
                (
                    (" ".join(clause.words[i] for i in span), index < own)
                    for phrase in concept
                    for index, clause in enumerate(clauses)
                    if phrase.required <= clause.units
                    for span in _occurrences(phrase, clause)
                    if (
                        not _negated(clause.words, span[0])
                        if index >= own  # context only names the condition: "is FOP fatal?"
                        else _asserted(clause, span, severity)
                        and (severity == "crisis" or not (general and _asks_about(clause)))
                    )
                ),
                None,
            )
            if found is None:
                return None
            evidence.append(found[0])
            from_message = from_message or found[1]
        return tuple(evidence) if from_message else None


def _personal(words: list[str]) -> bool:
    """Whether the message is about a real person: "my leg", "he fell", "I have", but not the
    "I" of "when should I go to A&E?", which asks in general."""
    for i, word in enumerate(words):
        if word in PERSONAL:
            inverted = word in ("i", "we") and i > 0 and words[i - 1] in _QUESTION_WORDS
            if not inverted:
                return True
    return False


def _is_question(text: str, words: list[str]) -> bool:
    return text.rstrip().endswith("?") or words[0] in _QUESTION_WORDS


def _by_first_word(phrases: Iterable[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases filed under their first word (in their order), so a word that starts none is
    passed at once."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        out.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(group) for first, group in out.items()}


_PAST_BY_FIRST = _by_first_word(_PAST_PHRASES)


def _has_past_marker(words: list[str]) -> bool:
    present = set(words)
    if present.isdisjoint(_PAST_BY_FIRST) and not any(_is_year(w) for w in present):
        return False  # no marker can start anywhere
    for i in range(len(words)):
        for phrase in _PAST_BY_FIRST.get(words[i], ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                return True
        if _is_year(words[i]):
            return True  # "in 2019"
    return False


def _is_year(word: str) -> bool:
    return word.isdigit() and len(word) == 4 and word[:2] in ("19", "20")


def _occurrences(phrase: _Phrase, clause: _Clause) -> Iterable[tuple[int, ...]]:
    """Every span of word positions where ``phrase`` occurs in ``clause``: in order, or for a
    phrase of two words in either order ("chest tightness", "tightness across my chest")."""
    yield from _in_order(phrase, clause)
    if len(phrase.stems) == 2 and not phrase.negated and phrase.stems[0] != phrase.stems[1]:
        yield from (
            tuple(sorted(span))
            for span in _in_order(_Phrase(phrase.stems[::-1], False, phrase.optional[::-1]), clause)
        )


def _in_order(phrase: _Phrase, clause: _Clause) -> Iterable[tuple[int, ...]]:
    stems = clause.stems
    first_index = next(i for i in range(len(phrase.stems)) if not phrase.skippable(i))
    first = phrase.stems[first_index]
    for start, s in enumerate(stems):
        if s != first:
            continue
        span = [start]
        position = start
        for index in range(first_index + 1, len(phrase.stems)):
            target = phrase.stems[index]
            limit = min(len(stems), position + 2 + MAX_GAP)
            nxt = None
            for j in range(position + 1, limit):
                if stems[j] == target:
                    nxt = j
                    break
                if phrase.negated and clause.words[j] not in FILLERS and clause.words[j] not in OPTIONAL:
                    break  # a negated phrase takes no inserted words but small ones
            if nxt is None:
                if phrase.skippable(index):
                    continue
                break
            span.append(nxt)
            position = nxt
        else:
            yield tuple(span)


def _asserted(clause: _Clause, span: tuple[int, ...], severity: Severity) -> bool:
    """Whether the mention at ``span`` reports something, rather than denying or asking about it."""
    words = clause.words
    start, end = span[0], span[-1]
    if _negated(words, start):
        return False
    if any(words[i] in NEGATORS for i in range(start, end + 1) if i not in span):
        return False  # "my lips aren't blue"
    if severity != "urgent" and _after_event(words, start):
        return False  # "since his stroke": an event that is over
    before = words[max(0, start - 3) : start]
    if any(w in _COUNTERFACTUAL for w in before):
        return False  # "I nearly choked on my coffee"
    if severity == "urgent" and any(w in _FEARED for w in words[max(0, start - 2) : start]):
        return False  # "I'm scared of falls": a fear, not an event
    if any(w in _FICTION for w in words[max(0, start - 2) : start]):
        return False  # "my character keeps bleeding out"
    if severity == "emergency" and any(w in _INTENT for w in before):
        return False  # "thinking about taking all my pills" is a crisis, not yet a poisoning
    if severity == "crisis":
        return not clause.past  # asking how to die is itself a crisis: no "asked about" frames
    # "can calcium deposits in the chest wall cause pain?": asked about, inside the mention too.
    if any(words[i] in ABOUT for i in range(start, end + 1) if i not in span):
        return False
    # "can a fall trigger a flare-up?", "is chest pain a sign of ...": asked about, just after.
    if any(w in ABOUT for w in words[end + 1 : end + 3]):
        return False
    new_subject = False
    for i in range(start - 1, -1, -1):
        word = words[i]
        if word in _SUBJECTS or word in PERSONAL:
            new_subject = True  # "can you help, I took too many pills": the frame is over
        if severity == "urgent" and word in _CONDITIONAL:
            return False  # "what should I do if my leg swells after surgery?"
        if new_subject:
            continue
        if word in ABOUT and not any(w in _REPORTING for w in words[max(0, i - 3) : i]):
            return False
        if any(tuple(words[i : i + len(p)]) == p for p in _ABOUT_PHRASES):
            return False
        if severity == "urgent" and word in _MODAL:
            return False  # "my son has FOP; can a fall set off a flare-up?"
    return not (severity != "urgent" and clause.past)


_POSSESSIVES = _words("my his her their our your")

_LEMMAS = {
    **dict.fromkeys(_words("took taken taking takes"), "take"),
    **dict.fromkeys(_words("ate eaten eating eats"), "eat"),
    **dict.fromkeys(_words("fell fallen falling falls"), "fall"),
    **dict.fromkeys(_words("drank drunk drinking drinks"), "drink"),
    **dict.fromkeys(_words("grew grown growing grows"), "grow"),
    **dict.fromkeys(_words("swollen swelled swelling swells"), "swell"),
    **dict.fromkeys(_words("living lived lives"), "live"),
    **dict.fromkeys(_words("dying died dies dead"), "die"),
    **dict.fromkeys(_words("gave given giving gives"), "give"),
    **dict.fromkeys(_words("woke woken waking wakes"), "wake"),
    **dict.fromkeys(_words("broke broken breaking"), "break"),
    **dict.fromkeys(_words("bled bleeding bleeds"), "bleed"),
    **dict.fromkeys(_words("himself herself themselves themself"), "myself"),
    **dict.fromkeys(_words("his their"), "my"),
}
"""Irregular forms the suffix stemmer cannot meet ("took" and "taking" are "take"), and other
people's pronouns read as one's own, so "he wants to kill himself" is "kill myself" and "she hit
her head" is "hit my head". "her" stays: it is also an object ("wake her")."""


def _unit(word: str) -> str:
    """How a word is compared: its lemma, else its stem."""
    return _LEMMAS.get(word) or stem_keeping_doubles(word)


def _after_event(words: tuple[str, ...], start: int) -> bool:
    """ "since his stroke", "post stroke": but not "after a blow to the head", which is news."""
    if start >= 1 and words[start - 1] in _SINCE:
        return True
    return start >= 2 and words[start - 2] in _SINCE and words[start - 1] in _POSSESSIVES


_IDIOMS_BY_FIRST = _by_first_word(IDIOMS)


def _mask_idioms(words: list[str]) -> list[str]:
    out = list(words)
    if _IDIOMS_BY_FIRST.keys().isdisjoint(out):
        return out  # no idiom starts anywhere
    for i in range(len(out)):
        for idiom in _IDIOMS_BY_FIRST.get(out[i], ()):  # once masked, out[i] starts none
            if tuple(out[i : i + len(idiom)]) == idiom:
                out[i : i + len(idiom)] = ["_"] * len(idiom)
    return out


_COUNTERFACTUAL = _words("nearly almost")
_FEARED = _words("scared afraid fear fears frightened terrified avoid avoiding prevent preventing")
_FICTION = _words("character characters avatar movie film novel episode game")
_INTENT = _words("thinking thought planning plan plans considering going want wanna")


def _asks_about(clause: _Clause) -> bool:
    """A clause that asks about causes, signs or risks anywhere ("can overdoing vitamin D lead
    to ...?"); in a general question, nothing in it is a report."""
    words = clause.words
    return any(w in ABOUT for w in words) or any(
        tuple(words[i : i + len(p)]) == p for i in range(len(words)) for p in _ABOUT_PHRASES
    )


def _negated(words: tuple[str, ...], start: int) -> bool:
    new_subject = False
    for i in range(start - 1, max(-1, start - 1 - NEGATION_REACH), -1):
        word = words[i]
        if word in NEGATORS:
            believes = i + 1 < len(words) and words[i + 1] in _BELIEF
            return believes or not new_subject
        if word in _SUBJECTS:
            new_subject = True
    return False


def vocabulary_of(facts: Iterable[Fact]) -> frozenset[str]:
    """Every word the facts use (phrasings, answers, topics): words typo repair must leave alone,
    so that an ordinary word is never "corrected" into an alarming one."""
    words: set[str] = set()
    for fact in facts:
        for text in (*fact.phrasings, fact.answer, fact.topic):
            words.update(normalize(text).split())
    return frozenset(words)


_KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_VOWELS = frozenset("aeiouy")


def _neighbours(a: str, b: str) -> bool:
    """Keys next to each other on a QWERTY keyboard, or two vowels (a sound misspelt)."""
    if a in _VOWELS and b in _VOWELS:
        return True
    for row_index, row in enumerate(_KEYBOARD):
        if a in row:
            col = row.index(a)
            for other in _KEYBOARD[max(0, row_index - 1) : row_index + 2]:
                if b in other[max(0, col - 1) : col + 2]:
                    return True
    return False


def plausible_typo(word: str, known: str) -> bool:
    """Whether ``word`` reads as a slip of the fingers or of spelling for ``known``: letters
    left out, doubled or swapped, or a key next to the right one. "chokeing" and "siezure" are;
    "cooking" is not "choking" (o and h are far apart), so an everyday word the knowledge base
    happens not to use is never turned into an alarm."""
    if OSA.distance(word, known) < Levenshtein.distance(word, known):
        return True  # a swap of two neighbouring letters
    for op in Levenshtein.editops(word, known):
        if op.tag == "replace" and not _neighbours(word[op.src_pos], known[op.dest_pos]):
            return False
    return True


FIRST_SENTENCE_WORDS = 20
"""The first sentence of a triage answer says what to do now; a long one gets skimmed."""


def triage_problems(rules: Sequence[TriageRule], file: str = "triage.yaml") -> list[Problem]:
    """Curator checks on triage rules beyond validity (``myoqa check``)."""
    problems: list[Problem] = []
    for rule in rules:
        first = re.split(r"(?<=[.!?])\s", rule.answer.strip(), maxsplit=1)[0]
        if len(first.split()) > FIRST_SENTENCE_WORDS:
            problems.append(
                Problem(
                    file,
                    f"the first sentence has {len(first.split())} words; say what to do now in "
                    f"{FIRST_SENTENCE_WORDS} or fewer",
                    fact_id=rule.id,
                    field="answer",
                    severity="warning",
                    item="rule",
                )
            )
        for number, pattern in enumerate(rule.concepts, 1):
            if len(pattern) > 1:
                continue  # a common word may qualify a specific one ("today" + "swollen hot calf")
            for alternatives in pattern:
                for alternative in alternatives:
                    words = normalize(alternative).split()
                    if all(w in STOPWORDS or w in NEGATORS for w in words):
                        problems.append(
                            Problem(
                                file,
                                f"pattern {number}: {alternative!r} holds only common words, so on its own "
                                "it would match almost any message; name the sign itself",
                                fact_id=rule.id,
                                field=f"patterns[{number}]",
                                item="rule",
                            )
                        )
    return problems
