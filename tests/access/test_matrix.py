"""The access matrix: every role of the standard pack × every /api/v1/ endpoint × own / same group /
same agency / other agency records, expected allowed or denied as roles.yaml says.

ENDPOINTS is the permissions spec: every route the URL resolver serves under /api/v1/ must have an
entry, or test_every_endpoint_has_a_spec fails naming it. A new endpoint therefore cannot ship
without someone deciding who may call it."""

from __future__ import annotations

import json

import pytest
from access_world import BASE_DATA, RELATIONS, ROLES

API = "api/v1/"
RECORD_TYPES = ("case", "tracing_request", "incident", "notification")
TRANSITION = {"case": "start_assessment", "tracing_request": "confirm_match", "incident": "start_action_plan",
              "notification": "open_case"}  # fmt: skip
TRANSITION_PERMISSION = {
    "case": "edit",
    "tracing_request": "approve",
    "incident": "edit",
    "notification": "edit",
}

# route -> {method: rule}. Rules:
#   "authenticated"           any signed-in user: 2xx (content is filtered: see the leak test)
#   ("type", action)          the role grants `action` on the record type: 2xx, else 403
#   ("record", action)        the action is granted AND the record is in the role's scope: 2xx, else 403/404
#   ("anywhere", action)      the role grants `action` on any record type: 2xx, else 403
#   ("break_glass",)          role.break_glass and the module is not gbv: 201, else 403
#   ("elsewhere", test path)  exercised with the state it needs in the named test module
ENDPOINTS: dict[str, dict] = {
    "api/v1/schema/": {"GET": "authenticated"},
    "api/v1/auth/token/": {"POST": ("elsewhere", "tests/auth/test_login.py")},
    "api/v1/auth/logout/": {"POST": ("elsewhere", "tests/auth/test_login.py")},
    "api/v1/auth/2fa/setup/": {"POST": ("elsewhere", "tests/auth/test_two_factor.py")},
    "api/v1/auth/2fa/confirm/": {"POST": ("elsewhere", "tests/auth/test_two_factor.py")},
    "api/v1/auth/integration-tokens/": {"GET": ("anywhere", "manage_users"), "POST": ("anywhere", "manage_users")},
    "api/v1/auth/integration-tokens/<int:token_id>/": {"DELETE": ("anywhere", "manage_users")},
    "api/v1/users/": {"GET": ("anywhere", "manage_users"), "POST": ("anywhere", "manage_users")},
    "api/v1/users/<int:user_id>/": {"PATCH": ("anywhere", "manage_users")},
    "api/v1/users/<int:user_id>/2fa-reset/": {"POST": ("anywhere", "manage_users")},
    "api/v1/alerts/": {"GET": "authenticated"},
    "api/v1/audit/": {"GET": ("anywhere", "view_audit")},
    "api/v1/audit/export/": {"GET": ("anywhere", "view_audit")},
    "api/v1/audit/break-glass/": {"GET": ("anywhere", "view_audit")},
    "api/v1/audit/verify/": {"GET": ("anywhere", "view_audit")},
    "api/v1/config/": {"GET": "authenticated"},
    # Upload: create or edit on the record type and edit on the field; download: view on the record
    # and the field neither hidden nor masked, else 404 (the standard pack has no attachment field).
    "api/v1/attachments/": {"POST": ("elsewhere", "tests/api/test_attachments.py")},
    "api/v1/attachments/<uuid:attachment_id>/": {"GET": ("elsewhere", "tests/api/test_attachments.py")},
    "api/v1/records/<str:record_type>/": {"GET": ("type", "view"), "POST": ("type", "create")},
    "api/v1/records/<str:record_type>/export/": {"GET": ("type", "export")},
    "api/v1/records/<str:record_type>/short-ids/": {"POST": ("type", "create")},
    "api/v1/records/<str:record_type>/<str:record_id>/": {
        "GET": ("record", "view"), "PATCH": ("record", "edit"), "DELETE": ("record", "delete"),
    },
    "api/v1/records/<str:record_type>/<str:record_id>/links/": {"POST": ("record", "edit")},
    "api/v1/records/<str:record_type>/<str:record_id>/break-glass/": {"POST": ("break_glass",)},
    "api/v1/records/<str:record_type>/<str:record_id>/workflow/": {"GET": ("record", "view")},
    "api/v1/records/<str:record_type>/<str:record_id>/transition/": {"POST": ("record", "transition")},
    "api/v1/workflow/deadlines/": {"GET": "authenticated"},
    "api/v1/workflow/my-overdue/": {"GET": "authenticated"},
    "api/v1/kpis/": {"GET": "authenticated"},
    "api/v1/kpis/<str:kpi_id>/": {"GET": "authenticated"},
    "api/v1/duplicates/check/?$": {"POST": "authenticated"},
    # The form builder (kinga_builder): configuration, for manage_configuration only; its helpers
    # (functions, field types, expression checks) carry no record data.
    "api/v1/builder/drafts/": {"GET": ("anywhere", "manage_configuration"), "POST": ("anywhere", "manage_configuration")},
    "api/v1/builder/drafts/<int:draft_id>/": {
        "GET": ("anywhere", "manage_configuration"), "PATCH": ("anywhere", "manage_configuration"),
        "DELETE": ("anywhere", "manage_configuration"),
    },
    "api/v1/builder/drafts/<int:draft_id>/ops/": {"POST": ("anywhere", "manage_configuration")},
    "api/v1/builder/drafts/<int:draft_id>/validate/": {
        "GET": ("anywhere", "manage_configuration"), "POST": ("anywhere", "manage_configuration"),
    },
    "api/v1/builder/drafts/<int:draft_id>/diff/": {"GET": ("anywhere", "manage_configuration")},
    "api/v1/builder/drafts/<int:draft_id>/publish/": {"POST": ("anywhere", "manage_configuration")},
    "api/v1/builder/drafts/<int:draft_id>/keys/": {"GET": ("anywhere", "manage_configuration")},
    "api/v1/builder/drafts/<int:draft_id>/translations/": {"GET": ("anywhere", "manage_configuration")},
    "api/v1/builder/drafts/<int:draft_id>/preview-config/": {"GET": ("anywhere", "manage_configuration")},
    "api/v1/builder/drafts/<int:draft_id>/xlsform/": {"POST": ("anywhere", "manage_configuration")},
    "api/v1/builder/drafts/<int:draft_id>/forms/<str:form_id>/xlsform/": {"GET": ("anywhere", "manage_configuration")},
    "api/v1/builder/forms/<str:form_id>/xlsform/": {"GET": ("anywhere", "manage_configuration")},
    "api/v1/builder/history/": {"GET": ("anywhere", "manage_configuration")},
    "api/v1/builder/rollback/": {"POST": ("anywhere", "manage_configuration")},
    "api/v1/builder/expressions/check/": {"POST": ("elsewhere", "form_builder tests: no record data")},
    "api/v1/builder/functions/": {"GET": "authenticated"},
    "api/v1/builder/field-types/": {"GET": "authenticated"},
    "api/v1/builder/conditions/build/": {"POST": ("elsewhere", "form_builder tests: no record data")},
    "api/v1/builder/conditions/parse/": {"POST": ("elsewhere", "form_builder tests: no record data")},
    "api/v1/duplicates/decisions/?$": {"POST": ("elsewhere", "tests/search/test_duplicates_api.py")},
    "api/v1/duplicates/merge/?$": {"POST": ("elsewhere", "tests/search/test_duplicates_api.py")},
    "api/v1/duplicates/undo-merge/?$": {"POST": ("elsewhere", "tests/search/test_duplicates_api.py")},
    "api/v1/duplicates/request-access/?$": {"POST": ("elsewhere", "tests/search/test_duplicates_api.py")},
}  # fmt: skip


def api_routes() -> set[str]:
    """Every route under /api/v1/, as the concatenation of its patterns (regex anchors stripped)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    out: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            text = str(p.pattern).lstrip("^")
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + text)
            elif isinstance(p, URLPattern):
                out.add(prefix + text)

    walk(get_resolver().url_patterns, "")
    return {r for r in out if r.startswith(API)}


def test_every_endpoint_has_a_spec():
    unknown = sorted(api_routes() - set(ENDPOINTS))
    assert not unknown, f"endpoints without an entry in tests/access/test_matrix.py ENDPOINTS: {unknown}"
    stale = sorted(set(ENDPOINTS) - api_routes())
    assert not stale, f"ENDPOINTS lists routes that no longer exist: {stale}"


def test_every_spec_method_is_served():
    """The spec names the methods each view really implements (and no others)."""
    from django.urls import get_resolver

    views = {}

    def walk(patterns, prefix):
        for p in patterns:
            text = str(p.pattern).lstrip("^")
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, prefix + text)
            else:
                views[prefix + text] = p.callback

    walk(get_resolver().url_patterns, "")
    for route, methods in ENDPOINTS.items():
        cls = views[route].cls
        served = {m.upper() for m in ("get", "post", "patch", "put", "delete") if hasattr(cls, m)}
        assert set(methods) == served, f"{route}: spec {sorted(methods)} but the view serves {sorted(served)}"


class Checker:
    def __init__(self, client, world):
        self.client, self.world, self.failures, self.bodies = client, world, [], []

    def call(self, method: str, url: str, body=None):
        kwargs = {"format": "json"} if body is not None else {}
        response = (
            getattr(self.client, method.lower())(url, body, **kwargs)
            if body is not None
            else getattr(self.client, method.lower())(url)
        )
        self.bodies.append((f"{method} {url}", response.content.decode("utf-8", "replace")))
        return response

    def expect(self, label: str, response, allowed: bool, ok=(200, 201, 204), denied=(403, 404)):
        status = response.status_code
        good = status in ok if allowed else status in denied
        if not good:
            detail = response.content[:300].decode("utf-8", "replace")
            self.failures.append(
                f"{self.world.role}: {label} -> {status} (expected {'allowed' if allowed else 'denied'}) {detail}"
            )


def _run_matrix(world, client) -> Checker:
    c = Checker(client, world)
    w = world
    for rt in RECORD_TYPES:
        base = f"/api/v1/records/{rt}/"
        # list: allowed by permission; its rows are exactly the records in scope
        r = c.call("GET", base + "?page_size=500")
        c.expect(f"GET list {rt}", r, w.allowed("view", rt))
        if r.status_code == 200:
            ids = {row["id"] for row in r.json()["results"]}
            for relation in RELATIONS:
                seen = str(w.records[(rt, relation)].id) in ids
                if seen != w.visible(rt, relation):
                    c.failures.append(
                        f"{w.role}: list {rt} shows {relation} record: {seen}, expected {w.visible(rt, relation)}"
                    )
        c.expect(f"GET export {rt}", c.call("GET", base + "export/"), w.allowed("export", rt))
        for relation in RELATIONS:
            record = w.records[(rt, relation)]
            url = f"{base}{record.id}/"
            view_ok = w.allowed("view", rt, relation)
            c.expect(f"GET {rt}/{relation}", c.call("GET", url), view_ok)
            c.expect(f"GET workflow {rt}/{relation}", c.call("GET", url + "workflow/"), view_ok)
            edit_ok = w.allowed("edit", rt, relation) and view_ok
            c.expect(
                f"PATCH {rt}/{relation}",
                c.call("PATCH", url, {"version": record.version, "data": {}}),
                edit_ok,
            )
            link_ok = edit_ok and w.allowed("edit", rt, "own")
            c.expect(
                f"POST link {rt}/{relation}",
                c.call("POST", url + "links/", {"to": str(w.spare[rt].id), "link_type": "sibling"}),
                link_ok,
                denied=(400, 403, 404),  # an invisible target is refused as unknown_target (400)
            )
            move = TRANSITION[rt]
            t_ok = view_ok and w.allowed(TRANSITION_PERMISSION[rt], rt, relation)
            c.expect(f"POST transition {rt}/{relation}", c.call("POST", url + "transition/", {"transition": move}), t_ok,
                     denied=(403, 404))  # fmt: skip
        c.expect(
            f"POST short-ids {rt}", c.call("POST", base + "short-ids/", {"count": 2}), w.allowed("create", rt)
        )
        # create last among the record calls: it does not change the others
        r = c.call("POST", base, {"data": dict(BASE_DATA[rt])})
        c.expect(f"POST create {rt}", r, w.allowed("create", rt))
        # delete: granted to no role of the standard pack
        record = w.records[(rt, "own")]
        c.expect(f"DELETE {rt}/own", c.call("DELETE", f"{base}{record.id}/"), w.allowed("delete", rt, "own"))
    anywhere = lambda action: any(w.allowed(action, rt) for rt in RECORD_TYPES)  # noqa: E731
    for url in (
        "/api/v1/audit/",
        "/api/v1/audit/export/",
        "/api/v1/audit/break-glass/",
        "/api/v1/audit/verify/",
    ):
        c.expect(f"GET {url}", c.call("GET", url), anywhere("view_audit"))
    c.expect("GET users", c.call("GET", "/api/v1/users/"), anywhere("manage_users"))
    c.expect(
        "GET integration tokens", c.call("GET", "/api/v1/auth/integration-tokens/"), anywhere("manage_users")
    )
    c.expect(
        "POST users",
        c.call(
            "POST",
            "/api/v1/users/",
            {"username": "newbie", "password": "long-Secret-pass-42", "roles": ["caseworker"]},
        ),
        anywhere("manage_users"),
    )
    c.expect(
        "PATCH user",
        c.call("PATCH", f"/api/v1/users/{w.user.pk}/", {"location": "KV01"}),
        anywhere("manage_users"),
    )
    c.expect(
        "POST 2fa-reset", c.call("POST", f"/api/v1/users/{w.user.pk}/2fa-reset/"), anywhere("manage_users")
    )
    c.expect(
        "POST integration token",
        c.call("POST", "/api/v1/auth/integration-tokens/",
               {"name": "x", "username": "peer", "scopes": ["case:view"], "expires_in_days": 5}),
        anywhere("manage_users"),
    )  # fmt: skip
    c.expect("DELETE integration token", c.call("DELETE", "/api/v1/auth/integration-tokens/999999/"),
             False if not anywhere("manage_users") else True, ok=(404,), denied=(403,))  # fmt: skip
    for url in ("/api/v1/config/", "/api/v1/alerts/", "/api/v1/workflow/my-overdue/", "/api/v1/kpis/",
                "/api/v1/schema/", "/api/v1/workflow/deadlines/?record_type=case"):  # fmt: skip
        c.expect(f"GET {url}", c.call("GET", url), True)
    kpis = c.call("GET", "/api/v1/kpis/").json()["results"]
    for kpi in kpis:
        c.expect(f"GET kpi {kpi['id']}", c.call("GET", f"/api/v1/kpis/{kpi['id']}/"), True)
    for rt in RECORD_TYPES:
        c.expect(f"GET deadlines {rt}", c.call("GET", f"/api/v1/workflow/deadlines/?record_type={rt}"), True)
        c.expect(
            f"POST duplicates check {rt}",
            c.call("POST", "/api/v1/duplicates/check/", {"record_type": rt, "data": dict(BASE_DATA[rt])}),
            True,
        )
    # every other route whose rule is a permission held anywhere: denied is a 403 before anything
    # else is looked at; allowed is anything but a 403 (the placeholder ids do not exist)
    for route, methods in ENDPOINTS.items():
        if not route.startswith("api/v1/builder/"):
            continue
        url = "/" + route.replace("<int:draft_id>", "999999").replace("<str:form_id>", "nope")
        for method, rule in methods.items():
            if rule == "authenticated":
                c.expect(f"{method} {url}", c.call(method, url), True)
            elif rule[0] == "anywhere":
                r = c.call(method, url, {} if method != "GET" else None)
                allowed = anywhere(rule[1])
                c.expect(
                    f"{method} {url}",
                    r,
                    allowed,
                    ok=tuple(s for s in range(200, 600) if s != 403),
                    denied=(403,),
                )
    return c


def _break_glass(c: Checker, w) -> None:
    """Last: it widens what the user sees."""
    for rt in RECORD_TYPES:
        record = w.records[(rt, "other")]
        ok = bool(ROLES[w.role].get("break_glass")) and w.module(rt) != "gbv"
        r = c.call(
            "POST",
            f"/api/v1/records/{rt}/{record.id}/break-glass/",
            {"reason": "Child missing since last night, police asking"},
        )
        c.expect(f"POST break-glass {rt}", r, ok)


@pytest.fixture
def world_client(build_world):
    from rest_framework.test import APIClient

    def _make(role):
        world = build_world(role)
        client = APIClient()
        client.force_authenticate(world.user)
        return world, client

    return _make


@pytest.mark.parametrize("role", sorted(ROLES))
def test_role_matrix(role, world_client):
    world, client = world_client(role)
    checker = _run_matrix(world, client)
    _break_glass(checker, world)
    assert not checker.failures, "\n".join(checker.failures)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_no_response_carries_a_value_the_role_may_not_see(role, world_client):
    """Plant markers in every text field; walk every endpoint; no forbidden marker comes back."""
    world, client = world_client(role)
    checker = _run_matrix(world, client)
    # plus the payloads that carry record data in other shapes: a 409 conflict and the audit trail
    for rt in RECORD_TYPES:
        for relation in RELATIONS:
            record = world.records[(rt, relation)]
            checker.call("PATCH", f"/api/v1/records/{rt}/{record.id}/", {"version": 1, "data": {}})
            checker.call("PATCH", f"/api/v1/records/{rt}/{record.id}/", {"version": 999, "data": {}})
    checker.call("GET", "/api/v1/audit/?page_size=500")
    checker.call("GET", "/api/v1/audit/export/")
    _break_glass(checker, world)  # only the grant comes back, never the record
    forbidden = world.forbidden_markers()
    assert forbidden, "the world plants no marker this role may not see: the test would prove nothing"
    leaks = []
    for label, body in checker.bodies:
        for marker, why in forbidden.items():
            if marker in body:
                leaks.append(f"{label}: {why}")
    assert not leaks, "\n".join(sorted(set(leaks)))


def test_markers_are_really_sent_where_allowed(world_client):
    """Control for the leak test: a caseworker does receive her own record's markers."""
    world, client = world_client("caseworker")
    record = world.records[("case", "own")]
    body = json.dumps(client.get(f"/api/v1/records/case/{record.id}/").json())
    own_markers = [m for m, (rt, rel, _f, _k) in world.markers.items() if rt == "case" and rel == "own"]
    assert own_markers and all(m in body for m in own_markers)
