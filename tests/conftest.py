from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.input.base import PipeInput
from prompt_toolkit.output import DummyOutput

from myoqa import KnowledgeBase

DATA = Path(__file__).parent / "data"
SMALL = DATA / "kb_small"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point HOME and XDG dirs at a temp folder and use the bundled knowledge base."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("MYOQA_KNOWLEDGE", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="session")
def small_kb() -> KnowledgeBase:
    return KnowledgeBase.load(SMALL)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.fixture
def small_copy(tmp_path: Path) -> Path:
    """A writable copy of the small knowledge base, to break on purpose."""
    target = tmp_path / "kb"
    shutil.copytree(SMALL, target)
    return target


@pytest.fixture
def cli_uses_session_kb(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    """`myoqa` commands run in-process answer from the session's bundled knowledge base instead
    of loading it again per run (for tests about streams, options and files, not loading)."""
    import myoqa.cli

    real = myoqa.cli._load
    monkeypatch.setattr(myoqa.cli, "_load", lambda args: kb if args.knowledge is None else real(args))


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    """Keys for a prompt-toolkit session, with no terminal behind it."""
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        yield inp
