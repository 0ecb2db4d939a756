"""Loading: every kind of mistake is reported with file, fact and field; nothing half-loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from myoqa import KnowledgeBase, KnowledgeError
from myoqa.knowledge import read_directory


def _write(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(text, encoding="utf-8")


def _messages(directory: Path) -> list[str]:
    data, problems = read_directory(directory)
    assert data is None, "a broken directory must not load"
    return [str(p) for p in problems]


def test_small_kb_loads_in_file_order(small_kb: KnowledgeBase) -> None:
    assert [f.id for f in small_kb.facts] == ["bim-what", "bim-treat", "cry-what", "cry-urgent"]
    assert small_kb.topics == ("Bone in muscle", "Crystals")
    assert small_kb.get("bim-what") is not None and small_kb.get("nope") is None
    assert small_kb.get("cry-urgent").urgent is True  # type: ignore[union-attr]


def test_yaml_syntax_error_names_file_and_line(small_copy: Path) -> None:
    _write(small_copy, "broken.yaml", "topic: X\nfacts:\n  - id: a\n    question: [unclosed\n")
    [message] = _messages(small_copy)
    assert message.startswith("broken.yaml:")
    assert "invalid YAML" in message


def test_unknown_field_names_fact_and_field(small_copy: Path) -> None:
    text = (small_copy / "crystals.yaml").read_text().replace("    urgent: true", "    urgnt: true")
    _write(small_copy, "crystals.yaml", text)
    [message] = _messages(small_copy)
    assert message.startswith("crystals.yaml:")
    assert "fact 'cry-urgent' › urgnt: unknown field; allowed fields are: id, question" in message


def test_missing_and_empty_fields(small_copy: Path) -> None:
    text = (small_copy / "crystals.yaml").read_text()
    text = text.replace("    question: What are calcium crystals?\n", "")
    text = text.replace(
        "answer: A swollen, hot leg can be a blood clot and needs same-day medical care. It is a test fact.",
        'answer: "   "',
    )
    _write(small_copy, "crystals.yaml", text)
    messages = _messages(small_copy)
    assert any("fact 'cry-what' › question: required field is missing" in m for m in messages)
    assert any("fact 'cry-urgent' › answer:" in m and "must not be empty" in m for m in messages)


def test_duplicate_id_names_both_files(small_copy: Path) -> None:
    text = (small_copy / "crystals.yaml").read_text().replace("id: cry-what", "id: bim-what")
    _write(small_copy, "crystals.yaml", text)
    [message] = _messages(small_copy)
    assert "crystals.yaml" in message and "also defined in bones.yaml" in message
    assert "fact 'bim-what' › id: duplicate id" in message


def test_related_id_must_exist(small_copy: Path) -> None:
    text = (small_copy / "bones.yaml").read_text().replace("related: [bim-what]", "related: [bim-nope]")
    _write(small_copy, "bones.yaml", text)
    [message] = _messages(small_copy)
    assert (
        message
        == "bones.yaml › fact 'bim-treat' › related[1]: no fact has the id 'bim-nope'; fix the id or remove it"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- just\n- a list\n", "must be a mapping"),
        ("", "got an empty file"),
        ("topic: X\n", "must have exactly one of the keys 'facts'"),
        ("topic: X\nfacts: []\n", "'facts' must be a non-empty list"),
        ("facts:\n  - id: x\n", "needs a non-empty 'topic'"),
        ("topic: X\nfacts:\n  - just a string\n", "fact 1 must be a mapping"),
    ],
)
def test_file_shape_errors(small_copy: Path, text: str, expected: str) -> None:
    _write(small_copy, "odd.yaml", text)
    messages = _messages(small_copy)
    assert any(m.startswith("odd.yaml") and expected in m for m in messages), messages


def test_bad_id_and_url(small_copy: Path) -> None:
    text = (small_copy / "crystals.yaml").read_text()
    text = text.replace("id: cry-what", "id: Cry What").replace("https://example.org/crystals", "example.org")
    _write(small_copy, "crystals.yaml", text)
    messages = "\n".join(_messages(small_copy))
    assert "fact 'Cry What' › id:" in messages and "kebab-case" in messages
    assert "sources[1].url:" in messages and "must be an http(s) URL" in messages


def test_load_raises_with_every_problem_and_fix_hint(small_copy: Path) -> None:
    _write(small_copy, "a.yaml", "[1, 2]\n")
    _write(small_copy, "b.yaml", "topic: B\nfacts: nope\n")
    with pytest.raises(KnowledgeError) as info:
        KnowledgeBase.load(small_copy)
    assert len(info.value.problems) == 2
    assert "nothing was loaded" in str(info.value)
    assert "myoqa check" in str(info.value)


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="not a directory"):
        KnowledgeBase.load(tmp_path / "missing")
    with pytest.raises(KnowledgeError, match=r"no \.yaml files"):
        KnowledgeBase.load(tmp_path)


def test_environment_variable_selects_directory(small_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYOQA_KNOWLEDGE", str(small_copy))
    assert len(KnowledgeBase.load()) == 4


def test_loaded_facts_are_immutable(small_kb: KnowledgeBase) -> None:
    fact = small_kb.facts[0]
    with pytest.raises(Exception, match="frozen"):
        fact.answer = "changed"  # type: ignore[misc]
    assert isinstance(small_kb.facts, tuple)


def test_from_facts_checks_ids_and_related(small_kb: KnowledgeBase) -> None:
    facts = list(small_kb.facts)
    with pytest.raises(KnowledgeError, match="duplicate id"):
        KnowledgeBase.from_facts([*facts, facts[0]])
    with pytest.raises(KnowledgeError, match="no fact has the id 'bim-what'"):
        KnowledgeBase.from_facts([facts[1]])
    with pytest.raises(TypeError, match=r"myoqa\.Fact"):
        KnowledgeBase.from_facts(["not a fact"])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ("broader:\n  crest syndrome: [systemic sclerosis]\n", "broader.crest syndrome"),
        ("broader:\n  crest: crest\n", "broader.crest"),
        ("broader: [crest]\n", "broader"),
        ("broader: crest\n", "broader"),
    ],
)
def test_a_bad_broader_entry_names_its_field(small_copy: Path, entry: str, field: str) -> None:
    with (small_copy / "synonyms.yaml").open("a", encoding="utf-8") as f:
        f.write(entry)
    [message] = _messages(small_copy)
    assert message.startswith("synonyms.yaml") and field in message and "broader term" in message


def test_a_broader_term_lets_its_facts_answer_for_its_forms(tmp_path: Path) -> None:
    """The scleroderma facts answer a question that names CREST only because synonyms.yaml says
    CREST is a form of systemic sclerosis; without that line CREST's definition wins."""
    copy = tmp_path / "kb"
    shutil.copytree(Path(__file__).parent.parent / "knowledge", copy)
    question = "CREST calcinosis fingertips treatment"
    assert KnowledgeBase.load(copy).answer(question).fact_id == "ssc-treatment"
    assert KnowledgeBase.load(copy).answer("what does CREST stand for").fact_id == "ssc-crest"
    synonyms = copy / "synonyms.yaml"
    synonyms.write_text(synonyms.read_text().replace("  crest syndrome: systemic sclerosis\n", ""))
    assert KnowledgeBase.load(copy).answer(question).fact_id != "ssc-treatment"
