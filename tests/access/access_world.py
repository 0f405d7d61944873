"""(Imported by module name: tests/ folders are not packages.) A world for access tests on the REAL standard pack: for one role under test, a user in agency A
(location KV01, user group G) and, per record type, records that are hers (own), a group peer's
(group), a same-agency colleague's (agency) and another agency's (other). Every text field of every
record holds a unique marker, so a response can be searched for values the user may not see.

Expectations are derived from config_packs/standard/roles.yaml read as plain YAML, not from
kinga.accounts.policy: the test states the rules independently of the code that applies them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
STANDARD = REPO / "config_packs" / "standard"
ROLES = {r["id"]: r for r in yaml.safe_load((STANDARD / "roles.yaml").read_text(encoding="utf-8"))}
RELATIONS = ("own", "group", "agency", "other")
SCOPE_COVERS = {
    "own": {"own"},
    "group": {"own", "group"},
    "agency": {"own", "group", "agency"},
    "location": {"own", "group", "agency"},  # the world puts agency A's records under KV01
    "all": set(RELATIONS),
}
RANK = {"hidden": 0, "masked": 1, "read": 2, "edit": 3}
MARK = "zq"  # markers look like zq<n>k; nothing else in a response contains "zq"

BASE_DATA = {
    "case": {
        "name_first": "Amina", "name_last": "Hassan", "sex": "female", "date_of_birth": "2015-05-04",
        "location": "KV0101", "protection_concerns": ["neglect"], "risk_level": "medium",
        "caregiver_name": "Halima Hassan", "consent_given": "yes", "consent_by": "caregiver",
        "data_sharing_wishes": ["share_with_service_providers"],
    },
    "incident": {
        "survivor_code_name": "Rose-1", "survivor_sex": "female", "survivor_age": 24,
        "consent_referral": "yes", "consent_data_share": "yes", "incident_date": "2025-01-02",
        "incident_type": "physical_assault", "incident_location": "KV0101",
    },
    "tracing_request": {
        "inquirer_name": "Baraka Otieno", "inquirer_relationship": "mother", "inquirer_location": "KV0101",
        "sought_name_first": "Juma", "sought_sex": "male",
    },
    "notification": {
        "notification_date": "2025-03-01", "notifier_name": "Sister Agnes", "notifier_role": "teacher",
        "child_name": "Neema Ali", "child_location": "KV0101", "notification_concerns": ["neglect"],
        "notification_description": "The child has not come to school for three weeks.",
        "urgency": "urgent",
    },
}  # fmt: skip
LOCATION = {"own": "KV0101", "group": "KV0101", "agency": "KV0102", "other": "KV0201"}


def role_module_ok(role: dict, rt_module: str) -> bool:
    return not role.get("module") or role["module"] == rt_module


def pack_allows(role_id: str, action: str, record_type: str, rt_module: str) -> bool:
    role = ROLES[role_id]
    if not role_module_ok(role, rt_module):
        return False
    return action in ((role.get("permissions") or {}).get(record_type) or [])


def pack_covers(role_id: str, relation: str) -> bool:
    return relation in SCOPE_COVERS[ROLES[role_id].get("scope", "own")]


def pack_field_level(role_id: str, record_type: str, rt_module: str, form_id: str, key: str) -> str:
    """The level roles.yaml gives one role for one field (single-role users)."""
    role = ROLES[role_id]
    perms = (
        set((role.get("permissions") or {}).get(record_type) or [])
        if role_module_ok(role, rt_module)
        else set()
    )
    if "view" not in perms:
        return "hidden"
    default = "edit" if perms & {"edit", "create"} else "read"
    form_level = (role.get("forms") or {}).get(form_id, default)
    level = min(form_level, (role.get("fields") or {}).get(key, default), key=RANK.get)
    return min(level, default, key=RANK.get)


@dataclass
class World:
    role: str
    user: object
    config: object
    records: dict = field(default_factory=dict)  # (rt, relation) -> Record
    spare: dict = field(default_factory=dict)  # rt -> a second own record (link target)
    # marker -> (rt, relation, form id, key)
    markers: dict = field(default_factory=dict)

    def module(self, rt: str) -> str:
        return self.config.data["record_types"][rt]["module"]

    def visible(self, rt: str, relation: str) -> bool:
        return pack_allows(self.role, "view", rt, self.module(rt)) and pack_covers(self.role, relation)

    def allowed(self, action: str, rt: str, relation: str | None = None) -> bool:
        ok = pack_allows(self.role, action, rt, self.module(rt))
        return ok if relation is None else ok and pack_covers(self.role, relation)

    def forbidden_markers(self) -> dict:
        """Markers this role must never receive: whole records outside its scope and fields roles.yaml
        hides or masks from it."""
        out = {}
        for marker, (rt, relation, form_id, key) in self.markers.items():
            if not self.visible(rt, relation):
                out[marker] = f"{rt}/{relation} record (not visible) field {key}"
            elif pack_field_level(self.role, rt, self.module(rt), form_id, key) in ("hidden", "masked"):
                out[marker] = f"{rt}/{relation} field {key} (hidden or masked for {self.role})"
        return out


def _text_fields(config, record_type: str):
    for form_id in config.data["record_types"][record_type]["forms"]:
        form = config.data["forms"][form_id]
        for section in form["sections"]:
            for f in section["fields"]:
                if f["type"] in ("text", "textarea") and not f.get("calculation") and not f.get("relevant"):
                    yield form_id, f


@pytest.fixture
def build_world(db, make_user):
    from kinga.accounts.models import Agency, UserGroup
    from kinga.configpacks import runtime
    from kinga.configpacks.apply import apply_pack
    from kinga.core.errors import ValidationFailed
    from kinga.records.actions import create_record

    def _build(role_id: str) -> World:
        runtime._cache.clear()
        apply_pack(STANDARD)
        config = runtime.get_active()
        agency_a, _ = Agency.objects.get_or_create(code="agency-a", defaults={"name": "A"})
        group = UserGroup.objects.create(code="team-g", name="G", agency=agency_a)
        root = make_user(username="root", roles=(), agency="agency-a", is_superuser=True)
        user = make_user(username="subject", roles=(role_id,), agency="agency-a", location="KV01")
        peer = make_user(username="peer", roles=("caseworker",), agency="agency-a", location="KV01")
        colleague = make_user(username="colleague", roles=("caseworker",), agency="agency-a", location="KV01")
        outsider = make_user(username="outsider", roles=("caseworker",), agency="agency-b", location="KV02")
        user.groups_kinga.add(group)
        peer.groups_kinga.add(group)
        owners = {"own": user, "group": peer, "agency": colleague, "other": outsider}
        world = World(role=role_id, user=user, config=config)
        n = 0
        for rt, base in BASE_DATA.items():
            for relation in (*RELATIONS, "spare"):
                data = dict(base)
                owner = owners.get(relation, user)
                for form_id, f in _text_fields(config, rt):
                    n += 1
                    marker = f"{MARK}{n}k"
                    # Keep the first letter meaningful: a masked value shows it.
                    data[f["key"]] = marker
                    if relation != "spare":
                        world.markers[marker] = (rt, relation, form_id, f["key"])
                for _attempt in range(5):
                    try:
                        record = create_record(
                            user=root, record_type=rt, data=data, owner=owner, agency=owner.agency,
                            location=LOCATION.get(relation, "KV0101"),
                        )  # fmt: skip
                        break
                    except ValidationFailed as exc:  # a field with a format: no marker there
                        last = exc.details
                        for issue in exc.details:
                            key = issue["field"].split("[")[0]
                            # a marker in a field with a format, or one that makes a sibling required:
                            # no markers in that form
                            form_of = next(
                                (fid for fid, f in _text_fields(config, rt) if f["key"] == key), None
                            )
                            form_of = form_of or config.data["fields"].get(rt, {}).get(key, {}).get("form")
                            for fid, f in _text_fields(config, rt):
                                if f["key"] == key or fid == form_of:
                                    data.pop(f["key"], None)
                                    if f["key"] in base:
                                        data[f["key"]] = base[f["key"]]
                            for marker, spot in list(world.markers.items()):
                                if (
                                    spot[0] == rt
                                    and spot[1] == relation
                                    and (spot[3] == key or spot[2] == form_of)
                                ):
                                    del world.markers[marker]
                else:
                    raise AssertionError(f"cannot build a valid {rt}: {last}")
                if relation == "spare":
                    world.spare[rt] = record
                else:
                    world.records[(rt, relation)] = record
        return world

    return _build
