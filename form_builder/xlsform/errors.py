"""XLSForm problems: a fatal XLSFormError, or an Issue reported by sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass

from kinga.core.errors import KingaError


class XLSFormError(KingaError):
    """The file cannot be used at all (not an .xlsx, too big, no survey sheet...)."""

    code = "xlsform_invalid"
    status = 400


@dataclass
class Issue:
    """Something in the XLSForm Kinga did not import as written. severity "error": content was dropped
    (an unsupported question type, a formula, an expression that does not parse); "warning": ignored
    or approximated without changing what the form collects (appearance, media, required_message)."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    severity: str = "error"

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "severity": self.severity,
        }

    def __str__(self) -> str:
        where = (
            self.sheet
            + (f" row {self.row}" if self.row else "")
            + (f", column '{self.column}'" if self.column else "")
        )
        return f"{where}: {self.message}" + (" (warning)" if self.severity == "warning" else "")
