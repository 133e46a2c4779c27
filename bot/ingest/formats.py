"""The one table of report formats: file suffix → reader. Every list of supported types derives from it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.ingest.readers.image import read_image
from bot.ingest.readers.legacy import read_legacy_word
from bot.ingest.readers.ofd import read_ofd
from bot.ingest.readers.pdf import read_pdf
from bot.ingest.readers.text import read_txt
from bot.ingest.readers.word import read_docx
from bot.ingest.readers.xlsx import read_xlsx

Reader = Callable[[Path], str]

READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".ofd": read_ofd,
    ".doc": read_legacy_word,
    ".wps": read_legacy_word,
    # Scans, read by OCR (the `ocr` extra; without it each is skipped naming what to install).
    ".jpg": read_image,
    ".jpeg": read_image,
    ".png": read_image,
    ".tif": read_image,
    ".tiff": read_image,
    ".xlsx": read_xlsx,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(READERS)


def is_supported(path: Path | str) -> bool:
    """True when the file's suffix (any case) has a reader."""
    return Path(path).suffix.lower() in READERS


def describe_supported() -> str:
    """The supported types as users read them: ".txt、.docx、.pdf"."""
    return "、".join(SUPPORTED_SUFFIXES)


# Files an office keeps beside its reports that have no reader: what to do with each, so the skipped list
# says more than "not supported" (old Excel attachments are common in report folders).
_WHAT_TO_DO = {
    ".xls": "请用 Excel/WPS 打开后另存为 .xlsx",
    ".et": "请用 WPS 表格打开后另存为 .xlsx",
    ".rtf": "请用 Word/WPS 打开后另存为 .docx",
    ".wpt": "请用 WPS 文字打开后另存为 .docx",
    ".dot": "请用 Word/WPS 打开后另存为 .docx",
    ".dotx": "请用 Word/WPS 打开后另存为 .docx",
    ".odt": "请用 WPS/LibreOffice 打开后另存为 .docx",
    ".zip": "请先解压，把其中的报告放入文件夹",
    ".rar": "请先解压，把其中的报告放入文件夹",
    ".7z": "请先解压，把其中的报告放入文件夹",
}


def unsupported_reason(suffix: str) -> str:
    """The message for a file whose suffix has no reader, with what to do when the type is a known one."""
    reason = f"不支持的文件类型“{suffix or '无扩展名'}”。"
    if hint := _WHAT_TO_DO.get(suffix.lower()):
        return f"{reason}{hint}"
    return f"{reason}支持的类型：{describe_supported()}"
