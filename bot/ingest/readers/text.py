"""Plain-text reports: the encoding is found from a BOM, else UTF-8, else a detector's choice."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from bot.errors import UnsupportedFile
from bot.ingest.limits import current, over_limit
from bot.ingest.readers import EMPTY_FILE, OLE_MAGIC, read_bytes

# Files that are not plain text although they may carry a .txt name; the message says what to do.
_OCR = "文字识别（OCR）"
_MAGIC = (
    (b"PK\x03\x04", "这是一个压缩包或 Word（.docx）文件，不是纯文本。若是 Word 文档，请把扩展名改为 .docx"),
    (b"%PDF", "这是一个 PDF 文件，不是纯文本。请把扩展名改为 .pdf"),
    (OLE_MAGIC, "这是旧版 Word（.doc）或 WPS 文件。请把扩展名改为 .doc（或 .wps），或另存为 .docx"),
    (b"{\\rtf", "这是 RTF 格式文件。请用 Word/WPS 打开后另存为 .docx 或 .txt"),
    # Scans are read by OCR (bot.ingest.readers.image) once the file carries its image suffix.
    *(
        (magic, f"这是一张图片（{kind}），扩展名却是 .txt。请把扩展名改为 {suffix}，即可通过{_OCR}读取")
        for magic, kind, suffix in (
            (b"\x89PNG", "PNG", ".png"),
            (b"\xff\xd8\xff", "JPEG", ".jpg"),
            (b"II*\x00", "TIFF", ".tif"),
            (b"MM\x00*", "TIFF", ".tif"),
        )
    ),
)

# BOMs decide the encoding outright; UTF-32 must be tested before UTF-16 (same first two bytes).
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A Chinese report without a BOM and not in UTF-8 is GB18030 (a superset of the GBK/GB2312
# that Chinese Windows saves in) or Big5 (Taiwan, Hong Kong); UTF-16 without its BOM is tried apart.
# Trying GB18030 first misreads Big5, which it decodes without error, so a detector weighs them.
_LEGACY = ("gb18030", "big5")
_UTF16 = ("utf_16_le", "utf_16_be")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

# Above this share of control characters a "text" file is really binary data.
_MAX_CONTROL_RATIO = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def read_txt(path: Path) -> str:
    """Decode a .txt report; raise UnsupportedFile when it is not text or its encoding is unknown."""
    data = read_bytes(path)
    if not data.strip():
        raise UnsupportedFile(str(path), EMPTY_FILE)
    if len(data) > 4 * current().report_chars:
        # No encoding spends more than 4 bytes a character: refused before decoding and detecting.
        raise over_limit(str(path), "report_chars")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_controls(path, data.decode(encoding))
            except UnicodeDecodeError as exc:
                raise UnsupportedFile(
                    str(path), f"文件以 {encoding} 标记开头，但内容无法按该编码解码。请另存为 UTF-8 文本"
                ) from exc
    for magic, reason in _MAGIC:
        if data.startswith(magic):
            raise UnsupportedFile(str(path), reason)
    if b"\x00" in data:
        # UTF-16 saved without a BOM has a zero byte beside every ASCII character (digits, line ends).
        text = _detect(data, _UTF16)
        if text is None or not _CJK.search(text):
            raise UnsupportedFile(
                str(path), "文件含有二进制数据，不是文本文件。请提供 .txt、.docx 或 .pdf 格式的报告"
            )
        return _check_controls(path, text)
    try:
        return _check_controls(path, data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    text = _detect(data, _LEGACY)
    if text is None:
        raise UnsupportedFile(
            str(path), "无法识别文本编码（不是 UTF-8、GBK、Big5 或 UTF-16）。请用记事本另存为 UTF-8 编码"
        )
    return _check_controls(path, text)


def _detect(data: bytes, encodings: tuple[str, ...]) -> str | None:
    """The text in whichever of `encodings` reads as coherent language, or None."""
    # Imported here: `import bot` stays light.
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(encodings)).best()
    # A short text gives the detector too little to weigh: then the first encoding that decodes wins.
    for encoding in ([best.encoding] if best else []) + list(encodings):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _check_controls(path: Path, text: str) -> str:
    controls = sum(1 for ch in text if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc")
    if controls > max(2, _MAX_CONTROL_RATIO * len(text)):
        raise UnsupportedFile(str(path), "文件含有大量控制字符，像是二进制文件而不是文本。请提供报告的文字版")
    return text
