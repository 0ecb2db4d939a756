"""Every statement of the founding document is answerable, however it is worded.

Each statement of the founding document (``/work/shared/seed``), asked as a question in two or
three natural wordings, must reach a fact whose answer carries the statement's key content
(as corrected by the curators: "the body deposits calcium to stabilise the injury" reaches the
fact that says this is not so, and still mentions stabilising).
"""

from __future__ import annotations

import pytest

from myoqa import KnowledgeBase
from myoqa.wording import bare_opener

# Key content: each group lists alternatives; the answer must contain one word of every group.
DIFFERENT = [["calcium", "mineral"], ["bone"]]
MINERAL = [["mineral"]]
CALCIUM = [["calcium salt", "calcium phosphate"], ["muscle"]]
CAUSES = [["injur", "damage"], ["inflam"]]
STABILISE = [["stabil"]]
STIFF = [["stiff"], ["flexib"]]
CONDITIONS = [["kidney"], ["scleroderma", "systemic sclerosis"], ["dermatomyositis"]]
PAIN_WEAK = [["pain"], ["weak"]]
BONE = [["replaced by bone"]]  # the definition, not "calcification does not mean turning to bone"
SPONTANEOUS = [["bone"], ["without", "no obvious", "no clear", "no known"]]
NERVE = [["nerve"], ["pain"]]

# (statement of the founding document, wordings of it as a question, key content)
SEED_STATEMENTS = [
    (
        "calcification and ossification are two different processes",
        [
            "Are calcification and ossification the same process?",
            "How is calcification different from ossification in muscle?",
            "Calcification and ossification in muscle tissue: what is the difference?",
        ],
        DIFFERENT,
    ),
    (
        "both involve the deposition of minerals within the muscle fibres",
        [
            "Do both processes deposit minerals in the muscle?",
            "What do calcification and ossification have in common?",
            "Do calcification and ossification both involve mineral deposits in muscle?",
        ],
        MINERAL,
    ),
    (
        "calcification is the depositing of calcium salts within the muscle fibres",
        [
            "What is calcification of muscle?",
            "What is calcification of muscle fibers?",
            "Is calcification the deposition of calcium salts in muscle tissue?",
        ],
        CALCIUM,
    ),
    (
        "calcification results from injury, inflammation or other tissue damage",
        [
            "Can an injury or inflammation cause calcification in a muscle?",
            "What causes calcification in muscle tissue?",
            "Does tissue damage lead to calcium deposits in a muscle?",
        ],
        CAUSES,
    ),
    (
        "the body deposits calcium to stabilise the injury and prevent further damage",
        [
            "Does the body deposit calcium to stabilise an injured muscle?",
            "Why does the body put calcium into a damaged muscle?",
            "Is calcification the body's way of preventing further damage to a muscle?",
        ],
        STABILISE,
    ),
    (
        "calcification supports the muscle but leads to stiffness and reduced flexibility",
        [
            "Does calcification make muscles stiff and less flexible?",
            "Does calcification help to support the muscle tissue?",
            "Can calcium deposits in a muscle make movement difficult?",
        ],
        STIFF,
    ),
    (
        "calcification is associated with chronic kidney disease, scleroderma and dermatomyositis",
        [
            "Which diseases are associated with calcification of muscle tissue?",
            "Is muscle calcification linked to kidney disease, scleroderma and dermatomyositis?",
            "What medical conditions lead to calcium deposits in muscles?",
        ],
        CONDITIONS,
    ),
    (
        "these conditions lead to deposits that cause muscle pain and weakness",
        [
            "Can calcification cause muscle pain and weakness?",
            "Do calcium deposits in the muscles cause pain and weakness?",
            "Why do calcium deposits make muscles painful and weak?",
        ],
        PAIN_WEAK,
    ),
    (
        "ossification is the process of turning muscle tissue into bone tissue",
        [
            "What is ossification in muscle?",
            "Is ossification the process of turning muscle tissue into bone tissue?",
            "Does ossification turn muscle into bone?",
        ],
        BONE,
    ),
    (
        "ossification results from genetic conditions such as FOP or from trauma",
        ["What causes ossification of muscle?", "What makes a muscle turn into bone?"],
        [["fibrodysplasia ossificans progressiva", "genetic"], ["injur", "trauma"]],
    ),
    (
        "ossification can result from a genetic condition such as FOP",
        [
            "Can a genetic condition like fibrodysplasia ossificans progressiva turn muscle into bone?",
            "Is there a genetic disease that makes muscles turn into bone?",
        ],
        [["genetic", "gene"], ["bone"]],
    ),
    (
        "ossification can result from trauma to the muscle",
        ["Can trauma to a muscle cause ossification?", "Can an injury make bone grow in a muscle?"],
        [["injur", "trauma"], ["bone"]],
    ),
    (
        "ossification can occur spontaneously, without any obvious cause",
        [
            "Can ossification happen spontaneously without a cause?",
            "Can bone form in a muscle for no obvious reason?",
            "Can a muscle ossify without any injury?",
        ],
        SPONTANEOUS,
    ),
    (
        "the muscle tissue is gradually replaced by bone tissue",
        [
            "Is the muscle gradually replaced by bone in ossification?",
            "What happens to the muscle during ossification?",
            "How is muscle tissue replaced by bone?",
        ],
        BONE,
    ),
    (
        "replacement by bone leads to stiffness and reduced flexibility, making movement difficult",
        [
            "What happens when muscle tissue is replaced by bone?",
            "Does ossification cause stiffness and reduced flexibility?",
            "Why does ossification make movement difficult?",
        ],
        STIFF,
    ),
    (
        "ossification causes pain as the bone grows and presses on nerves and tissues",
        [
            "Why does bone in a muscle press on nerves and cause pain?",
            "Does ossification cause pain by pressing on nerves?",
            "Can growing bone in a muscle put pressure on the nerves?",
        ],
        NERVE,
    ),
    (
        "both processes can cause pain and discomfort",
        [
            "Do calcification and ossification both cause pain?",
            "Can calcium deposits and bone in a muscle both be painful?",
        ],
        [["pain"]],
    ),
    (
        "both processes can make movement more difficult",
        [
            "Can both calcification and ossification make movement more difficult?",
            "Do calcification and ossification both make it harder to move?",
        ],
        [["stiff"], ["movement", "move"]],
    ),
]

# Wordings that need a matcher change (src/myoqa/matching.py and decide.py are being rewritten;
# facts must not be bent to single test lines), with the reason.
# Founding statements whose wording still needs a matcher change (none today: the subject fit
# now prefers the fact that names both processes asked about).
NEEDS_MATCHER: dict[str, str] = {}

CASES = [
    pytest.param(
        question,
        words,
        id=f"{statement[:40]}|{question[:40]}",
        marks=[pytest.mark.xfail(reason=NEEDS_MATCHER[question], strict=True)]
        if question in NEEDS_MATCHER
        else [],
    )
    for statement, questions, words in SEED_STATEMENTS
    for question in questions
]


@pytest.mark.parametrize(("question", "groups"), CASES)
def test_founding_statement_is_answered(kb: KnowledgeBase, question: str, groups: list[list[str]]) -> None:
    reply = kb.answer(question)
    assert reply.found, (question, reply.why)
    text = reply.text.lower()
    missing = [group for group in groups if not any(word in text for word in group)]
    assert not missing, (question, reply.fact_id, missing)
    assert reply.sources
    assert bare_opener(reply.text) is None, (question, reply.fact_id, reply.text[:60])


def test_every_statement_has_two_or_more_wordings() -> None:
    assert all(len(questions) >= 2 for _, questions, _ in SEED_STATEMENTS)
