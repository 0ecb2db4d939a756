"""The contract a bot developer relies on: in-memory knowledge bases are checked like loaded
ones, `limit` only changes how much is shown, an Answer cannot be changed at all, and the
README documents every field and kind."""

from __future__ import annotations

import copy
import datetime
import json
import pickle
import re
import typing
from pathlib import Path

import pytest

import myoqa.kb
from myoqa import Answer, Fact, KnowledgeBase, KnowledgeError, answer
from myoqa.models import AnswerKind, Explanation, Source

ROOT = Path(__file__).parents[1]
DATA = ROOT / "tests" / "data"


def fact(fact_id: str, question: str, related: tuple[str, ...] = ()) -> Fact:
    return Fact(
        id=fact_id,
        question=question,
        alternates=(f"{question} please",),
        answer=f"An answer about {question.lower()}",
        sources=(Source(title="Handbook", url="https://example.org/x"),),
        related=related,
        reviewed=datetime.date(2026, 11, 28),
        topic="Clinic",
    )


def test_from_facts_refuses_a_fact_related_to_itself() -> None:
    with pytest.raises(KnowledgeError) as info:
        KnowledgeBase.from_facts([fact("a-b", "When is the clinic open?", related=("a-b",))])
    assert "fact 'a-b' › related[1]: a fact cannot be related to itself" in str(info.value)


@pytest.mark.parametrize("variants", ["calc", ["calc", 3], [""]])
def test_from_facts_refuses_a_synonym_list_that_is_not_a_list_of_words(variants: object) -> None:
    with pytest.raises(KnowledgeError) as info:
        KnowledgeBase.from_facts([fact("a-b", "What is calcinosis?")], synonyms={"calcinosis": variants})  # type: ignore[dict-item]
    assert "synonyms.calcinosis: each entry must map a term to a list of non-empty strings" in str(info.value)


def test_from_facts_names_duplicates_and_unknown_ids_as_the_loader_does() -> None:
    a = fact("a-b", "When is the clinic open?", related=("c-d",))
    with pytest.raises(KnowledgeError) as info:
        KnowledgeBase.from_facts([a, a])
    text = str(info.value)
    assert "fact 'a-b' › id: duplicate id" in text
    assert "fact 'a-b' › related[1]: no fact has the id 'c-d'; fix the id or remove it" in text


def test_from_facts_accepts_tuples_of_synonyms() -> None:
    kb = KnowledgeBase.from_facts([fact("a-b", "What is calcinosis?")], synonyms={"calcinosis": ("calc",)})
    assert kb.synonyms["calcinosis"] == ("calc",)


def _golden_questions() -> list[str]:
    questions: list[str] = []
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            if line.strip():
                case = json.loads(line)
                questions += case.get("turns") or [case.get("q", "")]
    return [q for q in questions if q]


def test_limit_never_changes_confidence_on_any_golden_question(kb: KnowledgeBase) -> None:
    questions = _golden_questions()
    assert len(questions) > 1000
    changed = []
    for question in questions:
        one, many = kb.answer(question, limit=1), kb.answer(question, limit=20)
        if (one.kind, one.fact_id, one.confidence) != (many.kind, many.fact_id, many.confidence):
            changed.append((question, one.confidence, many.confidence))
    assert changed == []


def test_the_limit_test_can_fail(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    # Ranking only as deep as `limit` is the bug the test above guards against: it must show.
    monkeypatch.setattr(myoqa.kb, "DECIDE_DEPTH", 1)
    questions = _golden_questions()[:400]
    assert any(kb.answer(q, limit=1).confidence != kb.answer(q, limit=20).confidence for q in questions)


def test_explanation_cannot_be_changed_inside_an_answer() -> None:
    reply = answer("myositis osificans")
    assert reply.why is not None and reply.why.corrections == {"osificans": "ossificans"}
    with pytest.raises(TypeError):
        reply.why.corrections["x"] = "y"  # type: ignore[index]
    with pytest.raises(TypeError):
        reply.why.corrections.update(x="y")  # type: ignore[attr-defined]
    for name, value in vars(Explanation.model_construct()).items():
        assert not isinstance(value, list | set), name
    data = json.loads(reply.model_dump_json())
    assert data["why"]["corrections"] == {"osificans": "ossificans"}  # JSON as before: an object
    assert Answer.model_validate_json(reply.model_dump_json()) == reply
    assert pickle.loads(pickle.dumps(reply)) == reply and copy.deepcopy(reply) == reply
    for field_name, info in Explanation.model_fields.items():
        assert "dict[" not in str(info.annotation), field_name


def test_kind_lists_only_what_is_produced() -> None:
    kinds = set(typing.get_args(AnswerKind))
    source = "\n".join(p.read_text() for p in (ROOT / "src" / "myoqa").rglob("*.py"))
    for kind in kinds:
        assert re.search(rf'kind="{kind}"|kind: AnswerKind = "{kind}"', source), f"{kind!r} is never produced"


def test_readme_documents_every_field_and_kind() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Using it from Python") : readme.index("## Embedding myoqa")]
    for name in Answer.model_fields:
        assert f"`{name}`" in section, name
    for kind in typing.get_args(AnswerKind):
        assert f"`{kind}`" in section, kind
