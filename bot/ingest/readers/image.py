"""Scanned reports saved as images (.jpg, .png, .tif with one page per frame): read by OCR."""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from pathlib import Path

from bot.errors import UnsupportedFile
from bot.ingest.readers import EMPTY_FILE, check_ocr_here, read_bytes
from bot.ingest.readers.ocr import MISSING, Page, ScannedText, require_ocr, scanned_text

# A multi-page TIFF longer than this is not one annual report.
MAX_FRAMES = 200
# Fewer Chinese characters than this and the image is a photo (an event, a banner), not a report page.
MIN_CHARACTERS = 50
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _broken(suffix: str) -> str:
    return f"图片文件（{suffix}）已损坏或无法解码。请重新扫描或另存为 PDF/.docx"


def too_large(what: str) -> str:
    """The reason for an image whose pixel count is past Pillow's decompression-bomb limit."""
    return f"{what}的像素过多（超过 Pillow 的安全上限），像是异常文件，已跳过。请以 150–300 dpi 重新扫描"


def open_image(data: bytes, path: Path, what: str):
    """A PIL image of `data`, fully decoded; UnsupportedFile when broken or implausibly large."""
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # Pillow comes with the ocr extra (and with gradio)
        raise UnsupportedFile(str(path), MISSING) from None
    try:
        with warnings.catch_warnings():
            # Past the warning threshold Pillow would decode a decompression bomb: refuse it instead.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
            return image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnsupportedFile(str(path), too_large(what)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        # SyntaxError/EOFError: Pillow's plugins raise them on truncated or malformed headers.
        raise UnsupportedFile(str(path), _broken(path.suffix.lower())) from exc


def read_image(path: Path) -> ScannedText:
    """The OCR text of every frame of an image file, frames in order."""
    path = Path(path)
    data = read_bytes(path)
    if not data.strip():
        raise UnsupportedFile(str(path), EMPTY_FILE)
    first = open_image(data, path, "图片")
    check_ocr_here(path)
    require_ocr(path)
    frames = min(getattr(first, "n_frames", 1), MAX_FRAMES)

    def loader(number: int):
        def load():
            image = first if number == 0 else open_image(data, path, "图片")
            try:
                image.seek(number)
                image.load()
            except (OSError, ValueError, EOFError) as exc:
                raise UnsupportedFile(str(path), _broken(path.suffix.lower())) from exc
            return image.copy()

        return load

    pages = [Page(number, loader(number)) for number in range(frames)]
    text = scanned_text(path, hashlib.sha256(data).hexdigest(), pages)
    found = len(_CJK.findall(text))
    if found < MIN_CHARACTERS:
        raise UnsupportedFile(
            str(path),
            f"图片中只识别出 {found} 个汉字，不像是报告的扫描页（照片等），已跳过。"
            "若是报告，请以 150–300 dpi 清晰扫描",
        )
    return text


__all__ = ["MAX_FRAMES", "MIN_CHARACTERS", "open_image", "read_image", "too_large"]
