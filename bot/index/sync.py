"""Keeping the index in step with the corpus folder: reuse what is unchanged, embed only what is new."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.errors import UnsupportedFile
from bot.index.store import (
    SCHEMA_VERSION,
    FileStamp,
    IndexData,
    Manifest,
    pipeline_fingerprint,
    read_generation,
    read_manifest,
    write_generation,
)
from bot.ingest.scan import SkippedFile, list_report_files, read_report
from bot.lang.tokenizer import Tokenizer
from bot.report import ParsedReport
from bot.search.fusion import bm25_document, dense_chunks

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class SyncResult:
    """What a sync did, for messages: which reports were added, re-read, removed or skipped."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    skipped: tuple[SkippedFile, ...]
    rebuilt: bool  # True when the stored index was unusable (missing, corrupt, other encoder)
    message: str = ""  # why it was rebuilt, if it was


def _stamp(path: Path, previous: FileStamp | None) -> FileStamp:
    """Size and mtime decide whether the file must be hashed again; hashing 1000 reports takes time."""
    from bot.ingest.read import file_sha256

    info = path.stat()
    if previous and previous.size == info.st_size and previous.mtime_ns == info.st_mtime_ns:
        return previous
    return FileStamp(sha256=file_sha256(path), size=info.st_size, mtime_ns=info.st_mtime_ns)


def _quiet_progress(_fraction: float, _message: str) -> None:
    return None


def sync_index(
    corpus: Path,
    index_dir: Path,
    encoder,
    tokenizer: Tokenizer,
    *,
    progress: Progress | None = None,
    show_bar: bool = False,
) -> tuple[IndexData, SyncResult]:
    """Bring the index of `corpus` up to date and return it loaded.

    Reports whose file is unchanged keep their paragraphs, words and vectors; new or changed files
    are read and embedded; removed files disappear. A missing or damaged index is rebuilt.
    """
    from embeddings.vectors import VectorIndex

    progress = progress or _quiet_progress
    manifest = read_manifest(index_dir)
    message = ""
    old: IndexData | None = None
    if manifest is None:
        message = "" if not (index_dir / "manifest.json").exists() else "索引清单损坏或版本过旧，正在重建。"
    elif manifest.pipeline != pipeline_fingerprint():
        message = "分词或切分规则已更新，正在重建索引。"
        manifest = None
    elif manifest.encoder != encoder.name or manifest.dim != encoder.dim:
        message = f"嵌入模型已更换（{manifest.encoder} → {encoder.name}），正在重建索引。"
        manifest = None
    else:
        try:
            old = read_generation(index_dir, manifest)
        except Exception as exc:  # any damage to the stored files means: rebuild, never crash
            message = f"索引文件损坏（{type(exc).__name__}），正在重建。"
            manifest, old = None, None
    if message:
        print(message, file=sys.stderr)

    old_files = manifest.files if manifest else {}
    old_skipped = manifest.skipped if manifest else {}
    old_reports = {r.report.report_id: r for r in old.reports} if old else {}

    stamps: dict[str, FileStamp] = {}
    paths: dict[str, Path] = {}
    for path in list_report_files(corpus):
        report_id = path.relative_to(corpus).as_posix()
        try:
            stamps[report_id] = _stamp(
                path, old_files.get(report_id) or _skipped_stamp(old_skipped, report_id)
            )
        except OSError as exc:
            print(f"无法读取 {path}：{exc}", file=sys.stderr)
            continue
        paths[report_id] = path

    keep: list[ParsedReport] = []
    to_read: list[str] = []
    skipped: list[SkippedFile] = []
    new_skipped: dict[str, dict] = {}
    for report_id, stamp in stamps.items():
        if report_id in old_reports and old_files.get(report_id) == stamp:
            keep.append(old_reports[report_id])
        elif report_id in old_skipped and _skipped_stamp(old_skipped, report_id) == stamp:
            reason = old_skipped[report_id]["reason"]
            skipped.append(SkippedFile(str(paths[report_id]), reason))
            new_skipped[report_id] = old_skipped[report_id]
        else:
            to_read.append(report_id)

    seen_hashes = {stamps[r.report.report_id].sha256: r.report.report_id for r in keep}
    fresh: list[ParsedReport] = []
    for n, report_id in enumerate(to_read):
        progress(0.05 + 0.15 * n / max(len(to_read), 1), f"读取 {report_id}")
        stamp = stamps[report_id]
        try:
            if stamp.sha256 in seen_hashes:
                raise UnsupportedFile(
                    str(paths[report_id]), f"与 {seen_hashes[stamp.sha256]} 内容完全相同，已跳过"
                )
            parsed = read_report(paths[report_id], corpus)
        except UnsupportedFile as exc:
            skipped.append(SkippedFile(str(paths[report_id]), exc.reason))
            new_skipped[report_id] = {"stamp": vars(stamp), "reason": exc.reason}
            continue
        seen_hashes[stamp.sha256] = report_id
        fresh.append(parsed)

    added = tuple(r.report.report_id for r in fresh if r.report.report_id not in old_reports)
    changed = tuple(r.report.report_id for r in fresh if r.report.report_id in old_reports)
    indexed = {r.report.report_id for r in [*keep, *fresh]}
    removed = tuple(rid for rid in old_reports if rid not in indexed)
    result = SyncResult(added, changed, removed, tuple(skipped), rebuilt=old is None, message=message)

    figures_rules = rules_fingerprint()
    unchanged = (
        old is not None
        and not fresh
        and not removed
        and set(new_skipped) == set(old_skipped)
        and manifest.figures_rules == figures_rules
    )
    if unchanged:
        progress(1.0, "索引已是最新")
        return old, result

    reports = tuple(sorted([*keep, *fresh], key=lambda r: r.report.report_id))
    townships = sorted({r.report.township for r in reports})
    tokenizer.add_words(townships)
    retokenize_all = old is None or set(townships) - {r.report.township for r in old.reports}
    old_tokens = _tokens_by_paragraph(old) if old and not retokenize_all else {}
    old_vectors = _vectors_by_paragraph(old) if old else {}
    fresh_ids = {r.report.report_id for r in fresh}

    tokens: list[tuple[str, ...]] = []
    chunk_paragraph: list[int] = []
    vectors: list[np.ndarray] = []
    texts_to_embed: list[str] = []
    embed_slots: list[int] = []  # position in `vectors` to fill with each text's vector
    paragraph_id = 0
    total = sum(len(r.paragraphs) for r in reports)
    for parsed in reports:
        report = parsed.report
        reuse = report.report_id not in fresh_ids
        for paragraph in parsed.paragraphs:
            key = (report.report_id, paragraph.index)
            if reuse and key in old_tokens:
                tokens.append(old_tokens[key])
            else:
                tokens.append(tuple(tokenizer.index_terms(bm25_document(report, paragraph))))
            if reuse and key in old_vectors:
                for vector in old_vectors[key]:
                    chunk_paragraph.append(paragraph_id)
                    vectors.append(vector)
            else:
                for text in dense_chunks(report, paragraph):
                    chunk_paragraph.append(paragraph_id)
                    embed_slots.append(len(vectors))
                    vectors.append(np.empty(0, dtype=np.float32))
                    texts_to_embed.append(text)
            paragraph_id += 1
            if paragraph_id % 200 == 0:
                progress(0.2 + 0.1 * paragraph_id / max(total, 1), "分词")

    if texts_to_embed:
        progress(0.3, f"计算 {len(texts_to_embed)} 个句子的向量")
        embedded = _encode_in_batches(encoder, texts_to_embed, progress, show_bar)
        for slot, vector in zip(embed_slots, embedded, strict=True):
            vectors[slot] = vector
    matrix = np.vstack(vectors).astype(np.float32) if vectors else np.zeros((0, encoder.dim), np.float32)

    progress(0.95, "写入索引")
    figures = tuple(f for parsed in reports for f in _figures_of(parsed))
    data = IndexData(
        reports=reports,
        tokens=tuple(tokens),
        chunk_paragraph=np.asarray(chunk_paragraph, dtype=np.int32),
        vectors=VectorIndex.build(matrix),
        figures=figures,
    )
    new_manifest = Manifest(
        schema=SCHEMA_VERSION,
        pipeline=pipeline_fingerprint(),
        encoder=encoder.name,
        dim=encoder.dim,
        corpus=str(corpus.resolve()),
        generation="",
        files={r.report.report_id: stamps[r.report.report_id] for r in reports},
        skipped=new_skipped,
        figures_rules=figures_rules,
    )
    write_generation(index_dir, data, new_manifest)
    progress(1.0, "索引完成")
    return data, result


def _skipped_stamp(skipped: dict[str, dict], report_id: str) -> FileStamp | None:
    entry = skipped.get(report_id)
    return FileStamp(**entry["stamp"]) if entry else None


def _figures_of(parsed: ParsedReport):
    from bot.figures.extract import extract_figures

    return extract_figures(parsed)


def rules_fingerprint() -> str:
    from bot.figures.extract import rules_fingerprint as fingerprint

    return fingerprint()


def _tokens_by_paragraph(data: IndexData) -> dict[tuple[str, int], tuple[str, ...]]:
    keys = [(r.report_id, p.index) for r, p in data.paragraphs()]
    return dict(zip(keys, data.tokens, strict=True))


def _vectors_by_paragraph(data: IndexData) -> dict[tuple[str, int], list[np.ndarray]]:
    keys = [(r.report_id, p.index) for r, p in data.paragraphs()]
    stored = data.vectors.reconstruct_all()
    grouped: dict[tuple[str, int], list[np.ndarray]] = {}
    for chunk, paragraph_id in enumerate(data.chunk_paragraph):
        grouped.setdefault(keys[int(paragraph_id)], []).append(stored[chunk])
    return grouped


def _encode_in_batches(encoder, texts: Sequence[str], progress: Progress, show_bar: bool) -> np.ndarray:
    """Embed in slices so that the UI's progress moves; one tqdm bar for the whole run in a terminal."""
    from tqdm import tqdm

    step = 64
    parts = []
    with tqdm(total=len(texts), desc="计算句子向量", unit="句", disable=not show_bar) as bar:
        for start in range(0, len(texts), step):
            parts.append(encoder.encode_passages(texts[start : start + step]))
            bar.update(min(step, len(texts) - start))
            progress(0.3 + 0.65 * min(start + step, len(texts)) / len(texts), "计算句子向量")
    return np.vstack(parts)
