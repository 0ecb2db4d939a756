"""Replay the front-end defects of the newcomer review and the code review; say which remain.

    .venv/bin/python scripts/replay_frontend.py          # every row; exit 1 if one reproduces
    .venv/bin/python scripts/replay_frontend.py N8 C1    # only these

Sources: ../shared/research/newcomer-review.md (N rows: the REPL, the CLI, piped mode, the
examples, a clinic's knowledge base) and ../shared/research/code-review.md (C rows: the menu,
argparse, the validators, the API contract, the tests that could not fail), both at commit
89fe744. A row passes when the defect is gone as a user or a bot developer would see it. The
REPL is driven in-process through prompt-toolkit's pipe input at the reviews' screen sizes; the
CLI rows run ``python -m myoqa`` as the reviews did. Rows about the answers' content (matching,
triage, the knowledge text) belong to other issues and are not replayed here.
"""

from __future__ import annotations

import argparse
import inspect
import io
import itertools
import json
import re
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from myoqa.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "kb_small"
PY = sys.executable
URL = re.compile(r"^\s*(?:- )?https?://\S+$")

Check = Callable[[], tuple[bool, str]]
ROWS: list[tuple[str, str, Check]] = []


def row(row_id: str, title: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        ROWS.append((row_id, title, check))
        return check

    return register


# --- helpers --------------------------------------------------------------------------------


def bundled() -> KnowledgeBase:
    """The bundled knowledge base, loaded once for every in-process row."""
    from myoqa.api import default_kb

    return default_kb()


def myoqa(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [PY, "-m", "myoqa", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def repl_screen(
    lines: list[str], *, width: int = 80, height: int = 24, kb: object = None, banner: bool = False
) -> tuple[list[str], object]:
    """What the REPL writes for ``lines`` at ``width`` x ``height`` (plain text, no colour)."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from myoqa.kb import KnowledgeBase
    from myoqa.repl.app import Repl

    out: list[str] = []
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        session: PromptSession[str] = PromptSession(input=inp, output=DummyOutput())
        base = kb if isinstance(kb, KnowledgeBase) else bundled()
        assert isinstance(base, KnowledgeBase)
        sizes: dict[str, int] = {"width": width}
        if "height" in inspect.signature(Repl).parameters:  # older versions had no height (no /more)
            sizes["height"] = height
        repl = Repl(base, session=session, write=lambda t, s: out.append(t), color=False, **sizes)  # type: ignore[arg-type]
        if banner:
            repl.banner()
        for line in lines:
            repl.handle(line)
    return "\n".join(out).splitlines(), repl


def too_wide(lines: list[str], width: int) -> list[str]:
    return [line for line in lines if len(line) > width and not URL.match(line)]


def split_words(lines: list[str]) -> list[str]:
    """Lines that end inside a word the next line finishes ("tiss" / "ue") or with a number
    whose unit starts the next line ("20–50" / "%")."""
    facts = bundled().facts
    vocabulary = {w.casefold() for f in facts for w in re.findall(r"[A-Za-z]+", f.question + f.answer)}
    bad = []
    for first, second in itertools.pairwise(lines):
        head, tail = re.search(r"([A-Za-z]{2,})$", first), re.match(r"\s*([A-Za-z]{2,})", second)
        joined = head and tail and (head[1] + tail[1]).casefold() in vocabulary
        if joined and (head[1].casefold() not in vocabulary or tail[1].casefold() not in vocabulary):  # type: ignore[index]
            bad.append(f"{first!r} / {second!r}")
        if re.search(r"\d$", first) and re.match(r"\s*(%|mg|years?|months?|weeks?|days?)\b", second):
            bad.append(f"{first!r} / {second!r}")
    return bad


def clinic_directory(about: bool) -> Path:
    directory = Path(tempfile.mkdtemp()) / "clinic"
    directory.mkdir()
    (directory / "01-clinic.yaml").write_text(
        textwrap.dedent(
            """\
            topic: Opening hours
            facts:
              - id: hours
                question: When is the clinic open?
                alternates: [clinic opening hours, is the clinic open at weekends, clinic hours today, what time does the clinic open]
                answer: The clinic is open from 8 am to 6 pm, Monday to Friday.
                sources: [{title: Clinic handbook, url: "https://example.org/hours"}]
                reviewed: 2026-11-28
              - id: booking
                question: How do I book an appointment?
                alternates: [book an appointment, booking at the clinic, make an appointment, appointment booking]
                answer: Book by phone or at the front desk.
                sources: [{title: Clinic handbook, url: "https://example.org/booking"}]
                reviewed: 2026-11-28
            """
        )
    )
    if about:
        (directory / "about.yaml").write_text(
            textwrap.dedent(
                """\
                about:
                  name: clinicbot
                  description: the clinic's opening hours and bookings
                  examples: [When is the clinic open?]
                  help_examples: [when is the clinic open]
                  banner: Answers about the clinic only.
                  out_of_scope: Sorry, I only know the clinic's hours and bookings.
                  nothing_asked: Ask me about the clinic.
                  unsure: "Did you mean one of these?"
                  which_subject: Which service do you mean?
                """
            )
        )
    return directory


# --- newcomer review ------------------------------------------------------------------------


@row("N1", "the banner at 80 and 40 columns is cut mid-word")
def _n1() -> tuple[bool, str]:
    bad = []
    for width in (80, 40):
        lines, _ = repl_screen([], width=width, banner=True)
        bad += [f"{width}: {line!r}" for line in too_wide(lines, width)] + split_words(lines)
    return not bad, "; ".join(bad[:3]) or "banner fits 80 and 40 columns"


@row("N2", "bare quit / exit say goodbye and stay (REPL and piped)")
def _n2() -> tuple[bool, str]:
    _, repl = repl_screen([])
    stays = [w for w in ("quit", "exit", "Quit.") if repl.handle(w) is not False]  # type: ignore[attr-defined]
    piped = myoqa(stdin="what is fop\nquit\nwhat is ossification\n")
    if "> what is ossification" in piped.stdout:
        stays.append("piped quit")
    return not stays, f"still staying: {stays}" if stays else "quit and exit quit"


@row("N3", "/help, /topics, /topic, /why, /sources, Related cut mid-word (100, 80, 40 columns)")
def _n3() -> tuple[bool, str]:
    bad = []
    for width in (100, 80, 40):
        lines, _ = repl_screen(
            [
                "what is myositis ossificans",
                "/sources",
                "/why",
                "/related",
                "/help",
                "/topics",
                "/topic 4",
                "lump",
            ],
            width=width,
            height=1000,
        )
        bad += [f"{width}: {line!r}" for line in too_wide(lines, width)]
        bad += [f"{width}: {pair}" for pair in split_words(lines)]
    return not bad, "; ".join(bad[:3]) or "every block fits, with hanging indents"


@row("N4", "'20–50 %' splits across lines")
def _n4() -> tuple[bool, str]:
    from myoqa.kb import KnowledgeBase
    from myoqa.render import render_answer

    kb = bundled()
    assert isinstance(kb, KnowledgeBase)
    bad = []
    for fact in kb.facts:
        if not re.search(r"\d %", fact.answer):
            continue
        for width in range(40, 101):
            lines = render_answer(kb.answer_fact(fact.id), width=width).splitlines()
            bad += [
                f"{fact.id}@{width}"
                for a, b in itertools.pairwise(lines)
                if re.search(r"\d$", a) and b.lstrip().startswith("%")
            ]
    return not bad, f"split in {bad[:3]}" if bad else "no number is parted from its unit at 40-100 columns"


@row("N5", "/topic numbers not aligned (' 9.' / ' 10.')")
def _n5() -> tuple[bool, str]:
    kb = bundled()
    big = max(kb.topics, key=lambda t: sum(f.topic == t for f in kb.facts))
    lines, _ = repl_screen([f"/topic {big}"], height=1000)
    starts = {m.end() for line in lines if (m := re.match(r"^\s*\d+\. ", line))}
    return len(starts) == 1, f"question columns: {sorted(starts)}"


@row("N6", "a tall answer pushes the question off an 80x24 screen (no pager, no /more)")
def _n6() -> tuple[bool, str]:
    from myoqa.kb import KnowledgeBase

    kb = bundled()
    assert isinstance(kb, KnowledgeBase)
    tall, over = 0, []
    for fact in kb.facts:
        whole, _ = repl_screen([fact.question], width=79, height=1000)
        if len(whole) <= 22:  # fits under the question line with the next prompt: nothing to do
            continue
        tall += 1
        lines, _ = repl_screen([fact.question], width=79, height=24)
        if len(lines) > 22 or "/more" not in " ".join(lines[-2:]):
            over.append(f"{fact.id}: {len(lines)} rows")
    return (
        not over,
        f"{tall} answers taller than 22 rows; too tall on screen: {over[:3]}"
        if over
        else f"{tall} answers taller than the screen show their first part and /more",
    )


@row("N7", "'1.' answers without saying which question; typed questions never say what was matched")
def _n7() -> tuple[bool, str]:
    picked, _ = repl_screen(["What is myositis ossificans?", "1."])
    typed, _ = repl_screen(["what is myositis osificans"])
    piped = myoqa(stdin="what is myositis osificans\n").stdout
    asked = myoqa("ask", "what is myositis osificans").stdout
    ok = {
        "pick": any(line.startswith("Answering: What causes myositis ossificans?") for line in picked),
        "repl": "Answering: What is myositis ossificans?" in typed,
        "pipe": "Answering: What is myositis ossificans?" in piped,
        "ask": asked.startswith("Answering: What is myositis ossificans?"),
    }
    return all(ok.values()), ", ".join(f"{k}: {'shown' if v else 'MISSING'}" for k, v in ok.items())


@row("N8", "'yes', 'the first one', 'number 1' after a menu are answered as questions")
def _n8() -> tuple[bool, str]:
    wrong = []
    for reply in ("yes", "the first one", "number 1"):
        _, repl = repl_screen(["What is myositis ossificans?"])
        first = repl.chat.choices[0][0]  # type: ignore[attr-defined]
        repl.handle(reply)  # type: ignore[attr-defined]
        if repl.chat.last.fact_id != first:  # type: ignore[attr-defined]
            wrong.append(reply)
    return not wrong, f"not picks: {wrong}" if wrong else "all three pick choice 1"


@row("N9", "/sources after an 'I don't know' says 'Ask a question first'")
def _n9() -> tuple[bool, str]:
    lines, _ = repl_screen(["who wrote hamlet", "/sources"])
    text = " ".join(lines)
    return "Ask a question first" not in text, lines[-1] if lines else ""


@row("N10", "myoqa ask exits 0 for 'I don't know'")
def _n10() -> tuple[bool, str]:
    found, unknown = myoqa("ask", "what is fop"), myoqa("ask", "who wrote hamlet")
    return (found.returncode, unknown.returncode) == (0, 1), f"rc {found.returncode} / {unknown.returncode}"


@row("N11", "--knowledge, --json, --history-file before the command are ignored")
def _n11() -> tuple[bool, str]:
    missing = str(Path(tempfile.mkdtemp()) / "nonexistent")
    topics = myoqa("--knowledge", missing, "topics")
    small = myoqa("--knowledge", str(SMALL), "ask", "how is bone in muscle treated")
    as_json = myoqa("--json", "ask", "what is fop")
    json_repl = myoqa("--json", "repl", stdin="what is fop\n")
    history = Path(tempfile.mkdtemp()) / "history"
    from myoqa.cli import build_parser

    parsed = build_parser().parse_args(["--history-file", str(history), "--no-history", "repl"])
    results = {
        "--knowledge BAD topics": topics.returncode == 1,
        "--knowledge DIR ask": "rest, gentle movement" in small.stdout,
        "--json ask": as_json.stdout.lstrip().startswith("{"),
        "--json repl": json_repl.stdout.lstrip().startswith("{"),
        "--history-file repl": parsed.history_file == str(history) and parsed.no_history,
    }
    return all(results.values()), ", ".join(f"{k}: {'ok' if v else 'IGNORED'}" for k, v in results.items())


@row("N12", "piped slash commands are asked as questions; /quit carries on")
def _n12() -> tuple[bool, str]:
    done = myoqa(stdin="what is fop\n/sources\n/why\n/related\n/help\n/quit\nwhat is ossification\n")
    out = done.stdout
    sources = out.split("> /sources", 1)[-1].split("> /why", 1)[0]
    ok = {
        "/sources": "https://" in sources and "Yes" not in sources,
        "/why": "Decision:" in out,
        "/help": "Commands:" in out,
        "/quit": "> what is ossification" not in out,
    }
    return all(ok.values()), ", ".join(f"{k}: {'ok' if v else 'WRONG'}" for k, v in ok.items())


@row("N13", "myoqa --json on a terminal shows a blank screen")
def _n13() -> tuple[bool, str]:
    from myoqa import cli

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    err, out = io.StringIO(), io.StringIO()
    real = sys.stdin
    sys.stdin = Tty("")
    try:
        with redirect_stderr(err), redirect_stdout(out):
            cli.main(["--json"])
    finally:
        sys.stdin = real
    return "one question per line" in err.getvalue(), err.getvalue().strip()[:80] or "(nothing said)"


@row("N14", "eval: format undocumented, 'expect': [] accepted, no --fail-under")
def _n14() -> tuple[bool, str]:
    readme = " ".join((ROOT / "README.md").read_text().split())
    helps = " ".join(myoqa("eval", "--help").stdout.split())
    path = Path(tempfile.mkdtemp()) / "cases.jsonl"
    path.write_text('{"q": "what is fop", "expect": []}\n')
    empty = myoqa("eval", str(path))
    path.write_text('{"q": "who wrote hamlet", "expect": [["x"]]}\n')
    under = myoqa("eval", str(path), "--fail-under", "50")
    ok = {
        "documented": '"expect": null' in readme and '"expect": null' in helps,
        "[] rejected": empty.returncode == 2 and f"{path}:1:" in empty.stderr,
        "--fail-under": under.returncode == 1,
    }
    return all(ok.values()), ", ".join(f"{k}: {'ok' if v else 'NO'}" for k, v in ok.items())


@row("N15", "a clinic's knowledge base talks about calcification (texts, banner, /help)")
def _n15() -> tuple[bool, str]:
    from myoqa.kb import KnowledgeBase

    leaks = []
    for about in (True, False):
        kb = KnowledgeBase.load(clinic_directory(about))
        lines, _ = repl_screen(
            ["/help", "hi", "what is the weather", "what is FOP", "???", "how is it treated"],
            kb=kb,
            banner=True,
        )
        text = " ".join(lines).lower()
        if "calcification" in text or "myositis" in text:
            leaks.append("with about.yaml" if about else "without about.yaml")
    return not leaks, f"leaks: {leaks}" if leaks else "its own texts, or neutral ones"


@row(
    "N16",
    "examples: 'Run: python examples/...' fails; chat bot hides sources and urgency; batch has no context",
)
def _n16() -> tuple[bool, str]:
    problems = []
    for path in sorted((ROOT / "examples").glob("*.py")):
        if path.stem == "http_endpoint":
            continue  # rewritten for `myoqa serve` by its own issue
        doc = path.read_text().split('"""')[1]
        if f".venv/bin/python examples/{path.name}" not in doc:
            problems.append(f"{path.name}: no .venv/bin/python command")
    chat = subprocess.run(
        [PY, str(ROOT / "examples" / "chat_bot.py")], capture_output=True, text=True, timeout=120, check=False
    )
    if "Sources:" not in chat.stdout or "URGENT" not in chat.stdout:
        problems.append("chat_bot: no sources or no urgent marker")
    tsv = Path(tempfile.mkdtemp()) / "chats.tsv"
    tsv.write_text("ana\tWhat is myositis ossificans?\nana\tHow is it treated?\n")
    batch = subprocess.run(
        [PY, str(ROOT / "examples" / "batch.py"), "--by-user", str(tsv)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    rows = [json.loads(line) for line in batch.stdout.splitlines()] if batch.returncode == 0 else []
    if len(rows) != 2 or rows[1].get("fact_id") != "mo-treatment":
        problems.append("batch: no conversation per user")
    return not problems, "; ".join(problems) or "all run as written and model the safe path"


# --- code review ----------------------------------------------------------------------------


@row("C1", "after /topic, '2.' or '#2' picks item 2 of the previous answer (two menus)")
def _c1() -> tuple[bool, str]:
    wrong = []
    for reply in ("2", "2.", "#2", "number 2"):
        lines, repl = repl_screen(["what is myositis ossificans", "/topic fop"], height=1000)
        shown = [re.sub(r"^\s*\d+\. ", "", line) for line in lines if re.match(r"^\s*2\. ", line)][-1]
        repl.handle(reply)  # type: ignore[attr-defined]
        got = repl.chat.last.matched_question  # type: ignore[attr-defined]
        if not shown.startswith(got[: min(len(got), 30)]):
            wrong.append(f"{reply!r} -> {got}")
    return not wrong, "; ".join(wrong) or "every form picks the item on screen"


@row("C2", "Unicode digits (², ①) count as numbers")
def _c2() -> tuple[bool, str]:
    wrong = []
    for reply in ("²", "①"):
        _, repl = repl_screen(["what is myositis ossificans"])
        choices = {c[0] for c in repl.chat.choices}  # type: ignore[attr-defined]
        repl.handle(reply)  # type: ignore[attr-defined]
        if repl.chat.last.fact_id in choices:  # type: ignore[attr-defined]
            wrong.append(reply)
    return not wrong, f"picked by {wrong}" if wrong else "not picks"


@row("C3", "from_facts accepts a fact related to itself and a synonym list given as a string")
def _c3() -> tuple[bool, str]:
    import datetime

    from myoqa import Fact, KnowledgeBase, KnowledgeError, Source

    fact = Fact(
        id="a-b", question="What is calcinosis?", answer="Calcium in the skin.", related=("a-b",),
        sources=(Source(title="t", url="https://example.org"),), reviewed=datetime.date(2026, 11, 28), topic="T",
    )  # fmt: skip
    bare: dict[str, object] = {"calcinosis": "calc"}  # what a bot developer may pass by mistake
    builds: list[tuple[str, Callable[[], object]]] = [
        ("self-related", lambda: KnowledgeBase.from_facts([fact])),
        (
            "bare-string synonyms",
            lambda: KnowledgeBase.from_facts([fact.model_copy(update={"related": ()})], synonyms=bare),  # type: ignore[arg-type]
        ),
    ]
    accepted = []
    for label, build in builds:
        try:
            build()
            accepted.append(label)
        except KnowledgeError:
            pass
    return not accepted, f"accepted: {accepted}" if accepted else "both rejected with KnowledgeError"


@row("C4", "limit changes confidence (41 of 357 questions)")
def _c4() -> tuple[bool, str]:
    kb = bundled()
    questions = [
        json.loads(line)
        for p in sorted((ROOT / "tests" / "data").glob("golden*.jsonl"))
        for line in p.read_text().splitlines()
        if line.strip()
    ]
    asked = [q.get("q") or q["turns"][-1] for q in questions]
    changed = [q for q in asked if kb.answer(q, limit=1).confidence != kb.answer(q, limit=20).confidence]
    return not changed, f"{len(changed)} of {len(asked)} change: {changed[:2]}"


@row("C5", "Explanation is mutable inside a frozen Answer; kind lists 'invalid'; README misses fields")
def _c5() -> tuple[bool, str]:
    import typing

    from myoqa import Answer, answer
    from myoqa.models import AnswerKind

    problems = []
    why = answer("myositis osificans").why
    try:
        why.corrections["x"] = "y"  # type: ignore[index, union-attr]
        problems.append("corrections can be changed")
    except TypeError:
        pass
    if "invalid" in typing.get_args(AnswerKind):
        problems.append("'invalid' in AnswerKind")
    readme = (ROOT / "README.md").read_text()
    problems += [f"README lacks `{f}`" for f in Answer.model_fields if f"`{f}`" not in readme]
    return not problems, "; ".join(problems) or "immutable, only produced kinds, every field documented"


@row(
    "C6",
    "tests that cannot fail: export test reads dir(), wrap test reads blocks[0], no tie test, no bench smoke test",
)
def _c6() -> tuple[bool, str]:
    tests = ROOT / "tests"
    api = (tests / "test_api.py").read_text()
    export = api[api.index("def test_public_names_are_exported") :].split("\ndef ", 1)[0]
    repl = (tests / "test_repl.py").read_text()
    wrap = repl[repl.index("def test_long_answers_wrap") :].split("\ndef ", 1)[0]
    matching = (tests / "test_matching.py").read_text()
    problems = []
    if "dir(myoqa)" in export:
        problems.append("export test reads dir(myoqa)")
    if (
        "blocks[0]" in wrap
        or "200"
        not in repl[repl.index("test_long_answers_wrap") - 200 : repl.index("test_long_answers_wrap")]
    ):
        problems.append("wrap test cannot fail at width 200")
    if "tie" not in matching or "ranked[0].score == ranked[1].score" not in matching:
        problems.append("no tie is built")
    if not any(
        "bench" in p.read_text() and '"--quick"' in p.read_text() for p in tests.glob("test_bench*.py")
    ):
        problems.append("no bench smoke test")
    return not problems, "; ".join(problems) or "each can fail"


@row("C7", "pytest -W error fails on a leaked socket or file")
def _c7() -> tuple[bool, str]:
    done = subprocess.run(
        [PY, "-X", "dev", "-W", "error::ResourceWarning", str(ROOT / "examples" / "http_endpoint.py")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    leaked = "ResourceWarning" in done.stderr
    detail = next((line for line in done.stderr.splitlines() if "ResourceWarning" in line), "")
    return (
        not leaked,
        f"examples/http_endpoint.py (issue 13's file): {detail.strip()[:100]}" if leaked else "no leak",
    )


def run(ids: list[str]) -> list[tuple[str, str, bool, str]]:
    results = []
    for row_id, title, check in ROWS:
        if ids and row_id not in ids:
            continue
        try:
            ok, detail = check()
        except (Exception, SystemExit) as exc:  # a replay that crashes is a defect too
            ok, detail = False, f"crashed: {type(exc).__name__}: {exc}"
        results.append((row_id, title, ok, detail))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("ids", nargs="*", help="only these rows (N1 C3 ...)")
    args = parser.parse_args(argv)
    results = run(args.ids)
    for row_id, title, ok, detail in results:
        print(f"{row_id:<4} {'fixed' if ok else 'REPRODUCES':<10} {title}\n     {detail}")
    left = [r for r in results if not r[2]]
    print(
        f"\n{len(results) - len(left)}/{len(results)} fixed"
        + (f"; reproducing: {', '.join(r[0] for r in left)}" if left else "")
    )
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
