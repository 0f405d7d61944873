"""XLSForm (.xlsx) → one Kinga form (pack source format) plus the lookups its selects use.

Mapping (docs/xlsform.md): a top-level group is a section; a nested group becomes a section of its own
whose label is prefixed with the outer group's ("Household › Members") and whose relevant includes the
outer one; a repeat is a subform field (groups inside a repeat are flattened into its rows); select
list names become lookups. Everything Kinga cannot express is reported by sheet, row and column and
left out, so what is imported always validates.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from kinga.formengine.expressions import ExpressionSyntaxError, parse, references

from . import mapping as M
from .errors import Issue, XLSFormError
from .languages import language_code, split_column
from .reader import Sheet, read_workbook
from .xpath import Unsupported, to_kinga


@dataclass
class ImportOptions:
    record_type: str | None = None  # default: the settings sheet's kinga_record_type, else "case"
    form_id: str | None = None  # default: the settings sheet's form_id
    prefix: str = ""  # namespace for keys, lookups and the form id (kv → kv_age)
    default_language: str | None = None  # language of plain `label` columns (default: settings, else en)
    existing_keys: set[str] = field(default_factory=set)  # keys the record type already has
    existing_lookups: dict[str, list[str]] = field(default_factory=dict)  # id → option codes
    order: int = 100


@dataclass
class ImportResult:
    form: dict
    lookups: list[dict]
    reused_lookups: list[str]
    languages: list[str]
    default_language: str
    title: str
    issues: list[Issue]

    def as_dict(self) -> dict:
        return {
            "form": self.form,
            "lookups": self.lookups,
            "reused_lookups": self.reused_lookups,
            "languages": self.languages,
            "default_language": self.default_language,
            "issues": [i.as_dict() for i in self.issues],
            "errors": sum(1 for i in self.issues if i.severity == "error"),
            "warnings": sum(1 for i in self.issues if i.severity == "warning"),
        }


@dataclass
class _Frame:
    kind: str  # root | group | repeat | flat_group (a group inside a repeat)
    name: str
    row: int
    label: dict = field(default_factory=dict)
    relevant: list[str] = field(default_factory=list)  # raw XLSForm expressions, outermost first
    section: dict | None = None
    subform: dict | None = None
    used: bool = False


@dataclass
class _Pending:
    """An expression to convert once every key is known (forward references are normal)."""

    target: dict
    attr: str
    parts: list[str]
    row: int
    column: str
    list_name: str | None = None


class Importer:
    def __init__(self, sheets: dict[str, Sheet], issues: list[Issue], opts: ImportOptions):
        self.sheets, self.issues, self.opts = sheets, issues, opts
        self.settings = (
            dict(sheets["settings"].rows[0][1]) if sheets.get("settings") and sheets["settings"].rows else {}
        )
        self.default_language = (
            opts.default_language or language_code(self.settings.get("default_language", "") or "") or "en"
        )
        self.languages: list[str] = [self.default_language]
        self.keys: dict[str, str] = {}  # XLSForm name → Kinga key
        self.external: set[str] = set()
        self.used_keys = set(opts.existing_keys)
        self.pending: list[_Pending] = []
        self.lists_used: dict[str, list[tuple[int, dict]]] = {}
        self.sections: list[dict] = []
        self.section_ids: set[str] = set()
        self.loose: dict | None = None
        self.yes_no_lists: set[str] = set()
        self.fields_by_key: dict[str, tuple[list, dict]] = {}
        self.aliases: dict[str, str] = {}

    def issue(self, sheet, row, column, message, severity="error") -> None:
        self.issues.append(Issue(sheet, row, column, message, severity))

    # -- cells -------------------------------------------------------------------------------------
    def columns(self, sheet: str, row: int, values: dict) -> tuple[dict, dict]:
        """(plain columns, {text column: {lang: text}}); unknown columns and languages reported."""
        plain, texts = {}, {}
        for header, value in values.items():
            base, raw_lang = split_column(header)
            base = M.COLUMN_ALIASES.get(base, base)
            if raw_lang is not None:
                lang = language_code(raw_lang)
                if base in ("media", "image", "audio", "video", "big-image"):
                    self.issue(sheet, row, header, "media (images, audio, video) are not imported", "warning")
                    continue
                if lang is None:
                    self.issue(
                        sheet,
                        row,
                        header,
                        f"the language '{raw_lang}' is not recognised; write it as "
                        "'Name (code)', e.g. label::French (fr)",
                    )
                    continue
                if base in M.TEXT_COLUMNS or (sheet == "choices" and base == "label"):
                    texts.setdefault(base, {})[lang] = value
                    if lang not in self.languages:
                        self.languages.append(lang)
                    continue
                plain[base] = value  # a translated non-text column (rare): use it as plain
                continue
            if base in M.TEXT_COLUMNS:
                texts.setdefault(base, {}).setdefault(self.default_language, value)
            else:
                plain[base] = value
        return plain, texts

    # -- choices -------------------------------------------------------------------------------------
    def read_choices(self) -> dict[str, list[dict]]:
        lists: dict[str, list[dict]] = {}
        sheet = self.sheets.get("choices")
        for row, values in sheet.rows if sheet else []:
            plain, texts = self.columns("choices", row, values)
            list_name = plain.pop("list_name", None)
            name = plain.pop("name", None)
            if not list_name or name is None:
                self.issue(
                    "choices",
                    row,
                    "list_name" if not list_name else "name",
                    "a choice needs both list_name and name; row ignored",
                )
                continue
            code = name if M.CODE_RE.fullmatch(name) else M.make_code(name)
            if code != name:
                self.issue(
                    "choices",
                    row,
                    "name",
                    f"the option code '{name}' was stored as '{code}' (codes use letters, digits, _ . -)",
                    "warning",
                )
            options = lists.setdefault(list_name, [])
            if any(o["code"] == code for o in options):
                self.issue(
                    "choices",
                    row,
                    "name",
                    f"the option '{code}' appears twice in list '{list_name}'; the second is ignored",
                )
                continue
            option: dict[str, Any] = {"code": code, "label": texts.get("label", {})}
            if str(plain.pop("retired", "")).lower() in M.TRUE_WORDS:
                option["retired"] = True
            for col in list(plain):
                if col in ("image", "audio", "video", "media", "big-image"):
                    plain.pop(col)
                    self.issue("choices", row, col, "media are not imported", "warning")
            if plain:
                option["attrs"] = {k: v for k, v in plain.items()}
            option["_row"] = row
            options.append(option)
        return lists

    # -- survey --------------------------------------------------------------------------------------
    def run(self) -> ImportResult:
        choices = self.read_choices()
        self.prescan()
        stack = [_Frame("root", "", 0)]
        for row, values in self.sheets["survey"].rows:
            plain, texts = self.columns("survey", row, values)
            raw_type = (plain.get("type") or "").strip()
            if not raw_type:
                if plain.get("name") or texts:
                    self.issue("survey", row, "type", "the row has no type; ignored")
                continue
            low = " ".join(raw_type.lower().split())
            if low in M.GROUP_BEGIN or low in M.REPEAT_BEGIN:
                self.begin(stack, row, plain, texts, repeat=low in M.REPEAT_BEGIN)
            elif low in M.GROUP_END or low in M.REPEAT_END:
                self.end(stack, row, repeat=low in M.REPEAT_END)
            else:
                self.question(stack, row, low, raw_type, plain, texts)
        while len(stack) > 1:
            frame = stack.pop()
            self.issue(
                "survey", frame.row, "type", f"'{frame.name}' is never closed (end_{frame.kind})", "warning"
            )
        lookups, reused = self.make_lookups(choices)
        self.convert_pending(choices)
        if self.opts.prefix or any(k != n for n, k in self.keys.items()):
            self.rename_refs()
        return self.finish(lookups, reused)

    def prescan(self) -> None:
        """Every question's key first, so expressions may refer to later questions."""
        for _row, values in self.sheets["survey"].rows:
            name = (values.get("name") or "").strip()
            low = " ".join((values.get("type") or "").lower().split())
            if not name or low in M.GROUP_END or low in M.REPEAT_END or low in M.GROUP_BEGIN:
                continue
            if str(values.get("kinga_external", "")).lower() in M.TRUE_WORDS:
                self.external.add(name)
                self.keys.setdefault(name, M.make_id(name))
                continue
            key = M.make_id(name, self.opts.prefix)
            if name not in self.keys:
                self.keys[name] = key

    def key_for(self, name: str) -> str:
        return self.keys.get(name) or M.make_id(name, self.opts.prefix)

    def container(self, stack: list[_Frame]) -> list:
        for frame in reversed(stack):
            if frame.kind == "repeat":
                return frame.subform["fields"]
            if frame.kind == "group":
                frame.used = True
                return frame.section["fields"]
        if self.loose is None:
            self.loose = self.new_section("main", {}, [], 0)
        return self.loose["fields"]

    def new_section(self, name: str, label: dict, relevant: list[str], row: int) -> dict:
        sid = base = M.make_id(name)
        n = 2
        while sid in self.section_ids:
            sid, n = f"{base}_{n}", n + 1
        self.section_ids.add(sid)
        section: dict[str, Any] = {"id": sid}
        if label:
            section["label"] = label
        section["fields"] = []
        if relevant:
            self.pending.append(_Pending(section, "relevant", relevant, row, "relevant"))
        self.sections.append(section)
        return section

    def begin(self, stack, row, plain, texts, repeat: bool) -> None:
        name = (plain.get("name") or "").strip()
        if not name:
            self.issue("survey", row, "name", "a group or repeat needs a name; treated as unnamed")
            name = f"group_{row}"
        label = texts.get("label", {})
        for col in ("appearance", "repeat_count", "read_only", "required"):
            if plain.get(col) and not (col == "appearance" and plain[col] == "field-list"):
                self.issue("survey", row, col, f"'{col}' on a group or repeat is not imported", "warning")
        relevant = [plain["relevant"]] if plain.get("relevant") else []
        in_repeat = any(f.kind in ("repeat", "flat_group") for f in stack)
        if repeat:
            key = self.claim_key(name, row)
            if key is None:
                stack.append(_Frame("flat_group", name, row, relevant=relevant))
                return
            subform: dict[str, Any] = {"key": key, "type": "subform", "label": label, "fields": []}
            self.text_attrs(subform, texts, exclude=("label",))
            if relevant:
                self.pending.append(_Pending(subform, "relevant", relevant, row, "relevant"))
            self.container(stack).append(subform)
            self.fields_by_key[key] = (self.container(stack), subform)
            stack.append(_Frame("repeat", name, row, label, [], subform=subform))
            return
        if in_repeat:
            if label:
                self.issue(
                    "survey",
                    row,
                    "label",
                    "a group inside a repeat is flattened into the repeat's rows; its label is not kept",
                    "warning",
                )
            stack.append(_Frame("flat_group", name, row, relevant=[*self.inherited(stack), *relevant]))
            return
        self.loose = None
        outer = [f for f in stack if f.kind == "group"]
        if outer:  # nested group: its own section, label prefixed with the outer group's
            label = _prefixed(outer[-1].label, label)
            relevant = [*outer[-1].relevant, *relevant]
        section = self.new_section(name, label, relevant, row)
        stack.append(_Frame("group", name, row, label, relevant, section=section))

    def inherited(self, stack: list[_Frame]) -> list[str]:
        """Relevant conditions of the flattened groups around a row inside a repeat."""
        out: list[str] = []
        for frame in stack:
            if frame.kind == "repeat":
                out = []
            elif frame.kind == "flat_group":
                out = [*out, *frame.relevant]
        return out

    def end(self, stack, row, repeat: bool) -> None:
        if len(stack) == 1:
            self.issue("survey", row, "type", "end without a matching begin; ignored")
            return
        frame = stack.pop()
        if repeat != (frame.kind == "repeat") and frame.kind != "flat_group":
            self.issue(
                "survey",
                row,
                "type",
                f"this end does not match 'begin {frame.kind}' of row {frame.row}",
                "warning",
            )
        if frame.kind == "group":
            self.loose = None
            outer = [f for f in stack if f.kind == "group"]
            if outer:  # later fields of the outer group continue in a section of their own
                o = outer[-1]
                o.section = self.new_section(o.name, o.label, o.relevant, row)

    def claim_key(self, name: str, row: int) -> str | None:
        key = self.key_for(name)
        if key in self.used_keys:
            self.issue(
                "survey",
                row,
                "name",
                f"the key '{key}' is already used in this record type; row ignored "
                "(rename it, or import with a prefix)",
            )
            return None
        if M.make_id(name) != name:
            self.issue(
                "survey",
                row,
                "name",
                f"'{name}' was stored as the key '{key}' (keys use lowercase letters, digits and _)",
                "warning",
            )
        self.used_keys.add(key)
        return key

    def rename_refs(self) -> None:
        """${name} inside texts (ODK shows the answer there) follows the key renaming, as expressions do."""
        from .xpath import REF_RE

        def fix(value):
            return {
                k: REF_RE.sub(lambda m: "${" + self.key_for(m.group(1).strip()) + "}", v)
                for k, v in value.items()
            }

        stack = list(self.sections)
        while stack:
            node = stack.pop()
            for attr in ("label", "hint", "guidance", "constraint_message"):
                if isinstance(node.get(attr), dict):
                    node[attr] = fix(node[attr])
            stack += node.get("fields") or []

    def text_attrs(self, target: dict, texts: dict, exclude=()) -> None:
        for col in ("hint", "guidance", "constraint_message"):
            if col in texts and col not in exclude:
                target[col] = texts[col]

    def question(self, stack, row, low, raw_type, plain, texts) -> None:
        name = (plain.get("name") or "").strip()
        if str(plain.get("kinga_external", "")).lower() in M.TRUE_WORDS:
            return  # a field of another form, listed only so pyxform could resolve ${...}
        head, _, rest = low.partition(" ")
        list_name = None
        if low in M.METADATA:
            self.issue(
                "survey",
                row,
                "type",
                f"'{raw_type}' is submission metadata; Kinga records who and when "
                "itself, so it is not imported",
                "warning",
            )
            return
        external = "from_file" in head or "from file" in low or head.endswith("_external")
        for prefix, kinga_type in M.SELECTS.items():  # noqa: B007 (kept after the break)
            if low.startswith(prefix + " ") and not external:
                list_name = raw_type.strip()[len(prefix) + 1 :].strip()
                break
        else:
            kinga_type = None
        if list_name is not None and list_name.lower().endswith(" or_other"):
            list_name = list_name[: -len(" or_other")].strip()
            self.issue(
                "survey",
                row,
                "type",
                "'or_other' is not supported: add an 'other' option and a text "
                "question shown when it is chosen",
                "warning",
            )
        if kinga_type is None:
            unsupported = M.UNSUPPORTED.get(low) or M.UNSUPPORTED.get(head)
            if external and not unsupported:
                unsupported = "options must be in the choices sheet"
            if unsupported:
                self.issue(
                    "survey",
                    row,
                    "type",
                    f"the question type '{raw_type}' is not supported ({unsupported}); row not imported",
                )
                return
            if low not in M.TYPES:
                self.issue("survey", row, "type", f"unknown question type '{raw_type}'; row not imported")
                return
            kinga_type, params = M.TYPES[low]
        else:
            params = {}
        if not name:
            self.issue("survey", row, "name", "a question needs a name; row not imported")
            return
        key = self.claim_key(name, row)
        if key is None:
            return
        f: dict[str, Any] = {"key": key, "type": kinga_type}
        if texts.get("label"):
            f["label"] = texts["label"]
        self.text_attrs(f, texts)
        if params:
            f["params"] = copy.deepcopy(params)
        hint_type = (plain.get("kinga_type") or "").strip()
        appearance = (plain.get("appearance") or "").strip()
        if hint_type in M.KINGA_ONLY_TYPES:
            f["type"] = hint_type
            if hint_type == "yes_no" and list_name:
                self.yes_no_lists.add(list_name)
                list_name = None
        elif kinga_type == "text" and "multiline" in appearance.split():
            f["type"] = "textarea"
        if appearance:
            self.appearance(row, appearance, f["type"])
        if list_name:
            self.lists_used.setdefault(list_name, []).append((row, f))
        self.logic(f, plain, row, stack, list_name)
        if str(plain.get("kinga_hidden", "")).lower() in M.TRUE_WORDS:
            f["hidden"] = True
        for col in plain:
            if col not in M.KNOWN_COLUMNS:
                what = (
                    "is not imported" if col not in ("required_message", "parameters") else "is not supported"
                )
                self.issue("survey", row, col, f"the column '{col}' {what}", "warning")
        container = self.container(stack)
        container.append(f)
        self.fields_by_key[key] = (container, f)

    def appearance(self, row: int, appearance: str, kinga_type: str) -> None:
        if "search(" in appearance:
            self.issue(
                "survey",
                row,
                "appearance",
                "search() looks options up in an external CSV file, which "
                "Kinga does not support; the options of the choices sheet are used instead",
            )
            return
        ignored = [a for a in appearance.split() if not (a == "multiline" and kinga_type == "textarea")]
        if ignored:
            self.issue(
                "survey",
                row,
                "appearance",
                f"the appearance '{' '.join(ignored)}' is not imported (Kinga lays questions out itself)",
                "warning",
            )

    def logic(self, f: dict, plain: dict, row: int, stack: list[_Frame], list_name: str | None) -> None:
        required = (plain.get("required") or "").strip()
        if required and f["type"] not in ("note", "calculated"):
            low = required.lower()
            if low in M.TRUE_WORDS:
                f["required"] = True
            elif low not in M.FALSE_WORDS:
                self.pending.append(_Pending(f, "required", [required], row, "required"))
        read_only = (plain.get("read_only") or "").strip().lower()
        if read_only in M.TRUE_WORDS:
            f["read_only"] = True
        elif read_only and read_only not in M.FALSE_WORDS:
            self.issue(
                "survey", row, "read_only", "read_only as an expression is not supported; ignored", "warning"
            )
        relevant = [*self.inherited(stack), *([plain["relevant"]] if plain.get("relevant") else [])]
        if relevant:
            self.pending.append(_Pending(f, "relevant", relevant, row, "relevant"))
        for col in ("constraint", "calculation", "choice_filter"):
            if plain.get(col):
                if col == "choice_filter" and not list_name:
                    self.issue(
                        "survey",
                        row,
                        col,
                        "choice_filter applies to select questions only; ignored",
                        "warning",
                    )
                    continue
                self.pending.append(_Pending(f, col, [plain[col]], row, col, list_name))
        if f["type"] == "calculated" and not plain.get("calculation"):
            self.issue("survey", row, "calculation", "a calculate row needs a calculation", "warning")
        if plain.get("default"):
            self.default(f, plain["default"], row)

    def default(self, f: dict, value: str, row: int) -> None:
        from pyxform.utils import default_is_dynamic

        xtype = {"datetime": "dateTime"}.get(f["type"], f["type"])
        if default_is_dynamic(value, xtype) or value.strip() in (".",) or "${" in value:
            self.pending.append(_Pending(f, "default", [value], row, "default"))
        elif f["type"] in ("integer", "decimal") and _is_number(value):
            f["default"] = value.strip()
        else:
            from ..logic import quote

            f["default"] = quote(value)

    # -- lookups -------------------------------------------------------------------------------------
    def make_lookups(self, choices: dict[str, list[dict]]) -> tuple[list[dict], list[str]]:
        lookups, reused = [], []
        self.lookup_ids: dict[str, str] = {}
        self.attr_names: dict[str, dict[str, str]] = {}
        for list_name, users in self.lists_used.items():
            options = choices.get(list_name)
            if not options:
                for row, f in users:
                    self.issue(
                        "survey",
                        row,
                        "type",
                        f"the list '{list_name}' has no choices in the choices sheet; "
                        "the question is imported as text",
                    )
                    f["type"] = "text"
                    f.pop("choice_filter", None)
                continue
            lookup_id = M.make_id(list_name, self.opts.prefix)
            codes = [o["code"] for o in options]
            existing = self.opts.existing_lookups.get(lookup_id)
            if existing is not None and existing == codes and not any(o.get("attrs") for o in options):
                reused.append(lookup_id)
            else:
                if existing is not None:
                    new_id = M.make_id(f"{self.form_id()}_{list_name}", self.opts.prefix)
                    self.issue(
                        "choices",
                        options[0]["_row"],
                        "list_name",
                        f"a different lookup '{lookup_id}' already "
                        f"exists; this list was imported as '{new_id}'",
                        "warning",
                    )
                    lookup_id = new_id
                attrs = self.rename_attrs(list_name, options)
                items = []
                for o in options:
                    item = {k: v for k, v in o.items() if k not in ("_row", "attrs")}
                    if o.get("attrs"):
                        item["attrs"] = {attrs[k]: v for k, v in o["attrs"].items()}
                    items.append(item)
                lookup: dict[str, Any] = {"id": lookup_id, "label": {self.default_language: list_name}}
                lookup["options"] = items
                lookups.append(lookup)
            self.lookup_ids[list_name] = lookup_id
            for _row, f in users:
                f["lookup"] = lookup_id
        used = set(self.lists_used) | self.yes_no_lists
        for list_name, options in choices.items():
            if list_name not in used:
                self.issue(
                    "choices",
                    options[0]["_row"],
                    "list_name",
                    f"the list '{list_name}' is not used by any question; not imported",
                    "warning",
                )
        return lookups, reused

    def rename_attrs(self, list_name: str, options: list[dict]) -> dict[str, str]:
        """Choices columns → option attribute names. Pack validation accepts a choice_filter reference
        only when it names a field, and the engine lets an option attribute shadow the field of the same
        key (config_packs/standard/forms/cp_services.yaml uses this): so a column named after a question
        (the usual cascading select: column `province`, question `province`) becomes the attribute of
        that question's key."""
        names = {a for o in options for a in (o.get("attrs") or {})}
        out = {a: self.keys.get(a) or M.make_id(a) for a in sorted(names)}
        self.attr_names[list_name] = out
        return out

    def alias(self, key: str) -> str:
        """A hidden calculated copy of field `key`, read by a choice_filter where `${key}` means the option
        attribute (the alias pattern of cp_services.yaml)."""
        if key in self.aliases:
            return self.aliases[key]
        name, n = f"{key}_selected", 2
        while name in self.used_keys:
            name, n = f"{key}_selected_{n}", n + 1
        self.used_keys.add(name)
        container, f = self.fields_by_key[key]
        copy_field = {
            "key": name,
            "type": "calculated",
            "label": {lang: f"{text} (copy)" for lang, text in (f.get("label") or {}).items()},
            "calculation": "${" + key + "}",
            "read_only": True,
            "hidden": True,
        }
        container.insert(container.index(f) + 1, copy_field)
        self.aliases[key] = name
        return name

    # -- expressions ---------------------------------------------------------------------------------
    def convert_pending(self, choices) -> None:
        known = self.used_keys  # claimed keys and the record type's existing ones, nothing skipped
        for p in self.pending:
            attrs, field = None, self.key_for
            extra: set[str] = set()
            if p.attr == "choice_filter":
                names = self.attr_names.get(p.list_name or "", {})
                extra = set(names.values())
                bad = sorted(a for a, attr in names.items() if attr not in known and _mentions(p.parts, a))
                if bad:
                    self.issue(
                        "survey",
                        p.row,
                        p.column,
                        f"the choice_filter uses the choices column '{bad[0]}', "
                        "which is not the name of a question; Kinga can only filter on columns named "
                        "after a question. The choice_filter was not imported",
                    )
                    continue
                attrs = lambda a, names=names: names.get(a, M.make_id(a))  # noqa: E731

                def field(name, extra=extra):
                    key = self.key_for(name)
                    return self.alias(key) if key in extra and key in self.fields_by_key else key

            try:
                parts = [to_kinga(part, field, attrs) for part in p.parts]
            except Unsupported as exc:
                self.issue("survey", p.row, p.column, f"{exc}; the {p.attr} was not imported")
                continue
            text = parts[0] if len(parts) == 1 else " and ".join(f"({x})" for x in parts)
            try:
                ast = parse(text)
            except ExpressionSyntaxError as exc:
                self.issue(
                    "survey",
                    p.row,
                    p.column,
                    f"not a valid Kinga expression: {exc.message} "
                    f'(column {exc.column} of "{text}"); the {p.attr} was not imported',
                )
                continue
            unknown = sorted(r for r in references(ast) if r not in known and r not in extra)
            if unknown:
                self.issue(
                    "survey",
                    p.row,
                    p.column,
                    f"refers to ${{{unknown[0]}}}, which is not a question of "
                    f"this form or record type; the {p.attr} was not imported",
                )
                continue
            p.target[p.attr] = text

    # -- result --------------------------------------------------------------------------------------
    def form_id(self) -> str:
        raw = (
            self.opts.form_id
            or self.settings.get("form_id")
            or self.settings.get("id_string")
            or "imported_form"
        )
        return M.make_id(raw, self.opts.prefix)

    def finish(self, lookups: list[dict], reused: list[str]) -> ImportResult:
        title = self.settings.get("form_title") or self.settings.get("title") or self.form_id()
        rt = self.opts.record_type or self.settings.get("kinga_record_type") or "case"
        sections = [s for s in self.sections if s["fields"]]
        if not sections:
            raise XLSFormError("The survey sheet has no question Kinga can import.")
        form = {
            "id": self.form_id(),
            "record_type": rt,
            "label": {self.default_language: title},
            "order": self.opts.order,
            "sections": sections,
        }
        rank = {"survey": 0, "choices": 1, "settings": 2}
        issues = sorted(self.issues, key=lambda i: (rank.get(i.sheet, 3), i.row or 0))
        return ImportResult(form, lookups, reused, self.languages, self.default_language, title, issues)


def _prefixed(outer: dict, inner: dict) -> dict:
    out = {}
    for lang in dict.fromkeys([*outer, *inner]):
        a, b = outer.get(lang) or "", inner.get(lang) or ""
        out[lang] = f"{a} › {b}" if a and b else a or b
    return out


def _mentions(parts: list[str], column: str) -> bool:
    return any(re.search(rf"(?<![\w$.{{-]){re.escape(column)}(?![\w.-])", p) for p in parts)


def _is_number(value: str) -> bool:
    try:
        float(value)
        return True
    except ValueError:
        return False


def import_xlsform(data: bytes, options: ImportOptions | None = None) -> ImportResult:
    """Read and map an XLSForm. Raises XLSFormError for a file that cannot be used at all."""
    sheets, issues = read_workbook(data)
    return Importer(sheets, issues, options or ImportOptions()).run()
