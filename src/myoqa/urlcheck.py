"""Source-link hygiene: flag links a reader should not be sent to.

A source must lead to the publisher's own page. This module spots the links that do not:
hosts on a deny list kept as data (``data/url_denylist.txt``: document-sharing copies,
development servers, proxies), malformed hosts such as ``https.ncbi.nlm.nih.gov`` or a
trailing dot, WordPress preview links, and links cut off when they were copied ("...", "…").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from urllib.parse import parse_qs, urlsplit

from myoqa.errors import Problem
from myoqa.knowledge import KnowledgeData

_TRUNCATED = re.compile(r"\.\.\.|…|%E2%80%A6", re.IGNORECASE)


@cache
def denied_hosts() -> frozenset[str]:
    """The deny list shipped with the package: one host per line, ``#`` starts a comment."""
    text = resources.files("myoqa").joinpath("data/url_denylist.txt").read_text(encoding="utf-8")
    return parse_denylist(text)


def parse_denylist(text: str) -> frozenset[str]:
    """Hosts from deny-list text, lower-cased, without comments or blank lines."""
    hosts = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return frozenset(h for h in hosts if h)


def url_problem(url: str, denied: frozenset[str] | None = None) -> str | None:
    """Why ``url`` should not be cited, or ``None`` when it looks like a publisher's page."""
    denied = denied_hosts() if denied is None else denied
    if _TRUNCATED.search(url):
        return "looks truncated ('...' or '…'); copy the whole link from the publisher's page"
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.endswith(".") or host.startswith(("https.", "http.")):
        return f"host {host!r} is malformed; use the publisher's canonical address"
    for bad in denied:
        if host == bad or host.endswith("." + bad):
            return f"host {host!r} is on the deny list (copy, development server or proxy); cite the publisher's own page"
    if "preview" in parse_qs(parts.query):
        return "is a WordPress preview link that may not be public; cite the published page"
    return None


def source_url_problems(data: KnowledgeData) -> Iterable[Problem]:
    """A warning for every source link of every fact that :func:`url_problem` rejects."""
    denied = denied_hosts()
    for fact in data.facts:
        for source in fact.sources:
            why = url_problem(source.url, denied)
            if why is not None:
                yield Problem(
                    data.files[fact.id],
                    f"source URL {source.url!r} {why}",
                    fact_id=fact.id,
                    field="sources",
                    severity="warning",
                )
