"""XLSForm import and export (docs/xlsform.md). openpyxl reads and writes the workbook; pyxform's
header/row helpers read it the way pyxform does, and pyxform checks that exports convert."""

from .errors import Issue, XLSFormError
from .exporter import export_xlsform, pyxform_check
from .importer import ImportOptions, ImportResult, import_xlsform

__all__ = [
    "ImportOptions",
    "ImportResult",
    "Issue",
    "XLSFormError",
    "export_xlsform",
    "import_xlsform",
    "pyxform_check",
]
