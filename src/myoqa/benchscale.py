"""``myoqa bench`` at scale: MedQuAD, a synthetic knowledge base and LiveQA, beside baselines.

Each section builds a knowledge base, then measures on the same strings, in the same run:
myoqa's ``answer()``, a plain rapidfuzz ``process.extractOne`` (WRatio) over every phrasing,
and BM25 (``bm25s``, the optional ``bench`` extra; skipped with a note when missing). Accuracy
is measured on perturbed questions (one typo, one word outside the focus dropped), which is
what real users type; LiveQA scores rankings against NIST's judgments.

Memory is the growth of the resident set while the knowledge base is built (Linux
``/proc/self/statm``; elsewhere the peak RSS), so it counts what the process really holds.
"""

from __future__ import annotations

import gc
import gzip
import itertools
import json
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from myoqa.importers import MedQuADPair, fact_id, pair_fact, read_medquad
from myoqa.kb import KnowledgeBase
from myoqa.models import Answer, Fact
from myoqa.normalize import normalize

SEED = 14
MEDQUAD_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "medquad"


def rss_mb() -> float:
    """The resident set size now, in MB (the peak where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError, AttributeError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (2**20 if sys.platform == "darwin" else 2**10)


@dataclass
class Built:
    kb: KnowledgeBase
    seconds: float
    megabytes: float


def build(facts: Sequence[Fact]) -> Built:
    """Build a knowledge base (no on-disk cache: this is the build itself), timed and weighed."""
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    kb = KnowledgeBase.from_facts(facts)
    seconds = time.perf_counter() - start
    gc.collect()
    return Built(kb, seconds, rss_mb() - before)


def timings(func: Callable[[str], object], questions: Sequence[str]) -> list[float]:
    out = []
    for q in questions:
        start = time.perf_counter()
        func(q)
        out.append(time.perf_counter() - start)
    return out


def p99(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


class Scan:
    """The plain baseline: rapidfuzz WRatio against every phrasing, best one wins."""

    def __init__(self, phrasings: Sequence[str]) -> None:
        self.choices = [utils.default_process(p) for p in phrasings]

    def top(self, question: str) -> int | None:
        best = process.extractOne(utils.default_process(question), self.choices, scorer=fuzz.WRatio)
        return None if best is None else int(best[2])


class BM25:
    """BM25 (bm25s, English stopwords, no stemmer) over the same phrasings."""

    def __init__(self, phrasings: Sequence[str]) -> None:
        import bm25s  # type: ignore[import-untyped,import-not-found,unused-ignore]

        self._bm25s = bm25s
        self.index = bm25s.BM25()
        self.index.index(bm25s.tokenize(list(phrasings), show_progress=False), show_progress=False)
        self.vocab = self.index.vocab_dict
        self.size = len(phrasings)

    def ranked(self, question: str, k: int = 10) -> list[int]:
        words = [w for w in self._bm25s.tokenize([question], return_ids=False, show_progress=False)[0]]
        words = [w for w in words if w in self.vocab]
        if not words:
            return []
        docs, scores = self.index.retrieve([words], k=min(k, self.size), show_progress=False)
        return [int(d) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def top(self, question: str) -> int | None:
        ranked = self.ranked(question, 1)
        return ranked[0] if ranked else None


def make_bm25(phrasings: Sequence[str]) -> BM25 | None:
    try:
        return BM25(phrasings)
    except ImportError:
        return None


def speed_table(
    out: Callable[[str], None],
    kb: KnowledgeBase,
    scan: Scan,
    bm25: BM25 | None,
    questions: Sequence[str],
    scan_questions: Sequence[str],
) -> None:
    """Median and p99 of answer(), the scan and BM25 on the same strings, and the ratios."""
    ours = timings(kb.answer, questions)
    ours_on_scan_set = timings(kb.answer, scan_questions)
    theirs = timings(scan.top, scan_questions)
    out(
        f"  answer():      median {1000 * statistics.median(ours):9.3f} ms   p99 {1000 * p99(ours):9.3f} ms  ({len(ours)} questions)"
    )
    out(
        f"  extractOne:    median {1000 * statistics.median(theirs):9.3f} ms   p99 {1000 * p99(theirs):9.3f} ms  ({len(theirs)} of them)"
    )
    out(
        f"  ratio answer()/extractOne (same {len(theirs)} strings): {statistics.median(ours_on_scan_set) / statistics.median(theirs):.4f}x"
    )
    if bm25 is not None:
        bm = timings(bm25.top, questions)
        out(f"  bm25s:         median {1000 * statistics.median(bm):9.3f} ms   p99 {1000 * p99(bm):9.3f} ms")
    else:
        out("  bm25s: not installed (pip install 'myoqa[bench]')")


# --- perturbed questions -------------------------------------------------------------------


def typo(word: str, rng: random.Random) -> str:
    """One realistic typo, never in the first letter: a swap, a drop, a double or a neighbour."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiouy" if word[i] in "aeiouy" else "bcdfghklmnprstvw") + word[i + 1 :]


def perturb(question: str, focus: str, rng: random.Random) -> str:
    """The question with one typo (a word of 5 letters or more) and one word outside its
    focus dropped (when it has more than three words)."""
    words = question.split()
    focus_words = set(normalize(focus).split())
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    typo_at = rng.choice(long) if long else None
    if typo_at is not None:
        words[typo_at] = typo(words[typo_at], rng)
    droppable = [
        i
        for i, w in enumerate(words)
        if i != typo_at and normalize(w) and not set(normalize(w).split()) & focus_words
    ]
    if len(words) > 3 and droppable:
        del words[rng.choice(droppable)]
    return " ".join(words)


@dataclass
class Tally:
    right: int = 0
    wrong: int = 0
    declined: int = 0
    confident: int = 0
    confident_right: int = 0

    @property
    def total(self) -> int:
        return self.right + self.wrong + self.declined

    def line(self, name: str) -> str:
        given = self.right + self.wrong
        text = (
            f"  {name:<14} right {100 * self.right / max(self.total, 1):5.1f}%   wrong {100 * self.wrong / max(self.total, 1):5.1f}%"
            f"   declined {100 * self.declined / max(self.total, 1):5.1f}%   wrong among answers given {100 * self.wrong / max(given, 1):5.1f}%"
        )
        if self.confident:
            text += f"\n  {'':<14} confidence >= 0.8: {self.confident_right}/{self.confident} right ({100 * self.confident_right / self.confident:.1f}%)"
        return text


def accuracy(
    out: Callable[[str], None],
    kb: KnowledgeBase,
    scan: Scan,
    bm25: BM25 | None,
    owners: Sequence[str],
    pairs: Sequence[MedQuADPair],
    sample: int,
) -> None:
    """Right and wrong answers on perturbed questions; a fact is right when its question is the
    original one (MedQuAD repeats some questions word for word, which no matcher can tell apart)."""
    rng = random.Random(SEED)
    chosen = rng.sample(list(pairs), min(sample, len(pairs)))
    question_of = {f.id: normalize(f.question) for f in kb.facts}
    ours, scanned, bm = Tally(), Tally(), Tally()
    for pair in chosen:
        asked = perturb(pair.question, pair.focus, rng)
        want = normalize(pair.question)
        reply: Answer = kb.answer(asked)
        if reply.found and reply.kind == "fact" and reply.fact_id is not None:
            ok = question_of.get(reply.fact_id) == want
            ours.right += ok
            ours.wrong += not ok
            if reply.confidence >= 0.8:
                ours.confident += 1
                ours.confident_right += ok
        else:
            ours.declined += 1
        for tally, top in ((scanned, scan.top(asked)), (bm, bm25.top(asked) if bm25 else None)):
            if top is None:
                tally.declined += 1
            elif question_of[owners[top]] == want:
                tally.right += 1
            else:
                tally.wrong += 1
    out(f"  perturbed questions (one typo, one non-focus word dropped), {len(chosen)} sampled, seed {SEED}:")
    out(ours.line("answer()"))
    out(scanned.line("extractOne top"))
    if bm25 is not None:
        out(bm.line("bm25s top"))


# --- sections ------------------------------------------------------------------------------


def phrasings_of(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    texts = [p for f in kb.facts for p in f.phrasings]
    owners = [f.id for f in kb.facts for _ in f.phrasings]
    return texts, owners


def medquad_section(
    out: Callable[[str], None],
    directory: Path,
    *,
    sample: int,
    scan_sample: int,
    every_question: bool,
    limit: int | None = None,
) -> None:
    path = directory / "medquad.jsonl.gz"
    if not path.exists():
        out(f"MedQuAD: skipped ({path} not found)")
        return
    pairs = list(read_medquad(path))
    answered = [p for p in pairs if p.answer is not None][:limit]
    pairs = pairs[:limit]
    kbs: list[tuple[str, list[MedQuADPair]]] = [("answered pairs", answered)]
    if every_question:
        kbs.append(("all questions", pairs))
    liveqa_kbs: dict[str, tuple[KnowledgeBase, BM25 | None]] = {}
    for name, chosen in kbs:
        if not chosen:
            out(f"MedQuAD, {name}: none in {path}; skipped")
            continue
        facts = [pair_fact(p) for p in chosen]
        built = build(facts)
        texts, owners = phrasings_of(built.kb)
        out(
            f"MedQuAD, {name}: {len(facts)} facts, {len(texts)} phrasings; build {built.seconds:.2f} s, "
            f"memory +{built.megabytes:.0f} MB (resident)"
        )
        rng = random.Random(SEED)
        asked = [perturb(p.question, p.focus, rng) for p in rng.sample(chosen, min(sample, len(chosen)))]
        scan = Scan(texts)
        start = time.perf_counter()
        bm25 = make_bm25(texts)
        if bm25 is not None:
            out(f"  bm25s index built in {time.perf_counter() - start:.2f} s")
        speed_table(out, built.kb, scan, bm25, asked, asked[:scan_sample])
        if name == "answered pairs":
            accuracy(out, built.kb, scan, bm25, owners, chosen, sample)
        liveqa_kbs[name] = (built.kb, bm25)
        del scan
    directory_section(out, path, limit)
    liveqa = directory / "liveqa_test.jsonl"
    if liveqa.exists():
        for name, (kb, bm25) in liveqa_kbs.items():
            # Both lists: with --quick each is cut on its own, so neither holds all of the other.
            pair_of = {fact_id(p.id): p.id for p in (*answered, *pairs)}
            liveqa_section(out, liveqa, name, kb, bm25, pair_of)
    else:
        out(f"LiveQA: skipped ({liveqa} not found)")


def directory_section(out: Callable[[str], None], path: Path, limit: int | None) -> None:
    """MedQuAD as a user would bring it: ``myoqa import medquad``, then a first load (YAML and
    build; the cache is written) and a second one (read from the user's cache)."""
    import tempfile

    from myoqa import cache
    from myoqa.importers import write_medquad

    with tempfile.TemporaryDirectory() as scratch:
        source = path
        if limit is not None:  # a smoke test: only the first pairs
            source = Path(scratch) / "sample.jsonl"
            source.write_text("".join(itertools.islice(_lines(path), limit)), encoding="utf-8")
        target = Path(scratch) / "kb"
        start = time.perf_counter()
        facts, files = write_medquad(source, target)
        imported = time.perf_counter() - start
        if not facts:
            out("MedQuAD as a knowledge directory: no answered pairs in the sample; skipped")
            return
        old = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = str(Path(scratch) / "cache")  # a cold cache of our own
        try:
            start = time.perf_counter()
            KnowledgeBase.load(target)
            first = time.perf_counter() - start
            start = time.perf_counter()
            KnowledgeBase.load(target)
            second = time.perf_counter() - start
        finally:
            if old is None:
                del os.environ["XDG_CACHE_HOME"]
            else:
                os.environ["XDG_CACHE_HOME"] = old
        state = "cached" if cache.enabled() else "cache off (MYOQA_CACHE=0)"
        out(
            f"MedQuAD as a knowledge directory: import {facts} facts into {files} files {imported:.1f} s; "
            f"first load {first:.1f} s; second load {second:.2f} s ({state})"
        )


def _lines(path: Path) -> Iterator[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        yield from lines


def liveqa_scores(
    ranked: Sequence[Sequence[str]], judged: Sequence[dict[str, int]]
) -> tuple[float, float, float]:
    """avgScore (first answer's judgment 1-4 as 0-3, unjudged 0), MAP@10 and MRR@10 (3 or 4
    relevant; a question without a relevant judged answer scores 0), averaged over questions."""
    total_score = total_ap = total_rr = 0.0
    for ids, judgments in zip(ranked, judged, strict=True):
        top = list(ids)[:10]
        if top:
            total_score += max(judgments.get(top[0], 1) - 1, 0)
        relevant = {i for i, j in judgments.items() if j >= 3}
        hits = 0
        precision_sum = 0.0
        first: float = 0.0
        for rank, i in enumerate(top, 1):
            if i in relevant:
                hits += 1
                precision_sum += hits / rank
                first = first or 1 / rank
        total_ap += precision_sum / min(len(relevant), 10) if relevant else 0.0
        total_rr += first
    n = max(len(ranked), 1)
    return total_score / n, total_ap / n, total_rr / n


def liveqa_section(
    out: Callable[[str], None],
    path: Path,
    name: str,
    kb: KnowledgeBase,
    bm25: BM25 | None,
    pair_of: dict[str, str],
) -> None:
    """LiveQA scores of myoqa's ranking (``kb.match``, top 10) and of BM25's, on the original
    consumer messages and on the NLM summaries; ``pair_of`` maps fact ids to MedQuAD pair ids."""
    with open(path, encoding="utf-8") as lines:
        tests = [json.loads(line) for line in lines if line.strip()]
    _, owners = phrasings_of(kb)
    judged = [{j["medquad_id"]: int(j["judgment"]) for j in t["medquad_qrels"]} for t in tests]
    out(f"LiveQA-Med ({len(tests)} test questions), knowledge base: MedQuAD {name}")
    for label, key in (("original message", None), ("NLM summary", "summary")):
        questions = [t[key] if key else f"{t['subject'] or ''}. {t['message']}" for t in tests]
        ours = [[pair_of[s.fact.id] for s in kb.match(q, limit=10).ranked] for q in questions]
        declined = sum(not kb.answer(q).found for q in questions)
        line = "  {:<17} myoqa avgScore {:.3f} MAP@10 {:.3f} MRR@10 {:.3f}".format(
            label, *liveqa_scores(ours, judged)
        )
        if bm25 is not None:
            theirs = [_dedupe([pair_of[owners[i]] for i in bm25.ranked(q, 30)])[:10] for q in questions]
            line += "   | bm25s avgScore {:.3f} MAP@10 {:.3f} MRR@10 {:.3f}".format(
                *liveqa_scores(theirs, judged)
            )
        out(line + f"   (answer() declines {declined})")


def _dedupe(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


# --- synthetic -----------------------------------------------------------------------------

_SYLLABLES = [c + v for c in "bcdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
_TEMPLATES = (
    "what is {s}",
    "what causes {s}",
    "how is {s} treated",
    "what are the symptoms of {s}",
    "is {s} inherited",
    "how is {s} diagnosed",
    "who gets {s} {w}",
    "can {w} {s} be prevented",
)


def synthetic_facts(phrasings: int, rng: random.Random) -> list[Fact]:
    """Facts about made-up conditions ("dakoutivi sezou"), four phrasings each, over a Zipf-like
    vocabulary: realistic word statistics without inventing medical content."""
    vocabulary = sorted(
        {"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(60000)}
    )
    # Cumulative once: ``choices(weights=...)`` would add up all 60,000 weights for every fact.
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))
    facts = []
    for n in range(max(1, phrasings // 4)):
        subject = " ".join(rng.sample(vocabulary, 2))
        extra = rng.choices(vocabulary, cum_weights=cumulative, k=4)
        texts = [t.format(s=subject, w=extra[i]) for i, t in enumerate(rng.sample(_TEMPLATES, 4))]
        facts.append(
            Fact(
                id=f"synthetic-{n}",
                question=texts[0],
                alternates=tuple(texts[1:]),
                answer=f"A made-up answer about {subject} and {' '.join(extra)}.",
                topic="Synthetic",
            )
        )
    return facts


def synthetic_section(out: Callable[[str], None], phrasings: int, *, sample: int, scan_sample: int) -> None:
    rng = random.Random(SEED)
    facts = synthetic_facts(phrasings, rng)
    built = build(facts)
    texts, _ = phrasings_of(built.kb)
    out(
        f"synthetic: {len(facts)} facts, {len(texts)} phrasings; build {built.seconds:.1f} s, "
        f"memory +{built.megabytes:.0f} MB (resident)"
    )
    asked = []
    for text in rng.sample(texts, min(sample, len(texts))):
        words = text.split()
        long = [i for i, w in enumerate(words) if len(w) >= 5]
        if long:
            i = rng.choice(long)
            words[i] = typo(words[i], rng)
        asked.append(" ".join(words))
    scan = Scan(texts)
    bm25 = make_bm25(texts)
    speed_table(out, built.kb, scan, bm25, asked, asked[:scan_sample])


def run_scale(
    out: Callable[[str], None],
    *,
    medquad: Path | None,
    synthetic: int,
    sample: int,
    scan_sample: int,
    every_question: bool = True,
    limit: int | None = None,
) -> None:
    """Every section; ``limit`` reads only that many MedQuAD pairs (a smoke test)."""
    directory = medquad or MEDQUAD_DIR
    medquad_section(
        out, directory, sample=sample, scan_sample=scan_sample, every_question=every_question, limit=limit
    )
    if synthetic > 0:
        synthetic_section(out, synthetic, sample=sample, scan_sample=scan_sample)
