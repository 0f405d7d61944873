"""`kinga`: the one entry point for operators.

    kinga serve [--port N] [--host H]   run the web server (development server with static files)
    kinga migrate                       create/upgrade the database tables
    kinga pack validate|diff|apply|history|rollback|export|docs ...
    kinga deploy --standard [--country PATH] [--demo]
    kinga manage <any Django command> [args]

Each subcommand is a Django management command of the same name; this wrapper sets up settings.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PLATFORM_DIR = Path(__file__).resolve().parent.parent


def _setup() -> None:
    if str(PLATFORM_DIR) not in sys.path:
        sys.path.insert(0, str(PLATFORM_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinga.settings.dev")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__.strip())
        return 0
    command, rest = argv[0], argv[1:]
    _setup()
    from django.core.management import call_command, execute_from_command_line

    if command == "manage":
        execute_from_command_line(["kinga manage", *rest])
        return 0
    if command == "serve":
        port, host = "8000", "127.0.0.1"
        it = iter(rest)
        for arg in it:
            if arg == "--port":
                port = next(it, port)
            elif arg == "--host":
                host = next(it, host)
        call_command("runserver", f"{host}:{port}", "--noreload")
        return 0
    if command == "migrate":
        execute_from_command_line(["kinga", "migrate", *rest])
        return 0
    # pack, deploy, xlsform, search, dedup ... are management commands with argparse subcommands.
    try:
        execute_from_command_line(["kinga", command, *rest])
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
