"""Adding a report to the corpus folder: checked by content, size-limited, safely named, no duplicates."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
import unicodedata
from pathlib import Path

from bot.errors import UnsupportedFile, ZhenbaoError
from bot.ingest.formats import SUPPORTED_SUFFIXES, unsupported_reason
from bot.ingest.read import file_sha256
from bot.ingest.scan import list_report_files, read_report

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# Names Windows refuses whatever the extension ("CON.txt" cannot be created there).
_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"COM{i}" for i in range(1, 10)] + [f"LPT{i}" for i in range(1, 10)]
)
# Characters Windows forbids in file names; control characters are removed separately.
_FORBIDDEN = re.compile(r'[<>:"|?*]')
_MAX_STEM_CHARS = 100
# One upload at a time per process: the duplicate check and the choice of a free name must not interleave.
_STORE_LOCK = threading.Lock()


class DuplicateReport(ZhenbaoError):
    """The uploaded file has the same content as a report already in the corpus."""

    def __init__(self, filename: str, existing: str):
        self.filename = filename
        self.existing = existing
        super().__init__(f"“{filename}”与已有报告“{existing}”内容完全相同，未重复添加。")


class UploadTooLarge(ZhenbaoError):
    """The uploaded file is bigger than the limit."""

    def __init__(self, filename: str, size: int, limit: int):
        self.filename = filename
        self.size = size
        self.limit = limit
        super().__init__(
            f"“{filename}”有 {size / 1048576:.1f} MB，超过 {limit / 1048576:.0f} MB 的上限。"
            "请上传报告正文（去掉图片或附件），或拆分后分别上传。"
        )


def store_upload(corpus_dir: Path, filename: str, data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> Path:
    """Check an uploaded report and store it in `corpus_dir`; return where it was stored.

    Raises UploadTooLarge, UnsupportedFile (with the reader's Chinese reason) or DuplicateReport; in every
    such case nothing is written to the corpus folder.
    """
    corpus_dir = Path(corpus_dir)
    name = safe_filename(filename)
    if len(data) > max_bytes:
        raise UploadTooLarge(name, len(data), max_bytes)
    _check_readable(name, data)
    digest = hashlib.sha256(data).hexdigest()
    with _STORE_LOCK:
        for existing in list_report_files(corpus_dir):
            if existing.stat().st_size == len(data) and file_sha256(existing) == digest:
                raise DuplicateReport(name, existing.relative_to(corpus_dir).as_posix())
        return _write_new(corpus_dir, name, data)


def safe_filename(filename: str) -> str:
    """A plain file name for `filename`: no folders, no control or reserved characters, Chinese kept.

    Raises UnsupportedFile when the extension is not one the reader supports.
    """
    # Browsers on Windows may send "C:\\Users\\…\\报告.docx"; both separators mark folders here.
    base = re.split(r"[\\/]", filename)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    base = _FORBIDDEN.sub("_", base).rstrip(" .")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = f".{suffix.lower()}" if suffix else ""
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFile(base or filename, unsupported_reason(suffix))
    # A leading "." or "~$" (Word's lock files) would make the corpus scan ignore the file.
    stem = re.sub(r"^(?:[\s.]|~\$)+", "", stem).rstrip(" .")[:_MAX_STEM_CHARS] or "报告"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    return stem + suffix


def _check_readable(name: str, data: bytes) -> None:
    """Read and parse the bytes as the corpus scan will, from a private temporary folder.

    Parsing as well as decoding catches a file with text but no township or no paragraphs, which the
    index would otherwise skip after it had been stored.
    """
    with tempfile.TemporaryDirectory(prefix="zhenbao-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            read_report(path, Path(folder))
        except UnsupportedFile as error:
            raise UnsupportedFile(name, error.reason) from None


def _write_new(corpus_dir: Path, name: str, data: bytes) -> Path:
    """Write under `name`, or "name（2）" and so on when taken; the file appears complete or not at all."""
    corpus_dir.mkdir(parents=True, exist_ok=True)
    # The temporary name ends in .part, which the corpus scan ignores, so a refresh never sees half a file.
    handle, temporary = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=corpus_dir)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        stem, suffix = os.path.splitext(name)
        for number in range(1, 1000):
            target = corpus_dir / (name if number == 1 else f"{stem}（{number}）{suffix}")
            try:
                _claim(target, temporary, data)
            except FileExistsError:
                continue
            return target
        raise ZhenbaoError(f"文件夹 {corpus_dir} 中已有太多名为“{name}”的文件，请先改名再上传。")
    finally:
        os.unlink(temporary)


def _claim(target: Path, temporary: str, data: bytes) -> None:
    """Create `target` with `data`, failing with FileExistsError when it exists: nothing is overwritten."""
    try:
        # A hard link appears complete in one step.
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError:
        # FAT/exFAT drives and some network shares have no hard links; exclusive creation still never
        # overwrites, the file is only briefly incomplete.
        with open(target, "xb") as stream:
            try:
                stream.write(data)
            except BaseException:
                stream.close()
                target.unlink()
                raise


def store_uploads(corpus_dir: Path, sources: list[Path], *, max_bytes: int = MAX_UPLOAD_BYTES) -> list[Path]:
    """Store every file or none: when one is rejected, the ones already stored are removed again.

    Raises the first file's UploadTooLarge, UnsupportedFile or DuplicateReport.
    """
    stored: list[Path] = []
    try:
        for source in sources:
            try:
                data = Path(source).read_bytes()
            except OSError as exc:
                reason = f"无法读取上传的文件（{exc.strerror or exc}）"
                raise UnsupportedFile(Path(source).name, reason) from exc
            stored.append(store_upload(corpus_dir, Path(source).name, data, max_bytes=max_bytes))
    except ZhenbaoError:
        for path in stored:
            path.unlink(missing_ok=True)
        raise
    return stored
