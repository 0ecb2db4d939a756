"""Property tests: answer(), Conversation.ask() and the loader never fail in an unplanned way.

* ``answer()`` returns an ``Answer`` that serialises for any ``str`` (surrogates, NFKC bombs,
  whitespace, control characters, real questions with typos);
* a ``Conversation`` fed any sequence of turns (questions, follow-ups, picks, garbage) returns
  serialisable answers, and the same turns give the same answers;
* the loader, fed a copy of the real ``knowledge/`` with bytes, lines, keys or values mutated,
  either loads or raises ``KnowledgeError`` whose every problem names a file; never another
  exception.

The number of examples comes from a profile: ``ci`` (the default) keeps the whole file to a few
seconds; ``long`` is the soak run documented in the README:
``HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest -q tests/test_fuzz.py --hypothesis-show-statistics``.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myoqa import Answer, Conversation, KnowledgeBase, KnowledgeError
from myoqa.knowledge import read_directory
from myoqa.matching import MAX_QUERY_CHARS

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"

settings.register_profile("ci", max_examples=12, deadline=None, derandomize=True)
settings.register_profile("long", max_examples=4000, deadline=None)
# The fixtures are module-scoped and read-only (the loader test restores the file it mutates).
PROFILE = settings(
    settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci")), suppress_health_check=list(HealthCheck)
)


# --- questions -------------------------------------------------------------------------------


_FAST = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _phrasings() -> list[str]:
    out = set()
    for path in KNOWLEDGE.glob("*.yaml"):
        for fact in (yaml.load(path.read_text(encoding="utf-8"), Loader=_FAST) or {}).get("facts") or ():
            out.add(str(fact.get("question", "")))
            out.update(str(a) for a in fact.get("alternates") or ())
    return sorted(out - {""})


_PHRASINGS = _phrasings()
_ODD = [
    "\ufdfa",
    "\ufdfb",
    "\u33af",
    "\ud800",
    "\udcff",
    "\x00",
    "\x1b[2J",
    "\u202e",
    "\u200d",
    "\u0301",
    "\ufeff",
    " " * 480,
    "\n\t\r",
    "²",
    "①",
    "%",
    "it",
    "they",
    "1",
    "2.",
    "#3",
    "?",
]


def _typo(text: str, position: int) -> str:
    if not text:
        return text
    i = position % len(text)
    return text[:i] + text[i + 1 :]


questions = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=200),  # surrogates too
    st.builds(
        lambda base, odd, pos, times: (odd * times) + _typo(base, pos) + odd,
        st.sampled_from(_PHRASINGS),
        st.sampled_from(_ODD),
        st.integers(0, 400),
        st.integers(0, 600),
    ),
    st.lists(st.sampled_from([*_ODD, "how is it treated", "what is FOP", "calcification"]), max_size=30).map(
        " ".join
    ),
)


def _check(reply: Answer) -> None:
    assert isinstance(reply, Answer)
    assert 0.0 <= reply.confidence <= 1.0
    assert reply.found == (reply.fact_id is not None)
    data = json.loads(reply.model_dump_json())  # a lone surrogate anywhere would raise here
    assert data["text"]


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return KnowledgeBase.load(KNOWLEDGE)


@PROFILE
@given(question=questions)
def test_answer_never_fails(shipped: KnowledgeBase, question: str) -> None:
    reply = shipped.answer(question)
    _check(reply)
    assert reply.why is not None and len(reply.why.normalized) <= 2 * MAX_QUERY_CHARS


@PROFILE
@given(turns=st.lists(questions, min_size=1, max_size=6), resets=st.lists(st.booleans(), max_size=6))
def test_conversation_never_fails_and_is_deterministic(
    shipped: KnowledgeBase, turns: list[str], resets: list[bool]
) -> None:
    def replay() -> list[str]:
        chat = Conversation(shipped)
        out = []
        for i, turn in enumerate(turns):
            if i < len(resets) and resets[i]:
                chat.reset()
            reply = chat.ask(turn)
            _check(reply)
            out.append(reply.model_dump_json())
        return out

    assert replay() == replay()


# --- the loader on mutated copies of knowledge/ ----------------------------------------------

_NAMES = sorted(p.name for p in KNOWLEDGE.iterdir() if p.suffix == ".yaml")
_SPECIALS = [
    b"&a ",
    b"*a",
    b"<<: {}",
    b"!!python/object/apply:os.system ['true']",
    b"!!binary aGVsbG8=",
    b"!!set {a, b}",
    b"2026-02-30",
    b"2026-13-01 25:00:00",
    b"9" * 5000,
    b"\x1b[2J",
    "\u202e".encode(),
    b"\xef\xbb\xbf",
    b"\t",
    b"[" * 600 + b"]" * 600,
    b"[" * 1200,
    b": ",
    b"- ",
    b"\n",
    b"'",
    b'"',
    b"{",
    b"}",
    b"#",
    b"\xff\xfe",
    b"\x00",
    b"\xed\xa0\x80",  # an encoded lone surrogate
    b"id: x",
    b"related: [nope]",
    b"question:",
    b"    ",
    b"---\n",
    b"...\n",
    b"~",
    b"null",
    b"1e999",
]

_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def _mutation(draw: st.DrawFn, original: bytes) -> bytes:
    kind = draw(st.sampled_from(["bytes", "special", "lines", "yaml"]))
    data = original
    if kind in ("bytes", "special"):
        for _ in range(draw(st.integers(1, 3))):
            start = draw(st.integers(0, len(data)))
            length = draw(st.integers(0, 12))
            payload = draw(st.sampled_from(_SPECIALS)) if kind == "special" else draw(st.binary(max_size=12))
            data = data[:start] + payload + data[start + length :]
        return data
    if kind == "lines":
        lines = data.split(b"\n")
        for _ in range(draw(st.integers(1, 3))):
            i = draw(st.integers(0, len(lines) - 1))
            op = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent"]))
            if op == "delete" and len(lines) > 1:
                del lines[i]
            elif op == "duplicate":
                lines.insert(i, lines[i])
            elif op == "swap" and i + 1 < len(lines):
                lines[i], lines[i + 1] = lines[i + 1], lines[i]
            elif op == "indent":
                lines[i] = b"  " + lines[i]
            elif op == "dedent":
                lines[i] = lines[i][2:]
        return b"\n".join(lines)
    # Structured: change, add or remove one key somewhere in the parsed document.
    document = yaml.load(original, Loader=_FAST)
    node = document
    while isinstance(node, (dict, list)) and node and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(node, key=str) if isinstance(node, dict) else range(len(node))))
        if not isinstance(node[key], (dict, list)):
            break
        node = node[key]
    if isinstance(node, dict):
        action = draw(st.sampled_from(["set", "delete", "add"]))
        if action == "delete" and node:
            del node[draw(st.sampled_from(sorted(node, key=str)))]
        else:
            key = (
                draw(st.sampled_from(sorted(node, key=str)))
                if node and action == "set"
                else draw(st.text(max_size=10))
            )
            node[key] = draw(_values)
    elif isinstance(node, list):
        node.insert(draw(st.integers(0, len(node))), draw(_values))
    return yaml.safe_dump(document, allow_unicode=True).encode("utf-8")


@pytest.fixture(scope="module")
def knowledge_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    target = tmp_path_factory.mktemp("fuzzkb") / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    yield target


@PROFILE
@given(name=st.sampled_from(_NAMES), data=st.data())
def test_loader_on_mutated_knowledge(knowledge_copy: Path, name: str, data: st.DataObject) -> None:
    path = knowledge_copy / name
    original = (KNOWLEDGE / name).read_bytes()
    path.write_bytes(data.draw(_mutation(original), label="mutated file"))
    try:
        loaded, problems = read_directory(knowledge_copy)
        names = {p.name for p in knowledge_copy.iterdir()} | {str(knowledge_copy)}
        if loaded is None:
            assert problems and all(p.path in names for p in problems), problems
            with pytest.raises(KnowledgeError) as caught:
                KnowledgeBase.load(knowledge_copy)
            assert all(p.path in names for p in caught.value.problems)
        else:
            assert not problems
            try:  # the knowledge base checks what spans files (aspects, triage links) once more
                kb = KnowledgeBase.load(knowledge_copy)
            except KnowledgeError as exc:
                assert all(p.path in names for p in exc.problems)
            else:
                _check(kb.answer("what is myositis ossificans"))
    finally:
        path.write_bytes(original)
