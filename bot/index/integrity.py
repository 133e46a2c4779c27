"""Is a stored index generation exactly what was written? Checked on every load, before it is used.

Each generation file's SHA-256 is written into the manifest; a file that was emptied, truncated or
edited (say 217件 → 917件 in reports.jsonl) no longer matches and the index is rebuilt from the
corpus, rather than answering from it. Each report's decoded text is hashed too, and every
paragraph span must lie inside that text, and every figure's quote must be the text at its span, so a
quote read from the index is always source[start:end].
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from bot.figures.figure import Figure
from bot.index.figures_db import FILE_NAME as FIGURES_FILE
from bot.ingest.read import file_sha256
from bot.report import ParsedReport

# The files of a generation, named once: bot.index.store writes and reads exactly these.
REPORTS_FILE = "reports.jsonl"
TOKENS_FILE = "tokens.jsonl"
CHUNKS_FILE = "chunks.npy"
CHUNK_KEYS_FILE = "chunk_keys.jsonl"
VECTORS_FILE = "vectors.faiss"
GENERATION_FILES = (REPORTS_FILE, TOKENS_FILE, CHUNKS_FILE, CHUNK_KEYS_FILE, VECTORS_FILE, FIGURES_FILE)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def generation_digests(folder: Path) -> dict[str, str]:
    """The hash of each generation file as it now is on disk (called right after writing them)."""
    return {name: file_sha256(folder / name) for name in GENERATION_FILES}


def check_generation_files(folder: Path, stored: Mapping[str, str]) -> None:
    """Raise CorruptIndex naming the first file that is missing or differs from its recorded hash."""
    from embeddings.errors import CorruptIndex

    for name in GENERATION_FILES:
        path = folder / name
        if name not in stored:
            raise CorruptIndex(path, "索引清单中没有此文件的校验值")
        try:
            actual = file_sha256(path)
        except FileNotFoundError:
            raise CorruptIndex(path, "文件不存在") from None
        except OSError as exc:
            raise CorruptIndex(path, f"无法读取（{exc.strerror or exc}）") from exc
        if actual != stored[name]:
            raise CorruptIndex(path, "内容与索引清单记录的校验值不符（文件被清空、截断或改动过）")


def report_text_digests(reports: Iterable[ParsedReport]) -> dict[str, str]:
    return {r.report.report_id: text_digest(r.text) for r in reports}


def check_reports(
    folder: Path, reports: Iterable[ParsedReport], texts: Mapping[str, str], files: Mapping[str, str]
) -> None:
    """Each report is of the source file version the manifest lists (`files`: report_id → file hash),
    its text the one decoded from that file (`texts`), and each paragraph a span of that text."""
    from embeddings.errors import CorruptIndex

    path = folder / REPORTS_FILE
    for parsed in reports:
        report_id = parsed.report.report_id
        if files.get(report_id) != parsed.report.sha256:
            raise CorruptIndex(path, f"{report_id} 不是索引清单所列的那一版原文件")
        if texts.get(report_id) != text_digest(parsed.text):
            raise CorruptIndex(path, f"{report_id} 的正文与读取原文件时记录的不符")
        for paragraph in parsed.paragraphs:
            if not 0 <= paragraph.start <= paragraph.end <= len(parsed.text):
                raise CorruptIndex(path, f"{report_id} 第 {paragraph.index + 1} 段的位置超出原文")


def check_figures(folder: Path, figures: Iterable[Figure], reports: Iterable[ParsedReport]) -> None:
    """Each figure belongs to a stored report and its quote is that report's text at its span.

    figures.db is hash-checked as a file; this ties each row to the (hash-checked) text as well, so a
    figure can never be shown with a quote that its report does not hold at the place cited."""
    from embeddings.errors import CorruptIndex

    texts = {parsed.report.report_id: parsed.text for parsed in reports}
    for figure in figures:
        text = texts.get(figure.report_id)
        if text is None or text[figure.start : figure.end] != figure.quote:
            detail = f"{figure.report_id} 的数字“{figure.quote[:20]}”与原文对不上"
            raise CorruptIndex(folder / FIGURES_FILE, detail)
