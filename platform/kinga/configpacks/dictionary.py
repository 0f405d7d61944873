"""The data dictionary of a pack: every record type, form, section and field, with labels in every
language, options, flags, conditions in words and which KPIs / duplicate rules / deadlines use it.

    write_data_dictionary(pack_path_or_config, out_dir) -> [out_dir/data_dictionary.html,
                                                            out_dir/data_dictionary.csv]

The HTML is one self-contained printable page (table of contents, inline CSS, no scripts; every value
escaped). The CSV has one row per field and one row per option, for spreadsheets and reviews.
Called by `kinga pack docs PATH OUT`.
"""

from __future__ import annotations

import csv
import html
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kinga.core.errors import KingaError
from kinga.formengine.expressions.parser import BINDING_POWER

HTML_NAME = "data_dictionary.html"
CSV_NAME = "data_dictionary.csv"
RTL_DEFAULT = {"ar", "fa", "he", "ur", "ps", "ckb", "dv", "yi"}

# -- expressions in words -------------------------------------------------------------------------

_COMPARE = {
    "=": "is",
    "!=": "is not",
    "<": "is less than",
    "<=": "is at most",
    ">": "is more than",
    ">=": "is at least",
}
_ARITH = {"+": "plus", "-": "minus", "*": "times", "div": "divided by", "mod": "modulo"}
# Binding strength, from the parser: parenthesise a child that binds more loosely than its parent.
_BP = BINDING_POWER


class ExpressionWords:
    """`field_label(key) -> str` names fields; `option_label(key, code) -> str | None` names options."""

    def __init__(self, field_label: Callable[[str], str], option_label: Callable[[str, str], str | None]):
        self.field_label = field_label
        self.option_label = option_label

    def __call__(self, ast: dict | None) -> str:
        if not ast:
            return ""
        try:
            return self.render(ast, 0)
        except (KeyError, TypeError, AttributeError, RecursionError):
            return ""  # a malformed AST: the caller shows the source text instead

    def _bp(self, node: dict) -> int:
        op = node.get("op")
        if op in ("and", "or"):
            return _BP[op]
        if op == "bin":
            return _BP[node["fn"]]
        return 100

    def _wrap(self, node: dict, parent_bp: int) -> str:
        text = self.render(node, parent_bp)
        return f"({text})" if self._bp(node) < parent_bp else text

    def _literal(self, node: dict, ref: dict | None = None) -> str:
        value = node["value"]
        if isinstance(value, str):
            if ref is not None:
                label = self.option_label(ref["key"], value)
                if label:
                    return f"'{label}'"
            return f"'{value}'"
        return str(value)

    def render(self, node: dict, parent_bp: int = 0) -> str:
        op = node["op"]
        if op == "lit":
            return self._literal(node)
        if op == "ref":
            return self.field_label(node["key"])
        if op == "cur":
            return "this answer"
        if op == "neg":
            return f"minus {self._wrap(node['arg'], 100)}"
        if op in ("and", "or"):
            return f" {op} ".join(self._wrap(a, _BP[op] + 1) for a in node["args"])
        if op == "bin":
            return self._binary(node)
        if op == "call":
            return self._call(node)
        raise KeyError(op)

    def _side(self, node: dict, other: dict, bp: int) -> str:
        # A code compared with a choice field reads as the option's label.
        if node.get("op") == "lit" and other.get("op") == "ref":
            return self._literal(node, other)
        return self._wrap(node, bp)

    def _binary(self, node: dict) -> str:
        fn, left, right = node["fn"], node["left"], node["right"]
        bp = _BP[fn]
        if fn in _COMPARE:
            for a, b in ((left, right), (right, left)):
                if b.get("op") == "lit" and b["value"] == "":
                    return f"{self._wrap(a, bp + 1)} {'is empty' if fn == '=' else 'is not empty' if fn == '!=' else _COMPARE[fn] + ' nothing'}"
            return f"{self._side(left, right, bp + 1)} {_COMPARE[fn]} {self._side(right, left, bp + 1)}"
        return f"{self._wrap(left, bp)} {_ARITH[fn]} {self._wrap(right, bp + 1)}"

    def _call(self, node: dict) -> str:
        fn, args = node["fn"], node["args"]
        a = [self.render(x, 0) for x in args]
        if fn == "selected" and len(args) == 2:
            choice = (
                self._literal(args[1], args[0])
                if args[1].get("op") == "lit" and args[0].get("op") == "ref"
                else a[1]
            )
            return f"{a[0]} includes {choice}"
        simple = {
            "today": "today",
            "now": "now",
            "true": "true",
            "false": "false",
        }
        if fn in simple and not args:
            return simple[fn]
        templates = {
            "not": "not ({0})",
            "count-selected": "the number of choices in {0}",
            "age": "the age in years from {0}",
            "age-months": "the age in months from {0}",
            "count": "the number of {0}",
            "count-non-empty": "the number of answered {0}",
            "sum": "the total of {0}",
            "string-length": "the length of {0}",
            "round": "{0} rounded",
            "int": "the whole number part of {0}",
            "abs": "the absolute value of {0}",
            "lower": "{0} in lower case",
            "upper": "{0} in upper case",
            "number": "{0} as a number",
            "string": "{0} as text",
            "date": "{0} as a date",
        }
        if fn in templates and len(a) == 1:
            return templates[fn].format(*a)
        if fn == "if" and len(a) == 3:
            return f"{a[1]} if {a[0]}, otherwise {a[2]}"
        if fn == "days-between" and len(a) == 2:
            return f"the number of days from {a[0]} to {a[1]}"
        if fn == "add-days" and len(a) == 2:
            return f"{a[0]} plus {a[1]} days"
        if fn == "coalesce":
            return ", or else ".join(a)
        if fn == "concat":
            return " followed by ".join(a)
        verbs = {"contains": "contains", "starts-with": "starts with", "ends-with": "ends with"}
        if fn in verbs and len(a) == 2:
            return f"{a[0]} {verbs[fn]} {a[1]}"
        if fn == "regex" and len(a) == 2:
            return f"{a[0]} matches the pattern {a[1]}"
        if fn in ("max", "min"):
            return f"the {'largest' if fn == 'max' else 'smallest'} of {', '.join(a)}"
        return f"{fn}({', '.join(a)})"


# -- loading --------------------------------------------------------------------------------------


def load_config(source: Any) -> dict:
    """The effective configuration from a dict, an ActiveConfig / ConfigVersion, or a pack path."""
    if isinstance(source, dict):
        if "record_types" not in source:
            raise KingaError(
                "This is not an effective configuration (no record_types).", code="invalid_config"
            )
        return source
    for attr in ("data", "config"):  # ActiveConfig.data, ConfigVersion.config
        value = getattr(source, attr, None)
        if isinstance(value, dict):
            return value
    if isinstance(source, str | Path):
        return _compile_pack(Path(source))
    raise KingaError(f"Cannot read a configuration from {type(source).__name__}.", code="invalid_config")


def _compile_pack(path: Path) -> dict:
    """Compile a pack without applying it. Prefers the loader's own entry point; falls back to
    validate_pack(), whose report carries the effective configuration when the pack is valid."""
    try:
        from kinga.configpacks import apply as apply_module
    except ImportError:
        apply_module = None
    for name in ("compile_pack", "load_effective", "effective_config"):
        fn = getattr(apply_module, name, None)
        if callable(fn):
            result = fn(path)
            config = result if isinstance(result, dict) else getattr(result, "config", None)
            if isinstance(config, dict):
                return config
    from kinga.configpacks.validate import validate_pack

    report = validate_pack(path)
    if report.config is None:
        problems = "; ".join(getattr(p, "message", str(p)) for p in report.errors[:10])
        raise KingaError(f"The pack at {path} is not valid: {problems}", code="invalid_pack")
    return report.config


# -- the model ------------------------------------------------------------------------------------


def _ast(expr: Any) -> dict | None:
    if isinstance(expr, dict):
        if "ast" in expr:
            return expr["ast"]
        return expr if "op" in expr else None
    if isinstance(expr, str) and expr.strip():
        from kinga.formengine.expressions import parse

        try:
            return parse(expr)
        except Exception:  # shown as source text; validation reports syntax errors
            return None
    return None


def _src(expr: Any) -> str:
    if isinstance(expr, dict):
        return expr.get("src") or ""
    return expr if isinstance(expr, str) else ""


def _refs(expr: Any) -> set[str]:
    ast = _ast(expr)
    if ast is None:
        return set()
    from kinga.formengine.expressions import references

    return references(ast)


@dataclass
class FieldEntry:
    record_type: str
    form: dict
    section: dict
    field: dict
    parent: str | None
    depth: int
    rules: list[tuple[str, str, str]] = field(default_factory=list)  # (what, in words, source)
    used_by: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def key(self) -> str:
        return self.field["key"]


class Dictionary:
    """Everything the HTML and CSV writers print, computed once from the effective configuration."""

    def __init__(self, config: dict):
        self.config = config
        self.languages: list[str] = config.get("languages") or [config.get("default_language", "en")]
        self.rtl = set(config.get("rtl_languages") or []) or RTL_DEFAULT
        self.entries: dict[str, list[FieldEntry]] = {}
        for record_type in config.get("record_types") or {}:
            self.entries[record_type] = list(self._walk(record_type))
        self._describe()
        self._usage()

    # text
    def text(self, value: Any, lang: str | None = None) -> str:
        if value is None:
            return ""
        if not isinstance(value, dict):
            return str(value)
        for candidate in (lang, self.config.get("default_language"), "en"):
            if candidate and value.get(candidate):
                return value[candidate]
        return next((v for v in value.values() if v), "")

    def options(self, fld: dict) -> list[dict]:
        if fld.get("lookup"):
            return (self.config.get("lookups", {}).get(fld["lookup"]) or {}).get("options") or []
        return fld.get("options") or []

    def _walk(self, record_type: str):
        forms = self.config.get("forms") or {}
        for form_id in self.config["record_types"][record_type].get("forms") or []:
            form = forms.get(form_id)
            if not form:
                continue
            for section in form.get("sections") or []:
                stack = [(f, None, 0) for f in reversed(section.get("fields") or [])]
                while stack:
                    fld, parent, depth = stack.pop()
                    yield FieldEntry(record_type, form, section, fld, parent, depth)
                    stack.extend((c, fld["key"], depth + 1) for c in reversed(fld.get("fields") or []))

    def words_for(self, record_type: str) -> ExpressionWords:
        by_key = {e.key: e.field for e in self.entries.get(record_type, [])}

        def field_label(key: str) -> str:
            fld = by_key.get(key)
            return self.text(fld.get("label")) or key if fld else key

        def option_label(key: str, code: str) -> str | None:
            fld = by_key.get(key)
            if not fld:
                return None
            if fld.get("type") == "yes_no":
                return {"yes": "Yes", "no": "No", "unknown": "Unknown"}.get(code)
            option = next((o for o in self.options(fld) if o.get("code") == code), None)
            return self.text(option.get("label")) or code if option else None

        return ExpressionWords(field_label, option_label)

    def _describe(self) -> None:
        for record_type, entries in self.entries.items():
            words = self.words_for(record_type)
            for e in entries:
                f = e.field
                if isinstance(f.get("required"), dict | str) and f.get("required") not in ("", None):
                    e.rules.append(
                        (
                            "Required",
                            "required when " + (words(_ast(f["required"])) or _src(f["required"])),
                            _src(f["required"]),
                        )
                    )
                elif f.get("required") is True:
                    e.rules.append(("Required", "always required", ""))
                for attr, phrase in (
                    ("relevant", "shown when "),
                    ("calculation", "computed as "),
                    ("default", "defaults to "),
                    ("constraint", "must satisfy: "),
                    ("choice_filter", "options limited to those where "),
                ):
                    if f.get(attr):
                        e.rules.append(
                            (attr, phrase + (words(_ast(f[attr])) or _src(f[attr])), _src(f[attr]))
                        )
                if f.get("constraint") and f.get("constraint_message"):
                    e.rules.append(
                        ("constraint_message", "message: " + self.text(f["constraint_message"]), "")
                    )
                for w in f.get("warnings") or []:
                    said = words(_ast(w.get("expr"))) or _src(w.get("expr"))
                    e.rules.append(
                        ("warning", f"warns when {said}: {self.text(w.get('message'))}", _src(w.get("expr")))
                    )
                if e.section.get("relevant") and e.depth == 0:
                    sr = e.section["relevant"]
                    e.rules.append(
                        ("section", "its section is shown when " + (words(_ast(sr)) or _src(sr)), _src(sr))
                    )

    def _usage(self) -> None:
        index = {rt: {e.key: e for e in entries} for rt, entries in self.entries.items()}
        for kpi_id, kpi in sorted((self.config.get("kpis") or {}).items()):
            fields = index.get(kpi.get("record_type"), {})
            keys = set(kpi.get("fields") or [])
            for value in (kpi.get("params") or {}).values():
                if isinstance(value, str) and value in fields:
                    keys.add(value)
                keys |= (
                    _refs(value) if isinstance(value, dict) and ("ast" in value or "src" in value) else set()
                )
            for spec in kpi.get("breakdowns") or []:
                if isinstance(spec, str):
                    keys.add(spec)
                elif isinstance(spec, dict):
                    inner = spec.get("age_group") or {}
                    keys |= {inner.get("field"), spec.get("month")}
            for key in keys:
                if key in fields:
                    fields[key].used_by["KPIs"].append(kpi_id)
        for record_type, rule in (self.config.get("duplicate_rules") or {}).items():
            for item in rule.get("fields") or []:
                entry = index.get(record_type, {}).get(item.get("key"))
                if entry:
                    entry.used_by["duplicate detection"].append(
                        f"{item.get('method', 'exact')} ×{item.get('weight', 1)}"
                    )
        for record_type, wf in (self.config.get("workflows") or {}).items():
            for d in (wf or {}).get("deadlines") or []:
                keys = {d.get("start"), d.get("end")} | _refs(d.get("applies_when"))
                for key in keys:
                    entry = index.get(record_type, {}).get(key)
                    if entry:
                        entry.used_by["deadlines"].append(d["id"])
        for record_type, entries in self.entries.items():
            for e in entries:
                refs: set[str] = set()
                for attr in ("relevant", "required", "calculation", "default", "constraint", "choice_filter"):
                    if isinstance(e.field.get(attr), dict | str):
                        refs |= _refs(e.field[attr])
                for key in refs - {e.key}:
                    target = index[record_type].get(key)
                    if target:
                        target.used_by["other fields' rules"].append(e.key)
        for entries in self.entries.values():
            for e in entries:
                for k in e.used_by:
                    e.used_by[k] = sorted(set(e.used_by[k]))


# -- HTML -----------------------------------------------------------------------------------------

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:2rem;color:#1a1a1a}
h1{font-size:1.6rem}h2{margin-block-start:2.5rem;border-block-end:2px solid #333}h3{margin-block-start:1.8rem}
nav ol{padding-inline-start:1.2rem}table{border-collapse:collapse;width:100%;margin-block:.5rem 1.5rem}
th,td{border:1px solid #bbb;padding:.3rem .45rem;vertical-align:top;text-align:start}
th{background:#eee}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}
.lang{color:#666;font-size:.8em;margin-inline-end:.3em}.flag{display:inline-block;border:1px solid #777;
border-radius:3px;padding:0 .3em;margin:.1em;font-size:.8em}.locked{background:#fff3cd;border-color:#b58900}
.hidden{background:#eee}.sub{padding-inline-start:1.6rem}.src{color:#555;font-size:.85em}
.meta{color:#555}ul.opts{margin:0;padding-inline-start:1.1rem}
@media print{body{margin:0;font-size:10pt}nav{page-break-after:always}h2{page-break-before:always}
tr{page-break-inside:avoid}a{color:inherit;text-decoration:none}}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


class _HtmlWriter:
    def __init__(self, d: Dictionary):
        self.d = d
        self.out: list[str] = []

    def w(self, *parts: str) -> None:
        self.out.extend(parts)

    def texts(self, value: Any) -> str:
        """Every language of a translatable text, each tagged with its language and direction."""
        if value in (None, "", {}):
            return ""
        if not isinstance(value, dict):
            return _e(value)
        parts = []
        for lang in self.d.languages:
            if value.get(lang):
                rtl = ' dir="rtl"' if lang in self.d.rtl else ""
                parts.append(
                    f'<div lang="{_e(lang)}"{rtl}><span class="lang">{_e(lang)}</span>{_e(value[lang])}</div>'
                )
        return "".join(parts)

    def render(self) -> str:
        d, cfg = self.d, self.d.config
        packs = (
            ", ".join(f"{p.get('id')} {p.get('version')}" for p in cfg.get("packs") or []) or "configuration"
        )
        self.w(
            "<!DOCTYPE html>\n",
            f'<html lang="{_e(cfg.get("default_language", "en"))}"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>Data dictionary: {_e(packs)}</title><style>{_CSS}</style></head><body>",
            f'<h1>Data dictionary</h1><p class="meta">{_e(packs)} · languages: {_e(", ".join(d.languages))}'
            f" · generated {_e(datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC'))}</p>",
        )
        self.toc()
        for record_type, rt in (cfg.get("record_types") or {}).items():
            self.record_type(record_type, rt)
        self.archived()
        self.w("</body></html>\n")
        return "".join(self.out)

    def toc(self) -> None:
        cfg = self.d.config
        self.w('<nav><h2 style="page-break-before:auto">Contents</h2><ol>')
        for record_type, rt in (cfg.get("record_types") or {}).items():
            self.w(
                f'<li><a href="#rt-{_e(record_type)}">{_e(self.d.text(rt.get("label")) or record_type)}</a> <code>{_e(record_type)}</code><ol>'
            )
            for form_id in rt.get("forms") or []:
                form = (cfg.get("forms") or {}).get(form_id) or {}
                self.w(
                    f'<li><a href="#form-{_e(form_id)}">{_e(self.d.text(form.get("label")) or form_id)}</a><ol>'
                )
                for section in form.get("sections") or []:
                    anchor = f"sec-{form_id}-{section['id']}"
                    self.w(
                        f'<li><a href="#{_e(anchor)}">{_e(self.d.text(section.get("label")) or section["id"])}</a></li>'
                    )
                self.w("</ol></li>")
            self.w("</ol></li>")
        if self.d.config.get("archived_fields"):
            self.w('<li><a href="#archived">Archived fields</a></li>')
        self.w("</ol></nav>")

    def record_type(self, record_type: str, rt: dict) -> None:
        self.w(
            f'<h2 id="rt-{_e(record_type)}">{_e(self.d.text(rt.get("label")) or record_type)} <code>{_e(record_type)}</code></h2>',
            f'<p>{self.texts(rt.get("label"))}</p><p class="meta">module: {_e(rt.get("module"))} · id prefix: '
            f"{_e(rt.get('id_prefix'))} · describes a person: {'yes' if rt.get('person') else 'no'}</p>",
        )
        entries = self.d.entries.get(record_type, [])
        for form_id in rt.get("forms") or []:
            form = (self.d.config.get("forms") or {}).get(form_id)
            if not form:
                continue
            self.w(
                f'<h3 id="form-{_e(form_id)}">Form: {_e(self.d.text(form.get("label")) or form_id)} <code>{_e(form_id)}</code></h3>'
            )
            for section in form.get("sections") or []:
                anchor = f"sec-{form_id}-{section['id']}"
                flags = ' <span class="flag hidden">hidden</span>' if section.get("hidden") else ""
                self.w(
                    f'<h4 id="{_e(anchor)}">Section: {_e(self.d.text(section.get("label")) or section["id"])} <code>{_e(section["id"])}</code>{flags}</h4>'
                )
                if section.get("relevant"):
                    said = self.d.words_for(record_type)(_ast(section["relevant"])) or _src(
                        section["relevant"]
                    )
                    self.w(
                        f'<p>Shown when {_e(said)} <span class="src"><code>{_e(_src(section["relevant"]))}</code></span></p>'
                    )
                rows = [e for e in entries if e.form is form and e.section is section]
                self.table(rows)

    def table(self, rows: list[FieldEntry]) -> None:
        self.w(
            "<table><thead><tr><th>Key</th><th>Type</th><th>Label</th><th>Hint / guidance</th>"
            "<th>Options</th><th>Rules (in words)</th><th>Flags</th><th>Used by</th></tr></thead><tbody>"
        )
        for e in rows:
            f = e.field
            key = f"{_e(e.parent)} › " if e.parent else ""
            self.w(
                f'<tr id="field-{_e(e.record_type)}-{_e(e.key)}"><td class="{"sub" if e.depth else ""}">{key}<code>{_e(e.key)}</code></td>',
                f"<td>{_e(f.get('type'))}{'<br><span class=src>lookup: ' + _e(f['lookup']) + '</span>' if f.get('lookup') else ''}</td>",
                f"<td>{self.texts(f.get('label'))}</td><td>{self.texts(f.get('hint'))}{self.texts(f.get('guidance'))}</td>",
                f"<td>{self.options(f)}</td><td>{self.rules(e)}</td><td>{self.flags(f)}</td><td>{self.used_by(e)}</td></tr>",
            )
        self.w("</tbody></table>")

    def options(self, f: dict) -> str:
        opts = self.d.options(f)
        if not opts:
            return ""
        items = []
        for o in opts:
            retired = ' <span class="flag">retired</span>' if o.get("retired") else ""
            labels = " / ".join(
                f'<span lang="{_e(lang)}"{" dir=rtl" if lang in self.d.rtl else ""}>{_e(o["label"][lang])}</span>'
                for lang in self.d.languages
                if isinstance(o.get("label"), dict) and o["label"].get(lang)
            ) or _e(self.d.text(o.get("label")))
            items.append(f"<li><code>{_e(o.get('code'))}</code> {labels}{retired}</li>")
        return f'<ul class="opts">{"".join(items)}</ul>'

    def rules(self, e: FieldEntry) -> str:
        return "".join(
            f"<div>{_e(said[:1].upper() + said[1:])}"
            + (f' <span class="src"><code>{_e(src)}</code></span>' if src else "")
            + "</div>"
            for _what, said, src in e.rules
        )

    def flags(self, f: dict) -> str:
        names = [
            ("locked", "locked", "🔒 locked (standard field)"),
            ("hidden", "hidden", "hidden"),
            ("read_only", "", "read-only"),
            ("indexed", "", "indexed"),
            ("keep_when_irrelevant", "", "kept when not shown"),
        ]
        out = [f'<span class="flag {cls}">{_e(text)}</span>' for attr, cls, text in names if f.get(attr)]
        if f.get("origin"):
            out.append(f'<div class="src">from {_e(f["origin"])}</div>')
        return "".join(out)

    def used_by(self, e: FieldEntry) -> str:
        return "".join(
            f"<div><b>{_e(kind)}:</b> {_e(', '.join(items))}</div>"
            for kind, items in sorted(e.used_by.items())
            if items
        )

    def archived(self) -> None:
        archived = self.d.config.get("archived_fields") or {}
        if not archived:
            return
        self.w(
            '<h2 id="archived">Archived fields</h2><p>Removed from forms; their data is kept on records and exportable.</p>'
        )
        self.w(
            "<table><thead><tr><th>Key</th><th>Type</th><th>Label</th><th>Archived in</th></tr></thead><tbody>"
        )
        for key, info in sorted(archived.items()):
            self.w(
                f"<tr><td><code>{_e(key)}</code></td><td>{_e(info.get('type'))}</td>"
                f"<td>{self.texts(info.get('label'))}</td><td>{_e(info.get('archived_in'))}</td></tr>"
            )
        self.w("</tbody></table>")


# -- CSV ------------------------------------------------------------------------------------------


def _csv_rows(d: Dictionary) -> tuple[list[str], list[list[str]]]:
    langs = d.languages
    header = [
        "record_type", "form", "section", "field_key", "parent_field", "row_kind", "type", "lookup",
        "option_code", *[f"label_{lang}" for lang in langs], *[f"hint_{lang}" for lang in langs],
        "required", "locked", "hidden", "read_only", "indexed", "retired", "rules_in_words", "expressions",
        "used_by_kpis", "used_by_duplicates", "used_by_deadlines", "origin",
    ]  # fmt: skip

    def lang_values(value: Any) -> list[str]:
        if isinstance(value, dict):
            return [value.get(lang, "") for lang in langs]
        return [value or ""] + [""] * (len(langs) - 1)

    def yes(v: Any) -> str:
        return "yes" if v is True else ("" if not v else "conditional")

    rows = []
    for record_type, entries in d.entries.items():
        for e in entries:
            f = e.field
            base = [record_type, e.form["id"], e.section["id"], e.key, e.parent or ""]
            rows.append(
                [
                    *base, "field", f.get("type", ""), f.get("lookup") or "", "",
                    *lang_values(f.get("label")), *lang_values(f.get("hint")),
                    yes(f.get("required")), yes(f.get("locked")), yes(f.get("hidden")), yes(f.get("read_only")),
                    yes(f.get("indexed")), "",
                    "; ".join(said for _w, said, _s in e.rules),
                    "; ".join(f"{w}: {s}" for w, _said, s in e.rules if s),
                    ", ".join(e.used_by.get("KPIs", [])), ", ".join(e.used_by.get("duplicate detection", [])),
                    ", ".join(e.used_by.get("deadlines", [])), f.get("origin") or "",
                ]
            )  # fmt: skip
            for o in d.options(f):
                rows.append(
                    [
                        *base, "option", f.get("type", ""), f.get("lookup") or "", o.get("code", ""),
                        *lang_values(o.get("label")), *[""] * len(langs),
                        "", yes(f.get("locked")), "", "", "", yes(o.get("retired")), "", "", "", "", "",
                        o.get("origin") or "",
                    ]
                )  # fmt: skip
    return header, rows


# -- entry point ----------------------------------------------------------------------------------


def write_data_dictionary(pack_path_or_config: Any, out_dir: str | Path) -> list[Path]:
    """Write data_dictionary.html and data_dictionary.csv into `out_dir` (created if missing).

    `pack_path_or_config`: a pack folder/zip path (compiled, not applied), an effective-configuration
    dict, or an ActiveConfig. Returns the written paths."""
    config = load_config(pack_path_or_config)
    d = Dictionary(config)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_path, csv_path = out / HTML_NAME, out / CSV_NAME
    html_path.write_text(_HtmlWriter(d).render(), encoding="utf-8")
    header, rows = _csv_rows(d)
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return [html_path, csv_path]


__all__ = ["Dictionary", "ExpressionWords", "load_config", "write_data_dictionary"]
