"""Conversations kept in memory for the HTTP and MCP servers: one ``myoqa.Conversation`` per id,
forgotten after an idle time and capped in number, so memory stays bounded whatever clients do.

The servers are otherwise stateless; this store is the only thing that ties a client to one
process (see the README on scaling out). It is thread-safe: a store lock guards the table for
a moment, and each conversation has its own lock, held while it answers, so two requests on
the same conversation take turns (its "last subject" stays consistent) while requests on
different conversations run in parallel.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from myoqa.conversation import Conversation
from myoqa.kb import KnowledgeBase
from myoqa.models import Answer

DEFAULT_MAX_CONVERSATIONS = 1000
DEFAULT_IDLE_SECONDS = 30 * 60.0

# Ids a client may choose (MCP agents name their own threads); generated ids match it too.
ID_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"
_ID = re.compile(ID_PATTERN)


class UnknownConversation(KeyError):
    """No conversation has this id: it never existed, was deleted, expired or was evicted."""

    def __init__(self, conversation_id: str) -> None:
        self.conversation_id = conversation_id
        super().__init__(conversation_id)

    def __str__(self) -> str:
        return (
            f"no conversation has the id {self.conversation_id!r} (it may have expired or been "
            "deleted); start a new one"
        )


@dataclass
class _Entry:
    conversation: Conversation
    last_used: float
    lock: threading.Lock = field(default_factory=threading.Lock)


class ConversationStore:
    """Conversations by id, least recently used first.

    ``idle_seconds``: a conversation not used for this long is forgotten.
    ``max_conversations``: when a new one would exceed the cap, the least recently used one is
    forgotten to make room (new users are never refused; the evicted user's next question gets
    "no conversation has the id ...", and their bot starts a new one).
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        max_conversations: int = DEFAULT_MAX_CONVERSATIONS,
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_conversations < 1:
            raise ValueError(f"max_conversations must be at least 1, got {max_conversations}")
        if idle_seconds <= 0:
            raise ValueError(f"idle_seconds must be positive, got {idle_seconds}")
        self.kb = kb
        self.max_conversations = max_conversations
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._prune(self._clock())
            return len(self._entries)

    def __contains__(self, conversation_id: object) -> bool:
        with self._lock:
            self._prune(self._clock())
            return conversation_id in self._entries

    def create(self, conversation_id: str | None = None) -> str:
        """Start a conversation and return its id (a new unguessable one unless given)."""
        if conversation_id is None:
            conversation_id = secrets.token_urlsafe(16)
        else:
            self._check_id(conversation_id)
        with self._lock:
            self._insert(conversation_id, self._clock())
        return conversation_id

    def ask(self, conversation_id: str, question: str, *, create: bool = False) -> Answer:
        """Answer ``question`` in that conversation (follow-ups resolved against its subject).

        Raises ``UnknownConversation`` unless it exists or ``create`` is true.
        """
        with self._lock:
            now = self._clock()
            self._prune(now)
            entry = self._entries.get(conversation_id)
            if entry is None:
                if not create:
                    raise UnknownConversation(conversation_id)
                self._check_id(conversation_id)
                entry = self._insert(conversation_id, now)
            entry.last_used = now
            self._entries.move_to_end(conversation_id)
        with entry.lock:
            return entry.conversation.ask(question)

    def delete(self, conversation_id: str) -> bool:
        """Forget a conversation; False if there was none with that id."""
        with self._lock:
            return self._entries.pop(conversation_id, None) is not None

    @staticmethod
    def _check_id(conversation_id: str) -> None:
        if not isinstance(conversation_id, str) or not _ID.match(conversation_id):
            raise ValueError(
                f"a conversation id is 1 to 64 letters, digits, '.', '_' or '-', got {conversation_id!r}"
            )

    def _insert(self, conversation_id: str, now: float) -> _Entry:
        """Add a fresh conversation, evicting the least recently used ones beyond the cap
        (the caller holds the lock)."""
        self._prune(now)
        self._entries.pop(conversation_id, None)
        while len(self._entries) >= self.max_conversations:
            self._entries.popitem(last=False)
        entry = _Entry(Conversation(self.kb), now)
        self._entries[conversation_id] = entry
        return entry

    def _prune(self, now: float) -> None:
        """Drop conversations idle for too long (oldest first; the caller holds the lock)."""
        while self._entries:
            oldest_id, oldest = next(iter(self._entries.items()))
            if now - oldest.last_used < self.idle_seconds:
                return
            del self._entries[oldest_id]
