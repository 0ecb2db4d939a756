"""Whether a question asks what dose a particular person should take.

"What dose of palovarotene should my 9 year old be on?" and "how many grams of sodium
thiosulfate should my mum get" are not questions about a medicine but requests for a
prescription: the answer depends on the person's weight, age, kidneys and other medicines, and
a fact's general text would read as advice it is not. A knowledge base whose ``about.yaml`` has
a ``personal_dose`` text answers these with that text (and its facts about the medicine as
suggestions) instead; one without it (a bakery's FAQ: "how much flour should I use") never
asks this.

The test reads the normalised words of one asking sentence: an amount word ("dose", "mg",
"how much") asked about, together with a person it is for ("I", "my daughter", "he") and a
verb of taking or giving. General questions about doses ("is the radiation dose safe?", "does
a high dose of vitamin D cause calcification?") name no amount asked about and no person.
"""

from __future__ import annotations

import re

_AMOUNT = (
    r"(?:doses?|dosages?|dosing|mg|milligrams?|mcg|micrograms?|grams?|g|iu|units|ml|tablets|pills|capsules)"
)
_PERSON = r"(?:i|me|my|we|us|our|he|him|his|she|her|they|them|their|you|your|u|ur)"
_TAKE = r"(?:take|taking|be on|get|getting|give|giving|have|use|start|need|put on|prescribe)"

# "what dose of X should my son be on", "which dosage for me", "how many mg can he take"
_ASKED_AMOUNT = re.compile(
    rf"\b(?:what|which|how much|how many|right|correct|max|maximum|safe)(?: \w+){{0,3}} {_AMOUNT}\b"
)
# "how much indomethacin should I take", "how much vitamin d can my mum have"
_HOW_MUCH_FOR = re.compile(
    rf"\bhow (?:much|many)(?: \w+){{0,4}} (?:should|can|do|must|could|would|shall)"
    rf" {_PERSON}(?: \w+)? (?:be )?{_TAKE}\b"
)
# "indomethacin dose for my husband", "dosage for a 9 year old"
_DOSE_FOR = re.compile(
    r"\b(?:doses?|dosages?|dosing) for (?:me|my|him|her|us|them|our|a \d+ ?(?:year|yr|y) ?old)\b"
)
_FOR_PERSON = re.compile(rf"\b{_PERSON}\b")
_TAKING = re.compile(rf"\b{_TAKE}\b|\bfor {_PERSON}\b")


def asks_personal_dose(words: str) -> bool:
    """Whether these normalised words ask what dose someone in particular should take."""
    padded = f" {words} "
    if _HOW_MUCH_FOR.search(padded) or _DOSE_FOR.search(padded):
        return True
    found = _ASKED_AMOUNT.search(padded)
    if found is None:
        return False
    rest = padded[found.start() :]
    return bool(_FOR_PERSON.search(rest) and _TAKING.search(rest))
