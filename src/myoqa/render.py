"""Plain-text rendering of answers, shared by ``myoqa ask``, piped input and the REPL."""

from __future__ import annotations

from myoqa.layout import columns, fill, item
from myoqa.models import Answer, Explanation
from myoqa.normalize import normalize

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
    """Wrap each paragraph of ``text`` to ``width`` columns (numbers kept with their units)."""
    return fill(text, width, indent=indent)


def answering(asked: str, answer: Answer) -> str | None:
    """ "Answering: <the fact's question>" when the user's words differ from it (compared
    normalised), so a reader sees at once when the bot understood something else; else None."""
    matched = answer.matched_question
    if answer.kind != "fact" or not matched or normalize(asked) == normalize(matched):
        return None
    return f"Answering: {matched}"


def sources_heading(answer: Answer) -> str:
    """``Sources`` with the fact's review date, so a reader can judge how current it is."""
    if answer.reviewed is None:
        return "Sources"
    return f"Sources (reviewed {answer.reviewed.isoformat()})"


def render_answer(answer: Answer, *, width: int = 80, numbered: bool = True, asked: str | None = None) -> str:
    """The answer as a person reads it: text, sources, then numbered choices or follow-ups.

    ``asked`` is what the user typed: when it differs from the fact's question, the answer is
    headed "Answering: <fact question>"."""
    advice, text = urgent_first(answer)
    lines = [wrap(part, width) for part in (advice, text) if part]
    if len(lines) == 2:
        lines.insert(1, "")
    header = answering(answer.question if asked is None else asked, answer)
    if header:
        lines.insert(0, wrap(header, width))
    if answer.suggestions:
        lines.append("")
        for i, suggestion in enumerate(answer.suggestions, 1):
            lines.append(item(f"{i}." if numbered else "-", suggestion.question, width))
    if answer.sources:
        lines += ["", sources_heading(answer) + ":"]
        for s in answer.sources:
            lines += [
                fill(s.title, width, indent="  ", hanging="    "),
                f"    {s.url}",
            ]  # URLs stay whole to stay clickable
    if answer.related:
        lines += ["", "Related:"]
        for i, r in enumerate(answer.related, 1):
            lines.append(item(f"{i}." if numbered else "-", r.question, width))
    return "\n".join(lines)


def render_why(why: Explanation | None, *, width: int = 80) -> str:
    """The explanation of a match, for curators and the curious."""
    if why is None:
        return "No explanation is available for this answer."
    rows = [("Query (normalised):", why.normalized or "(empty)")]
    if why.corrections:
        rows.append(("Corrected words:", ", ".join(f"{a} → {b}" for a, b in why.corrections.items())))
    if why.expansions:
        rows.append(("Synonyms:", ", ".join(why.expansions)))
    if why.unknown_words:
        rows.append(("Unknown words:", ", ".join(why.unknown_words)))
    rows.append(("Decision:", why.reason))
    label_width = max(len(label) for label, _ in rows)
    rows = [(label.ljust(label_width), value) for label, value in rows]  # one column for all rows
    lines = [columns(rows[:-1], width, indent="")] if len(rows) > 1 else []
    if why.candidates:
        lines.append("Top candidates:")
        for c in why.candidates:
            lines.append(item(f"{c.score:.3f}", f"{c.id} (via \u201c{c.matched}\u201d)", width))
    lines.append(columns(rows[-1:], width, indent=""))
    return "\n".join(lines)
