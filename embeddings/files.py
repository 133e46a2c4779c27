"""Plain index files — bytes, text, JSON, JSONL, .npy — written atomically, read strictly, never pickled."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np

from embeddings.errors import CorruptIndex

CACHE_DIR_ENV = "ZHENBAO_CACHE_DIR"


@contextlib.contextmanager
def _atomic_open(path: str | os.PathLike[str], mode: str, encoding: str | None = None) -> Iterator[IO[Any]]:
    """Yield a temp file beside `path`; on success fsync it and os.replace it over `path`.

    A reader therefore sees the old file or the new one, never half of one, even if the
    process is killed mid-write (the temp file is in the same folder so the rename is atomic).
    On any error the temp file is removed and `path` is left untouched.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        newline = "\n" if encoding is not None else None  # same bytes on Windows and Linux
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_folder(target.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX only; Windows cannot open a folder for fsync)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    with _atomic_open(path, "wb") as handle:
        handle.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    with _atomic_open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def atomic_write_json(path: str | os.PathLike[str], obj: Any) -> None:
    """Write `obj` as readable UTF-8 JSON (Chinese kept as characters, not \\u escapes)."""
    atomic_write_text(path, json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def write_jsonl(path: str | os.PathLike[str], rows: Iterable[Any]) -> None:
    """Write one compact JSON value per line."""
    with _atomic_open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
            handle.write("\n")


def write_npy(path: str | os.PathLike[str], array: np.ndarray) -> None:
    """Save a numeric array as .npy; object arrays are refused (they would need pickle)."""
    array = np.asarray(array)
    if array.dtype.hasobject:
        raise ValueError(f"拒绝保存 object 类型数组到 {path}：索引文件不使用 pickle，请先转换为数值数组。")
    with _atomic_open(path, "wb") as handle:
        np.save(handle, array, allow_pickle=False)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise CorruptIndex(path, "文件不存在") from None
    except OSError as exc:
        raise CorruptIndex(path, f"无法读取（{exc.strerror or exc}）") from exc


def read_text(path: str | os.PathLike[str]) -> str:
    try:
        return read_bytes(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorruptIndex(path, "不是有效的 UTF-8 文本") from exc


def read_json(path: str | os.PathLike[str]) -> Any:
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise CorruptIndex(path, f"JSON 格式错误（第 {exc.lineno} 行）") from exc


def read_jsonl(path: str | os.PathLike[str]) -> list[Any]:
    rows = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            # A JSONL file is only ever replaced whole, so a bad line means damage, not a partial append.
            raise CorruptIndex(path, f"第 {number} 行不是有效的 JSON") from exc
    return rows


def read_npy(path: str | os.PathLike[str]) -> np.ndarray:
    """Load a numeric .npy file; a pickled (object) array or a damaged file raises CorruptIndex."""
    if not Path(path).is_file():
        raise CorruptIndex(path, "文件不存在")
    try:
        array = np.load(path, allow_pickle=False)
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise CorruptIndex(path, "文件包含 pickle 对象，出于安全考虑拒绝读取") from exc
        raise CorruptIndex(path, f"不是有效的 .npy 文件（{exc}）") from exc
    except (OSError, EOFError) as exc:
        raise CorruptIndex(path, f"不是有效的 .npy 文件（{exc}）") from exc
    if not isinstance(array, np.ndarray):  # np.load returns an NpzFile for .npz archives
        raise CorruptIndex(path, "应为单个 .npy 数组")
    return array


def default_cache_dir() -> Path:
    """Per-user folder for indexes, outside the installed package; ZHENBAO_CACHE_DIR overrides it."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else home / "AppData" / "Local") / "zhenbao"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "zhenbao"
    xdg = os.environ.get("XDG_CACHE_HOME")
    # The XDG spec says a relative value is invalid and must be ignored.
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "zhenbao"
    return home / ".cache" / "zhenbao"
