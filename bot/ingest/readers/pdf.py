"""PDF reports with a text layer (Word → PDF); scans without one are refused."""

from __future__ import annotations

from pathlib import Path

from bot.errors import UnsupportedFile
from bot.ingest.readers import EMPTY_FILE, read_bytes


def read_pdf(path: Path) -> str:
    """The text layer of every page; a scanned or encrypted PDF is refused with what to do."""
    import pypdf
    from pypdf.errors import PdfReadError

    data = read_bytes(path)
    if not data.strip():
        raise UnsupportedFile(str(path), EMPTY_FILE)
    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnsupportedFile(
                str(path), "PDF 已加密（需要密码）。请解除密码后另存为 PDF，或导出为 .txt/.docx"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnsupportedFile:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise UnsupportedFile(
            str(path), "PDF 文件已损坏或无法解析。请重新导出 PDF，或另存为 .txt/.docx"
        ) from exc
    except Exception as exc:  # pypdf raises assorted types on malformed or encrypted files
        if "crypt" in type(exc).__name__.lower() or "crypt" in str(exc).lower():
            raise UnsupportedFile(
                str(path), "PDF 已加密，无法读取。请解除密码后另存为 PDF，或导出为 .txt/.docx"
            ) from exc
        raise UnsupportedFile(
            str(path), f"PDF 文件无法解析（{type(exc).__name__}）。请重新导出 PDF，或另存为 .txt/.docx"
        ) from exc
    text = "\n".join(pages)
    if not text.strip():
        raise UnsupportedFile(
            str(path),
            "这是扫描版 PDF，没有文字层，本程序不支持 OCR 文字识别。"
            "请先用 OCR 软件或 WPS 把它转换成 .txt 或 .docx，再放入文件夹",
        )
    return text
