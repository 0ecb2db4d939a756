"""myoqa: answers questions about calcification and ossification in muscle tissue.

>>> from myoqa import answer
>>> answer("what is myositis ossificans").found
True

Names are imported on first use (PEP 562), so ``import myoqa`` costs almost nothing; the
knowledge base itself is loaded on the first ``answer()``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Answer",
    "Conversation",
    "Explanation",
    "Fact",
    "KnowledgeBase",
    "KnowledgeError",
    "MyoqaError",
    "Problem",
    "RelatedQuestion",
    "SmallTalk",
    "Source",
    "Suggestion",
    "__version__",
    "answer",
]

_HOMES = {
    "Answer": "myoqa.models",
    "Conversation": "myoqa.conversation",
    "Explanation": "myoqa.models",
    "Fact": "myoqa.models",
    "KnowledgeBase": "myoqa.kb",
    "KnowledgeError": "myoqa.errors",
    "MyoqaError": "myoqa.errors",
    "Problem": "myoqa.errors",
    "RelatedQuestion": "myoqa.models",
    "SmallTalk": "myoqa.models",
    "Source": "myoqa.models",
    "Suggestion": "myoqa.models",
    "answer": "myoqa.api",
}

if TYPE_CHECKING:
    from myoqa.api import answer
    from myoqa.conversation import Conversation
    from myoqa.errors import KnowledgeError, MyoqaError, Problem
    from myoqa.kb import KnowledgeBase
    from myoqa.models import Answer, Explanation, Fact, RelatedQuestion, SmallTalk, Source, Suggestion


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'myoqa' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
