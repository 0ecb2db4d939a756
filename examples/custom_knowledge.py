"""Your own knowledge base, built in memory (or loaded from your own YAML directory).

Run it from the clone after the README's quick start (which installs myoqa into .venv;
the system `python` has no myoqa):

    .venv/bin/python examples/custom_knowledge.py
"""

from __future__ import annotations

import sys

from myoqa import Fact, KnowledgeBase, Source, answer


def build() -> KnowledgeBase:
    facts = [
        Fact(
            id="clinic-hours",
            question="When is the clinic open?",
            alternates=(
                "clinic opening hours",
                "what time does the clinic open",
                "is the clinic open on saturday",
            ),
            answer="The clinic is open Monday to Friday, 8:00 to 18:00.",
            sources=(Source(title="Clinic website", url="https://clinic.example/hours"),),
            topic="Clinic",
            related=("clinic-booking",),
        ),
        Fact(
            id="clinic-booking",
            question="How do I book an appointment?",
            alternates=("book an appointment", "make an appointment at the clinic", "appointment booking"),
            answer="Book online or call the front desk; physiotherapy needs a referral.",
            sources=(Source(title="Clinic website", url="https://clinic.example/booking"),),
            topic="Clinic",
        ),
    ]
    # A directory of YAML files in the knowledge format works the same way:
    # KnowledgeBase.load("path/to/my-knowledge")
    return KnowledgeBase.from_facts(facts, synonyms={"appointment": ["appt", "booking slot"]})


def main() -> int:
    kb = build()
    for question in ["what time does the clinic open", "how do i book an appt", "what is FOP"]:
        reply = answer(question, kb=kb)
        print(f"{question!r} -> {reply.text if reply.found else '(not in this knowledge base)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
