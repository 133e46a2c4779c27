"""One reader per file format; each turns a file's bytes into text or raises UnsupportedFile."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from pathlib import Path

from bot.errors import UnsupportedFile

EMPTY_FILE = "文件为空，没有可读取的文字。请检查文件内容"
# An OLE compound file: the container of old .doc/.xls files, and of a password-protected .docx/.xlsx.
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# Office puts an encrypted .docx/.xlsx in an OLE file as a stream of this name (MS-OFFCRYPTO 2.3.4.4);
# directory entry names are UTF-16LE. An old .doc or .xls has no such stream.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def is_encrypted_office(data: bytes) -> bool:
    """True for a .docx/.xlsx saved with an open password (an OLE file holding an EncryptedPackage)."""
    return data.startswith(OLE_MAGIC) and _ENCRYPTED_PACKAGE in data


def encrypted_office(program: str, suffix: str) -> str:
    """The reason given for a password-protected Office file."""
    return f"文件设置了打开密码（已加密），无法读取。请用 {program} 打开，取消打开密码后另存为 {suffix}"


def read_bytes(path: Path) -> bytes:
    """The file's bytes; an unreadable file becomes UnsupportedFile saying what to check."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UnsupportedFile(str(path), f"无法打开文件（{exc.strerror or exc}）。请检查文件权限") from exc


class OcrElsewhere(Exception):
    """Raised instead of starting OCR inside `ocr_elsewhere()`: the caller reads the file itself."""


_ocr_here = contextvars.ContextVar("ocr_here", default=True)


@contextlib.contextmanager
def ocr_elsewhere() -> Iterator[None]:
    """Within the block a file that needs OCR raises OcrElsewhere: a sync's worker processes hand
    scans back to the main process, whose OCR worker process reads them (pools are never nested)."""
    token = _ocr_here.set(False)
    try:
        yield
    finally:
        _ocr_here.reset(token)


def check_ocr_here(path: Path) -> None:
    """Called by a reader just before it would start OCR."""
    if not _ocr_here.get():
        raise OcrElsewhere(str(path))
