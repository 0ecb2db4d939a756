"""normalize() skips substitutions whose characters are absent; the result must be the one
applying every substitution gives."""

from __future__ import annotations

import random
import unicodedata

from myoqa import normalize as module
from myoqa.normalize import normalize


def _every_step(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = module._POSSESSIVE.sub("", text.casefold())
    text = module._APOSTROPHES.sub("", text)
    text = module._NON_WORD.sub(" ", text)
    text = module._UNDERSCORE.sub(" ", text)
    return " ".join(text.split())


def test_fast_paths_change_nothing() -> None:
    rng = random.Random(14)
    alphabet = "ab_'’`´ sS\u0149\ufdfa\u00c5\u212b1_2x%-\t\n.éÉß\u0130ǅ"
    samples = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25))) for _ in range(20000)]
    samples += ["my wife's knee", "it’s fine", "snake_case_word", "don`t", "O´Brien's", "ŉ"]
    for text in samples:
        assert normalize(text) == _every_step(text), repr(text)
    assert normalize("My wife's FOP_flare-up") == "my wife fop flare up"
