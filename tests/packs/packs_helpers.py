"""Helpers for pack tests (imported by module name: tests/ folders are not packages)."""

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
STANDARD = REPO / "config_packs" / "standard"
EXAMPLE = REPO / "config_packs" / "example"
LANGUAGES = {"en", "fr", "ar"}


def read_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_yaml(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def validate(path: Path, base: Path | None = None):
    from kinga.configpacks.validate import validate_pack

    return validate_pack(path, base)


def error_rules(report) -> list[tuple[str, str]]:
    return [(p.rule, str(p)) for p in report.errors]
