"""Source-link lint: copies, development servers, proxies and cut-off links are flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from myoqa.cli import main
from myoqa.knowledge import default_directory, load_directory
from myoqa.urlcheck import denied_hosts, parse_denylist, source_url_problems, url_problem


@pytest.mark.parametrize(
    "url",
    [
        "https://www.scribd.com/document/512712198/Osif-hetero",
        "https://abcdocz.com/doc/148432/a-review-paper--abstract",
        "https://pt.slideshare.net/PeerView/can-you-avoid-iatrogenic-harm",
        "https://acnpsearch.tweb-dev.unibo.it/singlejournalindex/48213205",
        "https://develop-sr3snxi-tt7lcx6s5gdv4.us-4.platformsh.site/site/wounds/case",
        "https://test.aneskey.com/do-not-replete-calcium",
        "https://radiologykey.com/soft-tissue-imaging",
        "http://www.researchgate.net/publication/51213992_Myositis_ossificans",
        "https://proxy.weglot.com/wg_87/en/es/pubmed.ncbi.nlm.nih.gov/22691651",
        "https://sclerodermanews.com/?page_id=15218&preview=true",
        "https://abcdocz.com/doc/148430/by-on-september-9--2014.-for-personal-use-only.-downloade...",
        "https://example.org/article/heterotopic-ossification-after…",
        "https://https.ncbi.nlm.nih.gov/books/n/gene/fop",
        "https://ncbi.nlm.nih.gov./books/n/endotext/prmry-hyperparathyro/",
    ],
)
def test_bad_links_are_flagged(url: str) -> None:
    assert url_problem(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://pubmed.ncbi.nlm.nih.gov/16863921/",
        "https://www.ncbi.nlm.nih.gov/books/n/gene/fop/",
        "https://jnm.snmjournals.org/content/43/3/346",
        "https://api.fda.gov/drug/label.json?search=openfda.brand_name%3A%22Pasatru%22",
        "https://www.notscribd.com/page",  # a host that merely ends in the same letters is not a subdomain
    ],
)
def test_publisher_pages_pass(url: str) -> None:
    assert url_problem(url) is None


def test_deny_list_is_data_with_comments() -> None:
    assert parse_denylist("# comment\n\nExample.COM  # trailing note\n") == frozenset({"example.com"})
    assert {"scribd.com", "slideshare.net", "platformsh.site"} <= denied_hosts()


def test_lint_names_the_fact_and_the_link(small_copy: Path) -> None:
    facts = small_copy / "bones.yaml"
    text = facts.read_text(encoding="utf-8")
    url_line = next(line for line in text.splitlines() if "url:" in line)
    facts.write_text(
        text.replace(url_line, "        url: https://www.scribd.com/document/1/copy", 1), encoding="utf-8"
    )
    problems = list(source_url_problems(load_directory(small_copy)))
    assert len(problems) == 1
    assert problems[0].field == "sources" and "scribd.com" in problems[0].message
    assert main(["check", str(small_copy), "--strict"]) == 1


def test_shipped_knowledge_cites_no_denied_link() -> None:
    assert list(source_url_problems(load_directory(default_directory()))) == []
