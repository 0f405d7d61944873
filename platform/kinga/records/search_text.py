"""The denormalised free-text of a record, built from each field type's search_text()."""

from __future__ import annotations

from typing import Any

from kinga.formengine.plan import plan_for


def build_search_text(config: Any, record_type: str, data: dict) -> str:
    parts: list[str] = []
    for node in plan_for(config, record_type).nodes:
        value = data.get(node.key)
        if value is None:
            continue
        if node.ftype.is_container:
            for row in value:
                for child in node.children:
                    if row.get(child.key) is not None:
                        parts.append(child.ftype.search_text(row[child.key], child.field))
        else:
            parts.append(node.ftype.search_text(value, node.field))
    return " ".join(p for p in parts if p)
