"""Text of scanned pages through OCR (RapidOCR's PP-OCR models on onnxruntime, the `ocr` extra).

- The engine runs in a worker process of its own (bot.ingest.readers.ocr_worker), so a page past
  PAGE_SECONDS is stopped by killing the worker (nothing hangs), and what onnxruntime writes stays
  in <cache folder>/ocr/runtime.
- Recognised boxes are cached per page under <cache folder>/ocr/<file sha256>.json, written after
  every page: a page is read once, and a file cut short by the time limit resumes where it stopped.
- Each page done is reported to the callback of `pages_reported` (the index sync turns it into its
  progress messages) and to a tqdm bar on stderr when stderr is a terminal.
"""

from __future__ import annotations

import atexit
import contextlib
import contextvars
import importlib.util
import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.errors import UnsupportedFile
from bot.ingest.readers import ocr_worker
from bot.ingest.readers.ocr_layout import Box, page_text
from bot.ingest.readers.ocr_worker import MISSING

# Seconds one page may take. A 150-dpi A4 page takes 2–4 s on a free core, and up to 80 s measured
# with the machine's two cores shared ten ways; a page past this limit is a damaged or monstrous
# image, not a slow one.
PAGE_SECONDS = 180.0
_PACKAGES = ("rapidocr", "onnxruntime")
_CACHE_VERSION = 1

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


@contextlib.contextmanager
def pages_reported(callback: PageProgress) -> Iterator[None]:
    """Within the block, every recognised page is reported to `callback(done, total)`."""
    token = on_page.set(callback)
    try:
        yield
    finally:
        on_page.reset(token)


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


# The cache folder a caller chose (load_bot(cache_dir=…), --cache-dir) instead of the default one.
# Module state because readers are plain functions of a path; one process serves one cache folder.
_chosen_cache_root: Path | None = None


def use_cache_root(root: Path | None) -> None:
    """Keep OCR results and the engine's files under `root`/ocr (None: the default cache folder)."""
    global _chosen_cache_root
    _chosen_cache_root = Path(root) if root is not None else None


def ocr_cache_dir() -> Path:
    """<cache folder>/ocr: recognised pages and the engine's own files."""
    from embeddings.files import default_cache_dir

    return (_chosen_cache_root or default_cache_dir()) / "ocr"


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
        """The page's boxes, or None when not cached (or the entry is damaged: then it is read again)."""
        try:
            return [Box(*row) for row in self.pages[str(number)]]
        except (KeyError, TypeError):
            return None

    def put(self, number: int, boxes: list[Box]) -> None:
        self.pages[str(number)] = [[b.left, b.top, b.right, b.bottom, b.text] for b in boxes]
        data = json.dumps({"version": _CACHE_VERSION, "pages": self.pages}, ensure_ascii=False)
        # A cache that cannot be written only costs a second reading next time.
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(f".{os.getpid()}.part")
            partial.write_text(data, encoding="utf-8")
            partial.replace(self.path)


# ---------------------------------------------------------------- engine


class _Engine:
    """The OCR worker (bot.ingest.readers.ocr_worker): started on first use, restarted after a timeout."""

    def __init__(self) -> None:
        self.worker: ocr_worker.Worker | None = None
        # One page at a time: the page's upload and a background sync may both read scans.
        self.lock = threading.Lock()

    def page(self, path: Path, page: Page) -> list[Box]:
        import numpy as np

        pixels = np.asarray(_bounded(page.load()).convert("RGB"))
        with self.lock:
            return self._recognise(path, page, pixels)

    def close(self) -> None:
        with self.lock:
            if self.worker is not None:
                self.worker.stop()
                self.worker = None

    def _recognise(self, path: Path, page: Page, pixels) -> list[Box]:
        if self.worker is None or not self.worker.alive() or not self.worker.send(pixels):
            # A fresh start when none runs yet or the last one died since its previous page.
            self.worker = ocr_worker.start(path, ocr_cache_dir() / "runtime")
            if not self.worker.send(pixels):
                raise UnsupportedFile(str(path), _DIED)
        try:
            answer = self.worker.wait(PAGE_SECONDS)
        except ocr_worker.PageTimeout:
            raise UnsupportedFile(
                str(path),
                f"第 {page.number + 1} 页文字识别超过 {PAGE_SECONDS:g} 秒（PAGE_SECONDS）仍未完成，"
                "已跳过此文件。已识别的页面已保存，下次同步从这一页继续；若反复超时，请检查扫描图片是否异常",
            ) from None
        if answer is None:
            raise UnsupportedFile(str(path), _DIED)
        if answer[0] == "error":
            raise UnsupportedFile(str(path), answer[1])
        return [Box(*row) for row in answer[1]]


_DIED = "文字识别组件意外退出（可能内存不足），已跳过此文件"
# RapidOCR scales detection to at most 2000 pixels a side; more only costs memory and pipe time.
_MAX_SIDE = 3000


def _bounded(image):
    """The image scaled down to at most _MAX_SIDE pixels a side."""
    if max(image.size) <= _MAX_SIDE:
        return image
    scale = _MAX_SIDE / max(image.size)
    return image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))


_ENGINE = _Engine()
atexit.register(_ENGINE.close)  # the worker would exit on its own at end of input; this is sooner


def _engine() -> _Engine:
    return _ENGINE


__all__ = [
    "MISSING",
    "PAGE_SECONDS",
    "Page",
    "ScannedText",
    "ocr_available",
    "ocr_cache_dir",
    "on_page",
    "pages_reported",
    "recognise",
    "require_ocr",
    "scanned_text",
]
