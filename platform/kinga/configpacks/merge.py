"""Compile a chain of packs (base first, overlays after) into the effective configuration.

Overlay rules (docs/packs.md "Overlays") are enforced here, where we still know which pack wrote
what. Elements carry a private `_src` = (pack, file, path) so later checks can point at a line;
`finish()` strips it.
"""

from __future__ import annotations

import copy
from typing import Any

from . import normalize as N
from .loader import PackFile, PackSource
from .problems import Report


class Merger:
    def __init__(self, report: Report):
        self.report = report
        self.files: dict[tuple[str, str], PackFile] = {}
        self.migrations: list[dict] = []
        self.cfg: dict[str, Any] = {
            "packs": [],
            "languages": [],
            "default_language": "en",
            "rtl_languages": [],
            "modules": [],
            "record_types": {},
            "forms": {},
            "fields": {},
            "lookups": {},
            "locations": {"levels": [], "items": []},
            "roles": {},
            "workflows": {},
            "kpis": {},
            "duplicate_rules": {},
            "archived_fields": {},
        }

    # -- helpers ---------------------------------------------------------------------------------
    def problem(self, rule: str, src, at: str | int | None = None, /, **params) -> None:
        """Report `rule` at element `src` (and its attribute `at`, for a precise line)."""
        pack, file, path = src
        pf = self.files.get((pack, file))
        full = (*path, at) if at is not None else path
        line = pf.line(full) if pf else None
        self.report.add(rule, pack=pack, file=file, line=line, path=".".join(map(str, full)), **params)

    def add_pack(self, src: PackSource, overlay: bool) -> None:
        meta = src.meta
        self.pack = src.label
        self.overlay = overlay
        self.ns = meta.get("namespace") or ""
        self.lang = meta.get("default_language") or self.cfg["default_language"] or "en"
        for name, pf in src.files.items():
            self.files[(self.pack, name)] = pf
        cfg = self.cfg
        cfg["packs"] = list(
            meta.get("provenance") or [*cfg["packs"], {"id": meta["id"], "version": meta["version"]}]
        )
        for lang in meta.get("languages") or []:
            if lang not in cfg["languages"]:
                cfg["languages"].append(lang)
        if self.lang not in cfg["languages"]:
            cfg["languages"].append(self.lang)
        if meta.get("default_language") or not overlay:
            cfg["default_language"] = self.lang
        for module in meta.get("modules") or []:
            if module not in cfg["modules"]:
                cfg["modules"].append(module)
        if "rtl_languages" in meta:
            cfg["rtl_languages"] = list(meta["rtl_languages"])
        else:
            cfg["rtl_languages"] = [lang for lang in cfg["languages"] if lang.split("-")[0] in N.RTL]
        cfg["archived_fields"].update(copy.deepcopy(meta.get("archived_fields") or {}))
        if overlay and not self.ns:
            self.report.add("namespace_missing", pack=self.pack, file="pack.yaml", line=1)
        for pf in src.of_kind("record_types"):
            self._items(pf, self.record_type)
        for pf in src.of_kind("lookups"):
            self._items(pf, self.lookup)
        for pf in src.of_kind("form"):
            self.form(pf.data, (self.pack, pf.name, ()))
        for pf in src.of_kind("location_levels"):
            self._items(pf, self.level)
        for pf in src.of_kind("locations"):
            self.locations(pf)
        for pf in src.of_kind("roles"):
            self._items(pf, self.role)
        for pf in src.of_kind("workflows"):
            for rt, wf in pf.data.items():
                self.workflow(rt, wf, (self.pack, pf.name, (rt,)))
        for pf in src.of_kind("kpis"):
            self._items(pf, self.kpi)
        for pf in src.of_kind("duplicates"):
            for rt, rule in pf.data.items():
                cfg["duplicate_rules"][rt] = N.duplicate_rule(rule, (self.pack, pf.name, (rt,)))
        for pf in src.of_kind("migrations"):
            for i, item in enumerate(pf.data):
                self.migrations.append({**item, "_src": (self.pack, pf.name, (i,))})

    def _items(self, pf: PackFile, handler) -> None:
        for i, raw in enumerate(pf.data):
            handler(raw, (self.pack, pf.name, (i,)))

    def in_ns(self, name: str) -> bool:
        return not self.overlay or name.startswith(f"{self.ns}_")

    def _existing(self, table: dict, raw: dict, src, what: str) -> dict | None | bool:
        """The element an overlay patches, None for a new one, False for the same id twice in one pack."""
        current = table.get(raw["id"])
        if current is not None and current["_src"][0] == self.pack:
            self.problem("duplicate_id", src, what=what, name=raw["id"], first=current["_src"][1])
            return False
        return current

    # -- record types, lookups, options ----------------------------------------------------------
    def record_type(self, raw: dict, src) -> None:
        current = self._existing(self.cfg["record_types"], raw, src, "Record type")
        if current is False:
            return
        if current is None:
            self.cfg["record_types"][raw["id"]] = N.record_type(raw, self.lang, src)
            return
        for attr in ("module", "id_prefix", "person"):
            if attr in raw and raw[attr] != current[attr]:
                self.problem("cannot_change", src, attr, what=f"Record type '{raw['id']}'", attr=attr)
        current["label"] = N.merge_text(current["label"], raw.get("label"), self.lang)
        if "title" in raw:
            current["title"] = raw["title"]
        current["_src"] = src

    def lookup(self, raw: dict, src) -> None:
        current = self._existing(self.cfg["lookups"], raw, src, "Lookup")
        if current is False:
            return
        if current is None:
            if not self.in_ns(raw["id"]):
                self.problem("not_in_namespace", src, "id", what="Lookup", name=raw["id"], namespace=self.ns)
            lk = N.lookup(raw, self.lang, self.pack, src)
            self.cfg["lookups"][raw["id"]] = lk
            lk["options"] = self.new_options(raw.get("options") or [], src, f"lookup '{raw['id']}'", False)
            return
        if "locked" in raw and bool(raw["locked"]) != current["locked"]:
            self.problem("cannot_change", src, "locked", what=f"Lookup '{raw['id']}'", attr="locked")
        current["label"] = N.merge_text(current["label"], raw.get("label"), self.lang)
        locked_by = current["origin"] if current["locked"] else None
        self.patch_options(current["options"], raw.get("options") or [], src, raw["id"], locked_by)

    def new_options(self, raws: list, src, where: str, namespaced: bool) -> list[dict]:
        out, seen = [], set()
        for i, raw in enumerate(raws):
            if raw["code"] in seen:
                self.problem(
                    "duplicate_option", (*src[:2], (*src[2], "options", i)), code=raw["code"], where=where
                )
                continue
            seen.add(raw["code"])
            if namespaced and not self.in_ns(str(raw["code"])):
                self.problem(
                    "not_in_namespace",
                    src,
                    "options",
                    what="Option code",
                    name=raw["code"],
                    namespace=self.ns,
                )
            if not raw.get("remove"):
                out.append(N.option(raw, self.lang, self.pack))
        return out

    def patch_options(self, options: list[dict], raws: list, src, name: str, locked_by: str | None) -> None:
        by_code = {o["code"]: o for o in options}
        for i, raw in enumerate(raws):
            osrc = (*src[:2], (*src[2], "options", i))
            current = by_code.get(raw["code"])
            if current is None:
                if raw.get("remove"):
                    continue
                if locked_by:
                    self.problem(
                        "locked_lookup_extended", osrc, lookup=name, base=locked_by, code=raw["code"]
                    )
                    continue
                options.extend(self.new_options([raw], src, f"'{name}'", True))
                by_code[raw["code"]] = options[-1]
                continue
            what = f"Option '{raw['code']}' of '{name}'"
            if raw.get("remove"):
                if locked_by:
                    self.problem("locked_removed", osrc, what=what, base=locked_by)
                else:
                    options.remove(current)
                continue
            for attr in ("retired", "attrs"):
                if attr in raw and raw[attr] != current[attr]:
                    if locked_by:
                        self.problem("locked_changed", osrc, attr, what=what, base=locked_by, attr=attr)
                    else:
                        current[attr] = copy.deepcopy(raw[attr])
            current["label"] = N.merge_text(current["label"], raw.get("label"), self.lang)

    # -- forms, sections, fields -------------------------------------------------------------------
    def form(self, raw: dict, src) -> None:
        forms = self.cfg["forms"]
        current = self._existing(forms, raw, src, "Form")
        if current is False:
            return
        if current is None:
            for attr in ("record_type", "label"):
                if not raw.get(attr):
                    self.problem("missing_for_new", src, what=f"Form '{raw['id']}'", attr=attr)
            current = forms[raw["id"]] = N.form(raw, self.lang, self.pack, src)
        else:
            if raw.get("record_type") not in (None, current["record_type"]):
                self.problem(
                    "cannot_change", src, "record_type", what=f"Form '{raw['id']}'", attr="record_type"
                )
            current["label"] = N.merge_text(current["label"], raw.get("label"), self.lang)
            if "order" in raw:
                current["order"] = raw["order"]
        rt = current["record_type"]
        sections = current["sections"]
        for i, sraw in enumerate(raw.get("sections") or []):
            ssrc = (*src[:2], ("sections", i))
            section = next((s for s in sections if s["id"] == sraw["id"]), None)
            if section is None:
                section = N.section(sraw, self.lang, ssrc)
                self._place(sections, section, sraw.get("after"), "id", ssrc, f"form '{raw['id']}'")
            elif section["_src"][0] == self.pack and section["_src"] != ssrc:
                self.problem("duplicate_id", ssrc, what="Section", name=sraw["id"], first=section["_src"][1])
                continue
            else:
                if sraw.get("remove"):
                    locked = [f["key"] for f in section["fields"] if f["locked"]]
                    if locked:
                        what = f"Section '{sraw['id']}' (locked field '{locked[0]}')"
                        self.problem("locked_removed", ssrc, what=what, base=section["fields"][0]["origin"])
                    else:
                        sections.remove(section)
                    continue
                section["label"] = N.merge_text(section["label"], sraw.get("label"), self.lang)
                for attr in ("relevant", "hidden"):
                    if attr in sraw:
                        section[attr] = sraw[attr]
                if "after" in sraw:
                    sections.remove(section)
                    self._place(sections, section, sraw["after"], "id", ssrc, f"form '{raw['id']}'")
            self.fields(rt, raw["id"], section["fields"], sraw.get("fields") or [], ssrc, top=True)

    def _place(self, items: list, item: dict, after, ident: str, src, where: str) -> None:
        if after is None:
            items.append(item)
            return
        for pos, other in enumerate(items):
            if other[ident] == after:
                items.insert(pos + 1, item)
                return
        self.problem("unknown_position", src, "after", after=after, where=where)
        items.append(item)

    def _find(self, rt: str, key: str) -> tuple[dict, list] | None:
        """A top-level field of record type `rt` with its container list."""
        for form in self.cfg["forms"].values():
            if form["record_type"] != rt:
                continue
            for section in form["sections"]:
                for f in section["fields"]:
                    if f["key"] == key:
                        return f, section["fields"]
        return None

    def fields(self, rt, form_id: str, container: list, raws: list, src, top: bool) -> None:
        for i, raw in enumerate(raws):
            fsrc = (*src[:2], (*src[2], "fields", i))
            key = raw["key"]
            found = None
            if self.overlay:
                found = (
                    self._find(rt, key)
                    if top
                    else next(((f, container) for f in container if f["key"] == key), None)
                )
            if found is None:
                self.new_field(rt, form_id, container, raw, fsrc)
                continue
            fld, owner = found
            if self.patch_field(rt, form_id, fld, raw, fsrc) == "removed":
                owner.remove(fld)
                continue
            if owner is not container or "after" in raw:
                owner.remove(fld)
                self._place(container, fld, raw.get("after"), "key", fsrc, "the same section")

    def new_field(self, rt, form_id, container: list, raw: dict, src) -> None:
        if raw.get("remove"):
            return
        if not self.in_ns(raw["key"]):
            self.problem("not_in_namespace", src, "key", what="Field key", name=raw["key"], namespace=self.ns)
        if not raw.get("type"):
            self.problem("missing_for_new", src, what=f"Field '{raw['key']}'", attr="type")
        fld = N.field(raw, self.lang, self.pack, src)
        if raw.get("options"):
            fld["options"] = self.new_options(raw["options"], src, f"field '{raw['key']}'", False)
        self._place(container, fld, raw.get("after"), "key", src, "the same section")
        for j, child in enumerate(raw.get("fields") or []):
            self.new_field(rt, form_id, fld["fields"], child, (*src[:2], (*src[2], "fields", j)))

    def patch_field(self, rt, form_id, fld: dict, raw: dict, src) -> str | None:
        what = f"Field '{fld['key']}'"
        base = fld["origin"]
        if fld["locked"]:
            if raw.get("remove"):
                self.problem("locked_removed", src, what=what, base=base)
                return None
            for attr, value in raw.items():
                if attr in N.LOCKED_PATCHABLE or attr in ("options", "fields"):
                    continue
                if _normal(attr, value) != _normal(attr, fld.get(attr)):
                    self.problem("locked_changed", src, attr, what=what, base=base, attr=attr)
        else:
            if raw.get("remove"):
                return "removed"
            if "locked" in raw and bool(raw["locked"]) != fld["locked"]:
                self.problem("cannot_change", src, "locked", what=what, attr="locked")
            for attr, value in raw.items():
                if attr in ("key", "locked", "origin", "options", "fields", *N.DIRECTIVES):
                    continue
                if attr in N.TEXT_ATTRS_FIELD:
                    continue
                if attr == "warnings":
                    fld[attr] = N.field({"key": fld["key"], "warnings": value}, self.lang, base, src)[
                        "warnings"
                    ]
                else:
                    fld[attr] = copy.deepcopy(value) if value is not None or attr != "required" else False
        for attr in N.TEXT_ATTRS_FIELD:
            if attr in raw:
                fld[attr] = N.merge_text(fld[attr], raw[attr], self.lang)
        if "hidden" in raw:
            fld["hidden"] = bool(raw["hidden"])
        if raw.get("options") is not None:
            if fld["options"] is None:
                if fld["locked"]:
                    self.problem("locked_changed", src, "options", what=what, base=base, attr="options")
                else:
                    fld["options"] = self.new_options(raw["options"], src, what, True)
            else:
                self.patch_options(
                    fld["options"], raw["options"], src, fld["key"], base if fld["locked"] else None
                )
        if raw.get("fields"):
            self.fields(rt, form_id, fld["fields"], raw["fields"], src, top=False)
        fld["_src"] = src
        return None

    # -- locations, roles, workflows, KPIs ---------------------------------------------------------
    def level(self, raw: dict, src) -> None:
        levels = self.cfg["locations"]["levels"]
        current = next((lv for lv in levels if lv["level"] == raw["level"]), None)
        if current is None:
            levels.append(
                {"level": raw["level"], "id": raw["id"], "label": N.text(raw.get("label"), self.lang)}
            )
            levels.sort(key=lambda lv: lv["level"])
        elif raw["id"] != current["id"]:
            self.problem("cannot_change", src, "id", what=f"Location level {raw['level']}", attr="id")
        else:
            current["label"] = N.merge_text(current["label"], raw.get("label"), self.lang)

    def locations(self, pf: PackFile) -> None:
        items = self.cfg["locations"]["items"]
        index = {item["code"]: item for item in items}
        for i, row in enumerate(pf.data):
            src = (self.pack, pf.name, (i,))
            code = row.get("code") or ""
            names = {k[5:]: v for k, v in row.items() if k and k.startswith("name_") and v}
            if row.get("name"):
                names.setdefault(self.lang, row["name"])
            level: Any = row.get("level", "")
            try:
                level = int(level)
            except (TypeError, ValueError):
                self.problem(
                    "bad_location_level", src, code=code, level=level, detail="it must be a whole number"
                )
                continue
            if not code:
                self.problem("bad_location", src, code=f"row {i + 1}", detail="the code column is empty")
                continue
            current = index.get(code)
            if current is not None:
                if current["_src"][0] == self.pack:
                    first = self.files[current["_src"][:2]].line(current["_src"][2])
                    self.problem("duplicate_location", src, code=code, first=first, second=pf.line((i,)))
                elif (current["parent"], current["level"]) != ((row.get("parent") or None), level):
                    self.problem(
                        "bad_location",
                        src,
                        code=code,
                        detail="it exists in the base pack with another parent or level",
                    )
                else:
                    current["name"] = {**current["name"], **names}
                continue
            item = {
                "code": code,
                "parent": row.get("parent") or None,
                "level": level,
                "name": names,
                "_src": src,
            }
            items.append(item)
            index[code] = item

    def role(self, raw: dict, src) -> None:
        if self._existing(self.cfg["roles"], raw, src, "Role") is False:
            return
        self.cfg["roles"][raw["id"]] = N.role(raw, self.lang, src)  # an overlay replaces a role whole

    def kpi(self, raw: dict, src) -> None:
        if self._existing(self.cfg["kpis"], raw, src, "KPI") is False:
            return
        self.cfg["kpis"][raw["id"]] = N.kpi(raw, self.lang, src)

    def workflow(self, rt: str, raw: dict, src) -> None:
        wf = self.cfg["workflows"].setdefault(
            rt, {"status_field": "status", "statuses": [], "transitions": [], "deadlines": [], "_src": src}
        )
        if "status_field" in raw:
            wf["status_field"] = raw["status_field"]
        makers = {"statuses": N.status, "transitions": N.transition, "deadlines": N.deadline}
        for part, make in makers.items():
            items = wf[part]
            for i, item_raw in enumerate(raw.get(part) or []):
                isrc = (*src[:2], (*src[2], part, i))
                current = next((x for x in items if x["id"] == item_raw["id"]), None)
                if current is None:
                    if not item_raw.get("remove"):
                        items.append(make(item_raw, self.lang, isrc))
                    continue
                if current["_src"][0] == self.pack:
                    self.problem(
                        "duplicate_id",
                        isrc,
                        what=part[:-1].title(),
                        name=item_raw["id"],
                        first=current["_src"][1],
                    )
                    continue
                if item_raw.get("remove"):
                    items.remove(current)
                    continue
                patch = make({**_unnormal(current), **item_raw}, self.lang, isrc)
                if part == "deadlines" and ({"within_hours", "within_days"} & set(item_raw)):
                    # A new window replaces the old one rather than adding a second.
                    patch["within_hours"] = item_raw.get("within_hours")
                    patch["within_days"] = item_raw.get("within_days")
                patch["label"] = N.merge_text(current["label"], item_raw.get("label"), self.lang)
                items[items.index(current)] = patch


def _normal(attr: str, value):
    if attr == "required" and value is None:
        return False
    if attr in ("params",) and value is None:
        return {}
    return value


def _unnormal(item: dict) -> dict:
    return {k: v for k, v in item.items() if k not in ("_src", "label")}
