"""Dump every eval line's answer (kind, fact id, confidence, suggestions) so a speed change can
prove it changed no answer: run before and after, then diff the two files.

    python scripts/snapshot_answers.py OUT.txt [FILE.jsonl ...]

Without files it reads the golden sets, the blind sets and ../shared/eval/dev.jsonl. Also
prints a hash of the matcher-relevant sources, so a diff caused by someone else's edit to
analysis/matching/decide or the knowledge files shows up as a changed hash, not as a speed bug.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from myoqa.conversation import Conversation
from myoqa.evaluate import read_cases
from myoqa.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [
    ROOT / "tests/data/golden.jsonl",
    ROOT / "tests/data/golden_b.jsonl",
    ROOT / "tests/data/golden_c.jsonl",
    ROOT / "tests/data/blind_real.jsonl",
    ROOT / "tests/data/blind_long.jsonl",
    ROOT / "tests/data/blind_conv.jsonl",
    ROOT.parent / "shared/eval/dev.jsonl",
]
WATCHED = ["src/myoqa/decide.py", "src/myoqa/conversation.py", "knowledge"]


def source_hash() -> str:
    digest = hashlib.sha256()
    for name in WATCHED:
        path = ROOT / name
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                digest.update(file.name.encode() + file.read_bytes())
    return digest.hexdigest()[:16]


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    files = [Path(a) for a in argv[1:]] or DEFAULT
    kb = KnowledgeBase.load()
    lines = [f"# watched sources {source_hash()}"]
    for file in files:
        if not file.exists():
            lines.append(f"# missing {file}")
            continue
        for case in read_cases(file):
            chat = Conversation(kb)
            answer = None
            for turn in case.turns:
                answer = chat.ask(turn)
            assert answer is not None
            suggestions = ",".join(s.id for s in answer.suggestions) if answer.suggestions else ""
            lines.append(
                f"{file.name}:{case.line}\t{answer.kind}\t{answer.fact_id}\t{answer.confidence!r}\t{suggestions}"
            )
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 1} answers written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
