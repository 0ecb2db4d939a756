"""Text that is safe to print on a terminal: no control, escape or bidirectional-override characters.

A knowledge file is data someone else may have written. YAML's ``"\\e"`` escape puts a raw ESC
into a string, and a raw ESC printed by ``myoqa ask`` or ``myoqa check`` can clear the screen,
retitle the window or write to the clipboard (OSC 52). So the validation of every text field in
a knowledge file refuses such characters (``refuse_unsafe``), and whatever is printed about a
file that failed validation (ids, keys, file names) is escaped first (``escape``).

Newlines and tabs are ordinary text and stay allowed.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 controls but tab and newline, DEL, C1 controls (CSI is \x9b)
    "\u202a-\u202e\u2066-\u2069]"  # bidirectional embeddings, overrides and isolates ("Trojan source")
)


def _code(char: str) -> str:
    point = ord(char)
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}"


def first_unsafe(text: str) -> str | None:
    """The first character of ``text`` that must not reach a terminal, or None."""
    found = _UNSAFE.search(text)
    return found.group() if found else None


def refuse_unsafe(value: str) -> str:
    """A pydantic validator: ``value`` unchanged, or ``ValueError`` naming the first bad character."""
    bad = first_unsafe(value)
    if bad is not None:
        raise ValueError(
            f"contains the control character {_code(bad)} at position {value.index(bad) + 1}; "
            "control and escape characters are not allowed (printed, they can take over the "
            "reader's terminal), so remove it"
        )
    return value


def escape(text: str) -> str:
    """``text`` with every unsafe character written out as ``\\xNN`` or ``\\uNNNN``."""
    return _UNSAFE.sub(lambda m: _code(m.group()), text)
