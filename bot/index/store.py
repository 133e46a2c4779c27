"""The index on disk: a manifest pointing at one generation folder of plain files.

Layout of an index folder (one per corpus folder and encoder):
    manifest.json          schema version, encoder, corpus file hashes, current generation, and the
                           hash of every generation file and report text (bot.index.integrity)
    gen-<id>/reports.jsonl one report per line: its fields, full text and paragraphs
    gen-<id>/tokens.jsonl  BM25 words of each paragraph, in paragraph order
    gen-<id>/chunks.npy    for each embedded sentence, the paragraph it belongs to (int32)
    gen-<id>/chunk_keys.jsonl for each embedded sentence, a hash of the exact text it was embedded from
    gen-<id>/vectors.faiss the sentence vectors (FAISS flat inner-product index)
    gen-<id>/figures.db    the stated quantities of every report (SQLite, bot.index.figures_db)
A new generation is written completely before the manifest is atomically replaced, so a
crash leaves either the old index or the new one, never a mix. No pickles anywhere.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.figures.figure import Figure
from bot.index.figures_db import FiguresDb, write_figures_db
from bot.index.integrity import (
    CHUNK_KEYS_FILE,
    CHUNKS_FILE,
    FIGURES_FILE,
    REPORTS_FILE,
    TOKENS_FILE,
    VECTORS_FILE,
    check_figures,
    check_generation_files,
    check_reports,
    generation_digests,
    report_text_digests,
)
from bot.report import Paragraph, ParsedReport, Report

if TYPE_CHECKING:
    from embeddings.vectors import VectorStore

# Bump when the layout of the stored files changes: an index of another schema is rebuilt.
SCHEMA_VERSION = 5  # 5: figures.db (SQLite) instead of figures.jsonl
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class FileStamp:
    """What the manifest remembers of a corpus file: size and mtime to skip re-hashing, and the hash."""

    sha256: str
    size: int
    mtime_ns: int
    # The file's row in 报告信息.csv (bot.index.sync.info_key): editing one row re-reads one file.
    info: str = ""


@dataclass
class Manifest:
    schema: int
    fingerprints: dict[str, str]  # bot.index.fingerprints.Fingerprints: parse, tokens, figures
    encoder: str
    dim: int
    corpus: str
    generation: str
    files: dict[str, FileStamp]  # report_id → stamp, for indexed reports
    skipped: dict[str, dict] = field(default_factory=dict)  # report_id → {"stamp": …, "reason": …}
    stored: dict[str, str] = field(default_factory=dict)  # generation file name → SHA-256, checked on load
    texts: dict[str, str] = field(default_factory=dict)  # report_id → SHA-256 of its decoded text
    # Distinct sentences without a vector yet (bot.index.background): 0 once the generation is complete.
    dense_pending: int = 0

    def to_json(self) -> str:
        data = asdict(self)
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        data["files"] = {k: FileStamp(**v) for k, v in data["files"].items()}
        return cls(**data)


@dataclass(frozen=True)
class IndexData:
    """Everything an index generation holds, in memory."""

    reports: tuple[ParsedReport, ...]
    tokens: tuple[tuple[str, ...], ...]  # per paragraph, in the order of `paragraphs()`
    chunk_paragraph: np.ndarray  # int32, per embedded sentence
    vectors: VectorStore  # embeddings.vectors: FaissStore as stored
    figures: tuple[Figure, ...]
    # Per embedded sentence, chunk_key() of its text: a vector is reused only for that exact text,
    # so a change to how sentences are cut or prefixed re-embeds just the sentences it changed.
    chunk_keys: tuple[str, ...] = ()

    def paragraphs(self) -> list[tuple[Report, Paragraph]]:
        return [(pr.report, p) for pr in self.reports for p in pr.paragraphs]


def chunk_key(text: str) -> str:
    """A short stable key of an embedded text (64 bits: no collision in any real corpus)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def index_dir_for(cache_dir: Path, corpus: Path, encoder_name: str) -> Path:
    """One index folder per (corpus folder, encoder), so switching either never mixes vectors."""
    key = hashlib.sha1(f"{corpus.resolve()}\n{encoder_name}".encode()).hexdigest()[:16]
    return cache_dir / "indexes" / key


def read_manifest(index_dir: Path) -> Manifest | None:
    """The manifest, or None when missing, unreadable or of another schema version."""
    path = index_dir / MANIFEST
    try:
        manifest = Manifest.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return manifest if manifest.schema == SCHEMA_VERSION else None


def _report_row(parsed: ParsedReport) -> dict[str, Any]:
    return {
        "report": asdict(parsed.report),
        "text": parsed.text,
        # Field by field, in field order (what asdict gave): asdict's deep copy took ~7 % of a build.
        "paragraphs": [
            {"index": p.index, "section_path": p.section_path, "start": p.start, "end": p.end}
            | {"clean": p.clean}
            for p in parsed.paragraphs
        ],
    }


def _report_from_json(line: str) -> ParsedReport:
    data = json.loads(line)
    report = Report(**data["report"])
    text = data["text"]
    paragraphs = tuple(
        Paragraph(
            report_id=report.report_id,
            index=p["index"],
            section_path=tuple(p["section_path"]),
            start=p["start"],
            end=p["end"],
            text=text[p["start"] : p["end"]],
            clean=p["clean"],
        )
        for p in data["paragraphs"]
    )
    return ParsedReport(report=report, text=text, paragraphs=paragraphs)


def write_generation(index_dir: Path, data: IndexData, manifest: Manifest) -> None:
    """Write `data` as a new generation, then point the manifest at it and drop old generations."""
    from embeddings.files import atomic_write_text, write_jsonl, write_npy

    generation = f"gen-{uuid.uuid4().hex[:12]}"
    folder = index_dir / generation
    folder.mkdir(parents=True, exist_ok=True)
    # Line by line: the joined text of tokens.jsonl alone, with its list of lines and its UTF-8
    # encoding, was ~250 MB at 1,500 reports, at the peak of a background build (the answering
    # snapshot is alive beside it).
    write_jsonl(folder / REPORTS_FILE, (_report_row(r) for r in data.reports))
    write_jsonl(folder / TOKENS_FILE, data.tokens)
    write_npy(folder / CHUNKS_FILE, np.asarray(data.chunk_paragraph, dtype=np.int32))
    write_jsonl(folder / CHUNK_KEYS_FILE, data.chunk_keys)
    data.vectors.save(folder / VECTORS_FILE)
    write_figures_db(folder / FIGURES_FILE, data.figures)
    manifest.generation = generation
    manifest.stored = generation_digests(folder)
    manifest.texts = report_text_digests(data.reports)
    atomic_write_text(index_dir / MANIFEST, manifest.to_json())
    for old in index_dir.glob("gen-*"):
        if old.name != generation:
            shutil.rmtree(old, ignore_errors=True)


def read_generation(index_dir: Path, manifest: Manifest) -> IndexData:
    """Load the manifest's generation; raises CorruptIndex (embeddings.vectors) or ValueError if damaged."""
    from embeddings.files import read_npy
    from embeddings.vectors import VectorIndex

    folder = index_dir / manifest.generation
    check_generation_files(folder, manifest.stored)
    reports = tuple(_report_from_json(line) for line in _lines(folder / REPORTS_FILE))
    check_reports(folder, reports, manifest.texts, {k: v.sha256 for k, v in manifest.files.items()})
    # Interned as sync_index interns them: one str per distinct word, not per occurrence.
    tokens = tuple(tuple(map(sys.intern, json.loads(line))) for line in _lines(folder / TOKENS_FILE))
    chunk_paragraph = read_npy(folder / CHUNKS_FILE)
    chunk_keys = tuple(json.loads(line) for line in _lines(folder / CHUNK_KEYS_FILE))
    vectors = VectorIndex.load(folder / VECTORS_FILE, expected_dim=manifest.dim)
    with FiguresDb(folder / FIGURES_FILE) as table:
        figures = table.all()
    check_figures(folder, figures, reports)
    n_paragraphs = sum(len(r.paragraphs) for r in reports)
    if len(tokens) != n_paragraphs or not len(chunk_paragraph) == len(vectors) == len(chunk_keys):
        raise ValueError("索引文件之间数量不一致")
    if len(chunk_paragraph) and int(chunk_paragraph.max()) >= n_paragraphs:
        raise ValueError("索引文件之间数量不一致")
    return IndexData(reports, tokens, chunk_paragraph, vectors, figures, chunk_keys)


def _lines(path: Path) -> Iterator[str]:
    """The file's non-empty lines, read as they are used: the whole text and its list of lines were
    ~150 MB for tokens.jsonl at 1,500 reports, the peak of a reload. Split at "\n" only, as written
    (str.splitlines also splits at U+2028, which JSON leaves unescaped inside a report's text)."""
    with path.open(encoding="utf-8", newline="\n") as lines:
        for line in lines:
            if line := line.rstrip("\n"):
                yield line


def open_figures(index_dir: Path) -> FiguresDb | None:
    """The current generation's figures table for queries, or None when there is no usable index.

    Not hash-checked here: call it on an index that sync_index has just loaded (and so checked)."""
    manifest = read_manifest(index_dir)
    if manifest is None or not (index_dir / manifest.generation / FIGURES_FILE).is_file():
        return None
    return FiguresDb(index_dir / manifest.generation / FIGURES_FILE)
