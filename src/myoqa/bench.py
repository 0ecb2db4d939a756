"""``myoqa bench``: speed measured against baselines in one run, printed as ratios.

Absolute times on a shared machine are noise; ratios measured side by side are not (much).
Nothing here runs inside the test suite.
"""

from __future__ import annotations

import contextlib
import functools
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

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


HARD_INPUTS = (
    "fibrodisplasia osificans progresiva simptoms treetment prognosys lifespan inheritence",
    "\ufdfa" * 200,
    "calcificaton " * 100,
    "x" * 1_000_000,
    " ".join(f"word{i}x" for i in range(400)),
    "qwertyuiopasdfghjkl zxcvbnmqwertyuiop mnbvcxzlkjhgfdsapoiuytrewq " * 20,
    "my grandmother who is 84 has had kidney problems for years and now the doctors say there "
    "is calcium building up in her legs and the skin looks dark and it hurts, what is going on? " * 5,
    "heterotopicossification myositisossificans calcinosiscutis dermatomyositiscalcinosis",
    "type 2 diabetes 1 2 3 4 5 6 7 8 9 10 calcification 2024",
)
"""Inputs that have been slow: typo'd words, a ligature that expands 18-fold (U+FDFA), huge,
unknown or glued words, long stories."""


def slowest_input(kb: KnowledgeBase) -> tuple[float, str]:
    """The slowest of HARD_INPUTS (best of two tries each, after a warm-up)."""
    worst = (0.0, "")
    for text in HARD_INPUTS:
        kb.answer(text)
        seconds = min(_median_seconds(functools.partial(kb.answer, text), 1) for _ in range(2))
        worst = max(worst, (seconds, text[:40] + ("..." if len(text) > 40 else "")))
    return worst


def run(
    knowledge: str | None = None,
    *,
    rounds: int = 3,
    quick: bool = False,
    medquad: str | None = None,
    synthetic: int = 1_000_000,
    sample: int = 1000,
) -> int:
    """Measure and print; return the exit status. ``quick``: tiny sizes, for a smoke test."""
    from myoqa import cache
    from myoqa.benchscale import make_bm25, run_scale

    rounds = 1 if quick else max(1, rounds)
    started = time.perf_counter()
    with _cache_off():
        kb = KnowledgeBase.load(knowledge)
    load = time.perf_counter() - started
    if cache.enabled():
        KnowledgeBase.load(knowledge)  # make sure a cached copy exists
        started = time.perf_counter()
        KnowledgeBase.load(knowledge)
        cached_load = time.perf_counter() - started
    else:
        cached_load = None
    phrasings = [p for f in kb.facts for p in f.phrasings]
    owners = [f.id for f in kb.facts for _ in f.phrasings]

    def ours() -> None:
        for q in SAMPLE_QUESTIONS:
            kb.answer(q)

    def plain_scan() -> None:
        for q in SAMPLE_QUESTIONS:
            best = process.extractOne(q, phrasings, scorer=fuzz.WRatio, processor=utils.default_process)
            assert best is None or owners[best[2]]

    bm25 = make_bm25(phrasings)

    def bm25_all() -> None:
        for q in SAMPLE_QUESTIONS:
            assert bm25 is not None
            bm25.top(q)

    ours()
    per_answer = _median_seconds(ours, rounds * 10) / len(SAMPLE_QUESTIONS)
    per_scan = _median_seconds(plain_scan, rounds * 10) / len(SAMPLE_QUESTIONS)
    per_bm25 = _median_seconds(bm25_all, rounds * 10) / len(SAMPLE_QUESTIONS) if bm25 else None
    worst, worst_text = slowest_input(kb)
    bare = _subprocess_seconds("pass", rounds)
    imported = _subprocess_seconds("import myoqa", rounds)
    first_code = "import myoqa; myoqa.answer('what is ossification')"
    first = _subprocess_seconds(first_code, rounds)
    with _cache_off():
        first_uncached = _subprocess_seconds(first_code, rounds)
    repl = _subprocess_seconds("import myoqa.repl.app, myoqa; myoqa.api.default_kb()", rounds)
    prompts = (
        [t for t in (_first_prompt_seconds() for _ in range(rounds)) if t is not None] if not quick else []
    )

    print(
        f"knowledge base: {len(kb)} facts, {len(phrasings)} phrasings; built in {1000 * load:.1f} ms", end=""
    )
    print(
        f", read from the cache in {1000 * cached_load:.1f} ms" if cached_load is not None else " (cache off)"
    )
    print(f"answer() median:          {1000 * per_answer:8.3f} ms per question")
    print(f"plain rapidfuzz scan:     {1000 * per_scan:8.3f} ms per question (WRatio over every phrasing)")
    print(f"  ratio answer()/scan:    {per_answer / per_scan:8.2f}x")
    if per_bm25 is not None:
        print(f"bm25s:                    {1000 * per_bm25:8.3f} ms per question")
    else:
        print("bm25s:                    not installed (pip install 'myoqa[bench]')")
    print(f"slowest hard input:       {1000 * worst:8.1f} ms  ({worst_text!r})")
    print(f"python -c pass:           {1000 * bare:8.1f} ms")
    print(f"import myoqa:             {1000 * imported:8.1f} ms  ({imported / bare:.2f}x bare Python)")
    print(
        f"import + first answer:    {1000 * first:8.1f} ms  (+{1000 * (first - bare):.0f} ms over bare Python; cached index)"
    )
    print(
        f"  without the cache:      {1000 * first_uncached:8.1f} ms  (+{1000 * (first_uncached - bare):.0f} ms; MYOQA_CACHE=0)"
    )
    print(f"REPL ready (no terminal): {1000 * repl:8.1f} ms  ({repl / bare:.2f}x bare Python)")
    if prompts:
        prompt = statistics.median(prompts)
        print(f"first prompt in a pty:    {1000 * prompt:8.1f} ms  ({prompt / bare:.2f}x bare Python)")
    print()
    run_scale(
        lambda line: print(line, flush=True),
        medquad=Path(medquad) if medquad else None,
        synthetic=min(synthetic, 2000) if quick else synthetic,
        sample=20 if quick else sample,
        scan_sample=5 if quick else min(100, sample),
        limit=300 if quick else None,
    )
    return 0


@contextlib.contextmanager
def _cache_off() -> Iterator[None]:
    """Build without the on-disk cache (for build times, and the uncached cold start)."""
    old = os.environ.get("MYOQA_CACHE")
    os.environ["MYOQA_CACHE"] = "0"
    try:
        yield
    finally:
        if old is None:
            del os.environ["MYOQA_CACHE"]
        else:
            os.environ["MYOQA_CACHE"] = old
