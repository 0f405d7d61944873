"""The XLSForm ↔ Kinga vocabulary: question types, columns, and how names become Kinga keys.
docs/xlsform.md shows the same tables for people."""

from __future__ import annotations

import re

# XLSForm type (lower case) → (Kinga type, params)
TYPES: dict[str, tuple[str, dict]] = {
    "text": ("text", {}),
    "string": ("text", {}),
    "integer": ("integer", {}),
    "int": ("integer", {}),
    "decimal": ("decimal", {}),
    "date": ("date", {}),
    "datetime": ("datetime", {}),
    "note": ("note", {}),
    "calculate": ("calculated", {}),
    "acknowledge": ("tick_box", {}),
    "trigger": ("tick_box", {}),
    "image": ("attachment", {"content_types": ["image/*"]}),
    "photo": ("attachment", {"content_types": ["image/*"]}),
    "audio": ("attachment", {"content_types": ["audio/*"]}),
    "video": ("attachment", {"content_types": ["video/*"]}),
    "file": ("attachment", {}),
}
SELECTS = {
    "select_one": "select_one",
    "select one": "select_one",
    "select1": "select_one",
    "select_multiple": "select_multiple",
    "select multiple": "select_multiple",
    "select all that apply": "select_multiple",
}
# Types that describe the submission, not the person: Kinga records who/when/where itself.
METADATA = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username",
    "email", "audit", "start-geopoint", "background-audio", "imei", "uri:deviceid", "uri:email",
    "uri:username", "uri:subscriberid", "uri:simserial", "uri:phonenumber",
}  # fmt: skip
UNSUPPORTED = {
    "geopoint": "locations are chosen from the location hierarchy, not GPS points",
    "geotrace": "Kinga has no map lines",
    "geoshape": "Kinga has no map shapes",
    "range": "Kinga has no slider; use an integer with a constraint",
    "barcode": "Kinga has no barcode scanner question",
    "rank": "Kinga has no ranking question",
    "time": "Kinga has no time-of-day question; use datetime",
    "hidden": "use a calculate row instead",
    "xml-external": "external XML instances are not supported",
    "csv-external": "external CSV instances are not supported",
    "select_one_from_file": "options must be in the choices sheet",
    "select_multiple_from_file": "options must be in the choices sheet",
    "select_one_external": "external choices are not supported",
    "begin_loop": "loops are not supported; use a repeat",
    "begin loop": "loops are not supported; use a repeat",
    "osm": "OpenStreetMap questions are not supported",
}
GROUP_BEGIN = {"begin_group", "begin group"}
GROUP_END = {"end_group", "end group"}
REPEAT_BEGIN = {"begin_repeat", "begin repeat"}
REPEAT_END = {"end_repeat", "end repeat"}

# Column aliases → the name used here.
COLUMN_ALIASES = {
    "jr:constraintmsg": "constraint_message",
    "constraint message": "constraint_message",
    "jr:requiredmsg": "required_message",
    "guidance_hint": "guidance",
    "calculate": "calculation",
    "relevance": "relevant",
    "readonly": "read_only",
    "caption": "label",
    "choice filter": "choice_filter",
    "list name": "list_name",
}
TEXT_COLUMNS = ("label", "hint", "guidance", "constraint_message")
EXPR_COLUMNS = ("relevant", "constraint", "calculation", "default", "choice_filter")
# Columns Kinga reads itself; any other column is reported (media and bind/body extras included).
KNOWN_COLUMNS = {
    "type", "name", *TEXT_COLUMNS, *EXPR_COLUMNS, "required", "read_only", "appearance",
    "kinga_type", "kinga_hidden", "kinga_external",
}  # fmt: skip
KINGA_ONLY_TYPES = {"yes_no", "textarea", "location", "section"}
KEY_RE = re.compile(r"[a-z][a-z0-9_]{0,62}")
CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")
TRUE_WORDS = {"yes", "true", "true()", "1", "y"}
FALSE_WORDS = {"no", "false", "false()", "0", "n"}


def make_id(name: str, prefix: str = "") -> str:
    """An XLSForm name as a Kinga key/id: lower case, [a-z0-9_], starting with a letter, namespaced."""
    key = re.sub(r"[^a-z0-9_]+", "_", name.strip().lower()).strip("_") or "field"
    if not key[0].isalpha():
        key = f"f_{key}"
    if prefix and not key.startswith(f"{prefix}_"):
        key = f"{prefix}_{key}"
    return key[:63].rstrip("_")


def make_code(name: str) -> str:
    code = re.sub(r"[^A-Za-z0-9_.-]+", "_", name.strip())
    if not code or not code[0].isalnum():
        code = f"c{code}"
    return code[:63]
