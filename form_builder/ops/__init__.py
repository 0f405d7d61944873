"""Edit operations on a draft: one small function per operation, registered by name.

    apply_ops(draft, user=..., ops=[{"op": "add_field", "form": ..., ...}], revision=7)

All operations of one call succeed or none does; each is audited as `builder.edit`. The payload of
every operation is documented in docs/form_builder.md ("Edit operations").
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from kinga.core.errors import KingaError

from ..errors import DraftClosed, OpError, StaleDraft
from ..models import Draft

# Importing the modules registers their operations.
from . import fields, files, lookups, translations  # noqa: E402,F401,I001
from .base import OPS, Context

__all__ = ["OPS", "apply_ops"]


def apply_ops(draft: Draft, *, user, ops: list, revision: int | None = None) -> dict:
    from kinga.audit.chain import record_event

    from .. import drafts, permissions

    permissions.require_admin(user)
    if not isinstance(ops, list) or not ops or not all(isinstance(o, dict) for o in ops):
        raise OpError("Send one operation object, or 'ops': a non-empty list of operation objects.")
    if len(ops) > 200:
        raise OpError("Send at most 200 operations at once.")
    with transaction.atomic():
        draft = Draft.objects.select_for_update(of=("self",)).select_related("base_version").get(pk=draft.pk)
        if draft.status != Draft.OPEN:
            raise DraftClosed(f"This draft is {draft.status}; start a new draft to make more changes.")
        if revision is not None and revision != draft.revision:
            raise StaleDraft(
                f"The draft changed since you loaded it (revision {draft.revision}, you sent {revision}); "
                "reload it and try again."
            )
        ws = drafts.workspace(draft)
        ctx = Context(ws=ws, locks=drafts.locks_for(draft, ws), namespace=draft.namespace)
        results = []
        for i, payload in enumerate(ops):
            name = payload.get("op")
            fn = OPS.get(name) if isinstance(name, str) else None
            if fn is None:
                raise OpError(f"Unknown operation {name!r}; known: {', '.join(sorted(OPS))}.")
            try:
                results.append({"op": name, **fn(ctx, payload)})
            except KingaError as exc:
                if len(ops) > 1:
                    exc.message = f"Operation {i + 1} ({name}): {exc.message}"
                raise
        files = ws.flush()
        total = sum(len(t.encode()) for t in files.values())
        if total > settings.KINGA_MAX_PACK_TOTAL_BYTES:
            raise OpError(
                f"The draft would hold {total} bytes; the limit is {settings.KINGA_MAX_PACK_TOTAL_BYTES}."
            )
        draft.files = files
        draft.revision += 1
        draft.save(update_fields=["files", "revision", "updated_at"])
        for r in results:
            record_event(
                "builder.edit",
                user=user,
                details={
                    "draft": draft.pk,
                    "revision": draft.revision,
                    "op": r["op"],
                    "summary": r["summary"],
                },
            )
    return {"revision": draft.revision, "results": results}
