"""The one-call API: ``answer(question)`` over a default knowledge base loaded on first use."""

from __future__ import annotations

import threading

from myoqa.kb import KnowledgeBase
from myoqa.models import Answer

_default: KnowledgeBase | None = None
_lock = threading.Lock()


def default_kb() -> KnowledgeBase:
    """The bundled (or $MYOQA_KNOWLEDGE) knowledge base, loaded once, on first use."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = KnowledgeBase.load()
    return _default


def answer(question: str, *, kb: KnowledgeBase | None = None, limit: int = 5) -> Answer:
    """Answer a question about calcification or ossification in muscle tissue.

    Any ``str`` returns an ``Answer`` (``found=False`` when the bot does not know); a
    non-string raises ``TypeError``. Thread-safe.

    >>> answer("what is ossification").found
    True
    """
    if kb is not None and not isinstance(kb, KnowledgeBase):
        raise TypeError(f"kb must be a KnowledgeBase, got {type(kb).__name__}")
    if not isinstance(question, str):
        raise TypeError(f"question must be a str, got {type(question).__name__}")
    return (kb or default_kb()).answer(question, limit=limit)
