"""The OpenAPI schema is served, and the checked-in docs/openapi.yaml matches the code.

When this fails after an intended API change, regenerate the snapshot and commit it:

    kinga manage spectacular --file docs/openapi.yaml
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
REGENERATE = "kinga manage spectacular --file docs/openapi.yaml"


def _generated() -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return yaml.safe_load(OpenApiYamlRenderer().render(schema, renderer_context={}))


def test_schema_endpoint(api_client, db):
    r = api_client.get("/api/v1/schema/")
    assert r.status_code == 200
    paths = yaml.safe_load(r.content)["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/config/",
        "/api/v1/records/{record_type}/",
        "/api/v1/records/{record_type}/{record_id}/",
        "/api/v1/records/{record_type}/{record_id}/links/",
    ):
        assert path in paths


def test_records_endpoints_are_documented():
    paths = _generated()["paths"]
    detail = paths["/api/v1/records/{record_type}/{record_id}/"]
    assert set(detail) >= {"get", "patch", "delete"}
    assert "409" in detail["patch"]["responses"]
    listing = paths["/api/v1/records/{record_type}/"]
    assert {p["name"] for p in listing["get"]["parameters"]} >= {"q", "ordering", "page", "page_size"}
    assert "201" in listing["post"]["responses"]


def _differences(old: dict, new: dict) -> list[str]:
    out = []
    for section in ("paths", "components"):
        a, b = old.get(section) or {}, new.get(section) or {}
        if section == "components":
            a, b = a.get("schemas") or {}, b.get("schemas") or {}
        out += [f"{section}: {k}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    return out or ["info/other top-level keys"]


def test_checked_in_schema_has_not_drifted():
    assert SNAPSHOT.exists(), f"missing {SNAPSHOT}; create it with `{REGENERATE}`"
    old, new = yaml.safe_load(SNAPSHOT.read_text()), _generated()
    if old != new:
        pytest.fail(
            "docs/openapi.yaml is out of date with the API code; regenerate it with "
            f"`{REGENERATE}` and review the diff. Changed: {', '.join(_differences(old, new)[:20])}",
            pytrace=False,
        )
