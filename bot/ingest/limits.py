"""The one table of limits on what one report file may cost to read and index (issue 13, point 4).

Every file under the 20 MB upload limit must still be read and indexed in seconds: a 1 MB text that
is one 349,540-character sentence once took 14 minutes to index, a 50 MB .txt 3 hours, and a 193 KB
.docx inflating to 104.9 MB of empty paragraphs 260 s and 2.4 GB just to read. A file over a limit is
skipped, with a reason naming the limit, through the same UnsupportedFile path as any bad file; an
over-long paragraph is not refused but cut into bounded passages (each still a slice of the text).

The defaults sit well above any real report (the longest paragraph in the seeds and the 55-file real
corpus is 415 characters; a report is some 4,000-30,000 characters in at most a few hundred
paragraphs) and keep the worst file to about a minute of indexing on a 2-core laptop (200,000
characters: some 4 s of word segmentation and 350 passages to embed). Tests lower them with
`lowered(...)`.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace

from bot.errors import UnsupportedFile


@dataclass(frozen=True)
class Limits:
    passage_chars: int = 600  # one passage (so one embedded sentence, within the encoder's 512 tokens)
    report_chars: int = 200_000  # decoded characters of one report
    report_paragraphs: int = 10_000  # paragraphs (and non-blank lines) of one report; a .docx's XML ones
    table_cells: int = 1_000_000  # cells of all sheets of one .xlsx, the empty ones a row spans included
    member_bytes: int = 30 * 1024 * 1024  # one member of a .docx/.xlsx/.ofd zip, once inflated
    unzipped_bytes: int = 200 * 1024 * 1024  # all members of one such zip together, once inflated
    parse_seconds: float = 60.0  # parsing one file's text, and reading an .xlsx's cells (not OCR or .doc)


# What each limit is called in the messages users see; the field name follows in brackets so the
# reason names the exact limit (and the line to change here).
_LABELS = {
    "passage_chars": ("段落字数", "字"),
    "report_chars": ("报告字数", "字"),
    "report_paragraphs": ("报告段落数", "段"),
    "table_cells": ("表格单元格数", "个"),
    "member_bytes": ("压缩包内单个文件解压后大小", "字节"),
    "unzipped_bytes": ("压缩包解压后总大小", "字节"),
    "parse_seconds": ("解析时间", "秒"),
}
assert set(_LABELS) == {field.name for field in fields(Limits)}

LIMITS = Limits()
_current = LIMITS


def current() -> Limits:
    """The limits in force (the defaults, unless a test lowered them)."""
    return _current


@contextmanager
def lowered(**changes: float) -> Iterator[Limits]:
    """Run a block with some limits changed, e.g. `with lowered(report_chars=100): ...`."""
    global _current
    previous = _current
    _current = replace(previous, **changes)
    try:
        yield _current
    finally:
        _current = previous


def over_limit(path: str, name: str, found: float | None = None) -> UnsupportedFile:
    """The error for a file over limit `name`: what was found, the limit, and what to do."""
    label, unit = _LABELS[name]
    limit = getattr(_current, name)
    seen = f"为 {found:,.0f} {unit}，" if found is not None else ""
    return UnsupportedFile(
        path,
        f"{label}{seen}超过上限 {limit:,} {unit}（limits.{name}），已跳过。"
        "请确认这是一份正常的报告文件；确需读取时可拆分成几个文件",
    )


def check_zip(path: str, package: zipfile.ZipFile) -> None:
    """Refuse a zip (.docx/.xlsx/.ofd) whose members would inflate past the limits, before reading any.

    zipfile reads a member only up to the size its header declares, so the declared sizes bound the
    cost even of a forged header.
    """
    total = 0
    for info in package.infolist():
        if info.file_size > _current.member_bytes:
            raise over_limit(path, "member_bytes", info.file_size)
        total += info.file_size
        if total > _current.unzipped_bytes:
            raise over_limit(path, "unzipped_bytes", total)


class Deadline:
    """The parse-time limit of one file, checked between steps (pure-Python work cannot be interrupted)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._started = time.monotonic()

    def check(self) -> None:
        elapsed = time.monotonic() - self._started
        if elapsed > _current.parse_seconds:
            raise over_limit(self.path, "parse_seconds", elapsed)
