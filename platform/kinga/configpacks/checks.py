"""Checks on the merged configuration: references, types, expressions, cycles, roles, workflows...

Runs after merge.Merger, while elements still carry `_src` for line numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from jsonschema import Draft202012Validator

from .merge import Merger

# Record columns that deadlines, KPIs and duplicate rules may name besides form fields.
SYSTEM_FIELDS = {"created_at", "updated_at", "status", "owner", "location", "agency", "short_id", "person_id"}
FIELD_EXPRS = ("relevant", "constraint", "calculation", "default", "choice_filter")


def field_types() -> dict:
    try:
        from kinga.formengine.fieldtypes import registry
    except Exception:  # the registry is another app's; a broken import must not crash validation
        return {}
    return dict(registry.items())


@cache
def _params_validator(schema_json: str) -> Draft202012Validator:
    import json

    return Draft202012Validator(json.loads(schema_json))


def walk_fields(fields: list, parent: str | None = None) -> Iterator[tuple[dict, str | None]]:
    for f in fields:
        yield f, parent
        yield from walk_fields(f["fields"], f["key"])


def iter_fields(cfg: dict) -> Iterator[tuple[dict, dict, dict, str | None]]:
    """(form, section, field, parent subform key) for every field of every form."""
    for form in cfg["forms"].values():
        for section in form["sections"]:
            for f, parent in walk_fields(section["fields"]):
                yield form, section, f, parent


def _compile(m: Merger, holder: dict, attr: str, what: str, src) -> None:
    from .runtime import compile_expr

    value = holder.get(attr)
    if value is None or isinstance(value, bool) or isinstance(value, dict):
        return
    try:
        holder[attr] = compile_expr(value)
    except Exception as exc:  # ExpressionSyntaxError, or anything a half-written parser raises
        m.problem(
            "expression_syntax",
            src,
            attr,
            what=what,
            detail=getattr(exc, "message", str(exc)),
            column=getattr(exc, "column", "?"),
            source=value,
        )
        holder[attr] = None


def compile_all(m: Merger) -> None:
    cfg = m.cfg
    for rt in cfg["record_types"].values():
        _compile(m, rt, "title", f"The title of record type '{rt['id']}'", rt["_src"])
    for form in cfg["forms"].values():
        for section in form["sections"]:
            _compile(m, section, "relevant", f"'relevant' of section '{section['id']}'", section["_src"])
            for f, _p in walk_fields(section["fields"]):
                for attr in (*FIELD_EXPRS, "required"):
                    if isinstance(f.get(attr), str):
                        _compile(m, f, attr, f"'{attr}' of field '{f['key']}'", f["_src"])
                for i, w in enumerate(f["warnings"]):
                    _compile(
                        m,
                        w,
                        "expr",
                        f"Warning '{w['id']}' of field '{f['key']}'",
                        (*f["_src"][:2], (*f["_src"][2], "warnings", i)),
                    )
    for wf in cfg["workflows"].values():
        for d in wf["deadlines"]:
            _compile(m, d, "applies_when", f"'applies_when' of deadline '{d['id']}'", d["_src"])


def _refs(expr: dict | None) -> set[str]:
    if not expr:
        return set()
    try:
        from kinga.formengine.expressions import references
    except ImportError:  # fall back to a plain walk of the AST
        return _walk_refs(expr["ast"])
    return references(expr["ast"])


def _walk_refs(node) -> set[str]:
    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if n.get("op") == "ref":
                out.add(n.get("key"))
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)
    return out


def check_all(m: Merger, migrations: list[dict]) -> dict[str, dict[str, dict]]:
    """Run every check; returns the per-record-type key index {rt: {key: field}}."""
    cfg = m.cfg
    if cfg["default_language"] not in cfg["languages"]:
        m.report.add(
            "default_language",
            pack=m.pack,
            file="pack.yaml",
            lang=cfg["default_language"],
            languages=", ".join(cfg["languages"]),
        )
    keys = _check_fields(m)
    _check_expressions(m, keys)
    _check_cycles(m, keys)
    _check_roles(m, keys)
    _check_workflows(m, keys)
    _check_kpis_and_duplicates(m, keys)
    _check_locations(m)
    _check_migrations(m, keys, migrations)
    return keys


def _check_fields(m: Merger) -> dict[str, dict[str, dict]]:
    cfg = m.cfg
    types = field_types()
    keys: dict[str, dict[str, dict]] = {rt: {} for rt in cfg["record_types"]}
    where: dict[tuple[str, str], str] = {}
    for form in cfg["forms"].values():
        rt = form["record_type"]
        if rt and rt not in cfg["record_types"]:
            m.problem(
                "unknown_record_type", form["_src"], "record_type", what=f"Form '{form['id']}'", name=rt
            )
    for form, _section, f, _parent in iter_fields(cfg):
        rt = form["record_type"]
        if rt not in keys:
            continue
        if f["key"] in keys[rt]:
            m.problem(
                "duplicate_field_key",
                f["_src"],
                "key",
                key=f["key"],
                record_type=rt,
                first=where[(rt, f["key"])],
                second=form["id"],
            )
        else:
            keys[rt][f["key"]] = f
            where[(rt, f["key"])] = form["id"]
        _check_type(m, f, types)
    return keys


def _check_type(m: Merger, f: dict, types: dict) -> None:
    name = f["type"]
    if not name:
        return  # reported by the merge as missing_for_new
    ft = types.get(name)
    if ft is None:
        if types:  # with no types registered at all there is nothing to check against
            m.problem(
                "unknown_field_type",
                f["_src"],
                "type",
                key=f["key"],
                name=name,
                known=", ".join(sorted(types)),
            )
        return
    import json

    validator = _params_validator(json.dumps(ft.params_schema, sort_keys=True))
    errors = sorted(validator.iter_errors(f["params"]), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        m.problem("bad_params", f["_src"], "params", key=f["key"], type=name, detail=errors[0].message)
    has_choices = f["lookup"] is not None or f["options"] is not None
    if ft.uses_options:
        if not has_choices:
            m.problem("select_without_options", f["_src"], "type", key=f["key"], type=name)
        elif f["lookup"] is not None and f["options"] is not None:
            m.problem("options_and_lookup", f["_src"], "options", key=f["key"])
        elif f["lookup"] is not None and f["lookup"] not in m.cfg["lookups"]:
            m.problem("unknown_lookup", f["_src"], "lookup", key=f["key"], name=f["lookup"])
    elif has_choices:
        m.problem("options_not_allowed", f["_src"], "type", key=f["key"], type=name)
    if ft.is_container and not f["fields"]:
        m.problem("subform_without_fields", f["_src"], "type", key=f["key"], type=name)
    if not ft.is_container and f["fields"]:
        m.problem("fields_not_allowed", f["_src"], "fields", key=f["key"], type=name)


def _check_expressions(m: Merger, keys: dict) -> None:
    cfg = m.cfg

    def check(expr, rt, what, src, attr):
        for name in sorted(_refs(expr)):
            if name not in keys.get(rt, {}):
                m.problem("unknown_reference", src, attr, what=what, name=name, record_type=rt)

    for rt in cfg["record_types"].values():
        check(rt["title"], rt["id"], f"The title of record type '{rt['id']}'", rt["_src"], "title")
    for form, _section, f, _p in iter_fields(cfg):
        rt = form["record_type"]
        if rt not in keys:
            continue
        for attr in (*FIELD_EXPRS, "required"):
            if isinstance(f[attr], dict):
                check(f[attr], rt, f"'{attr}' of field '{f['key']}'", f["_src"], attr)
        for w in f["warnings"]:
            check(w["expr"], rt, f"Warning '{w['id']}' of field '{f['key']}'", f["_src"], "warnings")
    for form in cfg["forms"].values():
        for section in form["sections"]:
            check(
                section["relevant"],
                form["record_type"],
                f"'relevant' of section '{section['id']}'",
                section["_src"],
                "relevant",
            )
    for rt, wf in cfg["workflows"].items():
        for d in wf["deadlines"]:
            check(d["applies_when"], rt, f"'applies_when' of deadline '{d['id']}'", d["_src"], "applies_when")


def _check_cycles(m: Merger, keys: dict) -> None:
    for fields in keys.values():
        graph = {
            k: sorted(r for r in _refs(f["calculation"]) if r in fields and fields[r]["calculation"])
            for k, f in fields.items()
            if f["calculation"]
        }
        state: dict[str, int] = {}
        reported: set[frozenset] = set()
        for start in sorted(graph):
            # Iterative DFS: a long chain of calculations must not hit the recursion limit.
            stack = [(start, iter(graph[start]))]
            path = [start]
            state[start] = 1
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    stack.pop()
                    path.pop()
                    state[node] = 2
                elif state.get(child) == 1:
                    cycle = path[path.index(child) :] + [child]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        m.problem(
                            "calculation_cycle", fields[child]["_src"], "calculation", chain=" → ".join(cycle)
                        )
                elif state.get(child) is None:
                    state[child] = 1
                    path.append(child)
                    stack.append((child, iter(graph[child])))


def _check_roles(m: Merger, keys: dict) -> None:
    cfg = m.cfg
    all_keys = {k for fields in keys.values() for k in fields} | set(cfg["archived_fields"])
    for role in cfg["roles"].values():
        what = f"Role '{role['id']}'"
        for rt in role["permissions"]:
            if rt not in cfg["record_types"]:
                m.problem("unknown_record_type", role["_src"], "permissions", what=what, name=rt)
        for form in role["forms"]:
            if form not in cfg["forms"]:
                m.problem("unknown_form", role["_src"], "forms", what=what, name=form)
        for key in role["fields"]:
            if key not in all_keys:
                m.problem("unknown_field_any", role["_src"], "fields", what=what, name=key)


def _check_workflows(m: Merger, keys: dict) -> None:
    cfg = m.cfg
    for rt, wf in cfg["workflows"].items():
        if rt not in cfg["record_types"]:
            m.problem("unknown_record_type", wf["_src"], what="Workflow", name=rt)
            continue
        statuses = {s["id"] for s in wf["statuses"]}
        initial = sum(1 for s in wf["statuses"] if s["initial"])
        if wf["statuses"] and initial != 1:
            m.problem("initial_status", wf["_src"], "statuses", record_type=rt, count=initial)
        for t in wf["transitions"]:
            for name in [*t["from"], t["to"]]:
                if name is not None and name not in statuses:
                    m.problem(
                        "unknown_status", t["_src"], what=f"Transition '{t['id']}'", name=name, record_type=rt
                    )
        for d in wf["deadlines"]:
            if (d["within_hours"] is None) == (d["within_days"] is None):
                m.problem("deadline_window", d["_src"], name=d["id"])
            for attr in ("start", "end"):
                key = d[attr]
                if key and key not in keys[rt] and key not in SYSTEM_FIELDS:
                    m.problem(
                        "unknown_field",
                        d["_src"],
                        attr,
                        what=f"Deadline '{d['id']}' ({attr})",
                        name=key,
                        record_type=rt,
                    )


# Plug-in checkers for definitions whose kinds live above this package (e.g. KPI kinds).
# kind -> callable(definition, config) -> list of sentences; registered in AppConfig.ready().
definition_checkers: dict[str, list] = {"kpis": []}


def register_definition_checker(section: str, checker) -> None:
    definition_checkers.setdefault(section, []).append(checker)


def _check_kpis_and_duplicates(m: Merger, keys: dict) -> None:
    cfg = m.cfg
    # Checkers read the effective shape, where record_types[rt].forms lists the form ids.
    view = {
        **cfg,
        "record_types": {
            rt: {**r, "forms": [fid for fid, f in cfg["forms"].items() if f.get("record_type") == rt]}
            for rt, r in cfg["record_types"].items()
        },
    }
    for kpi in cfg["kpis"].values():
        rt = kpi["record_type"]
        if rt not in cfg["record_types"]:
            m.problem("unknown_record_type", kpi["_src"], "record_type", what=f"KPI '{kpi['id']}'", name=rt)
            continue
        definition = {k: v for k, v in kpi.items() if not k.startswith("_")}
        for checker in definition_checkers["kpis"]:
            for sentence in checker(definition, view):
                m.problem("kpi_invalid", kpi["_src"], detail=sentence)
        for key in kpi["fields"]:
            if key not in keys[rt] and key not in SYSTEM_FIELDS:
                m.problem(
                    "unknown_field",
                    kpi["_src"],
                    "fields",
                    what=f"KPI '{kpi['id']}'",
                    name=key,
                    record_type=rt,
                )
    for rt, rule in cfg["duplicate_rules"].items():
        if rt not in cfg["record_types"]:
            m.problem("unknown_record_type", rule["_src"], what="Duplicate rule", name=rt)
            continue
        for f in rule["fields"]:
            if f["key"] not in keys[rt] and f["key"] not in SYSTEM_FIELDS:
                m.problem(
                    "unknown_field",
                    rule["_src"],
                    "fields",
                    what=f"Duplicate rule for '{rt}'",
                    name=f["key"],
                    record_type=rt,
                )


def _check_locations(m: Merger) -> None:
    locs = m.cfg["locations"]
    levels = {lv["level"] for lv in locs["levels"]}
    by_code = {item["code"]: item for item in locs["items"]}
    for item in locs["items"]:
        src, code, level, parent = item["_src"], item["code"], item["level"], item["parent"]
        if levels and level not in levels:
            m.problem(
                "bad_location_level",
                src,
                code=code,
                level=level,
                detail=f"levels.yaml defines only {sorted(levels)}",
            )
        if parent is None:
            if level != min(levels or {0}):
                m.problem(
                    "bad_location", src, code=code, detail="only top-level locations may have no parent"
                )
            continue
        if parent not in by_code:
            m.problem("unknown_location_parent", src, code=code, parent=parent)
        elif by_code[parent]["level"] != level - 1:
            m.problem(
                "bad_location_level",
                src,
                code=code,
                level=level,
                detail=f"its parent '{parent}' is at level {by_code[parent]['level']}, so it must be at level {by_code[parent]['level'] + 1}",
            )


def _check_migrations(m: Merger, keys: dict, migrations: list[dict]) -> None:
    live = {k: f for fields in keys.values() for k, f in fields.items()}
    for item in migrations:
        src = item["_src"]
        if "archive_field" in item:
            key = item["archive_field"]
            if key in live:
                m.problem(
                    "bad_migration",
                    src,
                    what=f"archive_field '{key}'",
                    detail="the field is still in the forms; remove it from its form first",
                )
        elif "map_options" in item:
            spec = item["map_options"]
            f = live.get(spec["field"])
            if f is None:
                m.problem(
                    "bad_migration",
                    src,
                    what=f"map_options for '{spec['field']}'",
                    detail="there is no such field",
                )
                continue
            options = (
                m.cfg["lookups"].get(f["lookup"] or "", {}).get("options") if f["lookup"] else f["options"]
            )
            codes = {o["code"] for o in options or []}
            for old, new in spec["map"].items():
                if new not in codes:
                    m.problem(
                        "bad_migration",
                        src,
                        what=f"map_options for '{spec['field']}'",
                        detail=f"'{old}' maps to '{new}', which is not an option of the field",
                    )
        elif "retype_field" in item:
            spec = item["retype_field"]
            if spec["field"] not in live:
                m.problem(
                    "bad_migration",
                    src,
                    what=f"retype_field '{spec['field']}'",
                    detail="there is no such field",
                )


def finish(cfg: dict) -> dict:
    """Derive record_types[..].forms and the field index, then drop merge bookkeeping."""
    from .normalize import strip_private

    for rt in cfg["record_types"].values():
        forms = [f for f in cfg["forms"].values() if f["record_type"] == rt["id"]]
        rt["forms"] = [f["id"] for f in sorted(forms, key=lambda f: (f["order"], f["id"]))]
    index: dict[str, dict[str, dict]] = {rt: {} for rt in cfg["record_types"]}
    for form, section, f, parent in iter_fields(cfg):
        if form["record_type"] in index:
            index[form["record_type"]].setdefault(
                f["key"], {"form": form["id"], "section": section["id"], "parent": parent}
            )
    cfg["fields"] = index
    return strip_private(cfg)
