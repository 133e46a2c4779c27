"""PDF reports: the text layer of every page; a page without one (a scan) is read by OCR.

A scanned PDF holds one image per page; pypdf hands that image over as it is embedded (no
rasteriser needed), and the largest image of the page is what is recognised. A page whose text
layer has fewer than SCAN_CHARS characters and that carries an image counts as scanned: scanners
often add a few characters (a page number, a hidden OCR fragment) to an image page.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
from pathlib import Path

from bot.errors import UnsupportedFile
from bot.ingest.readers import EMPTY_FILE, check_ocr_here, read_bytes
from bot.ingest.readers.ocr import Page, ScannedText, ocr_available, recognise, require_ocr
from bot.ingest.readers.ocr_layout import page_text

SCAN_CHARS = 20
# pypdf logs each repair of a damaged file as an English warning ("EOF marker not found", "invalid pdf
# header: b'…'"), which Python prints on stderr when no logging is set up: in the terminal of
# `zhenbao index` and of the page. The file's Chinese reason (below) is what the user needs.
logging.getLogger("pypdf").setLevel(logging.ERROR)
_BROKEN = "PDF 文件已损坏或无法解析。请重新导出 PDF，或另存为 .txt/.docx"
_LOCKED = "PDF 已加密（需要密码）。请解除密码后另存为 PDF，或导出为 .txt/.docx"
NO_TEXT = (
    "这个 PDF 没有文字层，也没有可做文字识别（OCR）的扫描图片。"
    "请确认文件内容完整，或导出为 .txt/.docx 再放入文件夹"
)


def read_pdf(path: Path) -> str:
    """The text of every page in order; ScannedText when any page was read by OCR."""
    path = Path(path)
    data = read_bytes(path)
    if not data.strip():
        raise UnsupportedFile(str(path), EMPTY_FILE)
    reader, texts = _guarded(path, lambda: _text_layer(path))
    scans = [n for n, text in enumerate(texts) if _is_scan(text) and _has_image(path, reader, n)]
    if not scans or (not ocr_available() and any(text.strip() for text in texts)):
        # Without the OCR extra a mostly typed PDF is still read: only its scanned pages are missing.
        text = "\n".join(texts)
        if not text.strip():
            raise UnsupportedFile(str(path), NO_TEXT)
        return text
    check_ocr_here(path)
    require_ocr(path)
    pages = [Page(n, _loader(path, reader, n)) for n in scans]
    boxes = recognise(path, hashlib.sha256(data).hexdigest(), pages)
    return ScannedText("\n".join(_segments(texts, boxes)))


def _segments(texts: list[str], boxes: dict) -> list[str]:
    """Text pages as their layer says; each run of consecutive scanned pages rebuilt as one text."""
    segments = []
    for scanned, run in itertools.groupby(range(len(texts)), key=lambda n: n in boxes):
        numbers = list(run)
        if scanned:
            segments.append(page_text([boxes[n] for n in numbers]))
        else:
            segments.extend(texts[n] for n in numbers)
    return segments


def _is_scan(text: str) -> bool:
    return len("".join(text.split())) < SCAN_CHARS


def _text_layer(path: Path):
    """The reader and each page's text layer; UnsupportedFile when the file is locked."""
    import pypdf

    reader = pypdf.PdfReader(str(path))
    if reader.is_encrypted and not reader.decrypt(""):
        raise UnsupportedFile(str(path), _LOCKED)
    return reader, [page.extract_text() or "" for page in reader.pages]


def _has_image(path: Path, reader, number: int) -> bool:
    return _guarded(path, lambda: len(reader.pages[number].images) > 0)


def _loader(path: Path, reader, number: int):
    def load():
        from bot.ingest.readers.image import too_large

        images = _guarded(path, lambda: list(reader.pages[number].images))
        try:
            pictures = [image.image for image in images]
        except Exception as exc:  # pypdf and Pillow raise assorted types on an undecodable image
            if "DecompressionBomb" in type(exc).__name__:
                raise UnsupportedFile(str(path), too_large(f"第 {number + 1} 页的扫描图片")) from exc
            reason = f"第 {number + 1} 页的扫描图片无法解码（{type(exc).__name__}）。请重新扫描或另存为 PDF"
            raise UnsupportedFile(str(path), reason) from exc
        pictures = [p for p in pictures if p is not None]
        if not pictures:
            raise UnsupportedFile(str(path), f"第 {number + 1} 页的扫描图片无法解码。请重新扫描或另存为 PDF")
        return max(pictures, key=lambda p: p.width * p.height)

    return load


def _guarded(path: Path, step):
    """Run a pypdf step; its assorted errors on damaged or encrypted files become UnsupportedFile."""
    from pypdf.errors import PdfReadError

    try:
        return step()
    except UnsupportedFile:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise UnsupportedFile(str(path), _BROKEN) from exc
    except Exception as exc:  # pypdf raises assorted types on malformed or encrypted files
        if "crypt" in type(exc).__name__.lower() or "crypt" in str(exc).lower():
            raise UnsupportedFile(
                str(path), "PDF 已加密，无法读取。请解除密码后另存为 PDF，或导出为 .txt/.docx"
            ) from exc
        raise UnsupportedFile(
            str(path), f"PDF 文件无法解析（{type(exc).__name__}）。请重新导出 PDF，或另存为 .txt/.docx"
        ) from exc
