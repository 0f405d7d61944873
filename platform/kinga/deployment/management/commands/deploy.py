"""`kinga deploy --standard [--country PATH] [--demo [--demo-size N]] [--if-empty]`

From an empty database to a running instance in one command: migrate, apply the standard pack (or
a country overlay of it, which brings the standard with it), create the `admin` superuser and, with
--demo, one user per role plus synthetic demo data.

    KINGA_ADMIN_PASSWORD   password of `admin` (default: generated and printed once)
    KINGA_DEMO_PASSWORD    password of every demo user (default: kinga-demo-2026)
"""

from __future__ import annotations

import os
import secrets
import time
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

DEFAULT_DEMO_PASSWORD = "kinga-demo-2026"


@contextmanager
def deferred_record_events():
    """Hold back record-change subscribers (search indexing) during a bulk load; the caller
    rebuilds the index once afterwards."""
    from kinga.records import events

    with events.held():
        yield


# Demo organisations and staff. Role users are named after their role id (README documents them).
AGENCIES = {
    "dsw": "Department of Social Welfare",
    "hfc": "Hope for Children Kivania",
    "wsn": "Women's Safe Network",
}
# role id -> (agency code, location, group code)
ROLE_HOMES = {
    "caseworker": ("dsw", "KV01", "dsw-lumara"),
    "supervisor": ("dsw", "KV01", "dsw-lumara"),
    "cm_manager": ("dsw", "KV", None),
    "im_admin": ("dsw", "KV", None),
    "community_notifier": ("dsw", "KV0101", None),
    "auditor": (None, "KV", None),
    "gbv_caseworker": ("wsn", "KV01", "wsn-team"),
    "gbv_supervisor": ("wsn", "KV01", "wsn-team"),
    "gbv_manager": ("wsn", "KV", None),
}
# Extra caseworkers so caseloads, groups and cross-agency duplicates look like a real district.
EXTRA_STAFF = [
    ("caseworker2", "caseworker", "dsw", "KV02", "dsw-selvane", ["KV02"]),
    ("caseworker3", "caseworker", "dsw", "KV03", "dsw-tessaru", ["KV03"]),
    ("caseworker_hfc", "caseworker", "hfc", "KV01", "hfc-team", ["KV01", "KV02"]),
    ("caseworker_hfc2", "caseworker", "hfc", "KV02", "hfc-team", ["KV02", "KV01"]),
    ("supervisor_hfc", "supervisor", "hfc", "KV01", "hfc-team", []),
    ("gbv_caseworker2", "gbv_caseworker", "wsn", "KV02", "wsn-team", []),
]


class Command(BaseCommand):
    help = "Deploy a Kinga instance: migrate, apply the standard (and a country overlay), create users, optional demo data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--standard", action="store_true", help="Deploy the open standard pack (config_packs/standard)."
        )
        parser.add_argument(
            "--country", metavar="PATH", help="A country overlay pack that extends the standard."
        )
        parser.add_argument(
            "--demo", action="store_true", help="Create one user per role and synthetic demo data."
        )
        parser.add_argument("--demo-size", type=int, default=520, help="Number of demo cases (default 520).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed of the demo data.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if a configuration is already active."
        )

    def handle(self, *args, **opts):
        started = time.monotonic()
        if not opts["standard"] and not opts["country"]:
            raise CommandError("Say what to deploy: --standard, optionally with --country PATH.")
        call_command("migrate", interactive=False, verbosity=0)

        from kinga.configpacks.models import ConfigVersion

        active = ConfigVersion.objects.filter(is_active=True).first()
        if opts["if_empty"] and active is not None:
            packs = ", ".join(f"{p['id']} {p['version']}" for p in active.packs or [])
            self.stdout.write(
                f"Kinga is already deployed (configuration v{active.number}: {packs}); nothing to do."
            )
            return

        self.apply(opts["country"])
        admin_password = self.create_admin()
        if opts["demo"]:
            self.create_demo(opts["demo_size"], opts["seed"])
        self.stdout.write(self.style.SUCCESS(f"Deployed in {time.monotonic() - started:.1f} s."))
        if admin_password:
            self.stdout.write(
                f"Admin user: admin / {admin_password}  (shown once; set KINGA_ADMIN_PASSWORD to choose it)"
            )

    # -- steps --------------------------------------------------------------------------------------
    def apply(self, country: str | None) -> None:
        from kinga.configpacks.apply import apply_pack
        from kinga.configpacks.problems import PackInvalid

        # An overlay names the standard in `extends`: applying it applies both.
        path = Path(country) if country else Path(settings.REPO_DIR) / "config_packs" / "standard"
        if not path.exists():
            raise CommandError(f"No pack at {path}.")
        t0 = time.monotonic()
        try:
            result = apply_pack(path, note="kinga deploy")
        except PackInvalid as exc:
            raise CommandError(f"The pack at {path} is not valid:\n{exc}") from None
        packs = ", ".join(f"{p['id']} {p['version']}" for p in result.version.packs or [])
        self.stdout.write(
            f"Configuration v{result.version.number} active ({packs}) in {time.monotonic() - t0:.1f} s."
        )

    def create_admin(self) -> str | None:
        from kinga.accounts.models import User

        if User.objects.filter(username="admin").exists():
            return None
        password = os.environ.get("KINGA_ADMIN_PASSWORD")
        generated = not password
        password = password or secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username="admin", email="", password=password, roles=["im_admin"], location="KV"
        )
        return password if generated else None

    def create_demo(self, size: int, seed: int) -> None:
        from django.contrib.auth.hashers import make_password

        from kinga.accounts.models import Agency, User, UserGroup
        from kinga.configpacks.runtime import get_active
        from kinga.deployment.demo import DemoBuilder, Staff

        t0 = time.monotonic()
        password = os.environ.get("KINGA_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        agencies = {
            code: Agency.objects.get_or_create(code=code, defaults={"name": name})[0]
            for code, name in AGENCIES.items()
        }
        groups: dict[str, UserGroup] = {}

        def group(code: str | None, agency: str | None):
            if not code:
                return None
            if code not in groups:
                groups[code] = UserGroup.objects.get_or_create(
                    code=code,
                    defaults={"name": code.replace("-", " ").title(), "agency": agencies.get(agency)},
                )[0]
            return groups[code]

        # Hash once: Argon2 costs ~0.8 s a call, and every demo user shares the documented password.
        hashed = make_password(password)

        def user(username, roles, agency, location, group_code):
            u = User.objects.filter(username=username).first()
            if u is None:
                u = User(
                    username=username, roles=list(roles), agency=agencies.get(agency), location=location or ""
                )
                u.password = hashed
                u.save()
            g = group(group_code, agency)
            if g is not None:
                u.groups_kinga.add(g)
            return u

        with transaction.atomic():
            role_users = {}
            # One user per role of the active configuration (country roles included).
            for role_id, role in get_active().data.get("roles", {}).items():
                agency, location, group_code = ROLE_HOMES.get(role_id, ("dsw", "KV01", None))
                if role.get("module") == "gbv" and role_id not in ROLE_HOMES:
                    agency = "wsn"
                role_users[role_id] = user(role_id, [role_id], agency, location, group_code)
            extra = {}
            for username, role, agency, location, group_code, _provinces in EXTRA_STAFF:
                if role in role_users:
                    extra[username] = user(username, [role], agency, location, group_code)
        self.stdout.write(
            f"Demo users: {', '.join(sorted([*role_users, *extra]))} (password from KINGA_DEMO_PASSWORD, default {DEFAULT_DEMO_PASSWORD})."
        )

        caseworkers = [(role_users["caseworker"], ["KV01", "KV02", "KV03"] if len(extra) < 2 else ["KV01"])]
        caseworkers += [
            (extra[name], provs)
            for name, role, *_rest, provs in EXTRA_STAFF
            if role == "caseworker" and name in extra
        ]
        staff = Staff(
            caseworkers=caseworkers,
            gbv_caseworkers=[
                u
                for name, u in [("gbv_caseworker", role_users.get("gbv_caseworker")), *extra.items()]
                if u is not None and "gbv_caseworker" in u.roles
            ],
            supervisor_by_agency={},
            notifier=role_users.get("community_notifier"),
        )
        # One transaction and one search reindex at the end instead of a commit and an index update
        # per record: every record still goes through the action layer's validation and audit.
        with deferred_record_events(), transaction.atomic():
            stats = DemoBuilder(staff, size=size, seed=seed).build()
        self.stdout.write(
            f"Demo data in {time.monotonic() - t0:.1f} s: {stats.cases} cases ({stats.duplicates} planted duplicates, "
            f"{stats.siblings} sibling links, {stats.step_by_step} updated step by step), {stats.incidents} GBV incidents, "
            f"{stats.tracing_requests} tracing requests, {stats.notifications} notifications."
        )
        t1 = time.monotonic()
        try:
            call_command("search", "reindex", stdout=StringIO())
            self.stdout.write(f"Search index rebuilt in {time.monotonic() - t1:.1f} s.")
        except CommandError as exc:  # no search app installed: nothing to rebuild
            self.stderr.write(f"Search index not rebuilt: {exc}")
        if stats.failures:
            self.stderr.write(f"{len(stats.failures)} demo records were refused by validation; first ones:")
            for line in stats.failures[:10]:
                self.stderr.write(f"  {line}")
