"""``myoqa bench``: speed measured against baselines in one run, printed as ratios.

Absolute times on a shared machine are noise; ratios measured side by side are not (much).
Nothing here runs inside the test suite.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from rapidfuzz import fuzz, process, utils

from myoqa.kb import KnowledgeBase

SAMPLE_QUESTIONS = (
    "what is myositis ossificans",
    "how is heterotopic ossification prevented after hip replacement",
    "fibrodisplasia ossificans progresiva symptoms",
    "why does kidney disease cause calcium deposits",
    "my son has a hard lump in his thigh after football",
    "calcinosis dermatomyositis treatment",
    "what is the capital of france",
    "qwertyuiop",
    "can calcium in my diet cause muscle calcification",
    "HO after spinal cord injury",
)


def _median_seconds(func: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _subprocess_seconds(code: str, rounds: int) -> float:
    def run() -> None:
        subprocess.run([sys.executable, "-c", code], check=True)

    run()  # warm the file-system cache once
    return _median_seconds(run, rounds)


def _first_prompt_seconds(timeout: float = 20.0) -> float | None:
    """Time from starting `python -m myoqa` in a pseudo-terminal until its prompt shows."""
    try:
        import pty
        import select
    except ImportError:  # not on this platform
        return None
    main_fd, child_fd = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "myoqa", "--history-file", os.devnull],
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        env=env,
        close_fds=True,
    )
    os.close(child_fd)
    seen = b""
    elapsed: float | None = None
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([main_fd], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(main_fd, 4096)
                except OSError:
                    break
                if b"myoqa>" in seen:
                    elapsed = time.perf_counter() - start
                    break
    finally:
        process.kill()
        process.wait()
        os.close(main_fd)
    return elapsed


def run(knowledge: str | None = None, *, rounds: int = 3) -> int:
    """Measure and print; return the exit status."""
    rounds = max(1, rounds)
    started = time.perf_counter()
    kb = KnowledgeBase.load(knowledge)
    load = time.perf_counter() - started
    phrasings = [p for f in kb.facts for p in f.phrasings]
    owners = [f.id for f in kb.facts for _ in f.phrasings]

    def ours() -> None:
        for q in SAMPLE_QUESTIONS:
            kb.answer(q)

    def plain_scan() -> None:
        for q in SAMPLE_QUESTIONS:
            best = process.extractOne(q, phrasings, scorer=fuzz.WRatio, processor=utils.default_process)
            assert best is None or owners[best[2]]

    ours()
    per_answer = _median_seconds(ours, rounds * 10) / len(SAMPLE_QUESTIONS)
    per_scan = _median_seconds(plain_scan, rounds * 10) / len(SAMPLE_QUESTIONS)
    bare = _subprocess_seconds("pass", rounds)
    imported = _subprocess_seconds("import myoqa", rounds)
    first = _subprocess_seconds("import myoqa; myoqa.answer('what is ossification')", rounds)
    repl = _subprocess_seconds("import myoqa.repl.app, myoqa; myoqa.api.default_kb()", rounds)
    prompts = [t for t in (_first_prompt_seconds() for _ in range(rounds)) if t is not None]

    print(f"knowledge base: {len(kb)} facts, {len(phrasings)} phrasings; loaded in {1000 * load:.1f} ms")
    print(f"answer() median:          {1000 * per_answer:8.3f} ms per question")
    print(f"plain rapidfuzz scan:     {1000 * per_scan:8.3f} ms per question (WRatio over every phrasing)")
    print(f"  ratio answer()/scan:    {per_answer / per_scan:8.2f}x")
    print(f"python -c pass:           {1000 * bare:8.1f} ms")
    print(f"import myoqa:             {1000 * imported:8.1f} ms  ({imported / bare:.2f}x bare Python)")
    print(f"import + first answer:    {1000 * first:8.1f} ms  ({first / bare:.2f}x bare Python)")
    print(f"REPL ready (no terminal): {1000 * repl:8.1f} ms  ({repl / bare:.2f}x bare Python)")
    if prompts:
        prompt = statistics.median(prompts)
        print(f"first prompt in a pty:    {1000 * prompt:8.1f} ms  ({prompt / bare:.2f}x bare Python)")
    return 0
