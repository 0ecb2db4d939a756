"""A fact's review date travels with its answer: in the model, the JSON and what people read."""

from __future__ import annotations

import datetime
import json

import pytest

from myoqa import Fact, KnowledgeBase, Source, answer
from myoqa.cli import main
from myoqa.render import render_answer

REVIEWED = datetime.date(2026, 12, 2)


@pytest.fixture(scope="module")
def dated_kb() -> KnowledgeBase:
    facts = [
        Fact(
            id="bim-what",
            question="What is bone in a muscle?",
            alternates=("bone growing inside a muscle",),
            answer="Bone in a muscle is real bone that forms inside muscle tissue, often after an injury.",
            sources=(Source(title="A reference", url="https://pubmed.ncbi.nlm.nih.gov/1/"),),
            reviewed=REVIEWED,
        ),
        Fact(
            id="bim-undated",
            question="How is calcium in a muscle found?",
            alternates=("finding calcium deposits in a muscle",),
            answer="Calcium deposits in a muscle are usually found on an X-ray or a scan.",
            sources=(Source(title="Another reference", url="https://pubmed.ncbi.nlm.nih.gov/2/"),),
        ),
    ]
    return KnowledgeBase.from_facts(facts)


def test_answer_carries_the_facts_review_date(dated_kb: KnowledgeBase) -> None:
    reply = answer("what is bone in a muscle", kb=dated_kb)
    assert reply.fact_id == "bim-what"
    assert reply.reviewed == REVIEWED
    assert json.loads(reply.model_dump_json())["reviewed"] == "2026-12-02"


def test_sources_heading_shows_the_review_date(dated_kb: KnowledgeBase) -> None:
    out = render_answer(answer("what is bone in a muscle", kb=dated_kb))
    assert "Sources (reviewed 2026-12-02):" in out


def test_undated_fact_and_non_answers_show_no_date(dated_kb: KnowledgeBase) -> None:
    reply = answer("how is calcium in a muscle found", kb=dated_kb)
    assert reply.fact_id == "bim-undated" and reply.reviewed is None
    assert "\nSources:" in render_answer(reply)
    off_topic = answer("what is the capital of France", kb=dated_kb)
    assert off_topic.reviewed is None and "reviewed" not in render_answer(off_topic)


def test_cli_shows_the_shipped_facts_review_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "what is myositis ossificans"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert datetime.date.fromisoformat(data["reviewed"]) >= datetime.date(2026, 1, 1)
    assert main(["ask", "what is myositis ossificans"]) == 0
    assert f"Sources (reviewed {data['reviewed']}):" in capsys.readouterr().out
