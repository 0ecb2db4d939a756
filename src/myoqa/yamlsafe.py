"""The YAML loader for knowledge files: PyYAML's safe loader, made strict where it is lenient.

PyYAML's ``SafeLoader`` never runs code, but it still lets through three things that turn a
knowledge file into a wrong or hostile knowledge base, so this loader refuses them:

* **duplicate keys**, which PyYAML resolves by silently keeping the last value (a second
  ``question:`` replaces the first, a second ``synonyms:`` drops the whole table);
* **aliases** (``*name``), which let a few bytes stand for megabytes of text that every later
  step validates and indexes again (a 30 KB file cost 10 s and 640 MB); a knowledge file never
  needs them, and merge keys (``<<``) only work through them;
* **invalid dates and huge integers**, which PyYAML reports as a bare ``ValueError`` without a
  line; here they become ``ConstructorError`` (a ``YAMLError``) pointing at the value.

Every refusal is a ``yaml.YAMLError`` with a ``problem_mark``, so the caller reports it as
``file:line`` like any syntax error.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ~10x faster
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _shown(value: str, limit: int = 40) -> str:
    """A value for an error message: quoted, escaped, and cut so a 5,000-digit number stays short."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


class StrictLoader(_Base):  # type: ignore[valid-type,misc]
    """Safe loader that refuses aliases, merge keys and duplicate keys, and locates bad values."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        # The composer hands back the very same node for every use of an alias, so a node seen
        # twice is an alias (a node inside itself is a recursive alias: refused the same way).
        if node in self.constructed_objects or node in self.recursive_objects:
            raise ConstructorError(
                None,
                None,
                "YAML aliases (*name) are not allowed in knowledge files; write the value out in full",
                node.start_mark,
            )
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            first_line: dict[tuple[str, str], int] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG:
                    raise ConstructorError(
                        None,
                        None,
                        "merge keys (<<) are not allowed in knowledge files; write the fields out",
                        key_node.start_mark,
                    )
                if isinstance(key_node, ScalarNode):
                    key = (key_node.tag, key_node.value)
                    if key in first_line:
                        raise ConstructorError(
                            None,
                            None,
                            f"duplicate key {_shown(key_node.value)} (first set on line {first_line[key]}); "
                            "YAML would silently keep only the last one, so remove or rename one",
                            key_node.start_mark,
                        )
                    first_line[key] = key_node.start_mark.line + 1
        result: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return result

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise ConstructorError(
                None,
                None,
                f"invalid date or time {_shown(str(node.value))} ({exc}); write a real date as YYYY-MM-DD",
                node.start_mark,
            ) from exc

    def construct_yaml_int(self, node: ScalarNode) -> Any:
        try:
            return super().construct_yaml_int(node)
        except (ValueError, OverflowError) as exc:
            raise ConstructorError(
                None,
                None,
                f"number {_shown(str(node.value))} is too long ({len(str(node.value))} characters); "
                "quote it if it is meant as text",
                node.start_mark,
            ) from exc


StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictLoader.construct_yaml_timestamp)
StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_yaml_int)


def load_strict(text: str) -> Any:
    """Parse one YAML document with ``StrictLoader``; raises ``yaml.YAMLError`` on any refusal."""
    return yaml.load(text, Loader=StrictLoader)  # StrictLoader is a SafeLoader: no code runs


def compose(text: str) -> Node | None:
    """The node tree (with line marks) of a document, parsed by libyaml when available."""
    return yaml.compose(text, Loader=_Base)
