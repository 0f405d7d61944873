"""Errors that cross layers. Each carries a stable machine code and a sentence a person can act on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class KingaError(Exception):
    """Base for expected failures: bad input, refused operations. Never a traceback for users."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, details: Any = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details


class NotFound(KingaError):
    code = "not_found"
    status = 404


class PermissionDenied(KingaError):
    code = "permission_denied"
    status = 403


class Conflict(KingaError):
    code = "conflict"
    status = 409


@dataclass
class FieldIssue:
    """One validation problem on one field: path like "household[2].age"."""

    path: str
    code: str
    message: str
    severity: str = "error"  # "error" blocks the save, "warning" is stored for data-quality reports
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"field": self.path, "code": self.code, "message": self.message, "severity": self.severity}


class ValidationFailed(KingaError):
    code = "validation_failed"

    def __init__(self, issues: list[FieldIssue], message: str = "The record has errors."):
        super().__init__(message, details=[i.as_dict() for i in issues])
        self.issues = issues
