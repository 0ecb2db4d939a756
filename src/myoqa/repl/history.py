"""The REPL's history file: private, bounded, and never the reason a question is lost.

People type medical questions about themselves, so the history is treated as private data:

* it lives in ``$XDG_DATA_HOME/myoqa/history`` only when ``XDG_DATA_HOME`` is absolute (the XDG
  spec says a relative one must be ignored: it would drop the file into whatever directory the
  REPL was started from, such as a git checkout), else in ``~/.local/share/myoqa/history``;
* the file is created ``0600`` in a ``0700`` directory (it was ``0644`` in ``0755``);
* ``--no-history`` or ``MYOQA_HISTORY=0`` keeps nothing on disk.

And it must not hang or crash the chat:

* only the last ``MAX_HISTORY_BYTES`` of the file are read, and a path that is not a regular file
  (``/dev/zero``, a FIFO) is not read at all: prompt-toolkit would read an endless "line" into
  memory inside its event loop;
* a failed write (a full disk) is reported once and the question is still answered; the
  history of the session stays in memory.
"""

from __future__ import annotations

import datetime
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from prompt_toolkit.history import FileHistory, History, InMemoryHistory

MAX_HISTORY_BYTES = 1 << 20
"""The newest megabyte of history (thousands of questions) is all Up and Ctrl-R ever need."""
ENV_HISTORY = "MYOQA_HISTORY"

Warn = Callable[[str], None]


def history_wanted(no_history_flag: bool = False) -> bool:
    """False when the user asked for no history on disk (``--no-history`` or ``MYOQA_HISTORY=0``)."""
    return not no_history_flag and os.environ.get(ENV_HISTORY, "").strip().lower() not in {
        "0",
        "no",
        "off",
        "false",
    }


def history_path() -> Path:
    """$XDG_DATA_HOME/myoqa/history when XDG_DATA_HOME is absolute, else ~/.local/share/myoqa/history."""
    base = os.environ.get("XDG_DATA_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".local" / "share"
    return root / "myoqa" / "history"


class BoundedFileHistory(FileHistory):
    """A ``FileHistory`` that reads a bounded tail, writes ``0600`` and survives failed writes."""

    def __init__(self, filename: str | os.PathLike[str]) -> None:
        super().__init__(filename)
        self._warnings: list[str] = []
        self._writable = True

    def take_warnings(self) -> list[str]:
        """Warnings since the last call (a failed write), for the REPL to show between prompts."""
        taken, self._warnings = self._warnings, []
        return taken

    def load_history_strings(self) -> Iterable[str]:
        try:
            with open(self.filename, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > MAX_HISTORY_BYTES:
                    handle.seek(size - MAX_HISTORY_BYTES)
                    handle.readline()  # skip the partial line the cut landed in
                data = handle.read(MAX_HISTORY_BYTES)
        except OSError:
            return []
        strings: list[str] = []
        lines: list[str] = []
        for raw in data.decode("utf-8", "replace").splitlines():
            if raw.startswith("+"):
                lines.append(raw[1:])
            elif lines:
                strings.append("\n".join(lines))
                lines = []
        if lines:
            strings.append("\n".join(lines))
        return list(reversed(strings))  # newest first, as prompt-toolkit expects

    def store_string(self, string: str) -> None:
        if not self._writable:
            return
        entry = f"\n# {datetime.datetime.now()}\n" + "".join(f"+{line}\n" for line in string.split("\n"))
        try:
            fd = os.open(self.filename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(entry.encode("utf-8", "replace"))
        except OSError as exc:
            self._writable = False
            self._warnings.append(
                f"warning: cannot save history to {os.fsdecode(self.filename)} ({exc.strerror or exc}); "
                "your question was still answered, and history is kept in memory from now on."
            )


def open_history(path: Path | None, warn: Warn, *, keep: bool = True) -> History:
    """The history for a session: a private bounded file, or memory with a one-line warning
    when the file is unusable (and silently when ``keep`` is False)."""
    if not keep:
        return InMemoryHistory()
    default = path is None
    path = path or history_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if default:
            _make_private(path.parent, 0o700)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            mode = None
        if mode is not None and not stat.S_ISREG(mode):
            warn(f"warning: {path} is not a regular file; history will not be saved.")
            return InMemoryHistory()
        os.close(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))
        if default:
            _make_private(path, 0o600)
    except OSError as exc:
        warn(f"warning: cannot write history to {path} ({exc.strerror or exc}); history will not be saved.")
        return InMemoryHistory()
    return BoundedFileHistory(path)


def _make_private(path: Path, mode: int) -> None:
    """Take group and other permissions away from our own file or directory (an older myoqa made
    them world-readable); someone else's is left alone."""
    info = path.stat()
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
        path.chmod(stat.S_IMODE(info.st_mode) & ~0o077 | (mode & 0o700))
