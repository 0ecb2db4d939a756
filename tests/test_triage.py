"""Triage: emergencies, crises and urgent signs are routed to care before any matching.

tests/data/triage.jsonl holds messages written from real lay wording (patient forums, advice
pages), not from the rules: each line is ``q`` or ``turns`` (a conversation whose last message
is scored) with ``triage`` = "emergency" | "crisis" | "urgent" | null, the ``rule`` expected,
and a ``kind``. Near misses (null) are negations, questions *about* urgency, idioms, on-topic
questions with alarming words and off-topic questions: none may trigger.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from myoqa import Conversation, Fact, KnowledgeBase, KnowledgeError
from myoqa.evaluate import read_cases
from myoqa.render import render_answer
from myoqa.triage import plausible_typo

DATA = Path(__file__).parent / "data"
TRIAGE = DATA / "triage.jsonl"
DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev.jsonl"


def _cases() -> list[dict[str, object]]:
    return [json.loads(line) for line in TRIAGE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _turns(case: dict[str, object]) -> list[str]:
    return [str(case["q"])] if "q" in case else [str(t) for t in case["turns"]]  # type: ignore[attr-defined]


def test_the_file_is_large_and_covers_every_rule(kb: KnowledgeBase) -> None:
    cases = _cases()
    triggering = [c for c in cases if c["triage"]]
    near_misses = [c for c in cases if not c["triage"]]
    assert len(triggering) >= 100 and len(near_misses) >= 100
    per_rule = Counter(c["rule"] for c in triggering)
    for rule in kb.triage_rules:
        assert per_rule[rule.id] >= 2, f"rule {rule.id!r} needs several wordings in {TRIAGE.name}"
    assert sum("turns" in c for c in triggering) >= 5 and sum("turns" in c for c in near_misses) >= 5
    kinds = Counter(c["kind"] for c in near_misses)
    for kind in ("negation", "urgency_question", "idiom", "on_topic", "off_topic"):
        assert kinds[kind] >= 10, kind


def test_recall_is_complete_and_there_are_no_false_alarms(kb: KnowledgeBase) -> None:
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses, wrong, false_alarms = [], [], []
    near_misses = 0
    for case in _cases():
        chat = Conversation(kb)
        answers = [chat.ask(turn) for turn in _turns(case)]
        want = case["triage"]
        if want:
            total[str(want)] += 1
            last = answers[-1]
            if last.kind != "urgent":
                misses.append((_turns(case), last.kind))
                continue
            found[str(want)] += 1
            if (last.severity, last.fact_id) != (want, case["rule"]):
                wrong.append((_turns(case), last.severity, last.fact_id))
        else:
            near_misses += 1
            alarms = [a for a in answers if a.kind == "urgent"]
            if alarms:
                false_alarms.append((_turns(case), alarms[0].fact_id))
    for severity in sorted(total):
        print(f"triage recall {severity}: {found[severity]}/{total[severity]}")
    print(f"triage false alarms: {len(false_alarms)}/{near_misses}")
    assert not misses, misses
    assert not wrong, wrong
    assert not false_alarms, false_alarms


@pytest.mark.parametrize(
    ("message", "severity"),
    [
        ("i want to kill myself", "crisis"),
        ("I can't breathe properly and my lips are going blue", "emergency"),
        ("crushing chest pain spreading down my left arm", "emergency"),
    ],
)
def test_the_issue_examples_are_routed_to_care(kb: KnowledgeBase, message: str, severity: str) -> None:
    reply = kb.answer(message)
    assert (reply.kind, reply.urgent, reply.found, reply.severity) == ("urgent", True, True, severity)
    assert reply.fact_id in {r.id for r in kb.triage_rules}
    assert reply.sources and all(s.url.startswith("https://") for s in reply.sources)
    assert reply.confidence == 1.0


def test_a_triage_answer_says_what_to_do_first_and_gives_crisis_lines(kb: KnowledgeBase) -> None:
    for rule in kb.triage_rules:
        first = rule.answer.split(". ")[0]
        assert len(first.split()) <= 20, (rule.id, first)
    crisis = kb.answer("I feel hopeless and want to end it")
    for number in ("988", "116 123", "999", "911", "112", "local emergency number"):
        assert number in crisis.text
    emergency = kb.answer("my husband collapsed and isn't breathing")
    assert emergency.text.startswith("Call 999") and "911" in emergency.text and "112" in emergency.text


def test_triage_comes_before_small_talk(kb: KnowledgeBase) -> None:
    assert kb.answer("hello").kind == "smalltalk"
    reply = kb.answer("hello, I can't breathe")
    assert reply.kind == "urgent" and reply.severity == "emergency"


def test_the_json_carries_kind_and_severity(kb: KnowledgeBase) -> None:
    data = json.loads(kb.answer("my baby is choking").model_dump_json())
    assert data["kind"] == "urgent" and data["severity"] == "emergency" and data["urgent"] is True
    assert json.loads(kb.answer("what is fop").model_dump_json())["severity"] is None


@pytest.mark.parametrize(
    "question",
    [
        "when should I go to the emergency room for myositis ossificans?",
        "what is the emergency treatment of an FOP flare-up?",
        "what are the warning signs of calciphylaxis?",
    ],
)
def test_questions_about_urgency_are_answered_from_the_facts(kb: KnowledgeBase, question: str) -> None:
    reply = kb.answer(question)
    assert reply.kind in ("fact", "unsure") and reply.severity is None, (question, reply.kind)
    assert reply.found or reply.suggestions  # a fact, or facts to choose from: never the alarm


def test_an_urgent_fact_found_by_matching_is_still_urgent(kb: KnowledgeBase) -> None:
    reply = kb.answer("What should I do if a paralysed or bed-bound person has a swollen, warm leg or arm?")
    assert reply.kind == "fact" and reply.urgent is True
    assert render_answer(reply).startswith("Urgent: ")


def test_an_urgent_sign_of_our_topic_offers_the_matching_fact(kb: KnowledgeBase) -> None:
    reply = kb.answer("my dad is on dialysis and has agonising black sores on his legs")
    assert (reply.kind, reply.severity, reply.fact_id) == ("urgent", "urgent", "calciphylaxis-sores")
    assert "calciphylaxis" in reply.text
    assert reply.related and all(r.id in kb for r in reply.related)


def test_a_crisis_never_becomes_the_subject(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    assert chat.ask("what is fop").fact_id == "fop-definition"
    crisis = chat.ask("I feel hopeless about my FOP and want to end it")
    assert crisis.kind == "urgent" and crisis.severity == "crisis"
    assert chat.ask("how is it treated?").fact_id == "fop-treatment"  # still about FOP


def test_a_number_pick_does_not_hide_an_emergency(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    assert chat.ask("what is myositis ossificans").related
    reply = chat.ask("my son is having a seizure")
    assert reply.kind == "urgent" and reply.fact_id == "seizure"


def test_the_subject_completes_a_sign_but_never_makes_one_up(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    chat.ask("what is fop")
    assert chat.ask("my son has it and he just fell and banged his head").fact_id == "fop-fall"
    chat = Conversation(kb)
    chat.ask("what is fop")
    assert chat.ask("what are the signs of a flare-up?").kind == "fact"


def test_typo_repair_never_turns_an_ordinary_word_into_an_alarm() -> None:
    assert plausible_typo("chokeing", "choking")
    assert plausible_typo("siezure", "seizure")
    assert plausible_typo("brethe", "breathe")
    assert not plausible_typo("cooking", "choking")
    assert not plausible_typo("chess", "chest")


def test_render_puts_the_marked_advice_first(kb: KnowledgeBase) -> None:
    emergency = render_answer(kb.answer("my husband collapsed and isn't breathing"))
    assert emergency.splitlines()[0].startswith("Emergency: Call 999")
    assert render_answer(kb.answer("i want to kill myself")).startswith("Crisis: ")
    assert render_answer(kb.answer("my son has FOP and he fell over")).startswith("Urgent: ")
    assert "\x1b[" not in emergency


def _run(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "myoqa", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_piped_mode_prints_the_advice_as_the_first_line_of_the_answer() -> None:
    result = _run("what is fop\nmy husband collapsed and isn't breathing\nhow is it treated?\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    at = lines.index("> my husband collapsed and isn't breathing")
    assert lines[at + 1].startswith("Emergency: Call 999")
    after = "\n".join(lines[lines.index("> how is it treated?") :])
    assert "palovarotene" in after.lower()  # the subject is still FOP


def test_myoqa_ask_prints_the_advice_first() -> None:
    result = _run("", "ask", "I", "took", "too", "many", "pills")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Emergency: ")


def test_a_knowledge_base_without_triage_file_gets_the_general_rules(small_kb: KnowledgeBase) -> None:
    rules = small_kb.triage_rules
    assert rules and all(rule.general for rule in rules)
    assert small_kb.answer("i want to kill myself").severity == "crisis"
    assert small_kb.answer("I can't breathe").severity == "emergency"
    assert small_kb.triage("my dad is on dialysis and has agonising black sores on his legs") is None


def test_from_facts_gets_the_general_rules_unless_told_otherwise() -> None:
    fact = Fact(id="f", question="What is a crystal?", answer="A solid with atoms in a repeating order.")
    assert KnowledgeBase.from_facts([fact]).answer("I want to end my life").kind == "urgent"
    assert KnowledgeBase.from_facts([fact], triage=()).answer("I want to end my life").kind != "urgent"


_OWN_RULES = """\
triage:
  - id: crystal-burn
    severity: urgent
    patterns:
      - [burned, crystal | quartz]
    answer: Cool the burn under running water now. Then see a doctor today.
    sources:
      - title: NHS, Burns and scalds
        url: https://www.nhs.uk/conditions/burns-and-scalds/
"""


def test_a_knowledge_base_with_its_own_triage_file_uses_it(small_copy: Path) -> None:
    (small_copy / "triage.yaml").write_text(_OWN_RULES, encoding="utf-8")
    kb = KnowledgeBase.load(small_copy)
    assert [r.id for r in kb.triage_rules] == ["crystal-burn"]
    assert kb.answer("I burned my hand on a hot crystal").fact_id == "crystal-burn"


def test_a_broken_triage_file_stops_the_load_and_names_the_rule(small_copy: Path) -> None:
    broken = _OWN_RULES.replace("severity: urgent", "severity: soon").replace(
        "    sources:\n", "    sauces:\n"
    )
    (small_copy / "triage.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        KnowledgeBase.load(small_copy)
    message = str(info.value)
    assert "triage.yaml:2 › rule 'crystal-burn' › severity:" in message
    assert "triage.yaml:2 › rule 'crystal-burn' › sauces: unknown field" in message
    result = _run("", "check", str(small_copy))
    assert result.returncode == 1 and "rule 'crystal-burn' › severity" in result.stdout


def test_a_triage_rule_must_point_at_real_facts(small_copy: Path) -> None:
    (small_copy / "triage.yaml").write_text(_OWN_RULES + "    related: [no-such-fact]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"rule 'crystal-burn' › related\[1\]: no fact has the id"):
        KnowledgeBase.load(small_copy)


def test_myoqa_check_validates_the_bundled_triage_file() -> None:
    result = _run("", "check")
    assert result.returncode == 0, result.stdout
    assert "triage rules" in result.stdout


@pytest.mark.parametrize("name", ["golden.jsonl", "golden_b.jsonl", "golden_c.jsonl", "dev"])
def test_ordinary_evaluation_questions_raise_no_alarm(kb: KnowledgeBase, name: str) -> None:
    path = DEV if name == "dev" else DATA / name
    if not path.exists():
        pytest.skip(f"{path} is not here")
    alarms = []
    for case in read_cases(path):
        chat = Conversation(kb)
        for turn in case.turns:
            reply = chat.ask(turn)
            # Only a same-day sign of our own topic described by a real person may be triaged
            # there ("my husband is paralysed and his knee is suddenly swollen and warm").
            if reply.kind == "urgent" and (reply.severity != "urgent" or case.expect is None):
                alarms.append((case.turns, reply.fact_id))
    assert not alarms, alarms


def test_a_clause_without_a_phrases_required_words_never_holds_it(kb: KnowledgeBase) -> None:
    """``Triage._find`` searches a clause for a phrase only when the clause holds every word the
    phrase cannot leave out; every occurrence found in the real messages must respect that."""
    from myoqa.triage import _occurrences

    triage = kb._triage
    clauses = [
        triage._clause(text)
        for case in _cases()
        for message in _turns(case)
        for text in message.replace("?", ".").replace(",", ".").split(".")
        if text.strip()
    ]
    phrases = {phrase for patterns in triage._compiled for p in patterns for c in p.concepts for phrase in c}
    found = 0
    for clause in clauses:
        for phrase in phrases:
            spans = list(_occurrences(phrase, clause))
            if spans:
                found += 1
                assert phrase.required <= clause.units, (phrase, clause.words)
    assert found > 100  # the messages do hold the rules' phrases


def test_a_copy_of_the_triage_repairs_typos_as_the_original_does(kb: KnowledgeBase) -> None:
    """The typo repairs are cached per triage; a pickled copy (the on-disk index) starts with an
    empty cache and must still fire on the same misspelt report."""
    import pickle

    message = "my dad has crushing chest pian and cant breeth"
    first = kb.triage(message)
    assert first is not None and first.kind == "urgent"
    copy = pickle.loads(pickle.dumps(kb))
    again = copy.triage(message)
    assert again is not None and again.fact_id == first.fact_id
    assert kb.triage(message) == first  # from the cache now


def test_checking_a_message_again_with_context_gives_what_a_fresh_check_gives(kb: KnowledgeBase) -> None:
    """A conversation checks each message alone, then with its subject as context; the second
    check reuses the first one's reading of the message and must not differ from a fresh one."""
    import pickle

    triage = kb._triage
    messages = [message for case in _cases() for message in _turns(case)]
    fired = 0
    for message, context in zip(messages, ["FOP. what is fop", *messages[:-1]], strict=True):
        triage.check(message)
        again = triage.check(message, context=context)
        fresh = pickle.loads(pickle.dumps(triage)).check(message, context=context)
        assert again == fresh, message
        fired += again is not None
    assert fired > 100


def _repair_by_whole_vocabulary(triage: object, word: str) -> str:
    """Triage's typo repair as it was first written: the nearest word of the whole vocabulary."""
    from rapidfuzz.distance import OSA

    from myoqa.analysis import english_words
    from myoqa.triage import plausible_typo

    t = triage
    if word in t._known or word.isdigit() or len(word) < 2 or t._compound(word):  # type: ignore[attr-defined]
        return word
    fixed = t._speller.correct(word) or t._swapped(word) or t._moved(word)  # type: ignore[attr-defined]
    if fixed is not None and fixed in t._pattern_words and plausible_typo(word, fixed):  # type: ignore[attr-defined]
        if OSA.distance(word, fixed) > 1 and word in english_words():
            return word  # a common English word two slips from a pattern word is itself
        return str(fixed)
    return word


def test_typo_repair_looks_only_near_pattern_words_and_agrees_with_the_whole_vocabulary(
    kb: KnowledgeBase,
) -> None:
    """``Triage._repair`` skips the whole vocabulary's speller when no pattern word is near; on
    real and misspelt words (one to three edits) it must repair exactly as that speller does."""
    import random

    from myoqa.normalize import normalize

    rng = random.Random(14)
    triage = kb._triage
    words = {w for case in _cases() for message in _turns(case) for w in normalize(message).split()}
    pattern_words = sorted(triage._pattern_words)
    vocabulary = sorted(triage._known)
    for source in (pattern_words, vocabulary):
        for word in rng.sample(source, min(len(source), 600)):
            for _ in range(rng.randint(1, 3)):
                i = rng.randrange(len(word))
                word = word[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[i + 1 :]
            words.add(word)
    repaired = 0
    for word in sorted(words):
        expected = _repair_by_whole_vocabulary(triage, word)
        assert triage._repair(word) == expected, word
        repaired += expected != word
    assert repaired > 50  # typos of pattern words are repaired, so the comparison means something


def test_an_urgent_sign_with_a_question_gets_the_advice_then_the_answer(kb: KnowledgeBase) -> None:
    message = (
        "My wife has scleroderma and a big calcium lump on her finger that is really painful and keeps "
        "getting infected. The hand surgeon said he can take it out. Is surgery a good idea or will it come back?"
    )
    reply = kb.answer(message)
    assert (reply.kind, reply.severity) == ("urgent", "urgent")
    rule = next(r for r in kb._triage.rules if r.id == reply.fact_id)
    advice, _, rest = reply.text.partition("\n\n")
    assert advice == rule.answer.strip()  # the advice comes first, as the rule says it
    assert reply.matched_question is not None and rest  # then the answer to the question asked
    assert rest == kb.get(reply.related[0].id).answer.strip()  # type: ignore[union-attr]
    assert set(rule.sources) <= set(reply.sources)


def test_an_urgent_fact_is_not_said_twice(kb: KnowledgeBase) -> None:
    reply = kb.answer(
        "my dad is on dialysis and has agonising black sores on his legs, what is causing them?"
    )
    assert reply.kind == "urgent" and "\n\n" not in reply.text.strip()


def test_an_everyday_word_is_not_repaired_into_an_alarm(kb: KnowledgeBase) -> None:
    # "sparring" is two plausible slips from "slurring" (a stroke sign), but it is a word.
    message = (
        "kickboxer here, took a knee to the thigh in sparring and now theres a firm lump, doc says "
        "early myositis ossificans. can i keep sparring on it or will that make it worse"
    )
    assert kb.triage(message) is None
    assert kb.triage("my husband is slurING his words and his face dropped") is not None
