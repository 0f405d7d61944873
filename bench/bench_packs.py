"""Pack pipeline speed: validate, apply, export and diff the standard pack and the example overlay.

    DATABASE_URL=sqlite:////tmp/bench_packs.sqlite3 .venv/bin/python bench/bench_packs.py

Uses its own SQLite database by default (created fresh); prints medians over several runs.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench_packs.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinga.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from kinga.configpacks import apply as packs  # noqa: E402
from kinga.configpacks.models import ConfigVersion  # noqa: E402


def timed(fn, runs=5):
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out)


def main() -> None:
    call_command("migrate", verbosity=0)
    standard, example = ROOT / "config_packs" / "standard", ROOT / "config_packs" / "example"
    report = packs.validate_pack(standard)
    cfg = report.config
    n_fields = sum(1 for f in cfg["forms"].values() for s in f["sections"] for _ in s["fields"])
    print(
        f"standard pack: {len(cfg['forms'])} forms, {n_fields} top-level fields, {len(cfg['lookups'])} lookups"
    )
    print(f"validate standard      median {timed(lambda: packs.validate_pack(standard)):8.1f} ms")
    print(f"validate example       median {timed(lambda: packs.validate_pack(example)):8.1f} ms")

    def apply_fresh():
        ConfigVersion.objects.all().delete()
        packs.apply_pack(example)

    print(f"apply example (fresh)  median {timed(apply_fresh, runs=3):8.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(100))
        export = lambda: packs.export_active(Path(tmp) / f"x{next(counter)}")  # noqa: E731
        print(f"export active          median {timed(export, runs=3):8.1f} ms")
        out = packs.export_active(Path(tmp) / "y")
        print(f"diff export vs active  median {timed(lambda: packs.diff_pack(out), runs=3):8.1f} ms")


if __name__ == "__main__":
    main()
