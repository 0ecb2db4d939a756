"""Write ``src/myoqa/data/medical_terms.txt``: one-word names of conditions, drugs and tests.

myoqa uses the list to notice that a message is about a medical subject the knowledge base has
no fact about ("my mum has osteoporosis ... is alendronate safe?"): such a word is a subject of
its own, not chatty detail of a story, and the best fact about something else must not answer.

The words are the names of people that MedQuAD's eponymous conditions are named after
("Paget's disease of bone": "paget"; not English words), and MedQuAD's focus names (and their
annotated synonyms) that are a single word of four letters or more: all of those that are not common English words (``data/english_words.txt``),
so that "osteoporosis", "alendronate" and "mammogram" are in; and of the common ones
("migraine", "gout", "thyroid") those not in ``EVERYDAY`` below. ``EVERYDAY`` was written by hand
from the 400 common ones: words of everyday life that name a MedQuAD topic ("catch", "speed",
"ring", "falls"), general medical words ("pain", "surgery", "renal"), and conditions this
knowledge base's topics are linked to as causes, risk factors or complications ("stroke",
"coma", "diabetes", "lupus", "obesity", "clot"), since a message naming them may well be
about calcification or ossification.

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

from myoqa.analysis import english_words
from myoqa.normalize import STOPWORDS

OUT = Path(__file__).resolve().parent.parent / "src/myoqa/data/medical_terms.txt"
HEADER = """\
# One-word names of conditions, drugs and tests (lower-case ASCII letters, four or more; common
# English words only when they are medical names, see the script), one per line: myoqa reads a
# message naming one that its knowledge base never uses in a question as being about a subject
# it has no fact about.
#
# Derived from the focus names and focus synonyms of MedQuAD by scripts/build_medical_terms.py.
# MedQuAD: Asma Ben Abacha and Dina Demner-Fushman, "A Question-Entailment Approach to Question
# Answering", BMC Bioinformatics 20, 511 (2019), https://doi.org/10.1186/s12859-019-3119-4.
# Licensed under Creative Commons Attribution 4.0 (https://creativecommons.org/licenses/by/4.0/).
"""


EVERYDAY = frozenset(
    """
    acute adhesion adoption aerobic agitation aids alcohol alpha alps anatomy anesthesia anterior
    antibiotics antibody antigen apprehension arms arts aspiration battery benign bleach blow blues
    blushing boil boils braces bulk bullying burns caffeine calcium calculus cams cancer cardiovascular
    caregivers cass catch chalk char chem chemotherapy child childbirth chills choking chromosome chronic
    clam clap clippers cloning clot coke cold coma complement concussion confusion cord cosmetics crabs
    crack crypto crystal cyclones diabetes differential disabilities discipline dish distal divorce
    doctors drinking drooling drowning drugs earthquakes elisa embryo endemic enzyme erosion exercise
    falls fatigue fever fires five flake floods flushing fracture fractures gelatin genes genetics
    gestation gist glass gloom glue grass grief grieving hash hemorrhage hepatic hops hormones horse
    hunger hurricanes imaging immunity immunization incarceration incense incidence infertility
    inheritance insidious inspection intravenous invasive inversion ions iris junk lateral lord lupus
    makeup mass medial medicaid medicare medications medicines melancholy memory metabolism meth mole
    moles molds mona mono mourning narcissism nash newborn noise norse nurses nursing nutrition oats
    obesity olive operation overdose overweight pain painkillers palsy paralysis park parenting patches
    pavement percussion period peripheral pharmacists physician physicians poisoning pots pregnancy prom
    prop proliferation proximal puberty pulse punishment radiotherapy rehab rehabilitation renal
    resources respiration respiratory ring rupture sadness safety salt scales scan scar scars scrape
    seizures shock shots smack smoking snow speed spores spotting steroids stimulus stress strains stroke
    sugars swelling symptomatic systemic tears tension tina tips tornadoes toxins traction tram traps
    tuna ultrasound vaccination vaccinations vaping vegan ventral volcanoes wasting weakness weed
    whiplash
    """.split()  # noqa: SIM905
)


# The person an eponymous condition is named after: "Paget's disease of bone" gives "paget",
# "Crohn disease" "crohn". Only names that are not English words ("Bell's palsy" gives nothing:
# "bell" is a word), so a name is never read into everyday talk.
_EPONYM = re.compile(
    r"^([A-Z][a-z]+)(?:'s|\u2019s|s')? (?:disease|syndrome|anomaly|disorder|palsy|sarcoma|tumor"
    r"|dystrophy|phenomenon|ataxia|lymphoma|anemia)\b"
)

_ADJECTIVE = ("al", "ar", "ic", "ous", "ary", "ive", "oid", "tion")  # "adrenal", "cerebellar": not people


def main(path: str) -> None:
    words: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            pair = json.loads(line)
            for name in {pair["focus"] or "", *(pair.get("synonyms") or [])}:
                parts = re.findall(r"[A-Za-z]+", name)
                if len(parts) == 1 and name.strip().isalpha():
                    word = parts[0].lower()
                    if len(word) >= 4 and (word not in english_words() or word not in EVERYDAY):
                        words.add(word)
                eponym = _EPONYM.match(name.strip())
                if eponym is not None:
                    person = eponym[1].lower()
                    if len(person) >= 4 and person not in english_words() and not person.endswith(_ADJECTIVE):
                        words.add(person)
    words -= STOPWORDS
    OUT.write_text(HEADER + "".join(f"{w}\n" for w in sorted(words)), encoding="utf-8")
    print(f"{len(words)} words written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/medquad/medquad.jsonl.gz")
