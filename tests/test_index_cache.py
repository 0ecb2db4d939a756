"""The on-disk cache of built knowledge bases: used when valid, ignored when stale, corrupt or
not to be trusted, written atomically, and off with MYOQA_CACHE=0."""

from __future__ import annotations

import gc
import os
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pydantic
import pytest

from myoqa import KnowledgeBase, KnowledgeError, cache
from myoqa.evaluate import read_cases


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


def _golden_questions() -> list[str]:
    data = Path(__file__).parent / "data"
    return [
        t for name in ("golden.jsonl", "golden_b.jsonl") for c in read_cases(data / name) for t in c.turns
    ]


def test_the_cached_copy_answers_every_golden_question_as_a_fresh_build(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    questions = _golden_questions()
    monkeypatch.setenv("MYOQA_CACHE", "0")
    fresh = KnowledgeBase.load()
    expected = [fresh.answer(q) for q in questions]
    assert sum(bool(a.why and a.why.corrections) for a in expected) >= 10  # misspelt ones among them
    monkeypatch.delenv("MYOQA_CACHE")
    KnowledgeBase.load()  # writes the copy
    _no_build(monkeypatch)
    cached = KnowledgeBase.load()
    assert [cached.answer(q) for q in questions] == expected


def test_misspelt_questions_asked_from_many_threads_at_once_are_answered_as_by_a_fresh_build(
    small_copy: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cached copy's speller unpacks its index on the first correction: eight threads asking
    # their first misspelt question at the same moment must all get the fresh build's answers.
    questions = [
        "what is myositis osificans",
        "calcium in musle",
        "heterotopic osification",
        "bone in teh muscle",
    ]
    monkeypatch.setenv("MYOQA_CACHE", "0")
    expected = [KnowledgeBase.load(small_copy).answer(q) for q in questions]
    monkeypatch.delenv("MYOQA_CACHE")
    KnowledgeBase.load(small_copy)
    _no_build(monkeypatch)
    cached = KnowledgeBase.load(small_copy)
    start = threading.Barrier(8)

    def ask(offset: int) -> list[object]:
        start.wait()
        order = questions[offset % 4 :] + questions[: offset % 4]
        got = {q: cached.answer(q) for q in order}
        return [got[q] for q in questions]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(ask, range(8)))
    assert all(result == expected for result in results)


def test_loading_leaves_the_garbage_collector_as_the_program_set_it(
    small_copy: Path, cache_home: Path
) -> None:
    KnowledgeBase.load(small_copy)  # writes the copy; the loads below read it
    assert gc.isenabled()
    KnowledgeBase.load(small_copy)
    assert gc.isenabled()
    gc.disable()
    try:
        KnowledgeBase.load(small_copy)
        assert not gc.isenabled()
    finally:
        gc.enable()
    # A server that froze its objects before forking keeps them frozen.
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        KnowledgeBase.load(small_copy)
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_copy_written_with_another_pydantic_is_not_read(
    small_copy: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pickled models are only as good as the library that reads them back.
    key = cache.key_of(small_copy)
    monkeypatch.setattr(pydantic, "VERSION", "0.0.1")
    assert cache.key_of(small_copy) != key
