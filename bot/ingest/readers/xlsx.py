"""Excel (.xlsx) attachments: every sheet as a block of labelled lines under the sheet name.

Read with openpyxl in read-only, values-only mode (formulas give the value Excel last saved). Each
sheet opens with a heading line numbered in sheet order ("一、执法数据"), so its name becomes the
section of the passages below it; its rows become lines as a Word table's do
(bot.ingest.readers.word.table_lines), e.g. "行政执法案件｜2024年｜728件。".
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path

from bot.errors import UnsupportedFile
from bot.ingest.limits import Deadline, check_zip, current, over_limit
from bot.ingest.readers import EMPTY_FILE, OLE_MAGIC, encrypted_office, is_encrypted_office, read_bytes
from bot.ingest.readers.word import table_lines

_BROKEN = "Excel 文件已损坏或不是有效的 .xlsx 文件。请用 Excel/WPS 打开后重新另存为 .xlsx"
_NUMERALS = "一二三四五六七八九十"


def read_xlsx(path: Path) -> str:
    """The sheets of an .xlsx, each a numbered heading line followed by its labelled rows."""
    data = read_bytes(path)
    if not data.strip():
        raise UnsupportedFile(str(path), EMPTY_FILE)
    if is_encrypted_office(data):
        raise UnsupportedFile(str(path), encrypted_office("Excel/WPS", ".xlsx"))
    if data.startswith(OLE_MAGIC):
        raise UnsupportedFile(str(path), "这是旧版 Excel（.xls）文件。请用 Excel/WPS 打开后另存为 .xlsx")
    try:
        with zipfile.ZipFile(path) as package:
            check_zip(str(path), package)
        return "\n".join(_workbook_lines(path))
    except UnsupportedFile:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnsupportedFile(str(path), _BROKEN) from exc
    except Exception as exc:  # openpyxl and its XML parser raise many unrelated types for broken files
        raise UnsupportedFile(
            str(path), f"Excel 文件无法解析（{type(exc).__name__}）。请用 Excel/WPS 打开后重新另存为 .xlsx"
        ) from exc


def _workbook_lines(path: Path) -> list[str]:
    # Imported here: `import bot` must stay light.
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        lines: list[str] = []
        budget = _Budget(str(path))
        for number, sheet in enumerate(book.worksheets, start=1):
            rows = [row for row in _rows(sheet, budget) if any(row)]
            if rows:
                lines.append(f"{_ordinal(number)}、{sheet.title}")
                lines.extend(table_lines(rows))
        return lines
    finally:
        book.close()


class _Budget:
    """The file's share of the limits, spent row by row: cells, characters and time."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.cells = 0
        self.chars = 0
        self.deadline = Deadline(path)

    def spend(self, row: list[str]) -> None:
        self.cells += len(row)
        self.chars += sum(len(cell) for cell in row)
        if self.cells > current().table_cells:
            raise over_limit(self.path, "table_cells", self.cells)
        if self.chars > current().report_chars:
            raise over_limit(self.path, "report_chars", self.chars)
        self.deadline.check()


def _rows(sheet, budget: _Budget) -> Iterator[list[str]]:
    # The stored dimension ("A1:XFD1048576") may be false: read only the cells the sheet holds.
    sheet.reset_dimensions()
    for values in sheet.iter_rows(values_only=True):
        row = [_text(value) for value in values]
        budget.spend(row)
        yield row


def _ordinal(number: int) -> str:
    """一 … 九十九 for a sheet's position, as report headings number sections."""
    tens, ones = divmod(number, 10)
    if number < 10:
        return _NUMERALS[number - 1]
    return (_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (_NUMERALS[ones - 1] if ones else "")


def _text(value: object) -> str:
    """A cell value as the sheet shows it: 728 not 728.0, a date as 2024-03-01, 是/否 for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
