"""What a knowledge base says about itself: its name, what it covers, example questions, and
the texts it answers with when it has no answer (``about.yaml`` in the knowledge directory).

A clinic's knowledge base must never answer "I can only answer questions about calcification":
every text a user reads that is not a fact comes from here. The bundled knowledge base has its
own ``knowledge/about.yaml``; a knowledge base without one gets neutral texts made from its own
topics and questions (``About.neutral``). ``personal_dose`` is optional: a knowledge base that
has it declines "what dose should my son take?" with it (``myoqa.dosing``).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field, field_validator

from myoqa.decide import DecisionTexts
from myoqa.models import SmallTalk, _KnowledgeText, _not_blank

ABOUT_FIELDS = (
    "name", "description", "examples", "help_examples", "banner", "out_of_scope", "nothing_asked",
    "unsure", "which_subject", "personal_dose",
)  # fmt: skip


def _quote(question: str) -> str:
    return f"\u201c{question}\u201d"


class About(_KnowledgeText):
    """The texts of one knowledge base (all of them are shown to users as they are)."""

    name: str
    description: str  # what it answers questions about, as a phrase: "opening hours and bookings"
    examples: tuple[str, ...] = Field(min_length=1)  # example questions, shown in texts and help
    help_examples: tuple[str, ...] = Field(min_length=1)  # "ask in your own words, e.g. ..."
    banner: str  # the note under the REPL's title (ours: the medical disclaimer)
    out_of_scope: str
    nothing_asked: str
    unsure: str
    which_subject: str
    # Said to "what dose should my son take?" (``myoqa.dosing``); without it such a question is
    # matched like any other, as a knowledge base about baking wants for "how much flour".
    personal_dose: str | None = None

    _check_text = field_validator(
        "name", "description", "banner", "out_of_scope", "nothing_asked", "unsure", "which_subject"
    )(_not_blank)

    @field_validator("personal_dose")
    @classmethod
    def _check_optional_text(cls, value: str | None) -> str | None:
        return None if value is None else _not_blank(value)

    @field_validator("examples", "help_examples")
    @classmethod
    def _check_examples(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for i, example in enumerate(value, 1):
            if not example.strip():
                raise ValueError(f"example {i} is empty")
        return value

    @property
    def texts(self) -> DecisionTexts:
        """The texts ``decide()`` answers with when no fact answers."""
        return DecisionTexts(
            out_of_scope=self.out_of_scope,
            nothing_asked=self.nothing_asked,
            unsure=self.unsure,
            which_subject=self.which_subject,
            personal_dose=self.personal_dose,
        )

    @property
    def title(self) -> str:
        """The REPL's first line: "name: questions and answers about <description>"."""
        return f"{self.name}: questions and answers about {self.description}"

    @classmethod
    def neutral(cls, *, name: str, topics: Sequence[str], questions: Sequence[str]) -> About:
        """Texts for a knowledge base that has no ``about.yaml``: made from its own topics and
        questions, so they never speak of another subject."""
        shown = [t for t in topics if t][:4]
        if len(shown) > 1:
            description = f"{', '.join(shown[:-1])} and {shown[-1]}"
        else:
            description = shown[0] if shown else "the questions in its knowledge base"
        examples = tuple(q for q in questions[:2] if q) or ("What can you tell me?",)
        for_example = " or ".join(_quote(q) for q in examples)
        return cls(
            name=name,
            description=description,
            examples=examples,
            help_examples=examples[:1],
            banner="Answers come from this knowledge base only. Ask a question in your own words.",
            out_of_scope=(
                f"I don't know about that. I can only answer questions about {description}, "
                f"for example {for_example}"
            ),
            nothing_asked=f"I didn't catch a question there. Ask me, for example, {_quote(examples[0])}",
            unsure="I'm not sure which of these you mean:",
            which_subject=f"Which one do you mean? Ask with its name, for example {_quote(examples[0])}",
        )

    def smalltalk(self) -> tuple[SmallTalk, ...]:
        """Neutral greetings, thanks and goodbyes for a knowledge base without small talk of its
        own; they name this knowledge base and nothing else."""
        ask = f"Ask me a question about {self.description}, for example {_quote(self.examples[0])}"
        return (
            SmallTalk(id="hello", patterns=("hello", "hi", "hey", "hi there", "good morning"), answer=f"Hello! {ask}"),
            SmallTalk(id="thanks", patterns=("thanks", "thank you", "thank you very much"), answer="You're welcome."),
            SmallTalk(id="goodbye", patterns=("bye", "goodbye", "see you"), answer="Goodbye, and take care."),
            SmallTalk(
                id="who-are-you",
                patterns=("who are you", "what are you", "what can you do", "what can i ask"),
                answer=f"I'm {self.name}. I answer questions about {self.description} from my knowledge base. {ask}",
            ),
        )  # fmt: skip
