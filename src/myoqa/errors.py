"""Exceptions raised by myoqa.

Every exception derives from one base, so embedders can catch them all at once::

    MyoqaError                 anything myoqa raises on purpose
     └── KnowledgeError        a knowledge directory cannot be loaded (lists every problem)

"Not found" is never an exception: ``answer()`` returns ``Answer(found=False)``. Misuse of the
API raises the built-in ``TypeError`` or ``ValueError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from myoqa.safetext import escape


class MyoqaError(Exception):
    """Base class of every error myoqa raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One mistake in a knowledge directory, located as precisely as we can."""

    path: str
    message: str
    fact_id: str | None = None
    field: str | None = None
    line: int | None = None
    severity: str = "error"
    item: str = "fact"  # what fact_id names: a "fact", or a triage "rule"

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        parts = [where]
        if self.fact_id is not None:
            parts.append(f"{self.item} '{self.fact_id}'")
        if self.field:
            parts.append(self.field)
        prefix = "warning: " if self.severity == "warning" else ""
        # Ids, keys and file names come from the file being checked, which may be hostile.
        return escape(f"{prefix}{' › '.join(parts)}: {self.message}")


class KnowledgeError(MyoqaError):
    """A knowledge directory has mistakes; nothing of it was loaded."""

    def __init__(self, problems: list[Problem], directory: Path | str | None = None) -> None:
        self.problems = problems
        self.directory = str(directory) if directory is not None else None
        count = len(problems)
        head = f"{count} problem{'s' if count != 1 else ''} in knowledge"
        if self.directory:
            head += f" directory {self.directory}"
        lines = [head + " (nothing was loaded; fix these and run `myoqa check`):"]
        lines += [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))
