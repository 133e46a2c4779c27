"""Word (.docx) reports: body paragraphs and table cells in document order."""

from __future__ import annotations

import zipfile
from pathlib import Path

from bot.errors import UnsupportedFile
from bot.ingest.readers import EMPTY_FILE, read_bytes


def read_docx(path: Path) -> str:
    """Paragraphs and table cells of a .docx in reading order, one per line."""
    # Imported here: `import bot` must stay light, and python-docx pulls in lxml.
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    head = read_bytes(path)[:8]
    if not head:
        raise UnsupportedFile(str(path), EMPTY_FILE)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFile(
            str(path), "这是旧版 Word（.doc）文件，只是扩展名为 .docx。请把扩展名改为 .doc，或另存为 .docx"
        )
    try:
        document = docx.Document(str(path))
        lines: list[str] = []
        for element in document.element.body.iterchildren():
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(Paragraph(element, document).text)
            elif tag == "tbl":
                lines.extend(_table_lines(Table(element, document)))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnsupportedFile(
            str(path), "Word 文件已损坏或不是有效的 .docx 文件。请用 Word/WPS 打开后重新另存为 .docx"
        ) from exc
    except Exception as exc:  # python-docx/lxml raise several unrelated types for broken packages
        raise UnsupportedFile(
            str(path), f"Word 文件无法解析（{type(exc).__name__}）。请用 Word/WPS 打开后重新另存为 .docx"
        ) from exc
    return "\n".join(lines)


def _table_lines(table) -> list[str]:
    """One line per cell, in reading order; a merged cell repeats across the grid, so keep it once."""
    lines: list[str] = []
    # Keyed by id() but holding the element: an lxml proxy that is let go may hand its id to another.
    seen: dict[int, object] = {}
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen[id(cell._tc)] = cell._tc
            if cell.text.strip():
                lines.append(cell.text)
    return lines
