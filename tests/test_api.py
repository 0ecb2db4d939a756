"""answer(): typed, total over strings, honest when it does not know, thread-safe."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import myoqa
from myoqa import Answer, KnowledgeBase, answer


def test_answers_a_plain_question() -> None:
    reply = answer("what is ossification")
    assert reply.found and reply.kind == "fact"
    assert "bone" in reply.text.lower()
    assert reply.sources and all(s.url.startswith("http") for s in reply.sources)
    assert 0.0 < reply.confidence <= 1.0
    assert reply.fact_id is not None and reply.matched_question


@pytest.mark.parametrize(
    "question",
    [
        "",
        "   ",
        "\x00\x01\x1b[31m",
        "???",
        "a" * 1_000_000,
        "é" * 5000,
        "🦴💪" * 100,
        "\ud800",
        "SELECT * FROM facts;",
        "\n\n\t",
    ],
)
def test_any_string_returns_an_answer(question: str) -> None:
    reply = answer(question)
    assert isinstance(reply, Answer)
    assert not reply.found
    assert reply.text


@pytest.mark.parametrize("bad", [None, 42, b"what is ossification", ["what"], 3.5])
def test_non_string_raises_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="question must be a str"):
        answer(bad)  # type: ignore[arg-type]


def test_bad_options() -> None:
    with pytest.raises(ValueError, match="limit must be between 1 and 20"):
        answer("what is fop", limit=0)
    with pytest.raises(TypeError, match="limit must be an int"):
        answer("what is fop", limit="3")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="kb must be a KnowledgeBase"):
        answer("what is fop", kb="knowledge")  # type: ignore[arg-type]


def test_own_knowledge_base(small_kb: KnowledgeBase) -> None:
    reply = answer("how do you treat bone in a muscle", kb=small_kb)
    assert reply.fact_id == "bim-treat"
    assert [r.id for r in reply.related] == ["bim-what"]
    assert answer("what is fibrodysplasia ossificans progressiva", kb=small_kb).found is False


def test_abstains_off_topic_instead_of_guessing() -> None:
    for question in ["what is the capital of France", "asdf", "how do I bake bread", "what is osteoporosis"]:
        reply = answer(question)
        assert not reply.found, (question, reply.fact_id)
        assert reply.fact_id is None


def test_json_is_what_bots_consume() -> None:
    data = json.loads(answer("what is myositis ossificans").model_dump_json())
    assert {"question", "text", "found", "confidence", "fact_id", "sources", "related", "suggestions"} <= set(
        data
    )
    assert data["found"] is True


def test_answer_is_frozen() -> None:
    reply = answer("what is ossification")
    with pytest.raises(Exception, match="frozen"):
        reply.text = "changed"  # type: ignore[misc]


def test_thread_safe_and_deterministic() -> None:
    questions = ["what is fop", "myositis ossificans treatment", "kidney disease calcification", "pizza"] * 25
    expected = [answer(q) for q in questions]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(answer, questions))
    assert got == expected


def test_core_import_does_not_load_the_repl() -> None:
    code = "import myoqa, sys; myoqa.answer('x'); assert 'prompt_toolkit' not in sys.modules, 'REPL imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_core_and_cli_import_neither_server_framework() -> None:
    """FastAPI, uvicorn and the MCP SDK are optional extras, loaded only by `serve` and `mcp`."""
    code = (
        "import myoqa, myoqa.cli, sys; myoqa.answer('x'); myoqa.cli.build_parser(); "
        "heavy = sorted(m for m in ('fastapi', 'starlette', 'uvicorn', 'mcp', 'pydantic_settings') if m in sys.modules); "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_first_answer_reads_no_yaml_when_the_cache_holds_the_knowledge_base(tmp_path: Path) -> None:
    # Start-up cost: a cached start parses no YAML and reads no English word list, while a
    # misspelt question still gets its correction (and the word list) when it comes.
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "MYOQA_CACHE": "1"}
    subprocess.run([sys.executable, "-c", "import myoqa; myoqa.answer('x')"], check=True, env=env)
    code = (
        "import myoqa, sys, myoqa.analysis as an; a = myoqa.answer('what is ossification'); "
        "assert a.found and 'yaml' not in sys.modules and an.english_words.cache_info().currsize == 0; "
        "b = myoqa.answer('what is myositis osificans'); assert b.why.corrections, b.why; "
        "assert an.english_words.cache_info().currsize == 1"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_an_exit_handler_can_still_ask_after_the_default_kb_is_released() -> None:
    # The default knowledge base is let go at exit; a handler of the program's own that runs
    # after that (registered before myoqa was imported) still gets its answer.
    code = (
        "import atexit; atexit.register(lambda: print(__import__('myoqa').answer('what is ossification').found)); "
        "import myoqa; myoqa.answer('hello')"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert done.stdout.strip() == "True"


def test_import_does_no_loading() -> None:
    code = "import myoqa.api as a; assert a._default is None"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_public_names_are_exported() -> None:
    """The three lists in myoqa/__init__.py (``__all__``, the lazy ``_HOMES`` table and the
    TYPE_CHECKING imports for editors) agree, and every name resolves to its home's object.
    Read from the module itself (``vars``, the source), not from ``dir()``, which is
    ``sorted(__all__)`` by construction."""
    import ast
    import importlib

    homes: dict[str, str] = myoqa._HOMES  # type: ignore[attr-defined]
    assert myoqa.__all__ == sorted(myoqa.__all__)
    assert set(myoqa.__all__) == {*homes, "__version__"}
    for name, home in homes.items():
        assert getattr(myoqa, name) is getattr(importlib.import_module(home), name), name
    tree = ast.parse(Path(myoqa.__file__).read_text())
    typed = {
        alias.asname or alias.name: node.module
        for block in tree.body
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert typed == homes
    helpers = {"TYPE_CHECKING", "Any", "annotations", "importlib"}
    public = {
        n
        for n, v in vars(myoqa).items()
        if not n.startswith("_") and not inspect.ismodule(v) and n not in helpers
    }
    assert public <= set(myoqa.__all__), public - set(myoqa.__all__)
    with pytest.raises(AttributeError):
        _ = myoqa.no_such_name  # type: ignore[attr-defined]
