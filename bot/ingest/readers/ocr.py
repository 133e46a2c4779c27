"""Text of scanned pages through OCR (RapidOCR's PP-OCR models on onnxruntime, the `ocr` extra).

- The engine runs in a worker process of its own, so a page past PAGE_SECONDS is stopped by
  killing the worker (nothing hangs), and the worker's HOME and temp folder point inside the cache
  folder: onnxruntime writes a device id and a small database under ~/.cache/Microsoft and a
  ".ses" file in the temp folder, which must not land in the user's home.
- Recognised boxes are cached per page under <cache folder>/ocr/<file sha256>.json, written after
  every page: a page is read once, and a file cut short by the time limit resumes where it stopped.
- Pages are reported to `on_page` (set by whoever reads the folder, e.g. the index sync) and to a
  tqdm bar on stderr when stderr is a terminal.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib.util
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.errors import UnsupportedFile
from bot.ingest.readers.ocr_layout import Box, page_text

# Seconds one page may take. A 150-dpi A4 page takes 2–4 s on a free core and about 12 s when the
# machine is busy; a page past this limit is a damaged or monstrous image, not a slow one.
PAGE_SECONDS = 120.0
# Seconds the worker may take to start and load the models (several on a busy machine).
START_SECONDS = 120.0
MISSING = '扫描件需要文字识别组件：pip install "zhenbao[ocr]"'
_PACKAGES = ("rapidocr", "onnxruntime")
_CACHE_VERSION = 1
# Boxes scored below this are noise (stamps, smudges); RapidOCR's own default.
_MIN_SCORE = 0.5

PageProgress = Callable[[int, int], None]  # (pages done, pages in the file)
on_page: contextvars.ContextVar[PageProgress | None] = contextvars.ContextVar("on_page", default=None)


class ScannedText(str):
    """Report text read by OCR: the report is marked so citations say a character may be misread."""


@dataclass(frozen=True)
class Page:
    """One image to recognise: its position in the file (0-based) and how to load its pixels.

    `load` returns a PIL image and is called only when the page is not cached, so a long scan is
    never held in memory whole.
    """

    number: int
    load: Callable[[], object]


def ocr_available() -> bool:
    """True when the OCR packages are installed (they are imported only in the worker)."""
    try:
        return all(importlib.util.find_spec(name) is not None for name in _PACKAGES)
    except (ImportError, ValueError):  # ValueError: a module set to None in sys.modules
        return False


def require_ocr(path: Path) -> None:
    """Raise UnsupportedFile naming the extra to install when OCR is not available."""
    if not ocr_available():
        raise UnsupportedFile(str(path), MISSING)


def recognise(path: Path, sha256: str, pages: Sequence[Page]) -> dict[int, list[Box]]:
    """Boxes of each page, from the cache or the engine; UnsupportedFile when a page is past the limit."""
    require_ocr(path)
    cache = _Cache(sha256)
    found: dict[int, list[Box]] = {}
    with _bar(path, len(pages)) as bar:
        for done, page in enumerate(pages, 1):
            boxes = cache.get(page.number)
            if boxes is None:
                boxes = _engine().page(path, page)
                cache.put(page.number, boxes)
            found[page.number] = boxes
            bar.update(1)
            if (report := on_page.get()) is not None:
                report(done, len(pages))
    return found


def scanned_text(path: Path, sha256: str, pages: Sequence[Page]) -> ScannedText:
    """The rebuilt text of scanned pages, in page order."""
    boxes = recognise(path, sha256, pages)
    return ScannedText(page_text([boxes[page.number] for page in pages]))


@contextlib.contextmanager
def _bar(path: Path, total: int) -> Iterator:
    from tqdm import tqdm

    # disable=None: a bar only when stderr is a terminal, never in logs or under the page's server.
    with tqdm(total=total, desc=f"文字识别 {path.name}", unit="页", disable=None, leave=False) as bar:
        yield bar


# ---------------------------------------------------------------- cache


def ocr_cache_dir() -> Path:
    """<cache folder>/ocr: recognised pages and the engine's own files."""
    from embeddings.files import default_cache_dir

    return default_cache_dir() / "ocr"


class _Cache:
    """Recognised boxes of one file's pages, keyed by the file's SHA-256."""

    def __init__(self, sha256: str) -> None:
        self.path = ocr_cache_dir() / f"{sha256}.json"
        self.pages: dict[str, list[list]] = {}
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data["version"] == _CACHE_VERSION:
                self.pages = dict(data["pages"])

    def get(self, number: int) -> list[Box] | None:
        rows = self.pages.get(str(number))
        return None if rows is None else [Box(*row) for row in rows]

    def put(self, number: int, boxes: list[Box]) -> None:
        self.pages[str(number)] = [[b.left, b.top, b.right, b.bottom, b.text] for b in boxes]
        data = json.dumps({"version": _CACHE_VERSION, "pages": self.pages}, ensure_ascii=False)
        # A cache that cannot be written only costs a second reading next time.
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(f".{os.getpid()}.part")
            partial.write_text(data, encoding="utf-8")
            partial.replace(self.path)


# ---------------------------------------------------------------- engine worker


class _Engine:
    """The OCR worker process: started on first use, killed and restarted when a page overruns."""

    def __init__(self) -> None:
        self.process: multiprocessing.process.BaseProcess | None = None
        self.conn = None

    def page(self, path: Path, page: Page) -> list[Box]:
        import numpy as np

        self._start(path)
        pixels = np.asarray(_bounded(page.load()).convert("RGB"))
        try:
            self.conn.send(pixels)
        except OSError:  # the worker died since the last page: one fresh start
            self.stop()
            self._start(path)
            self.conn.send(pixels)
        if not self.conn.poll(PAGE_SECONDS):
            self.stop()
            raise UnsupportedFile(
                str(path),
                f"第 {page.number + 1} 页文字识别超过 {PAGE_SECONDS:g} 秒（PAGE_SECONDS）仍未完成，"
                "已跳过此文件。"
                "已识别的页面已保存，下次同步从这一页继续；若反复超时，请检查扫描图片是否异常",
            )
        return self._answer(path)

    def _start(self, path: Path) -> None:
        if self.process is not None and self.process.is_alive():
            return
        runtime = ocr_cache_dir() / "runtime"
        runtime.mkdir(parents=True, exist_ok=True)
        # spawn, not fork: the parent may hold torch's threads, which a forked child would deadlock on.
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, str(runtime)), daemon=True)
        self.process.start()
        child.close()
        if not self.conn.poll(START_SECONDS):
            self.stop()
            raise UnsupportedFile(str(path), f"文字识别组件在 {START_SECONDS:g} 秒内未能启动，已跳过此文件")
        self._answer(path)

    def _answer(self, path: Path) -> list[Box]:
        try:
            kind, value = self.conn.recv()
        except (EOFError, OSError):
            self.stop()
            raise UnsupportedFile(str(path), "文字识别组件意外退出（可能内存不足），已跳过此文件") from None
        if kind == "error":
            self.stop()
            raise UnsupportedFile(str(path), value)
        return [Box(*row) for row in value]

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join()
        self.process = self.conn = None


# RapidOCR scales detection to at most 2000 pixels a side; more only costs memory and pipe time.
_MAX_SIDE = 3000


def _bounded(image):
    """The image scaled down to at most _MAX_SIDE pixels a side."""
    if max(image.size) <= _MAX_SIDE:
        return image
    scale = _MAX_SIDE / max(image.size)
    return image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))


_ENGINE: _Engine | None = None


def _engine() -> _Engine:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = _Engine()
    return _ENGINE


def _serve(conn, runtime: str) -> None:
    """The worker: load the models once, then answer each page's pixels with its boxes."""
    # Before onnxruntime is imported: its device id, database and session files go to `runtime`.
    for name in ("HOME", "USERPROFILE", "TMPDIR", "TEMP", "TMP", "XDG_CACHE_HOME"):
        os.environ[name] = runtime
    try:
        from rapidocr import RapidOCR

        engine = RapidOCR(params={"Global.log_level": "error"})
    except ImportError:
        conn.send(("error", MISSING))
        return
    except Exception as exc:  # a broken install or model file: the reason goes back to the user
        reason = f'文字识别组件无法加载（{type(exc).__name__}）。请重新安装：pip install "zhenbao[ocr]"'
        conn.send(("error", reason))
        return
    conn.send(("ready", []))
    while True:
        try:
            pixels = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("boxes", _boxes(engine(pixels))))
        except Exception as exc:  # one bad image must not end the worker's answers
            conn.send(("error", f"文字识别失败（{type(exc).__name__}），已跳过此文件。请检查扫描图片"))


def _boxes(result) -> list[list]:
    if result.boxes is None or result.txts is None:
        return []
    rows = []
    for points, text, score in zip(result.boxes, result.txts, result.scores, strict=False):
        if score >= _MIN_SCORE and text.strip():
            xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
            rows.append([min(xs), min(ys), max(xs), max(ys), str(text)])
    return rows


__all__ = [
    "MISSING",
    "PAGE_SECONDS",
    "Page",
    "ScannedText",
    "ocr_available",
    "ocr_cache_dir",
    "on_page",
    "recognise",
    "require_ocr",
    "scanned_text",
]
