"""Text laid out for a terminal: wrapped to its width with hanging indents.

Every front end (``myoqa ask``, piped input, the REPL) lays text out through here, so a list
item, a help line or a source title continues under its own text instead of at column 0, and a
number stays on the line of its unit ("20–50 %" never ends a line with "20–50"). Words longer
than the width (URLs) are kept whole so that they stay clickable.
"""

from __future__ import annotations

import re
import textwrap

MIN_WIDTH = 30
"""Narrower than this, wrapping makes text harder to read than letting the terminal cut it."""

_GLUE = "\ue000"  # a private-use character stands in for the space between a number and its unit
_UNIT = (
    r"%|‰|°C|°F|mg/dL|mg/dl|mmol/L|mmol/l|µmol/L|mg|mcg|µg|kg|g|mL|ml|cm|mm|km|m|IU|cGy|Gy|"
    r"years?|months?|weeks?|days?|hours?|minutes?|h"
)
_NUMBER_UNIT = re.compile(rf"(?<![\w.])(\d+(?:[.,]\d+)?(?:\s?[–-]\s?\d+(?:[.,]\d+)?)?) ({_UNIT})(?![\w/])")


def keep_units(text: str) -> str:
    """``text`` with each number glued to its unit, so no wrapper splits them."""
    if _GLUE in text:  # never confuse our placeholder with the text's own characters
        return text
    return _NUMBER_UNIT.sub(lambda m: f"{m.group(1).replace(' ', _GLUE)}{_GLUE}{m.group(2)}", text)


def fill(text: str, width: int, *, indent: str = "", hanging: str | None = None) -> str:
    """Wrap each paragraph of ``text`` (paragraphs are separated by a blank line) to ``width``.

    The first line starts with ``indent``, the others with ``hanging`` (default: as many spaces
    as ``indent`` is long, so continuation lines sit under the text).
    """
    width = max(width, MIN_WIDTH)
    rest = " " * len(indent) if hanging is None else hanging
    glued = _GLUE not in text
    wrapper = textwrap.TextWrapper(
        width=width,
        initial_indent=indent,
        subsequent_indent=rest,
        break_long_words=False,  # a URL or a long word stays whole (and clickable)
        break_on_hyphens=True,
    )
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    out = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        body = wrapper.fill(keep_units(paragraph) if glued else paragraph)
        out.append(body.replace(_GLUE, " ") if glued else body)
    return "\n\n".join(out)


def item(label: str, text: str, width: int, *, indent: str = "  ") -> str:
    """A list item ("  1. What causes ...?") whose wrapped lines continue under its text."""
    head = f"{indent}{label} "
    return fill(text, width, indent=head, hanging=" " * len(head))


def columns(rows: list[tuple[str, str]], width: int, *, indent: str = "  ") -> str:
    """Two columns (a command and its help, a label and its value): the second wraps under
    itself while that leaves it room, else under a small indent."""
    if not rows:
        return ""
    label_width = max(len(label) for label, _ in rows)
    lines = []
    for label, text in rows:
        head = f"{indent}{label:<{label_width}}  "
        hanging = " " * len(head) if len(head) <= width // 2 else indent + "    "
        if len(head) > width // 2:
            head = f"{indent}{label}  "
        lines.append(fill(text, width, indent=head, hanging=hanging) or head.rstrip())
    return "\n".join(lines)
