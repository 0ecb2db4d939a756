"""The question as it will be read: cleaned and cut to a bounded length before any other work.

The length budget (``MAX_QUERY_CHARS``) must count what the matcher actually reads, so it is
applied *after*:

* replacing lone surrogates (from bad decoding), which no ``Answer`` field can hold;
* Unicode NFKC normalisation, which turns one U+FDFA into 18 characters and four words (500 of
  them took 300 ms to match when the cut came first);
* dropping leading, trailing and repeated whitespace, which otherwise eats the budget (480
  spaces before "what is myositis ossificans" made it unanswerable).

Only a bounded slice of a huge input is ever normalised, so a 50 MB question costs the same as a
short one.
"""

from __future__ import annotations

import re
import unicodedata

from myoqa.matching import MAX_QUERY_CHARS

_SPACES = re.compile(r"\s+")
_CHUNK = 2 * MAX_QUERY_CHARS


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by ``?`` (they cannot be encoded as UTF-8)."""
    return text.encode("utf-8", "replace").decode("utf-8")


def cut_question(question: str, limit: int = MAX_QUERY_CHARS) -> str:
    """The first ``limit`` characters of the cleaned, NFKC-normalised question, ending at a word.

    The input is read in slices until enough text has been gathered, so the work is bounded by
    ``limit`` and not by the length of ``question``.
    """
    head, start = "", 0
    while len(head.rstrip()) <= limit and start < len(question):
        chunk = question[start : start + _CHUNK]
        start += len(chunk)
        # Normalising head + chunk together keeps a character and its combining mark together
        # across the slice boundary; a single trailing space is kept so words stay apart.
        head = _SPACES.sub(" ", unicodedata.normalize("NFKC", without_surrogates(head + chunk))).lstrip()
    head = head.strip()
    if len(head) <= limit:
        return head
    cut = head[: limit + 1]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut[:limit]
