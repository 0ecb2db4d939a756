"""The HTTP JSON API behind ``myoqa serve``: a FastAPI app over a knowledge base.

Answers are the library's own ``Answer`` model (so the OpenAPI schema at ``/openapi.json`` is
generated from it, and ``/docs`` shows it). Every error is JSON ``{"error": "..."}`` with a
4xx status; validation errors add ``detail``, the list of fields at fault. Apart from the
conversation store the app keeps no state, so any number of processes can serve the same
knowledge base.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr
from starlette.exceptions import HTTPException

from myoqa import __version__
from myoqa.kb import MAX_LIMIT, KnowledgeBase
from myoqa.models import Answer, Fact
from myoqa.server.limits import BodyLimit
from myoqa.server.settings import MAX_BODY_BYTES
from myoqa.server.store import ID_PATTERN, ConversationStore, UnknownConversation

DESCRIPTION = (
    "Answers questions about calcification and ossification in muscle tissue from a curated, "
    "referenced knowledge base. Show the answer's `text` with its `sources`; when `urgent` is "
    "true, pass the advice on unchanged. General information, not medical advice."
)


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnswerRequest(_Request):
    """One question. ``why`` adds the explanation of the match (for curators)."""

    question: StrictStr = Field(description="the question, in the user's own words")
    limit: StrictInt = Field(5, ge=1, le=MAX_LIMIT, description="how many candidates to consider")
    why: StrictBool = Field(False, description="include the explanation of the match")


class AskRequest(_Request):
    """The next question of a conversation (a number picks one of the offered follow-ups)."""

    question: StrictStr
    why: StrictBool = False


class ConversationCreated(BaseModel):
    id: str


class Health(BaseModel):
    status: str
    version: str
    facts: int
    topics: int
    conversations: int


class Topic(BaseModel):
    name: str
    facts: int


class ErrorMessage(BaseModel):
    error: str


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorMessage, "description": "the body is not JSON"},
    413: {"model": ErrorMessage, "description": f"the body is larger than {MAX_BODY_BYTES} bytes"},
    415: {"model": ErrorMessage, "description": "the body is not sent as application/json"},
    422: {"model": ErrorMessage, "description": "a field is missing or has the wrong type"},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorMessage, "description": "no such id"}}


JSON_ONLY = "send the body as JSON, with the header Content-Type: application/json"


def _is_json(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def _shown(answer: Answer, why: bool) -> Answer:
    return answer if why else answer.model_copy(update={"why": None})


def _problem(error: Any) -> dict[str, Any]:
    """The JSON-safe part of one pydantic error (its ``ctx`` may hold exception objects)."""
    return {
        "loc": [str(part) for part in error.get("loc", ())],
        "msg": error.get("msg", ""),
        "type": error.get("type", ""),
    }


def create_app(
    kb: KnowledgeBase, store: ConversationStore | None = None, *, max_body_bytes: int = MAX_BODY_BYTES
) -> FastAPI:
    """The API over ``kb``; conversations live in ``store`` (a default-sized one if omitted)."""
    conversations = store if store is not None else ConversationStore(kb)
    app = FastAPI(title="myoqa", version=__version__, description=DESCRIPTION)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.state.kb = kb
    app.state.conversations = conversations

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [_problem(e) for e in exc.errors()]
        if any(p["type"] == "json_invalid" for p in problems):
            return JSONResponse({"error": "the body is not valid JSON"}, status_code=400)
        unread = any(p["loc"] == ["body"] and p["type"] != "missing" for p in problems)
        if unread and not _is_json(request.headers.get("content-type", "")):
            # FastAPI reads a body as JSON only when the client says it is (so that a web page
            # cannot post to a local server with a plain form); `curl -d` alone says otherwise.
            return JSONResponse({"error": JSON_ONLY}, status_code=415)
        where = "; ".join(f"{'.'.join(p['loc'][1:]) or 'body'}: {p['msg']}" for p in problems)
        return JSONResponse({"error": f"invalid request: {where}", "detail": problems}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.post("/answer", response_model=Answer, responses=_ERRORS, summary="Answer one question")
    def answer(body: AnswerRequest) -> Answer:
        return _shown(kb.answer(body.question, limit=body.limit), body.why)

    @app.post(
        "/conversations",
        response_model=ConversationCreated,
        status_code=201,
        summary="Start a conversation (follow-ups refer to its last subject)",
    )
    def start_conversation() -> ConversationCreated:
        return ConversationCreated(id=conversations.create())

    @app.post(
        "/conversations/{conversation_id}/ask",
        response_model=Answer,
        responses={**_ERRORS, **_NOT_FOUND},
        summary="Ask the next question of a conversation",
    )
    def ask(body: AskRequest, conversation_id: str = Path(pattern=ID_PATTERN)) -> Answer:
        try:
            return _shown(conversations.ask(conversation_id, body.question), body.why)
        except UnknownConversation as exc:
            raise HTTPException(404, str(exc)) from None

    @app.delete(
        "/conversations/{conversation_id}",
        status_code=204,
        responses=_NOT_FOUND,
        summary="Forget a conversation",
    )
    def delete_conversation(conversation_id: str = Path(pattern=ID_PATTERN)) -> Response:
        if not conversations.delete(conversation_id):
            raise HTTPException(404, str(UnknownConversation(conversation_id)))
        return Response(status_code=204)

    @app.get("/health", response_model=Health, summary="Liveness and what is loaded")
    def health() -> Health:
        return Health(
            status="ok",
            version=__version__,
            facts=len(kb),
            topics=len(kb.topics),
            conversations=len(conversations),
        )

    @app.get("/topics", response_model=list[Topic], summary="The topics and their number of facts")
    def topics() -> list[Topic]:
        return [Topic(name=t, facts=sum(f.topic == t for f in kb.facts)) for t in kb.topics]

    @app.get("/facts/{fact_id}", response_model=Fact, responses=_NOT_FOUND, summary="One fact by id")
    def fact(fact_id: str) -> Fact:
        found = kb.get(fact_id)
        if found is None:
            raise HTTPException(404, f"no fact has the id {fact_id!r}; answers name theirs in fact_id")
        return found

    return app
