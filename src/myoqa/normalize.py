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

# Function words, question words and the everyday words of chatty questions ("my wife ... a
# couple of weeks ago"): they say how, who or when something is asked, not what about, so they
# must neither match a fact on their own nor mark a question as off-topic. That includes the
# closed-class words of written chat ("till", "tho", "lol", "gonna", "idk"): a knowledge base
# never uses them, and as unknown words they would weigh as much as its rarest subject.
STOPWORDS = frozenset(
    """
    a about above actually afraid after again against ago all also am an and any anyone
    anything are aren arent as at aunt basically be because been before being below between
    bit both boy boyfriend brother but by can cannot cant colleague could couldn couldnt
    couple cousin curious d dad daughter describe did didn didnt do doc docs does doesn
    doesnt doing don dont down during each enough everyone explain father few for friend
    friends from further get gets getting girl girlfriend got grandad grandfather grandma
    grandmother grandpa granny guys had has hasnt have havent having he heard her here hers
    herself hey him himself his how hows husband i id if im in into is isn isnt it its
    itself ive just kid kids kind know lad lately let lets literally ll lot lots m me mean
    meaning means mom more most mother mum my myself nan neighbor neighbour no nor not now
    of off ok okay on once only or other our ours ourselves out over own partner please r re
    read really s said same says scared shall she should shouldnt sister so some somebody
    someone something son such t tell than thanks that the their theirs them themselves then
    there these they thing things think thinks this those through to today told tonight too
    u uncle under until up ve very want was wasn wasnt we were what whats when where which
    while who whom why wife will with wondering wont worried worry would wouldnt yeah yes
    yesterday you your youre yours yourself yourselves
    youve youll youd theyve theyre theyll theyd weve were well wed shes hes thats theres
    wasnt werent itll itd whos whatre hadnt
    till til tho via per among amongst whilst besides despite onto throughout hence thus
    therefore etc eg ie
    lol haha omg pls plz ur ya gonna wanna gotta kinda sorta cuz coz cos bc idk tbh btw imo
    hi hello oh ah um uh hmm wow thx ty sorry pardon cheers nvm
    anyway anyways unrelated separately meanwhile additionally
    """.split()  # noqa: SIM905
)


def normalize(text: str) -> str:
    """Return ``text`` case-folded, NFKC-normalised, with punctuation turned into spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()  # control characters fall to _NON_WORD
    # Each substitution is skipped when its characters are absent (same result): building an
    # index normalises every answer, and most have no apostrophe or underscore.
    if "'" in text or "’" in text:
        text = _POSSESSIVE.sub("", text)  # "my wife's" -> "my wife"
    if "'" in text or "’" in text or "`" in text or "´" in text:
        text = _APOSTROPHES.sub("", text)
    text = _NON_WORD.sub(" ", text)
    if "_" in text:
        text = _UNDERSCORE.sub(" ", text)
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Split normalised text into words."""
    return normalize(text).split()


def content_words(words: list[str]) -> list[str]:
    """Keep the words that carry meaning (not stopwords, not lone digits or letters)."""
    return [w for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
