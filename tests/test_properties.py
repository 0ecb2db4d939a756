"""Property tests: no string breaks answer(), no YAML breaks the loader."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myoqa import Answer, KnowledgeBase, KnowledgeError
from myoqa.knowledge import read_directory


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_gets_an_answer(kb: KnowledgeBase, text: str) -> None:
    reply = kb.answer(text)
    assert isinstance(reply, Answer)
    assert 0.0 <= reply.confidence <= 1.0
    assert reply.found == (reply.fact_id is not None)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["what", "is", "fop", "calcium", "bone", "the", "?", "ossifcation", "kidny", "muscle", "x"]
        ),
        max_size=12,
    )
)
def test_word_salad_never_raises(words: list[str]) -> None:
    from myoqa import answer

    answer(" ".join(words))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_broken_yaml_is_reported_not_raised(tmp_path_factory, text: str) -> None:  # type: ignore[no-untyped-def]
    directory: Path = tmp_path_factory.mktemp("kb")
    (directory / "topic.yaml").write_text(text, encoding="utf-8")
    data, problems = read_directory(directory)
    assert (data is None) == bool(problems)
    if data is None:
        assert all(p.path == "topic.yaml" for p in problems)
        try:
            KnowledgeBase.load(directory)
        except KnowledgeError:
            pass
        else:
            raise AssertionError("load must fail when read_directory reports problems")
