"""A record type's fields compiled for the engine: one node per field, with the order in which values
must be computed so every relevance/calculation/default sees its inputs already final.

Built once per (configuration version, record type) and cached; configuration versions are immutable.
"""

from __future__ import annotations

import heapq
import threading
from dataclasses import dataclass, field
from typing import Any

from kinga.formengine.expressions import references
from kinga.formengine.fieldtypes import FieldType, registry


@dataclass
class Node:
    key: str
    field: dict
    ftype: FieldType
    section_relevant: dict | None  # the section's compiled `relevant` (top-level fields only)
    section_hidden: bool
    parent: str | None  # subform key for row fields
    position: int  # form order
    children: list[Node] = field(default_factory=list)  # subform: row fields in form order
    row_order: list[Node] = field(default_factory=list)  # subform: row fields in computation order

    @property
    def stores(self) -> bool:
        return self.ftype.stores_value


@dataclass
class Plan:
    record_type: str
    nodes: list[Node]  # top-level, form order
    order: list[Node]  # top-level, computation order
    by_key: dict[str, Node]  # every field, row fields included
    parents: dict[str, str]  # row field key -> subform key (the evaluator's row scoping)
    location_levels: dict[str, int]  # location code -> level
    location_parent: dict[str, str | None]


_cache: dict[tuple[int, str, str], Plan] = {}
_lock = threading.Lock()


def plan_for(config: Any, record_type: str) -> Plan:
    key = (config.number, config.version.content_hash, record_type)
    plan = _cache.get(key)
    if plan is None:
        plan = build_plan(config, record_type)
        with _lock:
            if len(_cache) > 64:  # old versions are rarely needed again
                _cache.clear()
            _cache[key] = plan
    return plan


def _ast(expr: Any) -> dict | None:
    return expr.get("ast") if isinstance(expr, dict) else None


def _refs(*exprs: Any) -> set[str]:
    out: set[str] = set()
    for expr in exprs:
        ast = _ast(expr)
        if ast is not None:
            out |= set(references(ast))
    return out


def _node_refs(node: Node) -> set[str]:
    f = node.field
    refs = _refs(f.get("relevant"), f.get("calculation"), f.get("default"))
    refs |= _refs(node.section_relevant)
    if isinstance(f.get("required"), dict):
        refs |= _refs(f["required"])
    return refs


def _make_node(f: dict, section: dict | None, parent: str | None, position: int) -> Node:
    node = Node(
        key=f["key"],
        field=f,
        ftype=registry.get(f["type"]),
        section_relevant=section.get("relevant") if section else None,
        section_hidden=bool(section.get("hidden")) if section else False,
        parent=parent,
        position=position,
    )
    for i, child in enumerate(f.get("fields") or []):
        node.children.append(_make_node(child, None, f["key"], i))
    return node


def toposort(nodes: list[Node], deps: dict[str, set[str]]) -> list[Node]:
    """Kahn's algorithm, ties broken by form order. Cycles are refused when a pack is applied; if one
    slipped through, the remaining fields keep form order rather than failing every save."""
    by_key = {n.key: n for n in nodes}
    pending = {k: {d for d in deps.get(k, ()) if d in by_key and d != k} for k in by_key}
    users: dict[str, list[str]] = {k: [] for k in by_key}
    for k, ds in pending.items():
        for d in ds:
            users[d].append(k)
    ready = [(n.position, n.key) for n in nodes if not pending[n.key]]
    heapq.heapify(ready)
    out: list[Node] = []
    done: set[str] = set()
    while ready:
        _, k = heapq.heappop(ready)
        out.append(by_key[k])
        done.add(k)
        for u in users[k]:
            pending[u].discard(k)
            if not pending[u] and u not in done:
                heapq.heappush(ready, (by_key[u].position, u))
    out.extend(n for n in nodes if n.key not in done)
    return out


def build_plan(config: Any, record_type: str) -> Plan:
    nodes: list[Node] = []
    for position, (_form, section, f) in enumerate(config.iter_fields(record_type)):
        nodes.append(_make_node(f, section, None, position))
    by_key: dict[str, Node] = {}
    parents: dict[str, str] = {}

    def index(node: Node) -> None:
        by_key[node.key] = node
        for child in node.children:
            parents[child.key] = node.key
            index(child)

    for node in nodes:
        index(node)

    def top(key: str) -> str:
        while key in parents:
            key = parents[key]
        return key

    def container_refs(node: Node) -> set[str]:
        refs = _node_refs(node)
        for child in node.children:
            refs |= container_refs(child)
        return refs

    deps = {n.key: {top(r) for r in container_refs(n)} - {n.key} for n in nodes}
    order = toposort(nodes, deps)

    def order_rows(node: Node) -> None:
        siblings = {c.key for c in node.children}
        row_deps = {c.key: (container_refs(c) & siblings) - {c.key} for c in node.children}
        node.row_order = toposort(node.children, row_deps)
        for child in node.children:
            order_rows(child)

    for node in nodes:
        order_rows(node)

    items = (config.data.get("locations") or {}).get("items") or []
    return Plan(
        record_type=record_type,
        nodes=nodes,
        order=order,
        by_key=by_key,
        parents=parents,
        location_levels={i["code"]: i.get("level", 0) for i in items},
        location_parent={i["code"]: i.get("parent") or None for i in items},
    )
