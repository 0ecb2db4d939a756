"""Turn other question-answer collections into myoqa knowledge: ``myoqa import medquad FILE DIR``.

MedQuAD (Ben Abacha & Demner-Fushman, BMC Bioinformatics 2019; CC BY 4.0) is a real knowledge
base a user could bring: 16,423 answered question-answer pairs from NIH websites. Reading it
is also how ``myoqa bench`` measures myoqa at a scale its own knowledge base never reaches.

The converter keeps the answers exactly as given, cites each pair's page, leaves ``reviewed``
empty (nobody here checked them) and writes one topic file per website, with each pair's focus
("Abetalipoproteinemia") as the fact's subject. Fact ids are the pair ids in kebab case
(``GARD_0000001_Sec1`` → ``gard-0000001-sec1``), which are unique and map back to MedQuAD's
judged answers (LiveQA qrels).
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from myoqa.models import Fact, Source

SITES = {
    "CancerGov": "National Cancer Institute (cancer.gov)",
    "CDC": "Centers for Disease Control and Prevention (CDC)",
    "GARD": "Genetic and Rare Diseases Information Center (GARD)",
    "GHR": "Genetics Home Reference (GHR)",
    "MPlusHealthTopics": "MedlinePlus health topics",
    "NHLBI": "National Heart, Lung, and Blood Institute (NHLBI)",
    "NIDDK": "National Institute of Diabetes and Digestive and Kidney Diseases (NIDDK)",
    "NIHSeniorHealth": "NIHSeniorHealth",
    "NINDS": "National Institute of Neurological Disorders and Stroke (NINDS)",
    "ADAM": "A.D.A.M. Medical Encyclopedia (MedlinePlus)",
    "MPlusDrugs": "MedlinePlus drug information",
    "MPlusHerbsSupplements": "MedlinePlus herbs and supplements",
}
REMOVED_ANSWER = "MedQuAD's authors removed this answer for copyright reasons; read it at the source page."
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_NOT_ID = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class MedQuADPair:
    """One MedQuAD line, as ``medquad.jsonl.gz`` holds it (see its README)."""

    id: str
    source: str
    url: str
    focus: str
    qtype: str
    question: str
    answer: str | None


def read_medquad(path: Path | str) -> Iterator[MedQuADPair]:
    """Every pair of a MedQuAD JSON Lines file (gzip or plain), in file order.

    Raises ``ValueError`` naming the line for anything that is not a MedQuAD pair.
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item: Any = json.loads(line)
                answer = item.get("answer")
                yield MedQuADPair(
                    id=_text(item, "id"),
                    source=_text(item, "source"),
                    url=str(item.get("url") or ""),
                    focus=str(item.get("focus") or "").strip(),
                    qtype=str(item.get("qtype") or "").strip(),
                    question=_text(item, "question"),
                    answer=answer.strip() if isinstance(answer, str) and answer.strip() else None,
                )
            except (ValueError, AttributeError, KeyError) as exc:
                raise ValueError(f"{path}:{number}: not a MedQuAD pair ({exc})") from exc


def _text(item: dict[str, Any], key: str) -> str:
    value = item[key]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key!r} must be a non-empty string")
    return value.strip()


def fact_id(pair_id: str) -> str:
    """MedQuAD's pair id in kebab case: ``GARD_0000001_Sec1`` → ``gard-0000001-sec1``."""
    return _NOT_ID.sub("-", pair_id.lower()).strip("-")


def pair_fact(pair: MedQuADPair, *, answer: str | None = None) -> Fact:
    """The fact for one pair: its question, its answer as given (or ``answer``), its page."""
    site = SITES.get(pair.source, pair.source)
    sources = (
        (Source(title=f"{site}: {pair.focus or pair.question}", url=pair.url),)
        if _URL.match(pair.url)
        else ()
    )
    return Fact(
        id=fact_id(pair.id),
        question=pair.question,
        answer=answer if answer is not None else (pair.answer or REMOVED_ANSWER),
        sources=sources,
        topic=site,
        subject=pair.focus or None,
    )


def medquad_facts(path: Path | str, *, answered_only: bool = True) -> list[Fact]:
    """MedQuAD as facts: the answered pairs (or every pair, unanswered ones pointing at their page)."""
    return [pair_fact(p) for p in read_medquad(path) if p.answer is not None or not answered_only]


def write_medquad(path: Path | str, directory: Path | str) -> tuple[int, int]:
    """Write MedQuAD's answered pairs as a knowledge directory: one topic file per website.

    Refuses a directory that already holds ``*.yaml`` files (nothing is overwritten). Each file
    is written to a temporary name and renamed, so an interrupted run leaves no half file.
    Returns (facts written, files written).
    """
    import yaml

    directory = Path(directory)
    if directory.exists() and any(directory.glob("*.yaml")):
        raise ValueError(f"{directory} already holds .yaml files; pass a new or empty directory")
    by_source: dict[str, list[dict[str, Any]]] = {}
    for pair in read_medquad(path):
        if pair.answer is None:
            continue
        fact = pair_fact(pair)
        entry: dict[str, Any] = {"id": fact.id, "question": fact.question}
        if fact.subject:
            entry["subject"] = fact.subject
        entry["answer"] = fact.answer
        if fact.sources:
            entry["sources"] = [{"title": s.title, "url": s.url} for s in fact.sources]
        by_source.setdefault(pair.source, []).append(entry)
    directory.mkdir(parents=True, exist_ok=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for number, (source, entries) in enumerate(sorted(by_source.items()), 1):
        name = f"{number:02d}-{fact_id(source)}.yaml"
        text = yaml.dump(
            {"topic": SITES.get(source, source), "facts": entries},
            Dumper=dumper,
            allow_unicode=True,
            sort_keys=False,
            width=100,
        )
        temporary = directory / f".{name}.{os.getpid()}.tmp"  # 'x': never follows another's file
        try:
            with open(temporary, "x", encoding="utf-8") as out:
                out.write(
                    f"# MedQuAD ({source}), CC BY 4.0: Ben Abacha & Demner-Fushman, BMC Bioinformatics 2019\n"
                )
                out.write(text)
            os.replace(temporary, directory / name)
        except BaseException:
            os.unlink(temporary)
            raise
    return sum(len(e) for e in by_source.values()), len(by_source)
