"""Standard streams that never turn odd bytes or a plain terminal into a traceback.

* Input that is not valid UTF-8 (a binary file piped in, a Latin-1 text) is decoded with
  replacement characters instead of raising ``UnicodeDecodeError``: the question is still asked.
* Output to a terminal or file whose encoding lacks our typography (curly quotes, ``›``, ``—``
  in an ASCII or Latin-1 locale) falls back to plain ASCII look-alikes (``'``, ``>``, ``-``) and
  then ``?``, instead of raising ``UnicodeEncodeError``. JSON is written with ``\\u`` escapes in
  that case, so a bot still gets the exact text.
"""

from __future__ import annotations

import codecs
import io
import json
import unicodedata
from typing import Any, TextIO

from pydantic import BaseModel

FALLBACK_ERRORS = "myoqa-fallback"
_LOOK_ALIKES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2039": "<",
    "\u203a": ">",
    "\u00ab": "<<",
    "\u00bb": ">>",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u2192": "->",
    "\u2022": "*",
    "\u00b7": "*",
    "\u00a0": " ",
    "\u2265": ">=",
    "\u2264": "<=",
    "\u00d7": "x",
}


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for char in error.object[error.start : error.end]:
        plain = _LOOK_ALIKES.get(char)
        if plain is None:  # "é" -> "e"; anything with no ASCII form -> "?"
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii") or "?"
        out.append(plain)
    return "".join(out), error.end


codecs.register_error(FALLBACK_ERRORS, _fallback)


def speaks_unicode(stream: TextIO) -> bool:
    """True when ``stream`` can encode every character (a UTF encoding)."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def make_safe(stdin: TextIO | None, stdout: TextIO | None, stderr: TextIO | None) -> None:
    """Reconfigure the streams in place (only real text streams; others are left alone)."""
    if isinstance(stdin, io.TextIOWrapper) and stdin.errors == "strict":
        stdin.reconfigure(errors="replace")
    for stream in (stdout, stderr):
        if isinstance(stream, io.TextIOWrapper) and not speaks_unicode(stream):
            stream.reconfigure(errors=FALLBACK_ERRORS)


def json_line(model: BaseModel, stream: TextIO | None, **dump: Any) -> str:
    """``model`` as one line of JSON that ``stream`` can encode exactly."""
    text = model.model_dump_json(**dump)
    if stream is None or speaks_unicode(stream):
        return text
    return json.dumps(json.loads(text), ensure_ascii=True, separators=(",", ":"))
