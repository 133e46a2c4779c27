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


def unsupported_reason(suffix: str) -> str:
    """The message for a file whose suffix has no reader."""
    return f"不支持的文件类型“{suffix or '无扩展名'}”。支持的类型：{describe_supported()}"
