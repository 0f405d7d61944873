"""One form of an effective configuration → an .xlsx XLSForm that pyxform converts.

Sections become top-level groups, subforms repeats, lookups choices lists (inline options too, under
the field's key). Kinga-only details that XLSForm cannot say but a re-import needs are written in
extra columns pyxform ignores: `kinga_type` (yes_no, textarea, location, section), `kinga_hidden`, and
`kinga_external` rows: fields of other forms the expressions refer to, listed as calculate rows so
pyxform can resolve ${...}; a re-import skips them. What is not exported at all is reported.
"""

from __future__ import annotations

import io
from typing import Any

from kinga.core.errors import NotFound
from kinga.formengine.expressions import references

from .errors import Issue, XLSFormError
from .languages import column, display
from .mapping import KEY_RE
from .xpath import REF_RE, choice_filter_to_xlsform

YES_NO = [("yes", {"en": "Yes", "fr": "Oui", "ar": "نعم"}), ("no", {"en": "No", "fr": "Non", "ar": "لا"})]
UNKNOWN = ("unknown", {"en": "Unknown", "fr": "Inconnu", "ar": "غير معروف"})
ATTACHMENT = {("image/*",): "image", ("audio/*",): "audio", ("video/*",): "video"}


def _src(expr: Any) -> str:
    if isinstance(expr, dict):
        return expr.get("src") or ""
    return "" if expr is None else str(expr)


class Exporter:
    def __init__(self, config: dict, form_id: str):
        if form_id not in config.get("forms", {}):
            raise NotFound(f"There is no form '{form_id}' in this configuration.")
        self.cfg = config
        self.form = config["forms"][form_id]
        self.langs = list(config.get("languages") or ["en"])
        self.default = config.get("default_language", "en")
        self.issues: list[Issue] = []
        self.survey: list[dict] = []
        self.choices: list[dict] = []
        self.lists: dict[str, str] = {}  # list name → what it came from (avoid writing twice)
        self.keys: set[str] = set()
        self.refs: set[str] = set()

    def note(self, where: str, message: str, severity: str = "warning") -> None:
        self.issues.append(Issue("survey", None, where, message, severity))

    # -- survey ------------------------------------------------------------------------------------
    def run(self) -> bytes:
        field_keys = {f["key"] for s in self.form["sections"] for f in _walk(s["fields"])}
        for section in self.form["sections"]:
            name = section["id"]
            if name in field_keys:
                name = f"{name}_group"
                self.note(
                    section["id"], f"section '{section['id']}' has a field's name; exported as group '{name}'"
                )
            row = {"type": "begin_group", "name": name, **self.texts({"label": section["label"]})}
            self.expr(row, "relevant", section["relevant"])
            if section.get("hidden"):
                row["kinga_hidden"] = "yes"
            self.survey.append(row)
            for f in section["fields"]:
                self.field(f)
            self.survey.append({"type": "end_group"})
        self.externals()
        return self.workbook()

    def field(self, f: dict) -> None:
        self.keys.add(f["key"])
        ftype = f["type"]
        row: dict[str, Any] = {"name": f["key"]}
        if ftype == "subform":
            row["type"] = "begin_repeat"
            row.update(self.texts({"label": f["label"], "hint": f["hint"], "guidance": f["guidance"]}))
            self.expr(row, "relevant", f["relevant"])
            if f.get("params"):
                self.note(f["key"], "min_rows/max_rows of a subform are not exported")
            self.survey.append(row)
            for child in f["fields"]:
                self.field(child)
            self.survey.append({"type": "end_repeat"})
            return
        row["type"] = self.xtype(f, row)
        texts = {a: f.get(a) for a in ("label", "hint", "guidance", "constraint_message")}
        if not _any(f.get("label")) and row["type"] not in ("calculate",):
            texts["label"] = {self.default: f["key"]}  # pyxform needs a label on every question
        row.update(self.texts(texts))
        if f.get("required") is True:
            row["required"] = "yes"
        else:
            self.expr(row, "required", f.get("required"))
        for attr in ("relevant", "constraint", "calculation"):
            self.expr(row, attr, f.get(attr))
        if row["type"] == "calculate" and not row.get("calculation"):
            row["calculation"] = "''"
        self.put_default(row, f.get("default"))
        if f.get("choice_filter"):
            attrs = {a for o in self.options(f) for a in (o.get("attrs") or {})}
            src = _src(f["choice_filter"])
            self.refs |= references(f["choice_filter"]["ast"]) - attrs - {"code"}
            row["choice_filter"] = choice_filter_to_xlsform(src, attrs)
        if f.get("read_only"):
            row["read_only"] = "yes"
        if f.get("hidden"):
            row["kinga_hidden"] = "yes"
        for gone in ("warnings", "copy_from"):
            if f.get(gone):
                self.note(f["key"], f"{gone} are not exported (XLSForm has no equivalent)")
        self.survey.append(row)

    def xtype(self, f: dict, row: dict) -> str:
        ftype = f["type"]
        params = f.get("params") or {}
        if ftype in ("select_one", "select_multiple"):
            return f"{ftype} {self.choice_list(f)}"
        if ftype == "yes_no":
            row["kinga_type"] = "yes_no"
            return f"select_one {self.yes_no_list(params.get('allow_unknown'))}"
        if ftype == "textarea":
            row["appearance"] = "multiline"
            return "text"
        if ftype in ("location", "section"):
            row["kinga_type"] = ftype
            if ftype == "location":
                self.note(
                    f["key"], "a location question is exported as text (XLSForm has no location hierarchy)"
                )
            return "text" if ftype == "location" else "note"
        if ftype == "attachment":
            kind = ATTACHMENT.get(tuple(params.get("content_types") or ()), "file")
            if params.get("max_bytes") or (kind == "file" and params.get("content_types")):
                self.note(f["key"], "attachment limits (max_bytes, content_types) are not exported")
            return kind
        simple = {"datetime": "dateTime", "calculated": "calculate", "tick_box": "acknowledge"}
        if ftype in ("text", "integer", "decimal", "date", "note") or ftype in simple:
            if params and ftype not in ("calculated",):
                self.note(f["key"], f"params of {f['key']} ({', '.join(params)}) are not exported")
            return simple.get(ftype, ftype)
        self.note(f["key"], f"field type '{ftype}' has no XLSForm equivalent; exported as text")
        return "text"

    def texts(self, values: dict) -> dict:
        out = {}
        for attr, value in values.items():
            if not _any(value):
                continue
            value = value if isinstance(value, dict) else {self.default: value}
            for lang in self.langs:
                if value.get(lang):
                    out[column(_xls_attr(attr), lang)] = value[lang]
                    # ${key} in a text is shown by ODK, so pyxform must find the key too.
                    self.refs |= {
                        m.group(1) for m in REF_RE.finditer(value[lang]) if KEY_RE.fullmatch(m.group(1))
                    }
        return out

    def expr(self, row: dict, attr: str, value: Any) -> None:
        src = _src(value)
        if src:
            row[attr] = src
            if isinstance(value, dict) and "ast" in value:
                self.refs |= references(value["ast"])

    def put_default(self, row: dict, value: Any) -> None:
        if not value:
            return
        ast = value.get("ast") if isinstance(value, dict) else None
        if ast and ast["op"] == "lit":
            row["default"] = str(ast["value"])
        else:
            self.expr(row, "default", value)

    # -- choices -----------------------------------------------------------------------------------
    def options(self, f: dict) -> list[dict]:
        if f.get("lookup"):
            return self.cfg["lookups"].get(f["lookup"], {}).get("options", [])
        return f.get("options") or []

    def choice_list(self, f: dict) -> str:
        name = f["lookup"] or f["key"]
        if name not in self.lists:
            self.lists[name] = f["key"]
            for o in self.options(f):
                label = o.get("label") or {}
                row = {
                    "list_name": name,
                    "name": o["code"],
                    **self.texts({"label": label or {self.default: o["code"]}}),
                }
                for attr, value in (o.get("attrs") or {}).items():
                    row[attr] = value if isinstance(value, str) else str(value)
                if o.get("retired"):
                    row["retired"] = "yes"
                self.choices.append(row)
        return name

    def yes_no_list(self, allow_unknown: bool) -> str:
        name = "kinga_yes_no_unknown" if allow_unknown else "kinga_yes_no"
        if name not in self.lists:
            self.lists[name] = name
            for code, label in [*YES_NO, *([UNKNOWN] if allow_unknown else [])]:
                self.choices.append({"list_name": name, "name": code, **self.texts({"label": label})})
        return name

    def externals(self) -> None:
        """Keys other forms own that the expressions read: calculate rows so pyxform resolves them."""
        outside = sorted(self.refs - self.keys)
        if outside:
            self.survey.append(
                {
                    "type": "begin_group",
                    "name": "kinga_external_fields",
                    "relevant": "false()",
                    **self.texts({"label": {self.default: "Fields of other forms"}}),
                }
            )
            for key in outside:
                self.survey.append(
                    {"type": "calculate", "name": key, "calculation": "''", "kinga_external": "yes"}
                )
            self.survey.append({"type": "end_group"})

    # -- workbook ----------------------------------------------------------------------------------
    def workbook(self) -> bytes:
        import openpyxl

        wb = openpyxl.Workbook()
        _sheet(wb.active, "survey", self.survey, ["type", "name"])
        if self.choices:
            _sheet(wb.create_sheet(), "choices", self.choices, ["list_name", "name"])
        settings = {
            "form_id": self.form["id"],
            "form_title": (self.form.get("label") or {}).get(self.default) or self.form["id"],
            "default_language": display(self.default),
            "version": str(self.cfg.get("content_hash", ""))[:10] or "1",
            "kinga_record_type": self.form["record_type"],
        }
        _sheet(wb.create_sheet(), "settings", [settings], list(settings))
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()


def _xls_attr(attr: str) -> str:
    return {"guidance": "guidance_hint"}.get(attr, attr)


def _any(value: Any) -> bool:
    return bool(value) and (not isinstance(value, dict) or any(value.values()))


def _walk(fields):
    for f in fields:
        yield f
        yield from _walk(f.get("fields") or [])


def _sheet(ws, title: str, rows: list[dict], first: list[str]) -> None:
    ws.title = title
    headers = list(first)
    for row in rows:
        for k in row:
            if k not in headers:
                headers.append(k)
    ws.append(headers)
    for row in rows:
        # A leading "=" would make Excel (and openpyxl) treat text as a formula.
        ws.append([_cell(row.get(h)) for h in headers])


def _cell(value):
    if isinstance(value, str) and value.startswith("="):
        return " " + value
    return value


def export_xlsform(config: dict, form_id: str) -> tuple[bytes, list[Issue]]:
    exporter = Exporter(config, form_id)
    data = exporter.run()
    return data, exporter.issues


def pyxform_check(data: bytes) -> list[str]:
    """Convert with pyxform (no ODK Validate): its warnings, or XLSFormError with its error."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    try:
        convert(xlsform=data, warnings=warnings, file_type=".xlsx")
    except (PyXFormError, ValueError, KeyError) as exc:
        raise XLSFormError(f"pyxform cannot convert the exported form: {exc}") from None
    return warnings
