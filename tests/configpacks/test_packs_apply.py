"""Diff, apply (atomic, with migrations), history, rollback and export."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from kinga.audit.models import AuditEvent
from kinga.configpacks import apply as services
from kinga.configpacks.models import ConfigVersion
from kinga.configpacks.problems import PackInvalid, UnsafeChange
from kinga.configpacks.runtime import content_hash, get_active
from kinga.configpacks.validate import validate_pack

from .conftest import BASE, OVERLAY

pytestmark = pytest.mark.django_db


def _read_tree(path):
    return {p.relative_to(path).as_posix(): p.read_text() for p in sorted(path.rglob("*")) if p.is_file()}


def test_first_apply_adds_everything_and_is_audited():
    result = services.apply_pack(BASE, note="first")
    assert result.version.number == 1 and result.version.is_active
    assert result.diff["summary"]["removed"] == 0 and result.diff["summary"]["added"] > 20
    assert get_active().data == result.version.config
    event = AuditEvent.objects.filter(action="config.apply").get()
    assert event.details["version"] == 1


def test_apply_export_diff_is_empty_and_reapply_is_identical(tmp_path):
    services.apply_pack(BASE)
    services.apply_pack(OVERLAY)
    out = services.export_active(tmp_path / "export")
    assert "extends" not in (out / "pack.yaml").read_text()
    diff = services.diff_pack(out)
    assert diff["changes"] == [], diff["changes"]
    report = validate_pack(out)
    assert content_hash(report.config) == get_active().version.content_hash
    assert services.apply_pack(out).changed is False


def test_dry_run_changes_nothing():
    services.apply_pack(BASE)
    result = services.apply_pack(OVERLAY, dry_run=True)
    assert result.dry_run and result.diff["summary"]["added"] > 0
    assert ConfigVersion.objects.count() == 1


def test_invalid_pack_is_not_applied(pack_copy):
    broken = pack_copy(BASE)
    broken.edit("kpis.yaml", lambda d: d[0].update(fields=["nope"]))
    with pytest.raises(PackInvalid, match="KPI 'unique_children' names field 'nope'"):
        services.apply_pack(broken.path)
    assert not ConfigVersion.objects.exists()


def _remove_field(data, key):
    for section in data["sections"]:
        section["fields"] = [f for f in section["fields"] if f["key"] != key]


def test_removing_a_field_with_data_needs_archive_field(pack_copy, make_case):
    services.apply_pack(BASE)
    kept = make_case({"name_first": "Amina", "sex": "female", "nickname": "Mimi"})
    changed = pack_copy(BASE)
    changed.edit("forms/registration.yaml", lambda d: _remove_field(d, "nickname"))
    with pytest.raises(UnsafeChange, match=r"1 record\(s\) hold data in 'nickname'.*archive_field: nickname"):
        services.apply_pack(changed.path)
    assert get_active().number == 1
    changed.save("migrations.yaml", [{"archive_field": "nickname"}])
    version = services.apply_pack(changed.path).version
    assert version.config["archived_fields"]["nickname"]["type"] == "text"
    kept.refresh_from_db()
    assert kept.data["nickname"] == "Mimi"
    # The archive carries over: re-exporting and re-applying keeps it without redeclaring.
    assert services.diff_pack(changed.path)["changes"] == []


def test_removed_option_in_use_needs_map_options_and_rewrites_data(pack_copy, make_case):
    services.apply_pack(BASE)
    one = make_case(
        {"name_first": "A", "sex": "male", "risk_level": "very_high", "concerns": ["labour", "neglect"]}
    )
    two = make_case(
        {"name_first": "B", "sex": "male", "risk_level": "low", "concerns": ["labour", "violence"]}
    )
    changed = pack_copy(BASE)
    changed.edit("lookups/person.yaml", lambda d: d[1].update(options=d[1]["options"][:3]))
    changed.edit(
        "forms/assessment.yaml",
        lambda d: d["sections"][0]["fields"][1].update(options=d["sections"][0]["fields"][1]["options"][:2]),
    )
    diff = services.diff_pack(changed.path)
    unsafe = {c["id"]: c["unsafe"] for c in diff["changes"] if c["unsafe"]}
    assert "option 'very_high' is stored on 1 record(s)" in unsafe["risk_level:very_high"]
    assert "option 'labour' is stored on 2 record(s)" in unsafe["case.concerns:labour"]
    with pytest.raises(UnsafeChange):
        services.apply_pack(changed.path)
    changed.save(
        "migrations.yaml",
        [
            {"map_options": {"field": "risk_level", "map": {"very_high": "high"}}},
            {"map_options": {"field": "concerns", "map": {"labour": "violence"}}},
        ],
    )
    result = services.apply_pack(changed.path)
    assert [m["records"] for m in result.migrations] == [1, 2]
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.data["risk_level"] == "high" and one.data["concerns"] == ["violence", "neglect"]
    assert two.data["concerns"] == ["violence"]  # no duplicate after mapping
    assert AuditEvent.objects.filter(action="config.data_migration").count() == 2


def test_type_change_with_data_is_refused(pack_copy, make_case):
    services.apply_pack(BASE)
    make_case({"name_first": "A", "sex": "male", "age": 9})
    changed = pack_copy(BASE)
    changed.edit(
        "forms/registration.yaml", lambda d: d["sections"][0]["fields"][3].update(type="text", params={})
    )
    with pytest.raises(UnsafeChange, match="type changes from integer to text"):
        services.apply_pack(changed.path)


def test_failing_migration_leaves_previous_version_and_data(pack_copy, make_case, monkeypatch):
    services.apply_pack(BASE)
    rec = make_case({"name_first": "A", "sex": "male", "risk_level": "very_high"})
    changed = pack_copy(BASE)
    changed.edit("lookups/person.yaml", lambda d: d[1].update(options=d[1]["options"][:3]))
    changed.save("migrations.yaml", [{"map_options": {"field": "risk_level", "map": {"very_high": "high"}}}])

    def explode(*args, **kwargs):
        raise RuntimeError("disk full halfway")

    monkeypatch.setattr(services.runtime, "install", explode)  # fails after the data was rewritten
    with pytest.raises(RuntimeError):
        services.apply_pack(changed.path)
    rec.refresh_from_db()
    assert rec.data["risk_level"] == "very_high"
    assert get_active().number == 1 and ConfigVersion.objects.count() == 1
    assert not AuditEvent.objects.filter(action="config.data_migration").exists()


def test_rollback_restores_the_previous_version_exactly(tmp_path):
    services.apply_pack(BASE)
    before = _read_tree(services.export_active(tmp_path / "v1"))
    services.apply_pack(OVERLAY)
    result = services.rollback()
    assert result.version.number == 3 and result.version.rolled_back_from == 1
    assert _read_tree(services.export_active(tmp_path / "v3")) == before
    assert get_active().version.content_hash == ConfigVersion.objects.get(number=1).content_hash
    assert AuditEvent.objects.filter(action="config.rollback").exists()
    rows = services.history()
    assert [r["number"] for r in rows] == [3, 2, 1] and rows[0]["active"]


def test_rollback_refuses_to_orphan_data(make_case):
    services.apply_pack(BASE)
    services.apply_pack(OVERLAY)
    make_case({"name_first": "A", "sex": "male", "xc_refugee_id": "R-1"})
    with pytest.raises(UnsafeChange, match="hold data in 'xc_refugee_id'"):
        services.rollback(1)
    assert get_active().number == 2


def main(argv: list[str]) -> int:
    """Run `kinga pack ...` in-process. (kinga.cli.main would close the test's database connection.)"""
    try:
        call_command(*argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_cli_round_trip(tmp_path, capsys):
    assert main(["pack", "apply", str(BASE)]) == 0
    assert main(["pack", "apply", str(OVERLAY), "--dry-run"]) == 0
    assert "Dry run" in capsys.readouterr().out
    assert main(["pack", "diff", str(OVERLAY)]) == 0
    out = capsys.readouterr().out
    assert "+ field case.xc_refugee_id" in out and "- field case.nickname" in out
    assert main(["pack", "diff", str(OVERLAY), "--json"]) == 0
    assert '"summary"' in capsys.readouterr().out
    assert main(["pack", "apply", str(OVERLAY), "--note", "country"]) == 0
    assert main(["pack", "history"]) == 0
    assert "* v2" in capsys.readouterr().out
    assert main(["pack", "export", str(tmp_path / "out")]) == 0
    assert main(["pack", "export", str(tmp_path / "out")]) == 1  # refuses to overwrite
    assert "already exists" in capsys.readouterr().err
    assert main(["pack", "rollback"]) == 0
    assert main(["pack", "rollback", "99"]) == 1
    out, err = capsys.readouterr()
    assert "no configuration version 99" in err and "Traceback" not in out + err


def test_declared_retype_converts_stored_values_or_refuses(pack_copy, make_case):
    services.apply_pack(BASE)
    rec = make_case({"name_first": "A", "sex": "male", "nickname": "12"})
    changed = pack_copy(BASE)
    changed.edit("forms/registration.yaml", lambda d: d["sections"][0]["fields"][6].update(type="integer"))
    changed.save("migrations.yaml", [{"retype_field": {"field": "nickname", "from": "text"}}])
    bad = make_case({"name_first": "B", "sex": "male", "nickname": "Mimi"})
    with pytest.raises(UnsafeChange, match="1 stored value\\(s\\) cannot become integer"):
        services.apply_pack(changed.path)
    assert get_active().number == 1
    from kinga.records.actions import delete_record

    delete_record(user=None, record=bad, reason="test")  # deleted records are not migrated or counted
    services.apply_pack(changed.path)
    rec.refresh_from_db()
    assert rec.data["nickname"] == 12
