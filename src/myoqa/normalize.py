"""The single text normaliser, used both when the index is built and for every query.

Keeping one function for both sides is what makes fuzzy scores comparable.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w%]+")
_UNDERSCORE = re.compile(r"_+")
_APOSTROPHES = re.compile(r"['’`´]")
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")

# Function words and question words: they say how something is asked, not what about.
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are aren as at be because been before
    being below between both but by can cannot could couldn did didn do does doesn doing don down
    during each few for from further get gets getting got had has have having he her here hers
    herself him himself his how i if in into is isn it its itself just let lets me more most
    my myself no nor not now of off on once only or other our ours ourselves out over own same
    shall she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was wasn we were what whats when where
    which while who whom why will with would you your yours yourself yourselves s t d ll m re ve
    tell explain describe know want wondering please thanks kind mean means meaning
    something anything thing things really also u r im ive id youre whats hows
    shouldnt dont doesnt cant wont isnt arent wasnt didnt couldnt wouldnt hasnt havent
    """.split()
) | frozenset(
    # Everyday words of chatty questions ("my wife ... a couple of weeks ago"): they say who or
    # when, not what about, so they must neither match a fact nor mark a question off-topic.
    """
    ago today yesterday tonight lately lots lot enough couple bit actually basically literally
    ok okay yeah yes hey guys anyone someone somebody everyone
    wife husband partner brother sister mum mom mother dad father son daughter grandad grandpa
    grandfather grandma grandmother granny nan aunt uncle cousin friend friends boyfriend
    girlfriend kid kids boy girl lad neighbour neighbor colleague
    doc docs worried worry scared afraid wondering curious read heard told says said thinks think
    """.split()
)


def normalize(text: str) -> str:
    """Return ``text`` case-folded, NFKC-normalised, with punctuation turned into spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = _POSSESSIVE.sub("", text.casefold())  # "my wife's" -> "my wife"
    text = _APOSTROPHES.sub("", text)
    text = _NON_WORD.sub(" ", text)
    text = _UNDERSCORE.sub(" ", text)
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Split normalised text into words."""
    return normalize(text).split()


def content_words(words: list[str]) -> list[str]:
    """Keep the words that carry meaning (not stopwords, not lone digits or letters)."""
    return [w for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
