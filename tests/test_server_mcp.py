"""The MCP server (`myoqa mcp`): through the SDK's own client, over stdio to a real subprocess,
and in-process for the finer points."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from myoqa import KnowledgeBase
from myoqa.server.mcp_server import build_server
from myoqa.server.store import ConversationStore

URGENT_QUESTION = "When does someone with FOP need urgent medical care?"


def run(session: Callable[[Client], Awaitable[None]], server: Any) -> None:
    async def main() -> None:
        with anyio.fail_after(30):
            async with Client(server, mode="legacy", read_timeout_seconds=15) as client:
                await session(client)

    anyio.run(main)


def stdio_server() -> StdioServerParameters:
    # The SDK hands the subprocess only a safe subset of the environment: keep the code under test.
    env = {k: os.environ[k] for k in ("PYTHONPATH", "MYOQA_KNOWLEDGE") if k in os.environ}
    return StdioServerParameters(command=sys.executable, args=["-m", "myoqa", "mcp"], env=env)


def test_over_stdio_initialize_list_and_call(kb: KnowledgeBase) -> None:
    expected = kb.answer("what is myositis ossificans")

    async def session(client: Client) -> None:
        assert client.server_info is not None and client.server_info.name == "myoqa"
        assert "sources" in (client.instructions or "")
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert set(tools) == {"answer", "list_topics", "get_fact"}
        description = tools["answer"].description or ""
        assert "sources" in description and "urgent" in description and "unchanged" in description
        assert tools["answer"].output_schema is not None
        assert set(tools["answer"].input_schema["properties"]) == {"question", "conversation_id"}
        result = await client.call_tool("answer", {"question": "what is myositis ossificans"})
        assert not result.is_error
        got = result.structured_content or {}
        assert got["text"] == expected.text and got["found"] is True and got["urgent"] is False
        assert got["sources"] == [s.model_dump(mode="json") for s in expected.sources]
        assert expected.sources[0].url in result.content[0].text

    run(session, stdio_server())


@pytest.fixture
def server(kb: KnowledgeBase) -> Any:
    return build_server(kb, ConversationStore(kb, max_conversations=10))


def test_answer_is_the_librarys_and_honest_when_unknown(server: Any, kb: KnowledgeBase) -> None:
    async def session(client: Client) -> None:
        for q in ["what is fop", "who wrote hamlet", "myositis osificans", ""]:
            want = kb.answer(q)
            got = (await client.call_tool("answer", {"question": q})).structured_content or {}
            assert (got["text"], got["found"], got["kind"], got["fact_id"]) == (
                want.text,
                want.found,
                want.kind,
                want.fact_id,
            )
            assert got["suggestions"] == [s.model_dump(mode="json") for s in want.suggestions]

    run(session, server)


def test_urgent_advice_is_passed_on_unchanged(server: Any, kb: KnowledgeBase) -> None:
    want = kb.answer(URGENT_QUESTION)
    assert want.urgent  # the knowledge base marks this fact urgent

    async def session(client: Client) -> None:
        result = await client.call_tool("answer", {"question": URGENT_QUESTION})
        got = result.structured_content or {}
        assert got["urgent"] is True and got["text"] == want.text
        text = result.content[0].text
        assert text.startswith("URGENT") and want.text in text

    run(session, server)


@pytest.mark.parametrize(
    "question", ["I can't breathe", "my leg is suddenly swollen, hot and painful", URGENT_QUESTION]
)
def test_triage_reaches_the_agent_unchanged(server: Any, kb: KnowledgeBase, question: str) -> None:
    """Whatever the library's triage says (kind, urgent, severity, text) is what the agent gets."""
    want = kb.answer(question)

    async def session(client: Client) -> None:
        for args in [{"question": question}, {"question": question, "conversation_id": "t"}]:
            result = await client.call_tool("answer", args)
            got = result.structured_content or {}
            severity = getattr(want, "severity", None)
            assert (got["kind"], got["urgent"], got["severity"], got["text"]) == (
                want.kind,
                want.urgent,
                None if severity is None else str(severity),
                want.text,
            )
            if want.urgent:
                assert result.content[0].text.startswith("URGENT")

    run(session, server)


def test_conversation_ids_keep_follow_ups(server: Any) -> None:
    async def session(client: Client) -> None:
        async def ask(q: str, cid: str | None) -> dict[str, Any]:
            args = {"question": q} if cid is None else {"question": q, "conversation_id": cid}
            return (await client.call_tool("answer", args)).structured_content or {}

        assert (await ask("What is myositis ossificans?", "a"))["conversation_id"] == "a"
        await ask("what is fop", "b")
        assert (await ask("How is it treated?", "a"))["fact_id"] == "mo-treatment"
        assert (await ask("How is it treated?", "b"))[
            "topic"
        ] == "Fibrodysplasia ossificans progressiva (FOP)"
        assert (await ask("How is it treated?", None))["found"] is False
        bad = await client.call_tool("answer", {"question": "x", "conversation_id": "no spaces please"})
        assert bad.is_error and "conversation id" in bad.content[0].text
        wrong = await client.call_tool("answer", {"question": 5})
        assert wrong.is_error

    run(session, server)


def test_topics_facts_and_resources(server: Any, kb: KnowledgeBase) -> None:
    async def session(client: Client) -> None:
        topics = (await client.call_tool("list_topics", {})).structured_content or {}
        assert [t["name"] for t in topics["topics"]] == list(kb.topics)
        fact = await client.call_tool("get_fact", {"fact_id": "fop-definition"})
        assert (fact.structured_content or {}) == json.loads(kb.get("fop-definition").model_dump_json())
        missing = await client.call_tool("get_fact", {"fact_id": "no-such-fact"})
        assert missing.is_error and "no-such-fact" in missing.content[0].text
        resources = (await client.list_resources()).resources
        assert sorted(str(r.uri) for r in resources) == sorted(f"myoqa://facts/{f.id}" for f in kb.facts)
        content = (await client.read_resource("myoqa://facts/fop-definition")).contents[0]
        fop = kb.get("fop-definition")
        assert fop is not None
        assert fop.answer.strip() in content.text and fop.sources[0].url in content.text

    run(session, server)
