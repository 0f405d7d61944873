"""Read an uploaded .xlsx XLSForm safely into rows with their spreadsheet row numbers.

openpyxl parses the workbook and pyxform's own helpers pick the header row and the data rows (so
headers and empty-row handling match what pyxform does). Before openpyxl sees the bytes, the zip is
checked: an .xlsx is a zip of XML files, and a hostile one can be a zip bomb, so every entry is
decompressed with a hard cap (the sizes in zip headers can lie). Sheets are bounded in rows, columns
and cell length; formula cells are reported, never evaluated.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from .errors import Issue, XLSFormError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_ENTRIES = 500
MAX_ROWS = 5000
MAX_COLUMNS = 256
MAX_CELL_CHARS = 10000
SHEETS = ("survey", "choices", "settings")


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (spreadsheet row, {column: text})


def _check_zip(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise XLSFormError(
            f"The file is {len(data)} bytes; an XLSForm may be at most {MAX_FILE_BYTES} bytes."
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise XLSFormError("This is an old Excel 97-2003 (.xls) file; save it as an Excel Workbook (.xlsx).")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise XLSFormError(
            "The file is not an .xlsx workbook (an .xlsx is a zip archive); save it as .xlsx."
        ) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise XLSFormError(
                f"The workbook holds more than {MAX_ENTRIES} parts; it is not a normal XLSForm."
            )
        total = 0
        for info in infos:
            try:
                with zf.open(info) as fh:
                    while chunk := fh.read(1024 * 1024):
                        total += len(chunk)
                        if total > MAX_UNCOMPRESSED_BYTES:
                            raise XLSFormError(
                                "The workbook expands to more than "
                                f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB when unpacked (a zip bomb?); refused."
                            )
            except (
                zipfile.BadZipFile,
                OSError,
                RuntimeError,
                ValueError,
                EOFError,
                NotImplementedError,
            ) as exc:
                raise XLSFormError(f"The workbook is damaged ({exc or type(exc).__name__}).") from None
        if "[Content_Types].xml" not in zf.namelist():
            raise XLSFormError("The file is a zip archive but not an Excel workbook; save the form as .xlsx.")


def _text(value) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if value is True:
        return "TRUE"
    if value is False:
        return "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\xa0", " ").strip()


def _bounded(rows, sheet: str):
    for n, row in enumerate(rows):
        if n >= MAX_ROWS:
            raise XLSFormError(
                f"The {sheet} sheet has more than {MAX_ROWS} rows; split the form into several forms."
            )
        yield row


def _read_sheet(ws, name: str, issues: list[Issue]) -> Sheet:
    from pyxform.errors import PyXFormError
    from pyxform.xls2json_backends import get_excel_column_headers, get_excel_rows

    first = next(ws.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS + 21, values_only=True), ())
    try:
        headers = get_excel_column_headers(_text(v) if v is not None else None for v in first)
    except PyXFormError as exc:  # e.g. a duplicate column header
        raise XLSFormError(f"Sheet '{name}', row 1: {exc}") from None
    if len([h for h in headers if h]) > MAX_COLUMNS:
        raise XLSFormError(f"Sheet '{name}' has more than {MAX_COLUMNS} columns.")
    columns = {i: h for i, h in enumerate(headers) if h}

    def cell(c, row_n, key):
        row = row_n + 2
        if getattr(c, "data_type", None) == "f":
            issues.append(
                Issue(
                    name,
                    row,
                    key,
                    "holds a spreadsheet formula; Kinga does not evaluate formulas "
                    "(type the value, or use a calculate row)",
                    "error",
                )
            )
            return None
        text = _text(c.value)
        if len(text) > MAX_CELL_CHARS:
            issues.append(
                Issue(name, row, key, f"is longer than {MAX_CELL_CHARS} characters; ignored", "error")
            )
            return None
        return text or None

    raw_rows = ws.iter_rows(min_row=2, max_col=max(columns, default=0) + 1)
    rows = get_excel_rows(headers, _bounded(raw_rows, name), cell)
    out = Sheet(name, [columns[i] for i in sorted(columns)])
    for i, row in enumerate(rows):
        values = {k: v for k, v in row.items() if v not in (None, "")}
        if values:
            out.rows.append((i + 2, values))
    return out


def read_workbook(data: bytes) -> tuple[dict[str, Sheet], list[Issue]]:
    """{survey|choices|settings: Sheet} and the issues found while reading (formulas, huge cells)."""
    import openpyxl

    if not isinstance(data, bytes | bytearray):
        raise XLSFormError("Send the XLSForm file itself (.xlsx).")
    _check_zip(bytes(data))
    issues: list[Issue] = []
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except XLSFormError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for malformed parts; all mean "unreadable"
        raise XLSFormError(f"The workbook cannot be read as .xlsx ({type(exc).__name__}: {exc}).") from None
    try:
        sheets = {}
        names = {n.strip().lower(): n for n in wb.sheetnames}
        for wanted in SHEETS:
            if wanted in names:
                sheets[wanted] = _read_sheet(wb[names[wanted]], wanted, issues)
        for lower, original in names.items():
            if lower not in SHEETS:
                issues.append(
                    Issue(original, None, None, "is not an XLSForm sheet Kinga reads; ignored", "warning")
                )
    except XLSFormError:
        raise
    except Exception as exc:
        raise XLSFormError(f"The workbook cannot be read as .xlsx ({type(exc).__name__}: {exc}).") from None
    finally:
        wb.close()
    if "survey" not in sheets:
        found = ", ".join(wb.sheetnames) or "none"
        raise XLSFormError(
            f"The workbook has no 'survey' sheet (sheets found: {found}); an XLSForm needs one."
        )
    return sheets, issues
