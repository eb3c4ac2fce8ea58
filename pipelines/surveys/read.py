"""Read a survey export (.xlsx or .csv) into its header and rows, as the file numbers them.

Webropol and Forms exports often put a title row or two above the header, so the header is
the first of the top rows that holds the most mapped headers. CSV exports come as UTF-8
(with or without BOM) or Windows-1252, separated by ';' or ','.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from pipelines.surveys import fields

HEADER_SEARCH = 20        # rows looked at for the header
MAX_BYTES = 50 * 2**20    # a survey of a county's organisations is far smaller
MAX_ROWS = 100_000


class ReadError(ValueError):
    """The export cannot be read; the message names the file."""


@dataclass
class Table:
    path: Path
    header_row: int                      # 1-based, as a spreadsheet shows it
    headers: list[str]
    rows: list[tuple[int, list]]         # (1-based row number, cells)

    def index(self) -> dict[str, int]:
        """Folded header -> column position (the first of equal headers)."""
        out: dict[str, int] = {}
        for i, h in enumerate(self.headers):
            out.setdefault(fields.key(h), i)
        return out


def read(path: Path, wanted: list[str], sheet: str | None = None) -> Table:
    """The export's table; `wanted` are the mapped headers that find the header row."""
    path = Path(path)
    if not path.is_file():
        raise ReadError(f"{path}: no such file (named by the mapping's [survey] file)")
    if path.stat().st_size > MAX_BYTES:
        raise ReadError(f"{path}: larger than {MAX_BYTES // 2**20} MB; not a survey export")
    suffix = path.suffix.lower()
    grid = _xlsx(path, sheet) if suffix == ".xlsx" else _csv(path)
    return _table(path, grid, {fields.key(w) for w in wanted})


def _xlsx(path: Path, sheet: str | None) -> list[list]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zipfile, XML and openpyxl errors alike
        raise ReadError(f"{path}: not a readable .xlsx file ({type(exc).__name__})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ReadError(f"{path}: no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
        ws = book[sheet] if sheet else book.worksheets[0]
        grid = []
        for row in ws.iter_rows(values_only=True):
            grid.append(list(row))
            if len(grid) > MAX_ROWS:
                raise ReadError(f"{path}: more than {MAX_ROWS} rows; not a survey export")
        return grid
    finally:
        book.close()


def _csv(path: Path) -> list[list]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Windows-1252: every byte decodes
    lines = [ln for ln in text.splitlines()[:HEADER_SEARCH] if ln.strip()]
    sample = "\n".join(lines)
    delimiter = max((";", ",", "\t"), key=lambda d: max((ln.count(d) for ln in lines), default=0))
    if not sample or sample.count(delimiter) == 0:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid = []
    for row in reader:
        grid.append(row)
        if len(grid) > MAX_ROWS:
            raise ReadError(f"{path}: more than {MAX_ROWS} rows; not a survey export")
    return grid


def _table(path: Path, grid: list[list], wanted: set[str]) -> Table:
    best, best_hits = None, 0
    for i, row in enumerate(grid[:HEADER_SEARCH]):
        hits = sum(1 for c in row if c is not None and fields.key(c) in wanted)
        if hits > best_hits:
            best, best_hits = i, hits
    if best is None:
        raise ReadError(f"{path}: none of the mapped columns is in the first {HEADER_SEARCH} "
                        "rows; is this the export the mapping names?")
    headers = ["" if c is None else str(c).strip() for c in grid[best]]
    rows = [(best + 2 + j, list(r)) for j, r in enumerate(grid[best + 1:])]
    return Table(path, best + 1, headers, rows)
