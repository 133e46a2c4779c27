"""A folder of report files → Corpus: every readable report parsed, every other file named with a reason."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from bot.errors import EmptyCorpus, UnsupportedFile, ZhenbaoError
from bot.ingest.formats import SUPPORTED_SUFFIXES, describe_supported, unsupported_reason
from bot.ingest.limits import Deadline
from bot.ingest.parse import parse_report
from bot.ingest.read import file_sha256, read_text
from bot.ingest.readers.ocr import ScannedText
from bot.ingest.report_info import TABLE_NAME, Table, apply_info, info_for, read_table, table_path
from bot.report import ParsedReport


@dataclass(frozen=True)
class SkippedFile:
    """A report file that was not loaded: its path (as found under the corpus folder) and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Corpus:
    """The parsed reports of one folder, sorted by report_id, and the files that were skipped."""

    folder: str
    reports: tuple[ParsedReport, ...]
    skipped: tuple[SkippedFile, ...]

    def townships(self) -> list[str]:
        return sorted({parsed.report.township for parsed in self.reports})

    def years(self) -> list[int]:
        return sorted({parsed.report.year for parsed in self.reports if parsed.report.year is not None})

    def report(self, report_id: str) -> ParsedReport:
        for parsed in self.reports:
            if parsed.report.report_id == report_id:
                return parsed
        known = "、".join(parsed.report.report_id for parsed in self.reports) or "（语料库为空）"
        raise ZhenbaoError(f"语料库中没有报告“{report_id}”。已有的报告：{known}")


# Empty files have the same bytes, but none is a report to keep one copy of: each is read on its own and
# named as empty, rather than the second called a copy of the first (itself skipped as empty).
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


class FirstCopies:
    """The one dedupe rule: of files with the same bytes, the first in path order is the report."""

    def __init__(self) -> None:
        self._first: dict[str, str] = {}

    def claim(self, report_id: str, sha256: str) -> str | None:
        """None when this file is the first with its content (then remembered), else why it is skipped."""
        if sha256 == _EMPTY_SHA256:
            return None
        first = self._first.setdefault(sha256, report_id)
        return None if first == report_id else f"与 {first} 内容完全相同，已跳过重复文件"


def _is_ignored(relative: Path) -> bool:
    # Hidden files and folders (.git, .DS_Store) and Word's "~$报告.docx" lock files are never reports.
    return any(part.startswith((".", "~$")) for part in relative.parts)


# Files the system or this tool puts beside reports; naming them as skipped would only be noise.
_NOT_DOCUMENTS = frozenset({"thumbs.db", "desktop.ini", TABLE_NAME.lower()})


def _folder_files(folder: Path) -> list[Path]:
    """Every file under `folder` that could be a document, recursively, sorted by relative path."""
    folder = Path(folder)
    found = [
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not _is_ignored(path.relative_to(folder))
        and path.name.lower() not in _NOT_DOCUMENTS
    ]
    return sorted(found, key=lambda path: path.relative_to(folder).as_posix())


def list_report_files(folder: Path) -> list[Path]:
    """Files with a supported suffix under `folder`, recursively, sorted by their relative path."""
    return [path for path in _folder_files(folder) if path.suffix.lower() in SUPPORTED_SUFFIXES]


def unsupported_files(folder: Path) -> tuple[SkippedFile, ...]:
    """The other files under `folder`, each named with why it is not read: none is passed over silently."""
    return tuple(
        SkippedFile(str(path), unsupported_reason(path.suffix.lower()))
        for path in _folder_files(folder)
        if path.suffix.lower() not in SUPPORTED_SUFFIXES
    )


def read_report(path: Path, corpus_root: Path, sha256: str | None = None) -> ParsedReport:
    """Read and parse one report; raise UnsupportedFile with a reason the user can act on.

    What the corpus folder's 报告信息.csv says about the file wins over what was detected.
    `sha256` is the file's hash when the caller has already computed it (it is not hashed again).
    """
    path = Path(path)
    text = read_text(path)
    report_id = path.relative_to(corpus_root).as_posix()
    digest = sha256 or file_sha256(path)
    # The parse-time limit (bot.ingest.limits) starts after reading: a .doc conversion or an OCR run
    # has its own time limit in its reader.
    deadline = Deadline(str(path))
    source = str(path.resolve())
    parsed = parse_report(text, report_id=report_id, source=source, sha256=digest, deadline=deadline)
    if isinstance(text, ScannedText):
        parsed = replace(parsed, report=replace(parsed.report, scanned=True))
    info = info_for(corpus_table(Path(corpus_root)), report_id)
    return replace(parsed, report=apply_info(parsed.report, info)) if info else parsed


def corpus_table(corpus_root: Path) -> Table:
    """The folder's 报告信息.csv, read once per edit (cached by its mtime and size)."""
    path = table_path(corpus_root)
    stat = path.stat() if path.is_file() else None
    return _cached_table(str(corpus_root), stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)


@functools.lru_cache(maxsize=8)
def _cached_table(corpus_root: str, _mtime_ns: int, _size: int) -> Table:
    # Keyed by the table's mtime and size: one read per sync, a fresh read after every edit.
    return read_table(Path(corpus_root))


def load_corpus(folder: Path, on_skip: Callable[[SkippedFile], None] | None = None) -> Corpus:
    """Load every report under `folder`; a bad or duplicate file is skipped and named, never fatal.

    Raises ZhenbaoError when the folder does not exist and EmptyCorpus when no report could be
    loaded (`on_skip` has then already been told about every skipped file).
    """
    folder = Path(folder)
    if not folder.is_dir():
        what = "不是文件夹" if folder.exists() else "不存在"
        raise ZhenbaoError(f"报告文件夹 {folder} {what}。请检查路径，或用 --corpus 指定存放报告的文件夹")
    reports: list[ParsedReport] = []
    skipped: list[SkippedFile] = []
    copies = FirstCopies()

    def skip(path: Path, reason: str) -> None:
        entry = SkippedFile(str(path), reason)
        skipped.append(entry)
        if on_skip is not None:
            on_skip(entry)

    for path in list_report_files(folder):
        relative = path.relative_to(folder).as_posix()
        try:
            digest = file_sha256(path)
        except OSError as exc:
            skip(path, f"无法读取文件（{exc.strerror or exc}）。请检查文件权限")
            continue
        if duplicate := copies.claim(relative, digest):
            skip(path, duplicate)
            continue
        try:
            reports.append(read_report(path, folder, digest))
        except UnsupportedFile as exc:
            skip(path, exc.reason)
    for entry in unsupported_files(folder):
        skip(Path(entry.path), entry.reason)
    if not reports:
        raise EmptyCorpus(str(folder), supported=describe_supported())
    return Corpus(folder=str(folder.resolve()), reports=tuple(reports), skipped=tuple(skipped))
