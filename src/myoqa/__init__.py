"""myoqa: answers questions about calcification and ossification in muscle tissue.

>>> from myoqa import answer
>>> answer("what is myositis ossificans").found
True
"""

from myoqa.api import answer
from myoqa.conversation import Conversation
from myoqa.errors import KnowledgeError, MyoqaError, Problem
from myoqa.kb import KnowledgeBase
from myoqa.models import Answer, Explanation, Fact, RelatedQuestion, SmallTalk, Source, Suggestion

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
