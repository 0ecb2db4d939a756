"""A built knowledge base kept in the user's cache directory, so a start need not rebuild it.

Building the index (analysis, postings, speller) costs more than reading the YAML; a cached
copy is read back instead when nothing it depends on has changed:

* **Key.** A SHA-256 of the knowledge directory's ``*.yaml`` files (names and bytes), of
  myoqa's own code and data (the package version alone does not change while the code is being
  edited), of the Python version and of the pydantic and rapidfuzz versions. A changed key
  means another file name, so a stale copy is simply never read; the key is also stored
  inside the file and checked after reading.
* **Where.** ``$XDG_CACHE_HOME/myoqa`` (an absolute path only), else ``~/.cache/myoqa``; the
  folder is made readable by its owner only (0700). ``MYOQA_CACHE=0`` turns the cache off.
* **Safety.** The copy is a pickle, and unpickling runs code, so a file is read only when it,
  and the folder holding it, belong to the current user and nobody else can write them
  (checked on the open file descriptor, with ``O_NOFOLLOW``, so a symlink or a swapped file is
  refused). Anything wrong with a copy (unreadable, truncated, foreign, another key) makes it
  ignored and rebuilt; a cache that cannot be written is skipped silently. Each copy is written
  to a temporary file in the same folder and renamed over the old one (``os.replace``), so a
  reader never sees half a file.

* **Speed.** A copy is read with the garbage collector paused and its objects filed straight
  into the oldest generation (``unpickle``); a speller's indexes stay packed until a word
  needs correcting (``myoqa.text.Speller``).

The cache holds knowledge only (facts and their index), never questions.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

FORMAT = 2
"""Bumped when the layout of a cached file changes."""

_PACKAGE = Path(__file__).resolve().parent
_SUFFIXES = (".yaml", ".yml")


def enabled() -> bool:
    """Whether the cache is on (``MYOQA_CACHE=0``, ``false``, ``no`` or ``off`` turn it off)."""
    return os.environ.get("MYOQA_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


def cache_directory() -> Path:
    """``$XDG_CACHE_HOME/myoqa`` when that is an absolute path, else ``~/.cache/myoqa``."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "myoqa"


@functools.cache
def _code_digest() -> bytes:
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yaml", ".txt") and "__pycache__" not in path.parts and path.is_file():
            digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def key_of(directory: Path) -> str:
    """The cache key of a knowledge directory, with myoqa's code and the Python version."""
    import pydantic
    import rapidfuzz

    from myoqa import __version__

    # The libraries whose objects the copy holds: pickled models are only as good as the
    # pydantic that reads them back.
    libraries = f"pydantic {pydantic.VERSION}|rapidfuzz {rapidfuzz.__version__}"
    digest = hashlib.sha256(f"{FORMAT}|{__version__}|{sys.version}|{libraries}".encode())
    digest.update(_code_digest())
    for path in sorted(directory.iterdir()):
        if path.name.lower().endswith(_SUFFIXES):
            digest.update(path.name.encode() + b"\0" + _regular_bytes(path) + b"\0")
    return digest.hexdigest()


def _regular_bytes(path: Path) -> bytes:
    """A regular file's bytes; OSError for anything else (a FIFO must not block the key: the
    loader reports such entries, so the caller builds instead)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(f"{path} is not a regular file")
        return handle.read()


def _file_for(directory: Path, key: str) -> Path:
    # The name as given is part of it: the built copy remembers it as its ``source``.
    where = hashlib.sha256(f"{directory}\0{directory.resolve()}".encode()).hexdigest()[:16]
    return cache_directory() / f"kb-{where}-{key[:32]}.pickle"


def _trusted(info: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else."""
    getuid = getattr(os, "getuid", None)
    owner_ok = getuid is None or info.st_uid == getuid()
    return owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def unpickle(data: bytes) -> object:
    """``pickle.loads`` with the cyclic garbage collector paused, its objects then filed as old.

    Unpickling creates hundreds of thousands of containers, none of them garbage. Left alone,
    every burst of allocations starts a collection that walks all of them again (measured: the
    MedQuAD copy loads in half the time without those), and once the load is done the young
    generations still walk each of them twice before deciding they are long-lived (about
    250 ms on MedQuAD, paid by whatever runs next). They are long-lived by construction (a
    knowledge base lasts as long as its process uses it), so ``gc.freeze()`` then
    ``gc.unfreeze()`` puts them straight into the oldest generation, as the ``gc`` module
    documents. That is skipped when the program has frozen objects of its own (a server
    that forks does): unfreezing would undo its freeze. The collector's on/off state is
    restored whatever happens.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        value = pickle.loads(data)
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        return value
    finally:
        if was_enabled:
            gc.enable()


def read(path: Path, key: str) -> object | None:
    """The object cached at ``path`` under ``key``, or None when it is missing or not to be trusted."""
    try:
        folder = os.stat(path.parent, follow_symlinks=False)
        if not stat.S_ISDIR(folder.st_mode) or not _trusted(folder):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or not _trusted(info):
                return None
            stored = unpickle(handle.read())
    except Exception:  # truncated, corrupt or from an incompatible build: rebuild instead
        return None
    if not isinstance(stored, tuple) or len(stored) != 3 or stored[:2] != ("myoqa-cache", key):
        return None
    value: object = stored[2]
    return value


def write(path: Path, key: str, value: object) -> bool:
    """Store ``value`` atomically; False (and nothing left behind) when that is not possible."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = os.stat(folder, follow_symlinks=False)
        if not stat.S_ISDIR(info.st_mode) or not _trusted(info):
            return False
        data = pickle.dumps(("myoqa-cache", key, value), protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".kb-", suffix=".tmp")  # mode 0600
    except Exception:  # unwritable cache, or something in the value that does not pickle
        return False
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    _prune(path)
    return True


def _prune(kept: Path) -> None:
    """Remove older copies of the same directory (other keys), so the cache does not grow."""
    prefix = kept.name.rsplit("-", 1)[0] + "-"
    with contextlib.suppress(OSError):
        for other in kept.parent.iterdir():
            if other.name.startswith(prefix) and other.name.endswith(".pickle") and other != kept:
                other.unlink()


def cached(directory: Path, build: Callable[[], T], kind: type[T]) -> T:
    """``build()``, or its cached copy for this directory when one is valid (see the module)."""
    if not enabled():
        return build()
    try:
        key = key_of(directory)
    except OSError:
        return build()  # the loader reports an unreadable directory better than we can
    path = _file_for(directory, key)
    value = read(path, key)
    if isinstance(value, kind):
        return value
    value = build()
    write(path, key, value)
    return value
