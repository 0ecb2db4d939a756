"""Write ``src/myoqa/data/medical_terms.txt``: one-word names of conditions, drugs and tests.

myoqa uses the list to notice that a message is about a medical subject the knowledge base has
no fact about ("my mum has osteoporosis ... is alendronate safe?"): such a word is a subject of
its own, not chatty detail of a story, and the best fact about something else must not answer.

The words are MedQuAD's focus names (and their annotated synonyms) that are a single word of
four letters or more and not a common English word (``data/english_words.txt``), so that
"osteoporosis", "alendronate" and "mammogram" are in, and "catch", "speed" and "ring" (the
names of a few MedQuAD topics) are not.

    python scripts/build_medical_terms.py ../shared/data/medquad/medquad.jsonl.gz

MedQuAD: Asma Ben Abacha and Dina Demner-Fushman, "A Question-Entailment Approach to Question
Answering", BMC Bioinformatics 20, 511 (2019), https://doi.org/10.1186/s12859-019-3119-4,
licensed CC BY 4.0 (https://github.com/abachaa/MedQuAD).
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

from myoqa.analysis import ENGLISH_WORDS

OUT = Path(__file__).resolve().parent.parent / "src/myoqa/data/medical_terms.txt"
HEADER = """\
# One-word names of conditions, drugs and tests (lower-case ASCII letters, four or more, not a
# common English word), one per line: myoqa reads a message naming one that its knowledge base
# never uses in a question as being about a subject it has no fact about.
#
# Derived from the focus names and focus synonyms of MedQuAD by scripts/build_medical_terms.py.
# MedQuAD: Asma Ben Abacha and Dina Demner-Fushman, "A Question-Entailment Approach to Question
# Answering", BMC Bioinformatics 20, 511 (2019), https://doi.org/10.1186/s12859-019-3119-4.
# Licensed under Creative Commons Attribution 4.0 (https://creativecommons.org/licenses/by/4.0/).
"""


def main(path: str) -> None:
    words: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            pair = json.loads(line)
            for name in {pair["focus"] or "", *(pair.get("synonyms") or [])}:
                parts = re.findall(r"[A-Za-z]+", name)
                if len(parts) == 1 and name.strip().isalpha():
                    word = parts[0].lower()
                    if len(word) >= 4 and word not in ENGLISH_WORDS:
                        words.add(word)
    OUT.write_text(HEADER + "".join(f"{w}\n" for w in sorted(words)), encoding="utf-8")
    print(f"{len(words)} words written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/medquad/medquad.jsonl.gz")
