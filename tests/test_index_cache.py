"""The on-disk cache of built knowledge bases: used when valid, ignored when stale, corrupt or
not to be trusted, written atomically, and off with MYOQA_CACHE=0."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from myoqa import KnowledgeBase, KnowledgeError, cache


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("MYOQA_CACHE", raising=False)
    return tmp_path / "xdg" / "myoqa"


def _files(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.exists() else []


def _no_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> KnowledgeBase:
        raise AssertionError("rebuilt although a valid cached copy exists")

    monkeypatch.setattr(KnowledgeBase, "_build", classmethod(lambda cls, *a: refuse()))


def test_second_load_reads_the_cached_copy(
    small_copy: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = KnowledgeBase.load(small_copy)
    [copy] = _files(cache_home)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache_home.stat().st_mode) == 0o700
    _no_build(monkeypatch)
    second = KnowledgeBase.load(small_copy)
    assert [f.id for f in second.facts] == [f.id for f in first.facts]
    for question in ("what is myositis ossificans", "calcium in musle", "hello"):
        assert second.answer(question) == first.answer(question)


def test_a_changed_knowledge_file_is_a_stale_key(small_copy: Path, cache_home: Path) -> None:
    KnowledgeBase.load(small_copy)
    [old] = _files(cache_home)
    target = small_copy / "bones.yaml"
    target.write_text(
        target.read_text(encoding="utf-8").replace("question:", "question: Really,", 1), encoding="utf-8"
    )
    kb = KnowledgeBase.load(small_copy)
    assert any(f.question.startswith("Really,") for f in kb.facts)  # rebuilt, not the stale copy
    [new] = _files(cache_home)
    assert new != old  # the stale copy is replaced, not kept beside it


def test_a_corrupt_or_truncated_copy_is_ignored_and_rewritten(small_copy: Path, cache_home: Path) -> None:
    expected = [f.id for f in KnowledgeBase.load(small_copy).facts]
    [copy] = _files(cache_home)
    whole = copy.read_bytes()
    for broken in (b"not a pickle", whole[: len(whole) // 2], b""):
        copy.write_bytes(broken)
        os.chmod(copy, 0o600)
        assert [f.id for f in KnowledgeBase.load(small_copy).facts] == expected
        assert cache.read(copy, cache.key_of(small_copy)) is not None  # rewritten whole


def test_a_copy_others_could_write_is_never_unpickled(
    small_copy: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    KnowledgeBase.load(small_copy)
    [copy] = _files(cache_home)
    built: list[int] = []
    original = KnowledgeBase._build.__func__  # type: ignore[attr-defined]

    def counting(cls: type[KnowledgeBase], *args: object) -> KnowledgeBase:
        built.append(1)
        return original(cls, *args)  # type: ignore[no-any-return]

    monkeypatch.setattr(KnowledgeBase, "_build", classmethod(counting))
    os.chmod(copy, 0o666)  # world-writable: anyone could have put code in it
    KnowledgeBase.load(small_copy)
    assert built == [1]
    os.chmod(cache_home, 0o777)  # a folder others can write: refuse it, do not write there either
    os.chmod(copy, 0o600)
    KnowledgeBase.load(small_copy)
    assert built == [1, 1]
    os.chmod(cache_home, 0o700)
    link = cache_home / "elsewhere.pickle"
    copy.rename(link)
    copy.symlink_to(link)  # a symbolic link in place of the copy is not followed
    KnowledgeBase.load(small_copy)
    assert built == [1, 1, 1]


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to give a file away")
def test_a_copy_owned_by_another_user_is_ignored(small_copy: Path, cache_home: Path) -> None:
    KnowledgeBase.load(small_copy)
    [copy] = _files(cache_home)
    key = cache.key_of(small_copy)
    assert cache.read(copy, key) is not None
    os.chown(copy, 65534, 65534)
    assert cache.read(copy, key) is None


def test_write_is_atomic(small_copy: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    KnowledgeBase.load(small_copy)
    [copy] = _files(cache_home)
    before = copy.read_bytes()

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    assert not cache.write(copy, "another-key", {"x": 1})
    assert _files(cache_home) == [copy]  # no temporary file left behind
    assert copy.read_bytes() == before  # and the old copy untouched


def test_cache_off_writes_nothing(
    small_copy: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MYOQA_CACHE", "0")
    KnowledgeBase.load(small_copy)
    assert not cache_home.exists()


def test_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.cache_directory() == tmp_path / ".cache" / "myoqa"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_the_directory_neither_blocks_nor_is_cached(small_copy: Path, cache_home: Path) -> None:
    os.mkfifo(small_copy / "pipe.yaml")
    with pytest.raises(KnowledgeError):  # the loader's KnowledgeError names the entry
        KnowledgeBase.load(small_copy)
    assert not _files(cache_home)
