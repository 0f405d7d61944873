"""YAML → Python with a line number for every node, safe against hostile input.

PyYAML composes the node graph (linear in the text size, so it cannot blow up); we then build the
Python objects ourselves with a node budget and a depth limit. A "billion laughs" document (aliases
that multiply content) or a self-referencing alias exhausts the budget instead of the memory.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

try:  # libyaml is much faster on big forms; fall back to pure Python when it is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_NODES = 200_000
MAX_DEPTH = 64

Path = tuple
_PLAIN_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


class YamlProblem(Exception):
    def __init__(self, rule: str, line: int | None = None, **params: Any):
        super().__init__(rule)
        self.rule = rule
        self.line = line
        self.params = params


class _Builder:
    def __init__(self) -> None:
        self.lines: dict[Path, int] = {}
        self.budget = MAX_NODES
        self.constructor = yaml.constructor.SafeConstructor()
        self.duplicates: list[tuple[str, int]] = []

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise YamlProblem("yaml_too_complex", detail=f"more than {MAX_NODES} values")
        if depth > MAX_DEPTH:
            raise YamlProblem(
                "yaml_too_complex", node.start_mark.line + 1, detail=f"nested more than {MAX_DEPTH} levels"
            )
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
            raise YamlProblem(
                "yaml_syntax", node.start_mark.line + 1, detail=f"the tag {node.tag} is not allowed"
            )
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            merged: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    value = self.build(value_node, path, depth + 1)
                    for item in value if isinstance(value, list) else [value]:
                        if isinstance(item, dict):
                            for k, v in item.items():
                                merged.setdefault(k, v)
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    raise YamlProblem(
                        "yaml_syntax", key_node.start_mark.line + 1, detail="a mapping key must be plain text"
                    )
                # Keys stay the text written: `no:` or `1:` must not turn into False or 1.
                key = str(key_node.value)
                if key in out:
                    self.duplicates.append((key, key_node.start_mark.line + 1))
                out[key] = self.build(value_node, (*path, key), depth + 1)
            for k, v in merged.items():
                out.setdefault(k, v)
            return out
        raise YamlProblem("yaml_syntax", node.start_mark.line + 1, detail="unsupported YAML node")

    def scalar(self, node: yaml.ScalarNode) -> Any:
        # Dates and binary stay text: the configuration is JSON and dates are compared as ISO text.
        if node.tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"):
            return node.value
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise YamlProblem(
                "yaml_syntax", node.start_mark.line + 1, detail=getattr(exc, "problem", None) or str(exc)
            )
        if isinstance(value, float) and not math.isfinite(value):
            return node.value
        return value


def _check_depth(text: str) -> None:
    """Reject deep nesting from the event stream (a flat state machine) before composing: libyaml's
    composer recurses per level and crashes the interpreter on e.g. 100,000 opening brackets."""
    loader = _Loader(text)
    depth = 0
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlProblem(
                        "yaml_too_complex",
                        event.start_mark.line + 1,
                        detail=f"nested more than {MAX_DEPTH} levels",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # syntax errors are reported with their position by the composer below
    finally:
        loader.dispose()


def load_yaml(text: str) -> tuple[Any, dict[Path, int], list[tuple[str, int]]]:
    """Parse one YAML document. Returns (data, {path: line}, [(duplicate key, line)])."""
    _check_depth(text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = " ".join(x for x in (exc.context, exc.problem) if x) or "syntax error"
        raise YamlProblem("yaml_syntax", mark.line + 1 if mark else None, detail=detail)
    except yaml.YAMLError as exc:
        raise YamlProblem("yaml_syntax", detail=str(exc).splitlines()[0] if str(exc) else "syntax error")
    except RecursionError:
        raise YamlProblem("yaml_too_complex", detail=f"nested more than {MAX_DEPTH} levels")
    finally:
        loader.dispose()
    if node is None:
        return None, {}, []
    builder = _Builder()
    try:
        data = builder.build(node, (), 0)
    except RecursionError:
        raise YamlProblem("yaml_too_complex", detail=f"nested more than {MAX_DEPTH} levels")
    return data, builder.lines, builder.duplicates
