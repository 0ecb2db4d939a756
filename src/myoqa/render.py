"""Plain-text rendering of answers, shared by ``myoqa ask``, piped input and the REPL."""

from __future__ import annotations

import textwrap

from myoqa.models import Answer, Explanation

URGENT_NOTE = "If this describes you or someone you care for now, seek medical care promptly."
SEVERITY_LABELS = {"emergency": "Emergency", "crisis": "Crisis", "urgent": "Urgent"}
"""The word that marks urgent advice, so it stands out without colour (NO_COLOR, plain text)."""


def urgent_first(answer: Answer) -> tuple[str | None, str]:
    """(the urgent advice, marked in words, to show before anything else; the rest of the text).

    A triage answer is all advice ("Emergency: Call an ambulance now ..."); an urgent fact is
    preceded by the care note ("Urgent: If this describes you ...").
    """
    if answer.kind == "urgent" and answer.severity is not None:
        return f"{SEVERITY_LABELS[answer.severity]}: {answer.text}", ""
    if answer.urgent:
        return f"{SEVERITY_LABELS['urgent']}: {URGENT_NOTE}", answer.text
    return None, answer.text


def wrap(text: str, width: int, indent: str = "") -> str:
    """Wrap each paragraph of ``text`` to ``width`` columns."""
    width = max(width, 30)
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(
        textwrap.fill(p, width=width, initial_indent=indent, subsequent_indent=indent)
        for p in paragraphs
        if p
    )


def sources_heading(answer: Answer) -> str:
    """``Sources`` with the fact's review date, so a reader can judge how current it is."""
    if answer.reviewed is None:
        return "Sources"
    return f"Sources (reviewed {answer.reviewed.isoformat()})"


def render_answer(answer: Answer, *, width: int = 80, numbered: bool = True) -> str:
    """The answer as a person reads it: text, sources, then numbered choices or follow-ups."""
    advice, text = urgent_first(answer)
    lines = [wrap(part, width) for part in (advice, text) if part]
    if len(lines) == 2:
        lines.insert(1, "")
    if answer.suggestions:
        lines.append("")
        for i, suggestion in enumerate(answer.suggestions, 1):
            lines.append(f"  {i}. {suggestion.question}" if numbered else f"  - {suggestion.question}")
    if answer.sources:
        lines += ["", sources_heading(answer) + ":"]
        for s in answer.sources:
            lines += [wrap(s.title, width, indent="  "), f"    {s.url}"]  # URLs stay whole to stay clickable
    if answer.related:
        lines += ["", "Related:"]
        for i, r in enumerate(answer.related, 1):
            lines.append(f"  {i}. {r.question}" if numbered else f"  - {r.question}")
    return "\n".join(lines)


def render_why(why: Explanation | None) -> str:
    """The explanation of a match, for curators and the curious."""
    if why is None:
        return "No explanation is available for this answer."
    lines = [f"Query (normalised): {why.normalized or '(empty)'}"]
    if why.corrections:
        lines.append("Corrected words:    " + ", ".join(f"{a} → {b}" for a, b in why.corrections.items()))
    if why.expansions:
        lines.append("Synonyms:           " + ", ".join(why.expansions))
    if why.unknown_words:
        lines.append("Unknown words:      " + ", ".join(why.unknown_words))
    if why.candidates:
        lines.append("Top candidates:")
        for c in why.candidates:
            lines.append(f"  {c.score:.3f}  {c.id}  (via \u201c{c.matched}\u201d)")
    lines.append(f"Decision:           {why.reason}")
    return "\n".join(lines)
