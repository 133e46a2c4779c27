"""One reader per file format; each turns a file's bytes into text or raises UnsupportedFile."""

from __future__ import annotations

from pathlib import Path

from bot.errors import UnsupportedFile

EMPTY_FILE = "文件为空，没有可读取的文字。请检查文件内容"


def read_bytes(path: Path) -> bytes:
    """The file's bytes; an unreadable file becomes UnsupportedFile saying what to check."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UnsupportedFile(str(path), f"无法打开文件（{exc.strerror or exc}）。请检查文件权限") from exc
