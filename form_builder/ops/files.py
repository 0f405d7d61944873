"""Raw file edits (the builder's "edit YAML" escape hatch). Locks are still enforced: validate and
publish run the lock guard over the compiled configuration, whatever the files say."""

from __future__ import annotations

from django.conf import settings
from kinga.core.errors import NotFound

from ..drafts import safe_path
from ..errors import OpError
from .base import Context, done, get_str, op


@op("put_file")
def put_file(ctx: Context, p: dict) -> dict:
    path = get_str(p, "path")
    text = p.get("text")
    if not safe_path(path):
        raise OpError(
            f"'{path}' is not a pack file Kinga reads (pack.yaml, forms/<id>.yaml, lookups/<id>.yaml, "
            "roles.yaml, workflows.yaml, kpis.yaml, ...)."
        )
    if not isinstance(text, str) or not text.strip():
        raise OpError("'text' must be the file's whole (non-empty) content.")
    limit = settings.KINGA_MAX_PACK_FILE_BYTES
    if len(text.encode()) > limit:
        raise OpError(f"The file is larger than {limit} bytes.", code="file_too_large")
    ctx.ws.put_text(path, text)
    return done(f"wrote {path}")


@op("delete_file")
def delete_file(ctx: Context, p: dict) -> dict:
    path = get_str(p, "path")
    if path == "pack.yaml":
        raise OpError("pack.yaml cannot be deleted: it says which pack this is.")
    if path not in ctx.ws.files:
        raise NotFound(f"The draft has no file '{path}'.")
    ctx.ws.delete(path)
    return done(f"deleted {path}")
