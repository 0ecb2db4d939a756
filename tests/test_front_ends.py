"""What a person sees in the REPL, piped mode and `myoqa ask`: the question answered, text that
fits the terminal, one menu of numbered choices, and commands that work the same everywhere."""

from __future__ import annotations

import io
import json
import re

import pytest
from prompt_toolkit.input.base import PipeInput

import repl_screen
from myoqa import KnowledgeBase
from myoqa.cli import main
from myoqa.layout import fill
from myoqa.pipe import run_pipe
from myoqa.render import render_answer
from myoqa.repl.app import Repl
from repl_screen import Screen

URL = re.compile(r"^\s*https?://\S+$")


def make_repl(kb: KnowledgeBase, pipe: PipeInput, width: int = 80, height: int = 24) -> tuple[Repl, Screen]:
    """The shared REPL on a fake screen, at 80x24 unless told otherwise."""
    return repl_screen.make_repl(kb, pipe, width=width, height=height)


def too_wide(lines: list[str], width: int) -> list[str]:
    """Lines over ``width`` that are not a lone URL (kept whole so it stays clickable)."""
    return [line for line in lines if len(line) > width and not URL.match(line)]


def longest_question(kb: KnowledgeBase) -> str:
    """The question of the fact whose answer block is the tallest (taller than 24 rows)."""
    fact = max(kb.facts, key=lambda f: len(render_answer(kb.answer_fact(f.id), width=79).splitlines()))
    return fact.question


def pipe_output(kb: KnowledgeBase, text: str, *, as_json: bool = False) -> str:
    out = io.StringIO()
    assert run_pipe(kb, io.StringIO(text), out, as_json=as_json) == 0
    return out.getvalue()


# --- 2. Show what is answered ------------------------------------------------------------


def test_repl_says_which_question_it_answers(kb: KnowledgeBase, pipe: PipeInput) -> None:
    repl, screen = make_repl(kb, pipe)
    repl.handle("what is myositis osificans")
    assert "Answering: What is myositis ossificans?" in screen.text
    screen.clear()
    repl.handle("What is myositis ossificans?")  # the fact's own words: no header
    assert "Answering:" not in screen.text


def test_a_pick_by_number_names_the_question(kb: KnowledgeBase, pipe: PipeInput) -> None:
    repl, screen = make_repl(kb, pipe)
    repl.handle("What is myositis ossificans?")
    screen.clear()
    repl.handle("1")
    assert next(line for line in screen.lines if line) == "Answering: What causes myositis ossificans?"


def test_pipe_and_ask_say_which_question_they_answer(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "Answering: What is myositis ossificans?" in pipe_output(kb, "what is myositis osificans\n")
    assert "Answering:" not in pipe_output(kb, "What is myositis ossificans?\n")
    assert main(["ask", "what is myositis osificans"]) == 0
    assert capsys.readouterr().out.startswith("Answering: What is myositis ossificans?\n")


# --- 3. Layout -----------------------------------------------------------------------------


def test_numbers_keep_their_units_at_every_width() -> None:
    text = "Roughly 20–50 % of patients show some HO on X-ray, about 5–10 % have 2-3 months of it."
    for width in range(30, 100):
        for line in fill(text, width).splitlines():
            assert not re.search(r"\d$", line), (width, line)
    assert fill(text, 200) == text  # the spaces come back: the text itself is unchanged


@pytest.mark.parametrize("width", [40, 60, 80])
def test_everything_wraps_to_the_width(kb: KnowledgeBase, pipe: PipeInput, width: int) -> None:
    repl, screen = make_repl(kb, pipe, width=width, height=500)
    repl.banner()
    for line in (
        "what is myositis ossificans",
        "lump",
        "/sources",
        "/why",
        "/related",
        "/help",
        "/topics",
        "/topic 2",
        "I feel hopeless about my FOP and want to end it",
    ):
        repl.handle(line)
    assert too_wide(screen.lines, width) == []
    # continuation lines of a numbered item hang under its text
    items = [i for i, line in enumerate(screen.lines) if re.match(r"^  \s?\d+\. ", line)]
    assert items
    for i in items:
        following = screen.lines[i + 1] if i + 1 < len(screen.lines) else ""
        if following and not re.match(r"^\s+\d+\. ", following) and following.startswith(" "):
            assert following.startswith("     "), following


def test_render_answer_wraps_related_with_hanging_indent(kb: KnowledgeBase) -> None:
    text = render_answer(kb.answer("lump"), width=40)
    lines = text.splitlines()
    assert too_wide(lines, 40) == []
    i = next(i for i, line in enumerate(lines) if line.startswith("  1. "))
    assert lines[i + 1].startswith("     ")


def test_long_answer_keeps_the_question_on_screen(kb: KnowledgeBase, pipe: PipeInput) -> None:
    question = longest_question(kb)
    repl, screen = make_repl(kb, pipe, width=79, height=24)
    repl.handle(question)
    first = screen.lines
    # the question line and the next prompt must fit with the block on a 24-row screen
    assert len(first) <= 22, len(first)
    assert "/more" in first[-1] or "/more" in first[-2]
    screen.clear()
    repl.handle("/more")
    rest = screen.lines
    whole, all_of_it = make_repl(kb, pipe, width=79, height=1000)
    whole.handle(question)
    assert [line for line in first + rest if "/more" not in line] == all_of_it.lines
    screen.clear()
    repl.handle("/more")
    assert "nothing more" in screen.text.lower()


def test_a_long_topic_list_keeps_the_command_on_screen(kb: KnowledgeBase, pipe: PipeInput) -> None:
    repl, screen = make_repl(kb, pipe, width=79, height=24)
    repl.handle("/topic fop")
    first = screen.lines
    assert len(first) <= 22 and "/more" in first[-1]  # with the command line and the prompt: 24 rows
    screen.clear()
    repl.handle("/more")
    numbers = [int(m[1]) for line in first + screen.lines if (m := re.match(r"^\s+(\d+)\. ", line))]
    assert numbers == list(range(1, len(repl.chat.choices) + 1)) and len(numbers) > 20
    repl.handle(str(len(numbers)))  # the last one, shown after /more, is still a pick
    assert repl.chat.last is not None and repl.chat.last.topic is not None and "FOP" in repl.chat.last.topic


def test_a_short_answer_is_not_cut(kb: KnowledgeBase, pipe: PipeInput) -> None:
    repl, screen = make_repl(kb, pipe, width=100, height=40)
    repl.handle("what is fop")
    assert "/more" not in screen.text


def test_pipe_wraps_to_columns(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    question = longest_question(kb) + "\n"
    monkeypatch.setenv("COLUMNS", "40")
    out = pipe_output(kb, question)
    assert too_wide(out.splitlines(), 40) == []
    monkeypatch.setenv("COLUMNS", "120")
    assert max(len(line) for line in pipe_output(kb, question).splitlines()) > 80


# --- 5. One menu ---------------------------------------------------------------------------


@pytest.mark.parametrize("reply", ["2", "2.", "#2", "number 2", "the second one"])
def test_picks_after_topic_choose_what_is_on_screen(kb: KnowledgeBase, pipe: PipeInput, reply: str) -> None:
    repl, screen = make_repl(kb, pipe, height=500)
    repl.handle("what is myositis ossificans")
    screen.clear()
    repl.handle("/topic fop")
    shown = next(line for line in screen.lines if re.match(r"^\s+2\. ", line))
    repl.handle(reply)
    assert repl.chat.last is not None
    assert repl.chat.last.matched_question is not None
    assert repl.chat.last.matched_question.startswith(shown.split(". ", 1)[1].rstrip("?")[:20])


def test_numbers_agree_with_the_conversation(kb: KnowledgeBase, pipe: PipeInput) -> None:
    repl, _ = make_repl(kb, pipe)
    repl.handle("what is myositis ossificans")
    expected = repl.chat.choices[0][0]
    repl.handle("the first one")
    assert repl.chat.last is not None and repl.chat.last.fact_id == expected


@pytest.mark.parametrize("reply", ["²", "①", "٢"])
def test_unicode_digits_are_not_picks(kb: KnowledgeBase, pipe: PipeInput, reply: str) -> None:
    repl, _ = make_repl(kb, pipe)
    repl.handle("what is myositis ossificans")
    choices = repl.chat.choices
    repl.handle(reply)
    assert repl.chat.last is not None and repl.chat.last.fact_id not in {c[0] for c in choices}


def test_out_of_range_number_says_the_range(kb: KnowledgeBase, pipe: PipeInput) -> None:
    repl, screen = make_repl(kb, pipe)
    repl.handle("what is myositis ossificans")
    repl.handle("9")
    assert f"Pick a number from 1 to {len(repl.chat.choices)}." in screen.text


# --- 1. Piped mode runs the commands; quit means quit ---------------------------------------


def test_pipe_runs_slash_commands(kb: KnowledgeBase) -> None:
    out = pipe_output(kb, "what is fop\n/sources\n/why\n/related\n/help\n/quit\nwhat is ossification\n")
    assert "http" in out.split("> /sources", 1)[1].split("> /why", 1)[0]
    assert "Decision:" in out
    assert "Commands:" in out and "/topics" in out
    assert "ossification" not in out.split("> /quit", 1)[1]  # stopped at /quit


@pytest.mark.parametrize("word", ["quit", "exit", "Quit.", "exit!"])
def test_bare_quit_quits(kb: KnowledgeBase, pipe: PipeInput, word: str) -> None:
    out = pipe_output(kb, f"what is fop\n{word}\nwhat is ossification\n")
    assert "> what is ossification" not in out
    repl, _ = make_repl(kb, pipe)
    assert repl.handle(word) is False


def test_pipe_json_commands_stay_json(kb: KnowledgeBase) -> None:
    out = pipe_output(kb, "what is fop\n/sources\n/quit\n", as_json=True)
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[0]["fact_id"] == "fop-definition"
    assert rows[1]["command"] == "/sources" and "http" in rows[1]["text"]
    assert len(rows) == 2
