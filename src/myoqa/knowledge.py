"""Read a knowledge directory: parse YAML safely, validate every file, and load all or nothing.

A directory holds topic files (``topic`` + ``facts``), at most one ``synonyms`` file, and
optionally ``smalltalk`` and ``scope`` files, told apart by their top-level keys. Files are read in sorted
order so ids, ties and error listings are the same on every machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from myoqa.errors import KnowledgeError, Problem
from myoqa.models import Fact, SmallTalk

ENV_VAR = "MYOQA_KNOWLEDGE"
# libyaml's C parser is ~10x faster; both are the safe loader (no arbitrary objects).
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FACT_FIELDS = ("id", "question", "alternates", "answer", "sources", "related", "reviewed", "urgent")
_KINDS = {"facts": "topic", "synonyms": "synonyms", "smalltalk": "smalltalk", "scope": "scope"}


@dataclass(frozen=True)
class KnowledgeData:
    """Everything a directory holds, validated; the input of ``KnowledgeBase``."""

    facts: tuple[Fact, ...]
    synonyms: dict[str, tuple[str, ...]]
    smalltalk: tuple[SmallTalk, ...]
    files: dict[str, str]  # fact id -> file it came from
    scope: tuple[str, ...] = ()


def default_directory() -> Path:
    """The directory to load when none is given: $MYOQA_KNOWLEDGE, else the bundled one."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    bundled = resources.files("myoqa") / "knowledge"
    if bundled.is_dir():
        return Path(str(bundled))
    # Running from a source checkout or an editable install: the repository's own folder.
    return Path(__file__).resolve().parents[2] / "knowledge"


def read_directory(directory: Path | str) -> tuple[KnowledgeData | None, list[Problem]]:
    """Validate a directory; return its data only when there is no error at all."""
    directory = Path(directory)
    if not directory.is_dir():
        return None, [Problem(str(directory), "not a directory; pass a folder of .yaml files")]
    paths = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not paths:
        return None, [Problem(str(directory), "no .yaml files found in this directory")]
    reader = _Reader()
    for path in paths:
        reader.read_file(path)
    reader.check_cross_references()
    if reader.problems:
        return None, reader.problems
    return KnowledgeData(
        facts=tuple(reader.facts),
        synonyms=reader.synonyms,
        smalltalk=tuple(reader.smalltalk),
        files=reader.files,
        scope=tuple(reader.scope),
    ), []


def load_directory(directory: Path | str) -> KnowledgeData:
    """Like ``read_directory`` but raise ``KnowledgeError`` listing every problem."""
    data, problems = read_directory(directory)
    if data is None:
        raise KnowledgeError(problems, directory)
    return data


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _hint(error: dict[str, Any], allowed: tuple[str, ...]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown field; allowed fields are: {', '.join(allowed)}"
    if kind == "missing":
        return "required field is missing; add it"
    return str(error["msg"])


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.facts: list[Fact] = []
        self.files: dict[str, str] = {}
        self.synonyms: dict[str, tuple[str, ...]] = {}
        self.smalltalk: list[SmallTalk] = []
        self.scope: list[str] = []
        self._synonym_file: str | None = None

    def add(self, path: Path, message: str, **where: Any) -> None:
        self.problems.append(Problem(path.name, message, **where))

    def read_file(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.add(path, f"cannot be read as UTF-8 text: {exc}")
            return
        try:
            data = yaml.load(text, Loader=_SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc)
            self.add(path, f"invalid YAML: {problem}; check indentation and quoting", line=line)
            return
        if not isinstance(data, dict):
            got = "an empty file" if data is None else type(data).__name__
            self.add(path, f"must be a mapping with a 'facts', 'synonyms' or 'smalltalk' key, got {got}")
            return
        kinds = [kind for key, kind in _KINDS.items() if key in data]
        if len(kinds) != 1:
            self.add(
                path,
                "must have exactly one of the keys 'facts' (a topic file), 'synonyms', "
                f"'smalltalk' or 'scope'; found keys: {', '.join(map(str, data)) or 'none'}",
            )
            return
        key = "facts" if kinds[0] == "topic" else kinds[0]
        lines = _LazyLines(text, key)
        getattr(self, f"_read_{kinds[0]}")(path, data, lines)

    def _read_topic(self, path: Path, data: dict[str, Any], lines: _LazyLines) -> None:
        extra = set(data) - {"topic", "facts"}
        if extra:
            self.add(path, f"unknown top-level key(s) {sorted(map(str, extra))}; allowed: topic, facts")
        topic = data.get("topic")
        if not isinstance(topic, str) or not topic.strip():
            self.add(path, "needs a non-empty 'topic' (the section these facts belong to)", field="topic")
            return
        raw_facts = data["facts"]
        if not isinstance(raw_facts, list) or not raw_facts:
            self.add(path, "'facts' must be a non-empty list of facts", field="facts")
            return
        for index, raw in enumerate(raw_facts):
            if not isinstance(raw, dict):
                self.add(path, f"fact {index + 1} must be a mapping of fields", line=lines.get(index))
                continue
            fact_id = raw.get("id") if isinstance(raw.get("id"), str) else f"#{index + 1}"
            if "topic" in raw:
                self.add(
                    path,
                    "unknown field; the topic is set once per file",
                    fact_id=fact_id,
                    field="topic",
                    line=lines.get(index),
                )
                continue
            try:
                fact = Fact.model_validate({**raw, "topic": topic.strip()})
            except ValidationError as exc:
                for error in exc.errors():
                    self.add(
                        path,
                        _hint(dict(error), FACT_FIELDS),
                        fact_id=fact_id,
                        field=_loc(error["loc"]),
                        line=lines.get(index),
                    )
                continue
            if fact.id in self.files:
                self.add(
                    path,
                    f"duplicate id; also defined in {self.files[fact.id]}. Ids must be unique across all files",
                    fact_id=fact.id,
                    field="id",
                    line=lines.get(index),
                )
                continue
            self.files[fact.id] = path.name
            self.facts.append(fact)

    def _read_synonyms(self, path: Path, data: dict[str, Any], lines: _LazyLines) -> None:
        if self._synonym_file is not None:
            self.add(path, f"a second synonyms file; merge it into {self._synonym_file}")
            return
        self._synonym_file = path.name
        table = data["synonyms"]
        if set(data) != {"synonyms"} or not isinstance(table, dict):
            self.add(
                path,
                "must hold only 'synonyms': a mapping of canonical term -> list of variants",
                field="synonyms",
            )
            return
        for canonical, variants in table.items():
            ok = (
                isinstance(canonical, str)
                and isinstance(variants, list)
                and all(isinstance(v, str) and v.strip() for v in variants)
            )
            if not ok:
                self.add(
                    path,
                    "each entry must map a term to a list of non-empty strings",
                    field=f"synonyms.{canonical}",
                )
                continue
            self.synonyms[canonical] = tuple(variants)

    def _read_scope(self, path: Path, data: dict[str, Any], lines: _LazyLines) -> None:
        terms = data["scope"]
        ok = (
            set(data) == {"scope"}
            and isinstance(terms, list)
            and all(isinstance(t, str) and t.strip() for t in terms)
        )
        if not ok or not terms:
            self.add(
                path,
                "must hold only 'scope': a non-empty list of terms a question must mention one of",
                field="scope",
            )
            return
        self.scope.extend(terms)

    def _read_smalltalk(self, path: Path, data: dict[str, Any], lines: _LazyLines) -> None:
        items = data["smalltalk"]
        if set(data) != {"smalltalk"} or not isinstance(items, list):
            self.add(path, "must hold only 'smalltalk': a list of {id, patterns, answer}", field="smalltalk")
            return
        for index, raw in enumerate(items):
            item_id = (
                raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"#{index + 1}"
            )
            try:
                self.smalltalk.append(SmallTalk.model_validate(raw))
            except ValidationError as exc:
                for error in exc.errors():
                    self.add(
                        path,
                        _hint(dict(error), ("id", "patterns", "answer")),
                        fact_id=item_id,
                        field=_loc(error["loc"]),
                        line=lines.get(index),
                    )

    def check_cross_references(self) -> None:
        for fact in self.facts:
            for position, target in enumerate(fact.related):
                if target not in self.files:
                    self.problems.append(
                        Problem(
                            self.files[fact.id],
                            f"no fact has the id {target!r}; fix the id or remove it",
                            fact_id=fact.id,
                            field=f"related[{position + 1}]",
                        )
                    )
                elif target == fact.id:
                    self.problems.append(
                        Problem(
                            self.files[fact.id],
                            "a fact cannot be related to itself",
                            fact_id=fact.id,
                            field=f"related[{position + 1}]",
                        )
                    )


class _LazyLines:
    """Line numbers of list items, computed (by a second parse) only when an error needs them."""

    def __init__(self, text: str, key: str) -> None:
        self._text = text
        self._key = key
        self._lines: list[int] | None = None

    def get(self, index: int) -> int | None:
        if self._lines is None:
            self._lines = _item_lines(self._text, self._key)
        return self._lines[index] if index < len(self._lines) else None


def _item_lines(text: str, key: str) -> list[int]:
    """Line numbers (1-based) of each item in the top-level list ``key``, for error messages."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key_node, value_node in root.value:
        if key_node.value == key and isinstance(value_node, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value_node.value]
    return []
