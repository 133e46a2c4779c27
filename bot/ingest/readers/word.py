"""Word (.docx) reports: body paragraphs and tables in document order.

A table becomes lines that keep its labels, so that "行政执法案件｜728件。" can be quoted and counted as
a figure (bot.figures reads the label beside the number; after "：" or "，" it finds none): a two-column
table gives "label｜value。" per row; a wider one gives its first row as the column names
("项目｜2023年｜2024年。") and then one line per value, "行政执法案件｜2024年｜728件。" (a leading 序号
column is passed over for the label, a lone value column needs no name). The "｜" and the
closing "。" are the reader's rendering of the grid (each line then stands as its own sentence and
paragraph); the cell texts are kept as written, whitespace runs made one space.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from bot.errors import UnsupportedFile
from bot.ingest.limits import check_zip, current, over_limit
from bot.ingest.readers import EMPTY_FILE, OLE_MAGIC, encrypted_office, is_encrypted_office, read_bytes

_BROKEN = "Word 文件已损坏或不是有效的 .docx 文件。请用 Word/WPS 打开后重新另存为 .docx"
_SERIAL = re.compile(r"\d{1,4}[.、．]?")
_PARAGRAPH_TAGS = (b"<w:p>", b"<w:p ", b"<w:p/>")


def read_docx(path: Path) -> str:
    """Paragraphs and table rows of a .docx in reading order, one per line."""
    data = read_bytes(path)
    if not data:
        raise UnsupportedFile(str(path), EMPTY_FILE)
    if is_encrypted_office(data):
        raise UnsupportedFile(str(path), encrypted_office("Word/WPS", ".docx"))
    if data.startswith(OLE_MAGIC):
        raise UnsupportedFile(
            str(path), "这是旧版 Word（.doc）文件，只是扩展名为 .docx。请把扩展名改为 .doc，或另存为 .docx"
        )
    try:
        _check_cost(path)
        return "\n".join(_document_lines(path))
    except UnsupportedFile:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnsupportedFile(str(path), _BROKEN) from exc
    except Exception as exc:  # python-docx/lxml raise several unrelated types for broken packages
        raise UnsupportedFile(
            str(path), f"Word 文件无法解析（{type(exc).__name__}）。请用 Word/WPS 打开后重新另存为 .docx"
        ) from exc


def _check_cost(path: Path) -> None:
    """Refuse a zip bomb before python-docx inflates it: member sizes, then the paragraph count."""
    with zipfile.ZipFile(path) as package:
        check_zip(str(path), package)
        # python-docx builds an object per paragraph: 17 million empty ones took minutes and gigabytes.
        # Every word/*.xml part is counted: the body is not always word/document.xml (document2.xml).
        count = 0
        for name in package.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                count += _paragraph_tags(package, name, current().report_paragraphs - count)
                if count > current().report_paragraphs:
                    raise over_limit(str(path), "report_paragraphs")


def _paragraph_tags(package: zipfile.ZipFile, name: str, budget: int) -> int:
    """Paragraph start tags in one member, read in 1 MB pieces; stops once past `budget`."""
    count, tail = 0, b""
    with package.open(name) as part:
        while count <= budget and (chunk := part.read(1 << 20)):
            window = tail + chunk
            count += sum(window.count(tag) for tag in _PARAGRAPH_TAGS)
            tail = window[-4:]  # shorter than every tag (5+ bytes): none is counted twice
    return count


def _document_lines(path: Path) -> list[str]:
    # Imported here: `import bot` must stay light, and python-docx pulls in lxml.
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(element, document).text)
        elif tag == "tbl":
            lines.extend(table_lines(_grid(Table(element, document))))
    return lines


def _grid(table) -> list[list[str]]:
    """The cell texts row by row; a cell merged across columns is kept once in its row."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        # Keyed by id() but holding the element: an lxml proxy that is let go may hand its id to another.
        seen: dict[int, object] = {}
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen[id(cell._tc)] = cell._tc
                cells.append(cell.text)
        rows.append(cells)
    return rows


def table_lines(rows: list[list[str]]) -> list[str]:
    """Labelled lines for a table given as rows of cell texts (shared with the .xlsx reader)."""
    if max((len(_trailing_empty_dropped([c.strip() for c in row])) for row in rows), default=0) == 1:
        # A one-column table is often a frame around the body text (some reports sit whole in one
        # cell): its cells stay as written, paragraph breaks and all, so headings are still found.
        return [row[0] for row in rows if row and row[0].strip()]
    rows = [_trailing_empty_dropped([" ".join(cell.split()) for cell in row]) for row in rows]
    rows = [row for row in rows if row]
    width = max((len(row) for row in rows), default=0)
    if width <= 2 or len(rows) == 1:
        return [_line(row) for row in rows]
    header, *body = rows
    # A leading 序号 column numbers the rows: the label is the column after it.
    label = 1 if _is_serial_column(header, body) else 0
    named = width - label - 1 > 1  # with one value column its header adds nothing ("数量")
    lines = [_line(header)]
    for row in body:
        name = row[label] if label < len(row) else ""
        values = [
            (header[i] if named and i < len(header) else "", value)
            for i, value in enumerate(row)
            if i > label and value and value != name
        ]
        if not values and name:
            lines.append(_line([name]))
        lines.extend(_line([name, column, value]) for column, value in values)
    return lines


def _is_serial_column(header: list[str], body: list[list[str]]) -> bool:
    if header[0] in ("序号", "编号", "序"):
        return True
    return bool(body) and all(_SERIAL.fullmatch(row[0]) for row in body)


def _trailing_empty_dropped(row: list[str]) -> list[str]:
    while row and not row[-1]:
        row = row[:-1]
    return row


def _line(cells: list[str]) -> str:
    line = "｜".join(cell for cell in cells if cell)
    return line if line.endswith(("。", "！", "？", "；")) else line + "。"
