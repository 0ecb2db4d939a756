"""A custom knowledge base speaks for itself: its name, examples and fallback texts come from
its own about.yaml (or are neutral), never from ours about calcification."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from prompt_toolkit import PromptSession
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from myoqa import KnowledgeBase, KnowledgeError
from myoqa.decide import NOTHING_ASKED, OUT_OF_SCOPE, UNSURE, WHICH_SUBJECT, DecisionTexts, decide
from myoqa.knowledge import default_directory
from myoqa.repl.app import Repl

CLINIC_TOPIC = textwrap.dedent(
    """\
    topic: Opening hours
    facts:
      - id: hours-weekdays
        question: When is the clinic open?
        alternates: [clinic opening hours, what time does the clinic open, is the clinic open today, clinic hours]
        answer: The clinic is open from 8 am to 6 pm, Monday to Friday.
        sources:
          - title: Clinic handbook
            url: https://example.org/hours
        reviewed: 2026-11-28
      - id: hours-booking
        question: How do I book an appointment?
        alternates: [book an appointment, make a booking at the clinic, appointment booking, how to book the clinic]
        answer: Book an appointment by phone or at the clinic's front desk.
        sources:
          - title: Clinic handbook
            url: https://example.org/booking
        reviewed: 2026-11-28
    """
)
CLINIC_ABOUT = textwrap.dedent(
    """\
    about:
      name: clinicbot
      description: the Riverside clinic's opening hours and bookings
      examples: [When is the clinic open?]
      help_examples: [when is the clinic open]
      banner: Answers about the Riverside clinic. For medical questions call your doctor.
      out_of_scope: Sorry, I only know about the Riverside clinic's hours and bookings.
      nothing_asked: Ask me about the clinic, for example "When is the clinic open?"
      unsure: "Did you mean one of these?"
      which_subject: Which service do you mean?
    """
)
OFF_TOPIC = ["hi", "hello", "thanks", "who are you", "what is the weather", "what is FOP", "???", ""]


def clinic(tmp_path: Path, *, about: str | None = CLINIC_ABOUT) -> Path:
    directory = tmp_path / "clinic"
    directory.mkdir()
    (directory / "01-hours.yaml").write_text(CLINIC_TOPIC)
    if about is not None:
        (directory / "about.yaml").write_text(about)
    return directory


def screen_of(kb: KnowledgeBase, lines: list[str]) -> str:
    out: list[str] = []
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        session: PromptSession[str] = PromptSession(input=inp, output=DummyOutput())
        repl = Repl(kb, session=session, write=lambda t, s: out.append(t), color=False, width=80)
        repl.banner()
        for line in lines:
            repl.handle(line)
    return "\n".join(out)


def test_a_clinic_uses_its_own_texts(tmp_path: Path) -> None:
    kb = KnowledgeBase.load(clinic(tmp_path))
    assert kb.about.name == "clinicbot"
    assert (
        kb.answer("what is the weather").text
        == "Sorry, I only know about the Riverside clinic's hours and bookings."
    )
    assert kb.answer("???").text.startswith("Ask me about the clinic")
    screen = screen_of(kb, ["/help", *OFF_TOPIC])
    assert "clinicbot: questions and answers about the Riverside clinic's opening hours" in screen
    assert "For medical questions call your doctor" in screen
    assert "\u201cwhen is the clinic open\u201d" in screen  # the help example
    assert "calcification" not in screen.lower() and "myositis" not in screen.lower()


@pytest.mark.parametrize("how", ["directory without about.yaml", "from_facts"])
def test_a_clinic_without_about_is_neutral(tmp_path: Path, how: str) -> None:
    directory = clinic(tmp_path, about=None)
    kb = KnowledgeBase.load(directory)
    if how == "from_facts":
        kb = KnowledgeBase.from_facts(kb.facts)
    screen = screen_of(kb, ["/help", *OFF_TOPIC])
    assert "calcification" not in screen.lower() and "myositis" not in screen.lower()
    assert "Opening hours" in kb.answer("what is the weather").text
    hello = kb.answer("hi")
    assert hello.kind == "smalltalk" and "clinic" in hello.text.lower()


def test_our_texts_come_from_our_about_file() -> None:
    kb = KnowledgeBase.load()
    assert (default_directory() / "about.yaml").is_file()
    assert kb.about.texts._replace(personal_dose=None) == DecisionTexts(
        OUT_OF_SCOPE, NOTHING_ASKED, UNSURE, WHICH_SUBJECT
    )
    assert kb.about.personal_dose is not None and "dose" in kb.about.personal_dose
    assert kb.answer("who wrote hamlet").text == kb.about.out_of_scope


def test_decide_takes_the_texts(tmp_path: Path) -> None:
    kb = KnowledgeBase.load(clinic(tmp_path))
    texts = DecisionTexts(
        out_of_scope="nope", nothing_asked="say something", unsure="which?", which_subject="?"
    )
    assert decide("who wrote hamlet", kb.match("who wrote hamlet"), kb.related, texts=texts).text == "nope"
    assert decide("who wrote hamlet", kb.match("who wrote hamlet"), kb.related).text == OUT_OF_SCOPE


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("  unsure:", "  colour: blue\n  unsure:"), "about.yaml › about.colour: unknown field"),
        (lambda t: t.replace("  banner: Answers about the Riverside clinic. For medical questions call your doctor.\n", ""), "about.banner: required field is missing"),
        (lambda t: t.replace("examples: [When is the clinic open?]", "examples: When is the clinic open?"), "about.examples: Input should be a valid tuple"),
        (lambda t: t.replace("examples: [When is the clinic open?]", "examples: []"), "about.examples"),
        (lambda t: t.replace("which_subject: Which service do you mean?", 'which_subject: "  "'), "about.which_subject"),
        (lambda t: t.replace("name: clinicbot", 'name: "clinic\\x1b[31mbot"'), "about.name"),
        (lambda t: "about: [a, b]\n", "must hold only 'about'"),
    ],
)  # fmt: skip
def test_a_bad_about_file_stops_the_load(tmp_path: Path, change: object, expected: str) -> None:
    directory = clinic(tmp_path, about=change(CLINIC_ABOUT))  # type: ignore[operator]
    with pytest.raises(KnowledgeError) as info:
        KnowledgeBase.load(directory)
    assert expected in str(info.value), str(info.value)


def test_a_second_about_file_is_refused(tmp_path: Path) -> None:
    directory = clinic(tmp_path)
    (directory / "zz-about.yaml").write_text(CLINIC_ABOUT)
    with pytest.raises(KnowledgeError, match="a second about file"):
        KnowledgeBase.load(directory)


def test_check_says_whether_the_directory_speaks_for_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from myoqa.cli import main

    main(["check", str(clinic(tmp_path))])
    assert "about: 'clinicbot'" in capsys.readouterr().out
    other = tmp_path / "other"
    other.mkdir()
    main(["check", str(clinic(other, about=None))])
    assert "no about file (neutral texts from its topics)" in capsys.readouterr().out
