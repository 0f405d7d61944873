"""Builder failures: KingaError subclasses, so the API answers them with the error envelope (4xx)."""

from __future__ import annotations

from kinga.core.errors import KingaError


class OpError(KingaError):
    """A malformed or impossible edit operation."""

    code = "invalid_operation"
    status = 400


class LockedField(KingaError):
    """An edit of a locked standard element; `code` is the configpacks rule (locked_changed, ...)."""

    status = 409


class DraftClosed(KingaError):
    code = "draft_closed"
    status = 409


class StaleDraft(KingaError):
    code = "stale_draft"
    status = 409


class DraftInvalid(KingaError):
    """The draft does not validate: details carry the problems in plain words."""

    code = "draft_invalid"
    status = 400
