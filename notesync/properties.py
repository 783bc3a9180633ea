"""Front-matter ("properties") read the way Obsidian reads them.

Splitting goes through python-frontmatter with a handler that only accepts `---` on
the very first line. YAML goes through libyaml when present, with YAML-1.2-like
implicit types: `NO`, `yes`, `0123456` and `12:30` stay the strings the user typed,
and dates stay strings until a field asks for a date. Keys keep their source text
(`2024`, `true`, `~`), as in Obsidian, which reads them in JavaScript.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import frontmatter
import yaml

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """SafeLoader with YAML 1.2 core-schema resolvers, minus leading-zero integers."""


_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)

MAX_NODES = 20_000  # more than any real note; an alias bomb expands far past it


class ObsidianYAMLHandler(frontmatter.YAMLHandler):  # type: ignore[name-defined,misc]
    """Front-matter only when line 1 is exactly `---` (trailing blanks allowed)."""

    FM_BOUNDARY = re.compile(r"^---[ \t]*$", re.MULTILINE)

    def load(self, fm: str, **kwargs: object) -> Any:
        return load_yaml(fm).data


_HANDLER = ObsidianYAMLHandler()
_OPENING = re.compile(r"---[ \t]*(?:\n|$)")


@dataclass(frozen=True)
class Split:
    """A note cut into front-matter and body, with the body's first line number."""

    yaml_text: str | None  # None: no front-matter block
    body: str
    body_line: int  # 1-based line of body's first line
    unterminated: bool = False


def split(text: str) -> Split:
    """Cut LF-normalised text into front-matter and body, as Obsidian does."""
    if not _OPENING.match(text):
        return Split(None, text, 1)
    try:
        fm, content = _HANDLER.split(text)
    except ValueError:
        return Split(None, text, 1, unterminated=True)
    # `content` starts with the closing line's newline (or is empty at end of file).
    body_line = text.count("\n", 0, len(text) - len(content)) + 2
    return Split(fm, content[1:] if content.startswith("\n") else content, body_line)


class YamlProblem(Exception):
    """The block is not usable YAML; `line` is 0-based within the block."""

    def __init__(self, line: int, code: str, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.code = code
        self.message = message


@dataclass
class Loaded:
    """Front-matter values, with the line of each key and of each list item."""

    data: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)  # 0-based within the block
    item_lines: dict[str, list[int]] = field(default_factory=dict)
    warnings: list[tuple[int, str, str]] = field(default_factory=list)  # (line, code, message)


def _expanded_size(node: Any, memo: dict[int, int], depth: int = 0) -> int:
    """Node count with aliases expanded, memoised so a bomb is measured, not walked."""
    key = id(node)
    if key in memo:
        return memo[key]
    if depth > 200:
        raise YamlProblem(node.start_mark.line, "yaml-too-complex", "front-matter nested too deeply")
    memo[key] = 1  # cycles count once
    size = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            size += _expanded_size(child, memo, depth + 1)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            size += _expanded_size(k, memo, depth + 1) + _expanded_size(v, memo, depth + 1)
    memo[key] = size
    return size


def load_yaml(text: str) -> Loaded:
    """Parse one front-matter block; raise `YamlProblem` when it is unusable."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line if mark is not None else 0
            problem = exc.problem or exc.context or "invalid YAML"
            raise YamlProblem(line, "yaml-invalid", f"invalid YAML: {problem}") from None
        except yaml.YAMLError as exc:  # a reader error: its text goes on to say where, on a second line
            first = str(exc).splitlines()[0] if str(exc) else "unreadable"
            raise YamlProblem(0, "yaml-invalid", f"invalid YAML: {first}") from None
        out = Loaded()
        if node is None or (isinstance(node, yaml.ScalarNode) and node.value == ""):
            return out
        if not isinstance(node, yaml.MappingNode):
            raise YamlProblem(
                node.start_mark.line, "frontmatter-not-mapping", "front-matter is not a list of properties"
            )
        if "&" in text and "*" in text and _expanded_size(node, {}) > MAX_NODES:
            raise YamlProblem(
                0, "yaml-too-complex", "front-matter expands to too many values (YAML alias bomb?)"
            )
        for knode, vnode in node.value:
            line = knode.start_mark.line
            if not isinstance(knode, yaml.ScalarNode):
                out.warnings.append((line, "key-invalid", "a property name must be plain text"))
                continue
            key = knode.value
            try:
                value = loader.construct_object(vnode, deep=True)
            except RecursionError:
                raise YamlProblem(line, "yaml-too-complex", "front-matter nested too deeply") from None
            except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
                message = getattr(exc, "problem", None) or str(exc).splitlines()[0]
                raise YamlProblem(line, "yaml-invalid", f"invalid YAML: {message}") from None
            if key in out.data:
                out.warnings.append(
                    (line, "key-duplicate", f"property {key!r} appears twice; the earlier value is ignored")
                )
            out.data[key] = value
            out.key_lines[key] = line
            if isinstance(vnode, yaml.SequenceNode):
                out.item_lines[key] = [item.start_mark.line for item in vnode.value]
        return out
    finally:
        loader.dispose()
