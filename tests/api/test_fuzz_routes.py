"""Every route under /api/v1/ (read from the URL resolver), called by a user who may do everything, with malformed bodies, odd path parameters and junk query strings: no answer may be a
500, and every error body is JSON."""

from __future__ import annotations

import re

import pytest

BODIES = [
    "",
    "null",
    "[]",
    '"text"',
    "12",
    "{",
    '{"a": NaN}',
    "{}",
    '{"data": null, "count": -1, "to": [], "version": "x", "link_type": {}, "reason": 5}',
    '{"username": "a\\u0000b", "password": "x", "roles": "admin", "config": [], "pack": 1}',
    '{"draft": ' + "[" * 3000 + "]" * 3000 + "}",
    '{"record_ids": ["not-a-uuid", null, 5], "ids": {"x": 1}, "decision": "maybe", "q": 7}',
]
PARAMS = {
    "<str:record_type>": ["case", "nope", "..%2F", "x" * 300],
    "<str:record_id>": ["not-an-id", "00000000-0000-0000-0000-000000000000", "CP-0000-0000-0", "%00"],
    "<int:": ["0", "999999999999999999999"],
    "<uuid:": ["00000000-0000-0000-0000-000000000000"],
    "<str:": ["nope", "x" * 300],
    "<slug:": ["nope"],
    "<path:": ["nope/../x"],
}
QUERIES = [
    "",
    "?page=-1&page_size=abc&lang=zz",
    "?record_type=nope&state=x&limit=abc",
    "?q=%00",
    "?from=2024-99-99&to=x",
]


@pytest.fixture
def superuser_client(api_client, make_user, standard, settings):
    settings.KINGA_SUPERUSER_REQUIRE_2FA = False
    user = make_user(username="root", roles=("im_admin",), is_superuser=True, is_staff=True)
    api_client.force_authenticate(user)
    return api_client


def _endpoints() -> dict[str, set[str]]:
    """route pattern -> the HTTP methods its view implements, for every route under api/v1/."""
    from django.urls import URLPattern, URLResolver, get_resolver

    out: dict[str, set[str]] = {}

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            text = str(p.pattern).lstrip("^")
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + text)
            elif isinstance(p, URLPattern) and (prefix + text).startswith("api/v1/"):
                cls = getattr(p.callback, "cls", None) or getattr(p.callback, "view_class", None)
                methods = {m.upper() for m in ("get", "post", "patch", "put", "delete") if hasattr(cls, m)}
                out[prefix + text] = methods or {"GET"}

    walk(get_resolver().url_patterns, "")
    assert len(out) > 30, out  # the walk found the API
    return out


def _urls(route: str):
    """Concrete URLs for a route pattern, one per odd value of each parameter kind."""
    route = route.replace("?$", "").replace("$", "")
    params = re.findall(r"<[^>]+>", route)
    if not params:
        return ["/" + route]
    urls = []
    for param in params:
        kind = next(k for k in PARAMS if param.startswith(k) or param == k)
        for value in PARAMS[kind]:
            url = route
            for other in params:
                other_kind = next(k for k in PARAMS if other.startswith(k) or other == k)
                url = url.replace(other, value if other == param else PARAMS[other_kind][0], 1)
            urls.append("/" + url)
    return urls


def test_no_route_answers_500_to_malformed_requests(superuser_client):
    failures, calls = [], 0
    for route, methods in _endpoints().items():
        for url in _urls(route):
            for method in methods:
                if method == "GET":
                    attempts = [(url + q, None) for q in QUERIES]
                else:
                    attempts = [(url, body) for body in BODIES]
                for target, body in attempts:
                    kwargs = (
                        {} if body is None else {"data": body.encode(), "content_type": "application/json"}
                    )
                    response = superuser_client.generic(method, target, **kwargs)
                    calls += 1
                    label = f"{method} {target} {body!r:.80}"
                    if response.status_code >= 500:
                        failures.append(f"{label} -> {response.status_code} {response.content[:200]!r}")
                    elif response.status_code >= 400 and not response.get("Content-Type", "").startswith(
                        "application/json"
                    ):
                        failures.append(f"{label} -> {response.status_code} non-JSON error")
    assert calls > 1000, calls  # the walk really reached the routes
    assert not failures, "\n".join(failures[:40])
