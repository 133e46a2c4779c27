"""Old Word (.doc) and WPS (.wps) reports: LibreOffice converts them to .docx, which read_docx reads.

Each conversion runs in its own temporary folder holding a fresh LibreOffice profile
(-env:UserInstallation), HOME and the output, removed afterwards: nothing is left behind, and a
LibreOffice window the user has open is neither joined nor disturbed. The whole process group is
killed at the time limit, since `soffice` is a launcher whose soffice.bin child would outlive it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from bot.errors import UnsupportedFile
from bot.ingest.readers import EMPTY_FILE, encrypted_office, is_encrypted_office, read_bytes
from bot.ingest.readers.word import read_docx

# Seconds one conversion may take; a fresh profile costs a few seconds, a long report a few more.
CONVERT_SECONDS = 120.0
_PROGRAMS = ("soffice", "libreoffice")


def _no_office(suffix: str) -> str:
    return (
        f"读取 {suffix} 文件需要 LibreOffice（未安装）。请安装 LibreOffice（https://zh-cn.libreoffice.org），"
        "或用 Word/WPS 打开后另存为 .docx 再放入文件夹"
    )


def find_office() -> str | None:
    """The LibreOffice program on PATH, or None."""
    return next((found for name in _PROGRAMS if (found := shutil.which(name))), None)


def read_legacy_word(path: Path) -> str:
    """The text of a .doc or .wps report, converted to .docx by LibreOffice first."""
    path = Path(path)
    suffix = path.suffix.lower()
    data = read_bytes(path)
    if not data.strip():
        raise UnsupportedFile(str(path), EMPTY_FILE)
    if is_encrypted_office(data):  # a password-protected .docx renamed: LibreOffice would only fail
        raise UnsupportedFile(str(path), encrypted_office("Word/WPS", ".docx"))
    office = find_office()
    if office is None:
        raise UnsupportedFile(str(path), _no_office(suffix))
    with tempfile.TemporaryDirectory(prefix="zhenbao-soffice-") as folder:
        work = Path(folder)
        # A plain ASCII name: the output is named after the input, whatever the original name holds.
        source = work / f"report{suffix}"
        shutil.copyfile(path, source)
        try:
            converted = _convert(office, source, work)
        except subprocess.TimeoutExpired:
            raise UnsupportedFile(
                str(path),
                f"LibreOffice 转换超过 {CONVERT_SECONDS:g} 秒（CONVERT_SECONDS）仍未完成，已跳过。"
                "请用 Word/WPS 打开后另存为 .docx",
            ) from None
        if converted is None:
            raise UnsupportedFile(
                str(path),
                f"LibreOffice 无法转换这个 {suffix} 文件（可能已损坏、加密或不是 Word/WPS 文档）。"
                "请用 Word/WPS 打开后另存为 .docx",
            )
        try:
            return read_docx(converted)
        except UnsupportedFile as error:
            raise UnsupportedFile(str(path), error.reason) from None


def _convert(office: str, source: Path, work: Path) -> Path | None:
    """Run LibreOffice on `source`; the .docx it wrote, or None. TimeoutExpired past the limit."""
    out = work / "out"
    command = [
        office,
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        # Forced: LibreOffice would otherwise import a damaged file as plain text and "convert" the garbage.
        # Kingsoft WPS 文字 saves .wps in Word 97's binary format, so the one filter serves both suffixes.
        "--infilter=MS Word 97",
        "--convert-to",
        "docx",
        "--outdir",
        str(out),
        str(source),
    ]
    env = {**os.environ, "HOME": str(work), "TMPDIR": str(work)}
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    try:
        process.wait(timeout=CONVERT_SECONDS)
    except subprocess.TimeoutExpired:
        # The group started with the launcher: soffice.bin goes with it, and the folder can be removed.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    converted = out / f"{source.stem}.docx"
    return converted if converted.is_file() and converted.stat().st_size else None
