"""The REPL, driven through prompt-toolkit's pipe input: commands, picks and edges."""

from __future__ import annotations

from pathlib import Path

import pytest
from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input.base import PipeInput
from prompt_toolkit.output import DummyOutput

from myoqa import Fact, KnowledgeBase
from myoqa.repl.app import Repl, open_history
from myoqa.repl.commands import unique_commands
from myoqa.repl.completer import QuestionCompleter
from repl_screen import Screen, make_repl


def run(kb: KnowledgeBase, pipe: PipeInput, keys: str) -> tuple[int, Screen, Repl]:
    repl, screen = make_repl(kb, pipe)
    pipe.send_text(keys)
    return repl.run(), screen, repl


def test_banner_shows_disclaimer_and_help(kb: KnowledgeBase, pipe: PipeInput) -> None:
    status, screen, _ = run(kb, pipe, "/quit\r")
    assert status == 0
    flat = " ".join(screen.text.split())
    assert "not medical advice" in flat and "/help" in flat
    assert screen.blocks[-1] == "Goodbye."


def test_question_then_pick_related_by_number(kb: KnowledgeBase, pipe: PipeInput) -> None:
    status, screen, repl = run(kb, pipe, "what is myositis ossificans\r1\r\x04")
    assert status == 0
    assert (
        "Related (type a number):" in screen.text and "  1. What causes myositis ossificans?" in screen.text
    )
    assert repl.chat.last is not None and repl.chat.last.fact_id == "mo-causes"


def _tied_kb() -> KnowledgeBase:
    """Two facts that differ only in a word the question does not say: a real near tie."""
    side = "A calcium deposit in the {0} arm is a hard spot of calcium salts in the arm's soft tissue."
    return KnowledgeBase.from_facts(
        [
            Fact(
                id=f"{arm}-deposit",
                question=f"What is a calcium deposit in the {arm} arm?",
                answer=side.format(arm),
            )
            for arm in ("left", "right")
        ]
        + [
            Fact(
                id="bone-leg",
                question="How is bone in a leg muscle treated?",
                answer="With rest and physiotherapy.",
            )
        ]
    )


def test_did_you_mean_pick(pipe: PipeInput) -> None:
    repl, screen = make_repl(_tied_kb(), pipe)
    repl.handle("calcium deposit in the arm")
    assert "I'm not sure which of these you mean:" in screen.text
    assert repl.chat.choices, "suggestions are offered as numbered choices"
    chosen = repl.chat.choices[0][0]
    repl.handle("1")
    assert repl.chat.last is not None and repl.chat.last.fact_id == chosen


def test_follow_up_pronoun(kb: KnowledgeBase, pipe: PipeInput) -> None:
    repl, _ = make_repl(kb, pipe)
    repl.handle("tell me about FOP")
    repl.handle("is it inherited?")
    assert repl.chat.last is not None and repl.chat.last.fact_id == "fop-inheritance"


def test_help_lists_every_command(kb: KnowledgeBase, pipe: PipeInput) -> None:
    repl, screen = make_repl(kb, pipe)
    repl.handle("/help")
    for command in unique_commands():
        assert command.name in screen.text
        assert command.help.endswith(".")


def test_topics_and_topic(kb: KnowledgeBase, pipe: PipeInput) -> None:
    repl, screen = make_repl(kb, pipe)
    repl.handle("/topics")
    assert "Myositis ossificans" in screen.text
    repl.handle("/topic fop")
    assert "What causes FOP?" in screen.text
    repl.handle("2")
    assert repl.chat.last is not None and repl.chat.last.topic is not None and "FOP" in repl.chat.last.topic
    repl.handle("/topic nothing-like-this")
    assert "No topic matches 'nothing-like-this'" in screen.text


def test_sources_why_related_clear(kb: KnowledgeBase, pipe: PipeInput) -> None:
    repl, screen = make_repl(kb, pipe)
    repl.handle("/sources")
    assert "Ask a question first" in screen.text
    repl.handle("what is ossifcation")
    repl.handle("/sources")
    assert "http" in screen.blocks[-1]
    repl.handle("/why")
    assert "ossifcation → ossification" in screen.blocks[-1]
    repl.handle("/related")
    assert screen.blocks[-1].startswith("  ")
    repl.handle("/clear")
    assert repl.chat.last is None and screen.blocks[-1] == "Conversation cleared."


def test_unknown_command_and_bad_number(kb: KnowledgeBase, pipe: PipeInput) -> None:
    repl, screen = make_repl(kb, pipe)
    repl.handle("/hlep")
    assert "Unknown command '/hlep'. Did you mean /help?" in screen.text
    repl.handle("3")
    assert "no numbered choices" in screen.text
    repl.handle("what is myositis ossificans")
    repl.handle("42")
    assert "Pick a number from 1 to" in screen.text


def test_ctrl_c_clears_line_and_continues(kb: KnowledgeBase, pipe: PipeInput) -> None:
    status, screen, repl = run(kb, pipe, "half typed\x03what is fop\r\x04")
    assert status == 0
    assert repl.chat.last is not None and repl.chat.last.fact_id is not None
    assert "half typed" not in screen.text


def test_internal_error_is_reported_and_loop_goes_on(
    kb: KnowledgeBase, pipe: PipeInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    repl, screen = make_repl(kb, pipe)

    def boom(text: str) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(repl.chat, "ask", boom)
    pipe.send_text("anything\r/quit\r")
    assert repl.run() == 0
    assert "internal error: RuntimeError: kaboom" in screen.text


def test_urgent_answers_carry_a_care_note(kb: KnowledgeBase, pipe: PipeInput) -> None:
    urgent = next(f for f in kb.facts if f.urgent)
    repl, screen = make_repl(kb, pipe)
    repl.show(kb.answer_fact(urgent.id))
    # The care note comes first, marked in words, so it stands out without colour.
    assert screen.text.lstrip().startswith("Urgent: If this describes you")
    assert "seek medical care promptly" in " ".join(screen.text.split())


@pytest.mark.parametrize(("width", "fits"), [(80, True), (200, False)])
def test_long_answers_wrap(kb: KnowledgeBase, pipe: PipeInput, width: int, fits: bool) -> None:
    # Every line shown is checked, the answer text included (the first block is a blank line):
    # at 80 columns they fit, and the same check fails for text laid out for 200.
    screen = Screen()
    session: PromptSession[str] = PromptSession(input=pipe, output=DummyOutput())
    repl = Repl(kb, session=session, write=screen, color=False, width=width, height=500)
    repl.handle("What is fibrodysplasia ossificans progressiva (FOP)?")
    lines = screen.text.splitlines()
    assert any("bone" in line for line in lines) and len(lines) > 5
    assert all(len(line) <= 80 for line in lines if not line.strip().startswith("http")) is fits


def test_completion_of_questions_and_commands(kb: KnowledgeBase) -> None:
    completer = QuestionCompleter(kb)
    event = CompleteEvent(completion_requested=True)
    questions = [c.text for c in completer.get_completions(Document("fop trea"), event)]
    assert any("FOP" in q and "treat" in q.lower() for q in questions)
    commands = [c.text for c in completer.get_completions(Document("/to"), event)]
    assert "/topics" in commands and "/topic" in commands


def test_history_falls_back_with_warning(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    warnings: list[str] = []
    history = open_history(blocked / "sub" / "history", warnings.append)
    assert history.__class__.__name__ == "InMemoryHistory"
    assert len(warnings) == 1 and warnings[0].startswith("warning: cannot write history")


def test_history_file_is_used(tmp_path: Path) -> None:
    path = tmp_path / "h" / "history"
    history = open_history(path, lambda m: None)
    history.append_string("what is fop")
    assert "what is fop" in path.read_text()


def test_no_color_is_honoured(kb: KnowledgeBase, pipe: PipeInput, monkeypatch: pytest.MonkeyPatch) -> None:
    session: PromptSession[str] = PromptSession(input=pipe, output=DummyOutput())
    monkeypatch.setenv("NO_COLOR", "1")
    assert Repl(kb, session=session, write=Screen()).color is False
    monkeypatch.delenv("NO_COLOR")
    assert Repl(kb, session=session, write=Screen()).color is True


def test_knowledge_flag_reaches_the_repl(small_copy: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "myoqa", "--knowledge", str(small_copy)],
        input="how is bone in muscle treated\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "rest, gentle movement" in result.stdout
