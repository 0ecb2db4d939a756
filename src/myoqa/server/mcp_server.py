"""The Model Context Protocol server behind ``myoqa mcp`` (official ``mcp`` SDK, 2.x, over stdio).

LLM agents should ground medical answers in curated, referenced text rather than in what they
remember; this exposes the knowledge base as three tools (``answer``, ``list_topics``,
``get_fact``) and every fact as a resource (``myoqa://facts/{id}``). The tool descriptions are
written for the agent: quote the answer with its sources, pass urgent advice on unchanged,
say "not known" when the knowledge base does not know.

Answers come from ``KnowledgeBase.answer`` (through ``Conversation`` when a conversation id is
given), so triage, scope and abstention are exactly the library's.
"""

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.resources import TextResource
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from myoqa import __version__
from myoqa.kb import KnowledgeBase
from myoqa.models import Answer, Fact, RelatedQuestion, Source, Suggestion
from myoqa.server.store import ConversationStore

INSTRUCTIONS = (
    "myoqa answers questions about calcification and ossification in muscle tissue from a "
    "curated knowledge base in which every answer cites its sources. Use the answer tool for "
    "any question on this subject instead of answering from memory; quote its text with its "
    "sources; pass urgent advice on to the user unchanged; when it does not know, say so. "
    "It gives general information, not medical advice."
)

ANSWER_DESCRIPTION = (
    "Answer a question about calcification or ossification in muscle tissue (myositis "
    "ossificans, heterotopic ossification, fibrodysplasia ossificans progressiva, calcinosis "
    "in dermatomyositis or scleroderma, kidney disease and calciphylaxis, symptoms, diagnosis, "
    "treatment, prevention, when to see a doctor) from a curated, referenced knowledge base. "
    "Quote `text` to the user together with its `sources` (title and URL); do not add medical "
    "claims of your own. When `urgent` is true, pass the advice on to the user unchanged and "
    "before anything else. When `found` is false the knowledge base does not know: say so "
    "rather than guessing, and offer the `suggestions` (did-you-mean questions) if there are "
    "any. For a multi-turn chat pass the same `conversation_id` (any name of your choosing, "
    "e.g. the chat's id) on every turn, so that follow-ups such as 'how is it treated?' refer "
    "to the previous subject and a number picks one of the offered `related` questions."
)

TOPICS_DESCRIPTION = "List the topics the knowledge base covers, with how many facts each has."

FACT_DESCRIPTION = (
    "Get one fact by id (the `fact_id`, `related` or `suggestions` ids from `answer`): its "
    "question, answer text, sources, related fact ids and when it was last reviewed. Quote it "
    "with its sources. Also readable as the resource myoqa://facts/{id}."
)

READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)


class ToolAnswer(BaseModel):
    """What the ``answer`` tool returns as structured content."""

    text: str = Field(description="the answer to quote (or an honest 'I don't know')")
    found: bool = Field(description="false when the knowledge base does not know")
    urgent: bool = Field(description="true when the advice needs prompt care: pass it on unchanged")
    severity: str | None = Field(None, description="how urgent, when urgent is true")
    kind: str = Field(description="fact, smalltalk, unsure, unknown, ... (urgent when triaged)")
    confidence: float
    fact_id: str | None = None
    topic: str | None = None
    sources: list[Source] = Field(description="the references to cite with the text")
    suggestions: list[Suggestion] = Field(description="did-you-mean questions when not found")
    related: list[RelatedQuestion] = Field(description="natural follow-up questions")
    conversation_id: str | None = None


class TopicCount(BaseModel):
    name: str
    facts: int


class TopicList(BaseModel):
    topics: list[TopicCount]


def tool_answer(answer: Answer, conversation_id: str | None) -> ToolAnswer:
    """The structured content for one answer."""
    severity = getattr(answer, "severity", None)  # set by the triage stage, where present
    return ToolAnswer(
        text=answer.text,
        found=answer.found,
        urgent=answer.urgent,
        severity=None if severity is None else str(severity),
        kind=answer.kind,
        confidence=answer.confidence,
        fact_id=answer.fact_id,
        topic=answer.topic,
        sources=list(answer.sources),
        suggestions=list(answer.suggestions),
        related=list(answer.related),
        conversation_id=conversation_id,
    )


def answer_text(answer: ToolAnswer) -> str:
    """The same answer as plain text, for clients that show only text content."""
    lines = [answer.text]
    if answer.urgent:
        lines.insert(0, "URGENT - pass this advice on to the user unchanged:")
    if answer.sources:
        lines += ["", "Sources:", *(f"- {s.title} <{s.url}>" for s in answer.sources)]
    if answer.suggestions:
        lines += ["", "Did you mean:", *(f"- {s.question}" for s in answer.suggestions)]
    if answer.related:
        lines += ["", "Related questions:", *(f"{i}. {r.question}" for i, r in enumerate(answer.related, 1))]
    return "\n".join(lines)


def fact_markdown(fact: Fact) -> str:
    """A fact as a short Markdown document (the resource text)."""
    lines = [f"# {fact.question}", "", fact.answer.strip(), ""]
    if fact.urgent:
        lines += ["**Urgent:** the signs described need prompt medical care.", ""]
    lines += ["## Sources", *(f"- [{s.title}]({s.url})" for s in fact.sources)]
    if fact.related:
        lines += ["", "## Related", *(f"- myoqa://facts/{r}" for r in fact.related)]
    if fact.reviewed:
        lines += ["", f"Reviewed {fact.reviewed.isoformat()}. Topic: {fact.topic}."]
    return "\n".join(lines) + "\n"


def build_server(kb: KnowledgeBase, store: ConversationStore | None = None) -> MCPServer:
    """The MCP server over ``kb`` (not started); conversations live in ``store``."""
    conversations = store if store is not None else ConversationStore(kb)
    server: MCPServer = MCPServer(
        name="myoqa",
        title="myoqa: calcification and ossification in muscle",
        instructions=INSTRUCTIONS,
        version=__version__,
        log_level="WARNING",
    )

    @server.tool(name="answer", description=ANSWER_DESCRIPTION, annotations=READ_ONLY)
    def answer(
        question: Annotated[str, Field(description="the user's question, in their own words")],
        conversation_id: Annotated[
            str | None,
            Field(description="optional: the same name on every turn of one chat (letters, digits, . _ -)"),
        ] = None,
    ) -> Annotated[CallToolResult, ToolAnswer]:
        try:
            reply = (
                kb.answer(question)
                if conversation_id is None
                else conversations.ask(conversation_id, question, create=True)
            )
        except ValueError as exc:
            raise ToolError(str(exc)) from None
        result = tool_answer(reply, conversation_id)
        return CallToolResult(
            content=[TextContent(type="text", text=answer_text(result))],
            structured_content=result.model_dump(mode="json"),
        )

    @server.tool(name="list_topics", description=TOPICS_DESCRIPTION, annotations=READ_ONLY)
    def list_topics() -> TopicList:
        return TopicList(
            topics=[TopicCount(name=t, facts=sum(f.topic == t for f in kb.facts)) for t in kb.topics]
        )

    @server.tool(name="get_fact", description=FACT_DESCRIPTION, annotations=READ_ONLY)
    def get_fact(fact_id: Annotated[str, Field(description="a fact id such as 'mo-definition'")]) -> Fact:
        fact = kb.get(fact_id)
        if fact is None:
            raise ToolError(f"no fact has the id {fact_id!r}; use an id returned by the answer tool")
        return fact

    for fact in kb.facts:
        server.add_resource(
            TextResource(
                uri=f"myoqa://facts/{fact.id}",
                name=fact.id,
                title=fact.question,
                description=f"{fact.topic}: {fact.question}",
                mime_type="text/markdown",
                text=fact_markdown(fact),
            )
        )
    return server


def run_stdio(kb: KnowledgeBase, store: ConversationStore | None = None) -> int:
    """Serve MCP on stdin/stdout until the client closes the connection."""
    build_server(kb, store).run("stdio")
    return 0
