"""Read a knowledge directory: parse YAML safely, validate every file, and load all or nothing.

A directory holds topic files (``topic`` + ``facts``), at most one ``synonyms`` file, and
optionally ``smalltalk`` and ``scope`` files, told apart by their top-level keys. Files are read in sorted
order so ids, ties and error listings are the same on every machine.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from myoqa.about import ABOUT_FIELDS, About
from myoqa.errors import KnowledgeError, Problem
from myoqa.models import Aspect, Fact, SmallTalk, TriageRule
from myoqa.normalize import content_words, normalize

ENV_VAR = "MYOQA_KNOWLEDGE"
_SUFFIXES = (".yaml", ".yml")
FACT_FIELDS = (
    "id", "question", "alternates", "answer", "sources", "related", "reviewed", "urgent", "subject", "aspect",
)  # fmt: skip
_KINDS = {
    "facts": "topic",
    "synonyms": "synonyms",
    "smalltalk": "smalltalk",
    "scope": "scope",
    "aspects": "aspects",
    "triage": "triage",
    "about": "about",
}
TRIAGE_FIELDS = ("id", "severity", "general", "patterns", "answer", "sources", "related")


@dataclass(frozen=True)
class KnowledgeData:
    """Everything a directory holds, validated; the input of ``KnowledgeBase``."""

    facts: tuple[Fact, ...]
    synonyms: dict[str, tuple[str, ...]]
    smalltalk: tuple[SmallTalk, ...]
    files: dict[str, str]  # fact id -> file it came from
    scope: tuple[str, ...] = ()
    aspects: tuple[Aspect, ...] | None = None  # None: the directory has no aspects file
    qualifiers: tuple[str, ...] = ()
    triage: tuple[TriageRule, ...] | None = None  # None: the directory has no triage file
    about: About | None = None  # None: the directory has no about file (neutral texts apply)
    broader: dict[str, str] = field(default_factory=dict)  # narrower term -> the one it is a form of


def default_directory() -> Path:
    """The directory to load when none is given: $MYOQA_KNOWLEDGE, else the bundled one."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    return _bundled_directory()


def _bundled_directory() -> Path:
    bundled = resources.files("myoqa") / "knowledge"
    if bundled.is_dir():
        return Path(str(bundled))
    # Running from a source checkout or an editable install: the repository's own folder.
    return Path(__file__).resolve().parents[2] / "knowledge"


@functools.cache
def bundled_aspects() -> tuple[tuple[Aspect, ...], tuple[str, ...]]:
    """The aspects and qualifiers shipped with myoqa: plain English question types that any
    knowledge base (a clinic's FAQ, an imported MedQuAD) can use without writing its own."""
    path = _bundled_directory() / "aspects.yaml"
    reader = _Reader()
    reader.read_file(path)
    if reader.problems or reader.aspects is None:
        raise KnowledgeError(reader.problems or [Problem(path.name, "no aspects")], path)
    return reader.aspects, tuple(reader.qualifiers)


@functools.cache
def bundled_triage() -> tuple[TriageRule, ...]:
    """The shipped triage rules marked ``general`` (emergencies and crises whatever the subject):
    a knowledge base without its own ``triage.yaml`` still never meets an emergency with
    "I don't know"."""
    path = _bundled_directory() / "triage.yaml"
    reader = _Reader()
    reader.read_file(path)
    if reader.problems or reader.triage is None:
        raise KnowledgeError(reader.problems or [Problem(path.name, "no triage rules")], path)
    return tuple(rule for rule in reader.triage if rule.general)


def read_directory(directory: Path | str) -> tuple[KnowledgeData | None, list[Problem]]:
    """Validate a directory; return its data only when there is no error at all."""
    if isinstance(directory, str) and not directory.strip():  # Path("") would mean the current folder
        return None, [Problem(repr(directory), "an empty directory name; pass a folder of .yaml files")]
    directory = Path(directory)
    paths, problems = _yaml_files(directory)
    if problems:
        return None, problems
    if not paths:
        return None, [Problem(str(directory), "no .yaml files found in this directory")]
    reader = _Reader()
    for path in paths:
        try:
            reader.read_file(path)
        except RecursionError:
            reader.add(path, "is nested too deeply to be read; knowledge files need a few levels only")
    reader.check_cross_references()
    if reader.problems:
        return None, reader.problems
    return KnowledgeData(
        facts=tuple(reader.facts),
        synonyms=reader.synonyms,
        smalltalk=tuple(reader.smalltalk),
        files=reader.files,
        scope=tuple(reader.scope),
        aspects=reader.aspects,
        triage=reader.triage,
        qualifiers=tuple(reader.qualifiers),
        about=reader.about,
        broader=reader.broader,
    ), []


def load_directory(directory: Path | str) -> KnowledgeData:
    """Like ``read_directory`` but raise ``KnowledgeError`` listing every problem."""
    data, problems = read_directory(directory)
    if data is None:
        raise KnowledgeError(problems, directory)
    return data


def _yaml_files(directory: Path) -> tuple[list[Path], list[Problem]]:
    """The directory's ``*.yaml`` files, in name order, or the problems that stop reading it.

    Anything named ``*.yaml`` that is not a readable regular file (a directory, a FIFO, a device,
    a broken or looping symlink) is a problem, not something to skip: a skipped ``scope.yaml`` or
    ``synonyms.yaml`` silently changes every answer.
    """
    where = str(directory)
    try:
        mode = directory.stat().st_mode
    except OSError as exc:
        return [], [Problem(where, f"not a directory ({exc.strerror or exc}); pass a folder of .yaml files")]
    if not stat.S_ISDIR(mode):
        return [], [Problem(where, "not a directory; pass a folder of .yaml files")]
    try:
        names = sorted(os.listdir(directory))
        os.stat(os.path.join(directory, "."))  # entering it needs execute permission as well as read
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return [], [
            Problem(where, f"cannot list this directory ({reason}); it needs read and execute permission")
        ]
    paths: list[Path] = []
    problems: list[Problem] = []
    for name in names:
        if not name.lower().endswith(_SUFFIXES) or name.startswith("."):
            continue  # hidden entries are editors' lock and swap files (".#topic.yaml"), not topics
        path = directory / name
        try:
            mode = path.stat().st_mode  # follows symlinks: a link to a regular file is fine
        except OSError as exc:
            if _is_link(path):
                problems.append(
                    Problem(name, "is a broken or looping symbolic link; replace it with a regular file")
                )
            else:
                problems.append(
                    Problem(name, f"cannot be read ({exc.strerror or exc}); check its permissions")
                )
            continue
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file (a FIFO, socket or device)"
            problems.append(
                Problem(name, f"is {kind}; a *.yaml entry must be a regular file, so rename or remove it")
            )
            continue
        paths.append(path)
    return paths, problems


def _is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(path.lstat().st_mode)
    except OSError:  # e.g. a directory we may list but not enter
        return False


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


SYNONYM_ENTRY = "each entry must map a term to a list of non-empty strings"


def _synonym_entry_ok(canonical: object, variants: object, sequences: tuple[type, ...]) -> bool:
    """A synonym entry is a term and a list of non-empty strings (never one bare string)."""
    return (
        isinstance(canonical, str)
        and isinstance(variants, sequences)
        and all(isinstance(v, str) and v.strip() for v in variants)  # type: ignore[attr-defined]
    )


BROADER_ENTRY = (
    "a 'broader' entry maps a term to the broader term it is a form of, two different "
    "non-empty strings (e.g. 'crest syndrome: systemic sclerosis')"
)


def broader_entry_ok(narrower: object, wider: object) -> bool:
    """A broader entry names two different terms."""
    return (
        isinstance(narrower, str)
        and isinstance(wider, str)
        and bool(narrower.strip())
        and bool(wider.strip())
        and narrower.strip().casefold() != wider.strip().casefold()
    )


def related_problems(facts: Sequence[Fact], files: Mapping[str, str]) -> list[Problem]:
    """Follow-ups that name no fact, or the fact itself; ``files`` maps fact id -> its file."""
    problems = []
    for fact in facts:
        for position, target in enumerate(fact.related):
            if target not in files:
                message = f"no fact has the id {target!r}; fix the id or remove it"
            elif target == fact.id:
                message = "a fact cannot be related to itself"
            else:
                continue
            problems.append(
                Problem(files[fact.id], message, fact_id=fact.id, field=f"related[{position + 1}]")
            )
    return problems


def check_in_memory(
    facts: Sequence[Fact],
    synonyms: Mapping[str, object],
    source: str = "<memory>",
    broader: Mapping[str, str] | None = None,
) -> list[Problem]:
    """The loader's checks for a knowledge base built in memory (``KnowledgeBase.from_facts``):
    unique ids, follow-ups that exist and are not the fact itself, synonym entries that are
    lists of words (a bare string such as ``"calc"`` is refused, not read as its letters)."""
    problems: list[Problem] = []
    files: dict[str, str] = {}
    for fact in facts:
        if fact.id in files:
            problems.append(Problem(source, "duplicate id; ids must be unique", fact_id=fact.id, field="id"))
        files[fact.id] = source
    problems += related_problems(facts, files)
    for canonical, variants in synonyms.items():
        if not _synonym_entry_ok(canonical, variants, (list, tuple)):
            problems.append(Problem(source, SYNONYM_ENTRY, field=f"synonyms.{canonical}"))
    for narrower, wider in (broader or {}).items():
        if not broader_entry_ok(narrower, wider):
            problems.append(Problem(source, BROADER_ENTRY, field=f"broader.{narrower}"))
    return problems


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.facts: list[Fact] = []
        self.files: dict[str, str] = {}
        self.synonyms: dict[str, tuple[str, ...]] = {}
        self.broader: dict[str, str] = {}
        self.smalltalk: list[SmallTalk] = []
        self.scope: list[str] = []
        self.aspects: tuple[Aspect, ...] | None = None
        self.triage: tuple[TriageRule, ...] | None = None
        self._triage_file: str | None = None
        self.qualifiers: list[str] = []
        self._synonym_file: str | None = None
        self.about: About | None = None
        self._about_file: str | None = None

    def add(self, path: Path, message: str, **where: Any) -> None:
        self.problems.append(Problem(path.name, message, **where))

    def read_file(self, path: Path) -> None:
        # PyYAML is imported here, not at the top: a start that finds its knowledge base in the
        # cache (myoqa.cache) reads no YAML, and the import costs it about 8 ms.
        import yaml

        from myoqa.yamlsafe import load_strict

        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.add(path, f"cannot be read as UTF-8 text: {exc}")
            return
        try:
            data = load_strict(text)
        except (ValueError, OverflowError) as exc:  # a value PyYAML cannot build; no line known
            self.add(path, f"invalid YAML value: {exc}; check the values of this file")
            return
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc)
            hint = (
                ""
                if isinstance(exc, yaml.constructor.ConstructorError)
                else "; check indentation and quoting"
            )
            self.add(path, f"invalid YAML: {problem}{hint}", line=line)
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
        if not set(data) <= {"synonyms", "broader"} or not isinstance(table, dict):
            self.add(
                path,
                "must hold only 'synonyms' (a mapping of canonical term -> list of variants) and "
                "optionally 'broader' (a mapping of term -> the broader term it is a form of)",
                field="synonyms",
            )
            return
        for canonical, variants in table.items():
            if not _synonym_entry_ok(canonical, variants, (list,)):
                self.add(path, SYNONYM_ENTRY, field=f"synonyms.{canonical}")
                continue
            self.synonyms[canonical] = tuple(variants)
        broader = data.get("broader") or {}  # "broader:" with nothing under it: none
        if not isinstance(broader, dict):
            self.add(path, BROADER_ENTRY, field="broader")
            return
        for narrower, wider in broader.items():
            if not broader_entry_ok(narrower, wider):
                self.add(path, BROADER_ENTRY, field=f"broader.{narrower}")
                continue
            self.broader[narrower] = wider

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
        for index, term in enumerate(terms):
            # A term made only of stopwords or punctuation is one no question can ever mention,
            # so a scope of such terms would silently turn every answer into "I don't know".
            if not content_words(normalize(term).split()):
                self.add(
                    path,
                    f"scope term {term!r} has no meaningful word (only stopwords, punctuation or "
                    "single letters), so no question could mention it; use a subject word",
                    field=f"scope[{index + 1}]",
                    line=lines.get(index),
                )
        self.scope.extend(terms)

    def _read_aspects(self, path: Path, data: dict[str, Any], lines: _LazyLines) -> None:
        items = data["aspects"]
        qualifiers = data.get("qualifiers", [])
        shape_ok = (
            set(data) <= {"aspects", "qualifiers"}
            and isinstance(items, list)
            and bool(items)
            and isinstance(qualifiers, list)
            and all(isinstance(q, str) and q.strip() for q in qualifiers)
        )
        if not shape_ok:
            self.add(
                path,
                "must hold 'aspects' (a non-empty list of {id, cues, terms, near, weak}) and optionally "
                "'qualifiers' (a list of words)",
                field="aspects",
            )
            return
        if self.aspects is not None:
            self.add(path, "a second aspects file; keep every aspect in one file", field="aspects")
            return
        aspects: list[Aspect] = []
        for index, raw in enumerate(items):
            item_id = (
                raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"#{index + 1}"
            )
            try:
                aspects.append(Aspect.model_validate(raw))
            except ValidationError as exc:
                for error in exc.errors():
                    self.add(
                        path,
                        _hint(dict(error), ("id", "cues", "terms", "near", "weak")),
                        fact_id=item_id,
                        field=_loc(error["loc"]),
                        line=lines.get(index),
                    )
        ids = [a.id for a in aspects]
        for aspect in aspects:
            if ids.count(aspect.id) > 1:
                self.add(path, "duplicate aspect id", fact_id=aspect.id, field="id")
            for near in aspect.near:
                if near not in ids:
                    self.add(path, f"no aspect has the id {near!r}", fact_id=aspect.id, field="near")
        self.aspects = tuple(aspects)
        self.qualifiers.extend(qualifiers)

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

    def _read_about(self, path: Path, data: dict[str, Any], lines: _LazyLines) -> None:
        """``about.yaml``: the knowledge base's name, example questions and fallback texts."""
        if self._about_file is not None:
            self.add(path, f"a second about file; merge it into {self._about_file}", field="about")
            return
        self._about_file = path.name
        raw = data["about"]
        if set(data) != {"about"} or not isinstance(raw, dict):
            self.add(
                path,
                f"must hold only 'about': a mapping with the keys {', '.join(ABOUT_FIELDS)}",
                field="about",
            )
            return
        try:
            self.about = About.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                self.add(path, _hint(dict(error), ABOUT_FIELDS), field=f"about.{_loc(error['loc'])}")

    def _read_triage(self, path: Path, data: dict[str, Any], lines: _LazyLines) -> None:
        items = data["triage"]
        if set(data) != {"triage"} or not isinstance(items, list) or not items:
            self.add(
                path,
                "must hold only 'triage': a non-empty list of {id, severity, patterns, answer, sources}",
                field="triage",
            )
            return
        if self._triage_file is not None:
            self.add(path, f"a second triage file; merge it into {self._triage_file}", field="triage")
            return
        self._triage_file = path.name
        rules: list[TriageRule] = []
        for index, raw in enumerate(items):
            rule_id = (
                raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"#{index + 1}"
            )
            try:
                rule = TriageRule.model_validate(raw)
            except ValidationError as exc:
                for error in exc.errors():
                    self.add(
                        path,
                        _hint(dict(error), TRIAGE_FIELDS),
                        fact_id=rule_id,
                        field=_loc(error["loc"]),
                        line=lines.get(index),
                        item="rule",
                    )
                continue
            if any(r.id == rule.id for r in rules):
                self.add(
                    path, "duplicate rule id", fact_id=rule.id, field="id", line=lines.get(index), item="rule"
                )
                continue
            rules.append(rule)
        self.triage = tuple(rules)

    def check_cross_references(self) -> None:
        for rule in self.triage or ():
            for position, target in enumerate(rule.related):
                if target not in self.files:
                    self.problems.append(
                        Problem(
                            self._triage_file or "triage.yaml",
                            f"no fact has the id {target!r}; fix the id or remove it",
                            fact_id=rule.id,
                            field=f"related[{position + 1}]",
                            item="rule",
                        )
                    )
        aspect_ids = {a.id for a in (self.aspects if self.aspects is not None else bundled_aspects()[0])}
        for fact in self.facts:
            for position, aspect_id in enumerate(fact.aspect):
                if aspect_id not in aspect_ids:
                    self.problems.append(
                        Problem(
                            self.files[fact.id],
                            f"no aspect has the id {aspect_id!r}; use one of: {', '.join(sorted(aspect_ids))}",
                            fact_id=fact.id,
                            field=f"aspect[{position + 1}]",
                        )
                    )
        self.problems.extend(related_problems(self.facts, self.files))


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
    import yaml  # only when a file has problems to report (see _Reader.read_file)

    from myoqa.yamlsafe import compose

    try:
        root = compose(text)  # libyaml: a fact nested 600 levels deep must not hit Python's recursion limit
    except (yaml.YAMLError, RecursionError):
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key_node, value_node in root.value:
        if key_node.value == key and isinstance(value_node, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value_node.value]
    return []
