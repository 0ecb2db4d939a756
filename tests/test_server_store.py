"""The conversation store behind both servers: follow-ups, expiry, the cap, thread safety."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from myoqa import Conversation, KnowledgeBase
from myoqa.server.store import ConversationStore, UnknownConversation


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_follow_ups_are_resolved_per_conversation(kb: KnowledgeBase) -> None:
    store = ConversationStore(kb)
    subjects = {"What is myositis ossificans?": store.create(), "what is fop": store.create()}
    for subject, cid in subjects.items():
        store.ask(cid, subject)
    treated = {}
    for subject, cid in subjects.items():  # interleaved, each against its own subject
        reference = Conversation(kb)
        reference.ask(subject)
        treated[subject] = store.ask(cid, "How is it treated?")
        assert treated[subject] == reference.ask("How is it treated?")
    assert len({a.fact_id for a in treated.values()}) == 2 and all(a.found for a in treated.values())


def test_ids_are_unguessable_and_distinct(kb: KnowledgeBase) -> None:
    store = ConversationStore(kb)
    ids = {store.create() for _ in range(50)}
    assert len(ids) == 50 and all(len(i) >= 20 for i in ids)


def test_unknown_and_deleted_conversations(kb: KnowledgeBase) -> None:
    store = ConversationStore(kb)
    cid = store.create()
    assert store.delete(cid) is True and store.delete(cid) is False
    with pytest.raises(UnknownConversation, match="start a new one"):
        store.ask(cid, "what is fop")


def test_idle_conversations_expire(kb: KnowledgeBase) -> None:
    clock = Clock()
    store = ConversationStore(kb, idle_seconds=60, clock=clock)
    kept, dropped = store.create(), store.create()
    clock.now += 50
    store.ask(kept, "what is fop")  # using it resets its idle time
    clock.now += 20
    assert kept in store and dropped not in store and len(store) == 1
    with pytest.raises(UnknownConversation):
        store.ask(dropped, "what is fop")
    clock.now += 61
    assert len(store) == 0


def test_the_cap_evicts_the_least_recently_used(kb: KnowledgeBase) -> None:
    clock = Clock()
    store = ConversationStore(kb, max_conversations=3, clock=clock)
    a, b, c = store.create(), store.create(), store.create()
    clock.now += 1
    store.ask(a, "what is fop")  # a is now the most recently used; b the least
    d = store.create()
    assert len(store) == 3
    assert b not in store and all(i in store for i in (a, c, d))


def test_chosen_ids_for_agents(kb: KnowledgeBase) -> None:
    store = ConversationStore(kb)
    store.ask("chat-1", "What is myositis ossificans?", create=True)
    assert store.ask("chat-1", "How is it treated?", create=True).topic == "Myositis ossificans"
    for bad in ["", "has space", "x" * 65, "../etc"]:
        with pytest.raises(ValueError, match="conversation id"):
            store.ask(bad, "hi", create=True)


def test_bad_settings_are_refused(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="max_conversations"):
        ConversationStore(kb, max_conversations=0)
    with pytest.raises(ValueError, match="idle_seconds"):
        ConversationStore(kb, idle_seconds=0)


def test_concurrent_turns_match_serial_conversations(kb: KnowledgeBase) -> None:
    """Many threads, each its own conversation, interleaved: every turn as if alone."""
    script = ["What is myositis ossificans?", "How is it treated?", "1", "what is fop", "is it inherited?"]
    expected = [a for chat in [Conversation(kb)] for a in (chat.ask(q) for q in script)]
    store = ConversationStore(kb)
    ids = [store.create() for _ in range(16)]

    def run(cid: str) -> list[object]:
        return [store.ask(cid, q) for q in script]

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(run, ids))
    assert all(r == expected for r in results)


def test_one_conversation_shared_by_threads_stays_consistent(kb: KnowledgeBase) -> None:
    """Turns on one conversation take turns (a lock each); none is lost or garbled."""
    store = ConversationStore(kb)
    cid = store.create()
    store.ask(cid, "What is myositis ossificans?")
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: store.ask(cid, "How is it treated?"), range(40)))
    assert {a.fact_id for a in answers} == {"mo-treatment"}
