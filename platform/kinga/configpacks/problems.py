"""Validation problems and the catalogue of rule codes.

Every problem a pack can have is one rule code with one sentence template here, so the docs
("Validation rules" in docs/packs.md) and the messages can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kinga.core.errors import KingaError

# rule code -> sentence template (str.format with the problem's params).
RULES: dict[str, str] = {
    # reading files
    "path_missing": "The path '{location}' does not exist.",
    "no_pack_yaml": "'{location}' has no pack.yaml, so it is not a pack. Add pack.yaml with id, name and version.",
    "file_too_large": "The file is {size} bytes; the limit is {limit} bytes. Split it or remove unused data.",
    "pack_too_large": "The pack holds more than {limit} bytes in total. Remove files that are not needed.",
    "binary_file": "The file is not UTF-8 text (it looks binary or uses another encoding). Save it as UTF-8.",
    "empty_file": "The file is empty. Remove it or give it content.",
    "yaml_syntax": "The file is not valid YAML: {detail}.",
    "duplicate_yaml_key": "The key '{key}' appears twice in the same mapping; the second one would silently win.",
    "yaml_too_complex": "The YAML is too large or too deeply nested once expanded ({detail}); "
    "anchors/aliases must not multiply content.",
    "bad_zip": "The .zip file cannot be read: {detail}.",
    "unsafe_zip_entry": "The .zip contains an unsafe entry '{name}' (absolute path, '..' or a link); "
    "re-create the zip from the pack folder.",
    "unknown_file": "Kinga does not know a file called '{name}' in a pack. "
    "Known files: pack.yaml, record_types.yaml, forms/*.yaml, lookups/*.yaml, locations/levels.yaml, "
    "locations/locations.csv, roles.yaml, workflows.yaml, kpis.yaml, duplicates.yaml, migrations.yaml.",
    # JSON Schema
    "schema_required": "{where} is missing '{prop}'.",
    "schema_unknown_key": "{where} has an unknown setting '{prop}'.{hint}",
    "schema_type": "{where} should be {expected}, not {actual}.",
    "schema_enum": "{where} is '{value}', which is not allowed; use one of: {allowed}.",
    "schema_pattern": "{where} is '{value}', which is not valid: {hint}.",
    "schema_invalid": "{where}: {detail}.",
    # inheritance
    "bad_extends": "'extends' must be a pack id followed by a version range, e.g. \"kinga.standard >=1.0,<2\"; "
    "got '{value}'.",
    "bad_version": "'{value}' is not a semantic version like 1.2.0.",
    "bad_version_range": "'{value}' is not a version range Kinga understands "
    "(examples: >=1.0,<2  ^1.2  ~1.2  1.x  1.2.3).",
    "base_not_found": "Cannot find the pack '{id}' with a version matching '{range}' that this pack extends. "
    "Searched: {searched}. Use --base DIR to point at it.",
    "inheritance_cycle": "The packs extend each other in an inheritance cycle: {chain}.",
    "namespace_missing": "This pack extends another one, so pack.yaml needs a 'namespace' (e.g. xc) "
    "for the field keys and option codes it adds.",
    # overlay rules
    "locked_changed": "{what} is locked in {base} and cannot have its {attr} changed by an overlay. "
    "Overlays may only hide, relabel, translate or reorder it.",
    "locked_removed": "{what} is locked in {base} and cannot be removed; hide it instead (hidden: true).",
    "locked_lookup_extended": "Lookup '{lookup}' is locked in {base}: no options may be added to it "
    "('{code}'). Relabelling and translating are allowed.",
    "not_in_namespace": "{what} '{name}' is added by this pack, so it must start with '{namespace}_' "
    "(the pack's namespace) to never clash with a future standard one.",
    "cannot_change": "{what} cannot have its {attr} changed by an overlay.",
    "unknown_position": "'after: {after}' names '{after}', which is not in {where}.",
    "missing_for_new": "{what} is new in this pack, so it needs '{attr}'.",
    # content
    "duplicate_id": "{what} '{name}' is defined twice ({first} and here). Ids must be unique.",
    "duplicate_field_key": "Field key '{key}' is used twice in record type '{record_type}' "
    "(forms {first} and {second}). Keys are unique per record type, including subform rows.",
    "unknown_record_type": "{what} names record type '{name}', which is not defined in record_types.yaml.",
    "unknown_form": "{what} names form '{name}', which does not exist.",
    "unknown_field": "{what} names field '{name}', which does not exist in record type '{record_type}'.",
    "kpi_invalid": "{detail}",
    "unknown_field_any": "{what} names field '{name}', which does not exist in any record type.",
    "unknown_reference": "{what} refers to ${{{name}}}, but there is no field '{name}' in record type "
    "'{record_type}'.",
    "unknown_lookup": "Field '{key}' uses lookup '{name}', which is not defined in lookups/.",
    "unknown_field_type": "Field '{key}' has unknown field type '{name}'. Known types: {known}.",
    "bad_params": "Field '{key}' has invalid params for type '{type}': {detail}.",
    "select_without_options": "Field '{key}' is a {type} field and needs a lookup or options.",
    "options_and_lookup": "Field '{key}' has both a lookup and inline options; keep one.",
    "options_not_allowed": "Field '{key}' is a {type} field, which takes no options or lookup.",
    "subform_without_fields": "Field '{key}' is a {type} (subform) and needs 'fields' for its rows.",
    "fields_not_allowed": "Field '{key}' is a {type} field and cannot contain 'fields'; only subforms can.",
    "duplicate_option": "Option code '{code}' appears twice in {where}.",
    "expression_syntax": '{what} is not a valid expression: {detail} (column {column}) in "{source}".',
    "calculation_cycle": "Calculations depend on each other in a cycle: {chain}. "
    "One of them must not use the other.",
    "bad_location": "Location '{code}': {detail}.",
    "duplicate_location": "Location code '{code}' appears twice in locations.csv (lines {first} and {second}).",
    "unknown_location_parent": "Location '{code}' has parent '{parent}', which is not a location code.",
    "bad_location_level": "Location '{code}' has level '{level}': {detail}.",
    "deadline_window": "Deadline '{name}' must have exactly one of within_hours or within_days.",
    "unknown_status": "{what} names status '{name}', which is not among the statuses of '{record_type}'.",
    "initial_status": "Workflow '{record_type}' must have exactly one initial status (it has {count}).",
    "bad_migration": "Migration {what}: {detail}.",
    "internal_error": "Kinga could not finish checking this pack because of an internal error ({detail}). "
    "Please report it with the pack attached.",
    "default_language": "default_language '{lang}' is not in languages ({languages}).",
}


@dataclass
class Problem:
    rule: str
    message: str
    pack: str = ""
    file: str = ""
    line: int | None = None
    path: str = ""
    severity: str = "error"

    def as_dict(self) -> dict:
        return {
            "pack": self.pack,
            "file": self.file,
            "line": self.line,
            "path": self.path,
            "rule": self.rule,
            "message": self.message,
            "severity": self.severity,
        }

    def __str__(self) -> str:
        where = self.file or self.pack or "pack"
        if self.line:
            where = f"{where}:{self.line}"
        prefix = f"{self.pack}/" if self.pack and self.file else ""
        tag = self.rule if self.severity == "error" else f"{self.rule} (warning)"
        return f"{prefix}{where}: [{tag}] {self.message}"


@dataclass
class Report:
    """The outcome of validating a pack: problems, and the effective configuration when there are none."""

    problems: list[Problem] = field(default_factory=list)
    config: dict | None = None
    migrations: list = field(default_factory=list)
    packs: list[dict] = field(default_factory=list)

    def add(
        self,
        rule: str,
        *,
        pack: str = "",
        file: str = "",
        line: int | None = None,
        path: str = "",
        severity: str = "error",
        **params: Any,
    ) -> Problem:
        template = RULES[rule]
        try:
            message = template.format(**params)
        except (KeyError, IndexError):  # a missing param must never hide the problem itself
            message = f"{template} {params}"
        problem = Problem(rule, message, pack, file, line, path, severity)
        self.problems.append(problem)
        return problem

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        n_err = len(self.errors)
        n_warn = len(self.problems) - n_err
        if not self.problems:
            return "The pack is valid."
        return f"{n_err} error(s), {n_warn} warning(s)." + ("" if n_err else " The pack is valid.")

    def as_dict(self) -> dict:
        return {"ok": self.ok, "problems": [p.as_dict() for p in self.problems], "packs": self.packs}


class PackInvalid(KingaError):
    code = "pack_invalid"

    def __init__(self, report: Report):
        lines = [str(p) for p in report.errors[:50]]
        super().__init__(
            "The pack has errors and was not applied:\n" + "\n".join(lines), details=report.as_dict()
        )
        self.report = report


class UnsafeChange(KingaError):
    code = "unsafe_change"


class PackError(KingaError):
    code = "pack_error"
