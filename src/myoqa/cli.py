"""The ``myoqa`` command: argparse over the same calls a bot makes. ``main(argv) -> int``."""

from __future__ import annotations

import argparse
import errno
import json
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from myoqa import __version__
from myoqa.errors import KnowledgeError
from myoqa.kb import KnowledgeBase
from myoqa.knowledge import default_directory, read_directory
from myoqa.render import render_answer, render_why
from myoqa.server.commands import add_commands as add_server_commands
from myoqa.streams import json_line, make_safe

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
MAX_WARNINGS_SHOWN = 200
_WRITE_ERRORS = {errno.ENOSPC, errno.EFBIG, errno.EIO, errno.EDQUOT}


def _width() -> int:
    return min(shutil.get_terminal_size((80, 24)).columns, 100)


def _load(args: argparse.Namespace) -> KnowledgeBase:
    return KnowledgeBase.load(args.knowledge)


def cmd_ask(args: argparse.Namespace) -> int:
    kb = _load(args)
    question = " ".join(args.question)
    answer = kb.answer(question)
    status = EXIT_OK if answer.found else EXIT_FAIL  # scripts can tell "no answer" from an answer
    if args.json:
        print(json_line(answer, sys.stdout, exclude=None if args.why else {"why"}))
        return status
    print(render_answer(answer, width=_width(), numbered=False, asked=question))
    if args.why:
        print("\n" + render_why(answer.why, width=_width()))
    return status


def cmd_check(args: argparse.Namespace) -> int:
    from myoqa.lint import lint, self_test

    directory = (
        Path(args.directory)
        if args.directory
        else (Path(args.knowledge) if args.knowledge else default_directory())
    )
    data, problems = read_directory(directory)
    if data is None:
        for problem in problems:
            print(problem)
        print(f"\n{len(problems)} error(s) in {directory}; nothing was loaded.")
        return EXIT_FAIL
    findings = lint(data)
    shown_warnings = 0
    for problem in findings:
        if problem.severity == "warning" and not args.all:
            shown_warnings += 1
            if shown_warnings > MAX_WARNINGS_SHOWN:
                continue  # a generated 6,000-fact file has 18,000 of them: the count below says so
        print(problem)
    if shown_warnings > MAX_WARNINGS_SHOWN:
        print(f"... and {shown_warnings - MAX_WARNINGS_SHOWN} more warning(s); --all lists every one")
    errors = sum(p.severity == "error" for p in findings)
    warnings = len(findings) - errors
    topics = len({f.topic for f in data.facts})
    triage = (
        "no triage file (the bundled general rules apply)"
        if data.triage is None
        else f"{len(data.triage)} triage rules"
    )
    about = (
        "no about file (neutral texts from its topics)"
        if data.about is None
        else f"about: {data.about.name!r}"
    )
    print(
        f"{directory}: {len(data.facts)} facts in {topics} topics, {len(data.synonyms)} synonym entries, {len(data.smalltalk)} small-talk entries, {len(data.scope)} scope terms, {triage}, {about}; {errors} error(s), {warnings} warning(s)."
    )
    failed = errors > 0 or (args.strict and warnings > 0)
    if args.self_test:
        kb = KnowledgeBase(
            data.facts,
            synonyms=data.synonyms,
            smalltalk=data.smalltalk,
            scope=data.scope,
            source=str(directory),
            broader=data.broader,
        )
        result = self_test(kb)
        for fact_id, alternate, got in result.failures:
            print(f"self-test: {fact_id}: {alternate!r} -> {got or 'no answer'}")
        print(
            f"self-test: {result.total - len(result.failures)}/{result.total} alternates find their own fact ({100 * result.rate:.1f}%)"
        )
    return EXIT_FAIL if failed else EXIT_OK


def cmd_topics(args: argparse.Namespace) -> int:
    kb = _load(args)
    for topic in kb.topics:
        count = sum(f.topic == topic for f in kb.facts)
        print(f"{topic} ({count})")
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from myoqa.evaluate import evaluate, read_cases

    threshold = args.fail_under
    if threshold is not None and not 0 <= threshold <= 100:
        print(
            f"myoqa eval: --fail-under takes a percentage from 0 to 100, got {threshold:g}", file=sys.stderr
        )
        return EXIT_USAGE
    kb = _load(args)
    try:
        cases = read_cases(args.file)
    except (OSError, ValueError) as exc:
        print(f"myoqa eval: {exc}", file=sys.stderr)
        return EXIT_USAGE
    report = evaluate(cases, kb)
    failed = threshold is not None and report.overall < threshold
    if args.json:
        print(json.dumps({**report.as_dict(), "overall": report.overall, "fail_under": threshold}, indent=2))
        return EXIT_FAIL if failed else EXIT_OK
    if args.verbose:
        for o in report.failures:
            expected = "abstain" if o.case.expect is None else " & ".join("/".join(g) for g in o.case.expect)
            got = (
                f"{o.answer.fact_id} ({o.answer.confidence:.2f})"
                if o.answer.found
                else f"abstained ({o.answer.kind}, {o.answer.confidence:.2f})"
            )
            print(
                f"FAIL line {o.case.line} [{o.case.kind}] {' | '.join(o.case.turns)!r}\n  expected: {expected}\n  got: {got}"
            )
    if args.calibration:
        print("confidence   answered  right")
        for low, high, n, ok in report.calibration():
            rate = f"{100 * ok / n:5.1f}%" if n else "    -"
            print(f"{low:.1f}-{high:.1f}     {n:8d}  {ok:5d}  {rate}")
        confident = report.confident(0.8)
        if confident:
            right = sum(o.correct for o in confident)
            print(f">= 0.8: {right}/{len(confident)} right ({100 * right / len(confident):.1f}%)")
    (a_ok, a_n), (b_ok, b_n) = report.answerable, report.abstain
    print(f"answerable: {a_ok}/{a_n} correct ({100 * a_ok / max(a_n, 1):.1f}%)")
    print(f"abstain:    {b_ok}/{b_n} correct ({100 * b_ok / max(b_n, 1):.1f}%)")
    print(f"overall:    {a_ok + b_ok}/{a_n + b_n} ({100 * (a_ok + b_ok) / max(a_n + b_n, 1):.1f}%)")
    wrong, given = report.wrong_answers
    print(f"wrong:      {wrong}/{given} of the answers given ({100 * wrong / max(given, 1):.1f}%)")
    if failed:
        print(f"FAIL: overall {report.overall:.1f}% is below --fail-under {threshold:g}%")
        return EXIT_FAIL
    return EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    from myoqa.bench import run

    return run(
        args.knowledge,
        rounds=args.rounds,
        quick=args.quick,
        medquad=args.medquad,
        synthetic=args.synthetic,
        sample=args.sample,
    )


def cmd_import_medquad(args: argparse.Namespace) -> int:
    from myoqa.importers import write_medquad

    try:
        facts, files = write_medquad(args.file, args.directory)
    except (OSError, ValueError) as exc:
        print(f"myoqa import medquad: {exc}", file=sys.stderr)
        return EXIT_USAGE
    KnowledgeBase.load(args.directory)  # what was written must load; KnowledgeError says why not
    print(
        f"wrote {facts} facts in {files} topic files to {args.directory}; it loads: myoqa --knowledge {args.directory}"
    )
    return EXIT_OK


def cmd_repl(args: argparse.Namespace, stdin: TextIO | None = None) -> int:
    stdin = stdin if stdin is not None else sys.stdin
    if stdin is None:  # started with standard input closed (`myoqa <&-`)
        print("myoqa: standard input is closed; pipe questions in, or ask with `myoqa ask`", file=sys.stderr)
        return EXIT_USAGE
    kb = _load(args)
    if args.json and stdin.isatty():  # nothing piped in: say what is expected, then read the terminal
        print(
            "myoqa --json reads questions from standard input, one question per line, and prints one "
            "JSON answer per line (e.g. myoqa --json < questions.txt). Type questions now, Ctrl-D to end; "
            'for one question use: myoqa ask --json "QUESTION".',
            file=sys.stderr,
        )
    if args.json or stdin is None or not stdin.isatty():
        from myoqa.pipe import run_pipe

        return run_pipe(kb, stdin, sys.stdout, as_json=args.json)
    from myoqa.repl.app import run_repl
    from myoqa.repl.history import history_wanted

    return run_repl(kb, history_file=args.history_file, keep_history=history_wanted(args.no_history))


NO_HISTORY_HELP = "keep no history of questions on disk (also MYOQA_HISTORY=0)"


EVAL_FORMAT = (
    "One JSON object per line: "
    '{"q": "what is FOP", "expect": [["fibrodysplasia"], ["bone", "ossification"]]} '
    "is right when the answer holds a keyword of every group (case-insensitive); "
    '{"q": "who wrote hamlet", "expect": null} means the bot must abstain; '
    '{"turns": ["what is FOP", "is it inherited?"], "expect": [["gene"]]} scores the last answer '
    'of a conversation; an optional "kind" labels the case. Blank lines are skipped; any other '
    'line ("expect": [], a string where a list belongs, an unknown field) is rejected with '
    "file:line. The exit status is 0, or 1 under --fail-under, 2 for a bad file."
)
ASK_DESCRIPTION = (
    "Answer one question and exit. The exit status tells a script what happened: myoqa ask "
    'exits 0 with an answer and 1 without one (an "I don\'t know" or a "did you mean"), '
    "2 for a usage error."
)


def _global_options(*, inherit: bool) -> argparse.ArgumentParser:
    """The options that work before and after the command, declared once.

    The root parser gets them with their defaults; each command gets them (``inherit``) with
    ``SUPPRESS`` defaults, so a command never overwrites a value given before its name."""
    options = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS if inherit else None)
    options.add_argument(
        "--knowledge",
        metavar="DIR",
        help="knowledge directory to load (default: $MYOQA_KNOWLEDGE, else the bundled one)",
    )
    options.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS if inherit else False,
        help="print JSON: one answer per line for piped input, the answer for ask, the report for eval",
    )
    return options


def _history_options(*, inherit: bool) -> argparse.ArgumentParser:
    """The REPL's history options (before the command or after ``repl``), declared once."""
    options = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS if inherit else None)
    options.add_argument("--history-file", metavar="FILE", help="where the REPL keeps its history")
    options.add_argument(
        "--no-history",
        action="store_true",
        default=argparse.SUPPRESS if inherit else False,
        help=NO_HISTORY_HELP,
    )
    return options


def build_parser() -> argparse.ArgumentParser:
    common = _global_options(inherit=True)
    history = _history_options(inherit=True)
    parser = argparse.ArgumentParser(
        prog="myoqa",
        description="Answers questions about calcification and ossification in muscle tissue. Not medical advice.",
        parents=[_global_options(inherit=False), _history_options(inherit=False)],
    )
    parser.add_argument("--version", action="version", version=f"myoqa {__version__}")
    parser.set_defaults(func=cmd_repl)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("repl", parents=[common, history], help="start the interactive chat (the default)")
    p.set_defaults(func=cmd_repl)

    p = sub.add_parser(
        "ask", parents=[common], help="answer one question and exit", description=ASK_DESCRIPTION
    )
    p.add_argument("question", nargs="+", help="the question (quote it or not)")
    p.add_argument("--why", action="store_true", help="explain how the answer was chosen")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser(
        "check", parents=[common], help="validate a knowledge directory and report every mistake"
    )
    p.add_argument(
        "directory",
        nargs="?",
        default=None,
        help="directory to check (default: the one that would be loaded)",
    )
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument(
        "--all", action="store_true", help=f"list all warnings, not the first {MAX_WARNINGS_SHOWN}"
    )
    p.add_argument(
        "--self-test", action="store_true", help="leave-one-out: does each alternate still find its fact?"
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("topics", parents=[common], help="list the topics and how many facts each has")
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser(
        "eval",
        parents=[common],
        help="score the bot on a JSON Lines file of questions",
        description="Score the bot on a JSON Lines file of questions. " + EVAL_FORMAT,
    )
    p.add_argument("file", help='JSON Lines: {"q" | "turns", "expect", "kind"?} per line (see above)')
    p.add_argument(
        "--fail-under",
        type=float,
        metavar="PERCENT",
        default=None,
        help="exit 1 when the overall score is below PERCENT (0-100), e.g. in CI",
    )
    p.add_argument("--verbose", "-v", action="store_true", help="list every failure")
    p.add_argument("--calibration", action="store_true", help="show accuracy by confidence band")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser(
        "bench", parents=[common], help="measure answer() speed and start-up against baselines"
    )
    p.add_argument("--rounds", type=int, default=3, help="repetitions of each measurement (default 3)")
    p.add_argument(
        "--quick", action="store_true", help="tiny sizes, one round: a smoke test, not a measurement"
    )
    p.add_argument(
        "--medquad",
        metavar="DIR",
        default=None,
        help="folder of medquad.jsonl.gz (default: ../shared/data/medquad)",
    )
    p.add_argument(
        "--synthetic",
        type=int,
        default=1_000_000,
        metavar="N",
        help="phrasings of the synthetic KB (0: skip)",
    )
    p.add_argument("--sample", type=int, default=1000, metavar="N", help="perturbed questions per KB")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("import", help="convert another question-answer collection into a knowledge directory")
    formats = p.add_subparsers(title="formats", metavar="FORMAT", required=True)
    p = formats.add_parser(
        "medquad", help="MedQuAD JSON Lines (.jsonl or .jsonl.gz) -> one topic file per website"
    )
    p.add_argument("file", help="medquad.jsonl.gz")
    p.add_argument("directory", help="a new or empty directory to write the knowledge files to")
    p.set_defaults(func=cmd_import_medquad)

    add_server_commands(sub, common)  # serve, mcp (their extras are imported only when run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    make_safe(sys.stdin, sys.stdout, sys.stderr)  # odd bytes in, a plain ASCII terminal out: no traceback
    parser = build_parser()
    args = parser.parse_args(argv)
    for option, value in (("--knowledge", args.knowledge), ("DIR", getattr(args, "directory", None))):
        if value is not None and not value.strip():  # Path("") is the current folder: never meant
            print(f"myoqa: {option} is empty; pass the knowledge directory to use", file=sys.stderr)
            return EXIT_USAGE
    if args.knowledge is None and os.environ.get("MYOQA_KNOWLEDGE") == "":
        del os.environ["MYOQA_KNOWLEDGE"]
    try:
        result: int = args.func(args)
        if sys.stdout is not None:
            sys.stdout.flush()  # a full disk must fail here, where it is reported, not at exit
    except KnowledgeError as exc:
        print(f"myoqa: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `myoqa < questions.txt | head`); that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        if exc.errno not in _WRITE_ERRORS:
            raise
        # The output cannot be written (a full disk, /dev/full, a quota): say so once, on stderr.
        print(f"myoqa: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the final flush at exit cannot fail again
        return EXIT_FAIL
    return result
