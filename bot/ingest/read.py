"""Bytes on disk → decoded text. Offsets later index into exactly the string returned here."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from bot.errors import UnsupportedFile
from bot.ingest.formats import READERS, unsupported_reason
from bot.ingest.limits import current, over_limit
from bot.ingest.readers import EMPTY_FILE

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def read_text(path: Path) -> str:
    """Decode a report file with the reader for its suffix; raise UnsupportedFile saying what to do."""
    path = Path(path)
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise UnsupportedFile(str(path), unsupported_reason(suffix))
    text = reader(path)
    if len(text) > current().report_chars:
        raise over_limit(str(path), "report_chars", len(text))
    if not text.strip():
        raise UnsupportedFile(str(path), EMPTY_FILE)
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
