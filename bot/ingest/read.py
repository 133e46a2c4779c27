"""Bytes on disk → decoded text. Offsets later index into exactly the string returned here."""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
import zipfile
from pathlib import Path

from bot.errors import UnsupportedFile

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# Files that are not plain text although they may carry a .txt name; the message says what to do.
_MAGIC = (
    (b"PK\x03\x04", "这是一个压缩包或 Word（.docx）文件，不是纯文本。若是 Word 文档，请把扩展名改为 .docx"),
    (b"%PDF", "这是一个 PDF 文件，不是纯文本。请把扩展名改为 .pdf"),
    (b"\xd0\xcf\x11\xe0", "这是旧版 Word（.doc）或 WPS 文件。请用 Word/WPS 打开后另存为 .docx 或 .txt"),
    (b"{\\rtf", "这是 RTF 格式文件。请用 Word/WPS 打开后另存为 .docx 或 .txt"),
    (b"\x89PNG", "这是一张图片（PNG），不是文字报告。请提供文字版报告"),
    (b"\xff\xd8\xff", "这是一张图片（JPEG），不是文字报告。请提供文字版报告"),
)

# BOMs decide the encoding outright; UTF-32 must be tested before UTF-16 (same first two bytes).
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Above this share of control characters a "text" file is really binary data.
_MAX_CONTROL_RATIO = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def read_text(path: Path) -> str:
    """Decode a report file (.txt, .docx, .pdf) into text; raise UnsupportedFile saying what to do."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        text = _read_txt(path)
    elif suffix == ".docx":
        text = _read_docx(path)
    elif suffix == ".pdf":
        text = _read_pdf(path)
    else:
        supported = "、".join(SUPPORTED_SUFFIXES)
        raise UnsupportedFile(str(path), f"不支持的文件类型“{suffix or '无扩展名'}”。支持的类型：{supported}")
    if not text.strip():
        raise UnsupportedFile(str(path), "文件为空，没有可读取的文字。请检查文件内容")
    if not _CJK.search(text):
        raise UnsupportedFile(
            str(path), "文件中没有任何中文，不像是乡镇法治政府建设报告。请确认放入的是报告原文"
        )
    return text


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_txt(path: Path) -> str:
    data = _read_bytes(path)
    if not data.strip():
        raise UnsupportedFile(str(path), "文件为空，没有可读取的文字。请检查文件内容")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_controls(path, data.decode(encoding))
            except UnicodeDecodeError as exc:
                raise UnsupportedFile(
                    str(path), f"文件以 {encoding} 标记开头，但内容无法按该编码解码。请另存为 UTF-8 文本"
                ) from exc
    for magic, reason in _MAGIC:
        if data.startswith(magic):
            raise UnsupportedFile(str(path), reason)
    if b"\x00" in data:
        raise UnsupportedFile(
            str(path), "文件含有二进制数据，不是文本文件。请提供 .txt、.docx 或 .pdf 格式的报告"
        )
    # GB18030 is a superset of GBK/GB2312, the encodings Chinese Windows saves .txt in.
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _check_controls(path, text)
    raise UnsupportedFile(
        str(path), "无法识别文本编码（既不是 UTF-8 也不是 GBK）。请用记事本另存为 UTF-8 编码"
    )


def _check_controls(path: Path, text: str) -> str:
    controls = sum(1 for ch in text if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc")
    if controls > max(2, _MAX_CONTROL_RATIO * len(text)):
        raise UnsupportedFile(str(path), "文件含有大量控制字符，像是二进制文件而不是文本。请提供报告的文字版")
    return text


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnsupportedFile(str(path), f"无法打开文件（{exc.strerror or exc}）。请检查文件权限") from exc


def _read_docx(path: Path) -> str:
    # Imported here: `import bot` must stay light, and python-docx pulls in lxml.
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    head = _read_bytes(path)[:8]
    if not head:
        raise UnsupportedFile(str(path), "文件为空，没有可读取的文字。请检查文件内容")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFile(
            str(path), "这是旧版 Word（.doc）文件，只是扩展名为 .docx。请用 Word/WPS 另存为 .docx"
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


def _read_pdf(path: Path) -> str:
    import pypdf
    from pypdf.errors import PdfReadError

    data = _read_bytes(path)
    if not data.strip():
        raise UnsupportedFile(str(path), "文件为空，没有可读取的文字。请检查文件内容")
    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnsupportedFile(
                str(path), "PDF 已加密（需要密码）。请解除密码后另存为 PDF，或导出为 .txt/.docx"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnsupportedFile:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise UnsupportedFile(
            str(path), "PDF 文件已损坏或无法解析。请重新导出 PDF，或另存为 .txt/.docx"
        ) from exc
    except Exception as exc:  # pypdf raises assorted types on malformed or encrypted files
        if "crypt" in type(exc).__name__.lower() or "crypt" in str(exc).lower():
            raise UnsupportedFile(
                str(path), "PDF 已加密，无法读取。请解除密码后另存为 PDF，或导出为 .txt/.docx"
            ) from exc
        raise UnsupportedFile(
            str(path), f"PDF 文件无法解析（{type(exc).__name__}）。请重新导出 PDF，或另存为 .txt/.docx"
        ) from exc
    text = "\n".join(pages)
    if not text.strip():
        raise UnsupportedFile(
            str(path),
            "这是扫描版 PDF，没有文字层，本程序不支持 OCR 文字识别。"
            "请先用 OCR 软件或 WPS 把它转换成 .txt 或 .docx，再放入文件夹",
        )
    return text
