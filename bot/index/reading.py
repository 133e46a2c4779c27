"""The per-file work of a sync — read, parse, extract figures, cut BM25 words — here or in workers.

The same functions run in the main process (a small sync, a scan that needs OCR, a task whose
worker died) and in bot.index.workers' processes, so the index is the same either way. BM25 words
are cut only once every report is parsed: every township name is added to jieba's dictionary
first, and each added word changes how other text is cut (through the dictionary's total too).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.errors import UnsupportedFile
from bot.figures.figure import Figure
from bot.index.store import IndexData
from bot.index.workers import DIED, WORKER_DIED, Pool, PoolUnavailable
from bot.ingest.readers import OcrElsewhere, ocr_elsewhere
from bot.ingest.readers.ocr import pages_reported
from bot.ingest.scan import read_report
from bot.lang.tokenizer import Tokenizer
from bot.report import ParsedReport
from bot.search.fusion import bm25_document

Progress = Callable[[float, str], None]
# Fewer paragraphs than this to cut are cut here: sending them costs more than it saves.
PARALLEL_TEXTS = 400
BATCH_TEXTS = 400  # paragraphs per worker task: small enough to spread, large enough to pay the pipe


@dataclass(frozen=True)
class ReadJob:
    report_id: str
    path: str
    corpus: str
    sha256: str


@dataclass(frozen=True)
class ReadDone:
    """One file's outcome: its report and figures, or why it was skipped."""

    report_id: str
    parsed: ParsedReport | None = None
    figures: tuple[Figure, ...] = ()
    reason: str = ""  # set when skipped
    in_process: bool = False  # a scan: read by the main process, which runs OCR


def read_one(job: ReadJob) -> ReadDone:
    """Read and parse one file and extract its figures; a bad file gives its reason."""
    from bot.figures.extract import extract_figures

    try:
        parsed = read_report(Path(job.path), Path(job.corpus), job.sha256)
    except UnsupportedFile as exc:
        return ReadDone(job.report_id, reason=exc.reason)
    return ReadDone(job.report_id, parsed, tuple(extract_figures(parsed)))


def _read_in_worker(job: ReadJob) -> ReadDone:
    try:
        with ocr_elsewhere():
            return read_one(job)
    except OcrElsewhere:
        return ReadDone(job.report_id, in_process=True)


def read_reports(jobs: Sequence[ReadJob], progress: Progress, pool: Pool | None) -> list[ReadDone]:
    """Every job's outcome, in the order of `jobs` whoever read it."""
    done: list[ReadDone | None] = [None] * len(jobs)
    share = 0.15 / max(len(jobs), 1)  # of the progress bar, per file read
    if pool is not None:
        try:
            for finished, (position, outcome) in enumerate(pool.run("read", jobs), 1):
                job = jobs[position]
                progress(0.05 + share * finished, f"读取 {job.report_id}")
                if outcome is DIED:
                    done[position] = ReadDone(job.report_id, reason=WORKER_DIED)
                elif not outcome.in_process:
                    done[position] = outcome
        except PoolUnavailable:
            pass  # no worker could be started again: the rest is read here
    for n, position in enumerate(i for i, outcome in enumerate(done) if outcome is None):
        job = jobs[position]
        progress(0.05 + share * n, f"读取 {job.report_id}")

        def page(pages_done: int, total: int, n=n, report_id=job.report_id) -> None:
            progress(
                0.05 + share * (n + pages_done / total), f"文字识别 {report_id}：第 {pages_done}/{total} 页"
            )

        with pages_reported(page):
            done[position] = read_one(job)
    return done  # type: ignore[return-value]  (every position is filled above)


def cut_terms(payload: tuple[tuple[str, ...], Sequence[str]]) -> list[tuple[str, ...]]:
    """BM25 words of each text, cut with jieba's dictionary plus `words` (Tokenizer.extra_words)."""
    words, texts = payload
    global _worker_tokenizer
    if _worker_tokenizer is None or _worker_tokenizer[0] != words:
        _worker_tokenizer = (words, Tokenizer(words))
    return _cut(_worker_tokenizer[1], texts)


_worker_tokenizer: tuple[tuple[str, ...], Tokenizer] | None = None


def _cut(tokenizer: Tokenizer, texts: Sequence[str]) -> list[tuple[str, ...]]:
    # Interned: ~13,000 distinct words among ~200 per paragraph; one str object per occurrence took
    # ~0.5 GB at 1,500 reports. (In a worker it also lets pickle send each word once per batch.)
    return [tuple(map(sys.intern, tokenizer.index_terms(text))) for text in texts]


def paragraph_terms(
    texts: Sequence[str], tokenizer: Tokenizer, pool: Pool | None, progress: Progress
) -> list[tuple[str, ...]]:
    """BM25 words of every text, in order: in the workers when there are many."""
    found: list[tuple[str, ...] | None] = [None] * len(texts)
    starts = range(0, len(texts), BATCH_TEXTS)
    batches = [texts[start : start + BATCH_TEXTS] for start in starts]
    if pool is not None and len(texts) >= PARALLEL_TEXTS:
        words = tokenizer.extra_words()
        try:
            for finished, (n, outcome) in enumerate(pool.run("terms", [(words, b) for b in batches]), 1):
                progress(0.2 + 0.1 * finished / len(batches), "分词")
                if outcome is not DIED:  # a batch whose worker died is cut here below
                    # Interned again: each worker's strings arrive as new objects.
                    found[starts[n] : starts[n] + len(outcome)] = [tuple(map(sys.intern, t)) for t in outcome]
        except PoolUnavailable:
            pass
    for n, start in enumerate(starts):
        if found[start] is None:
            found[start : start + BATCH_TEXTS] = _cut(tokenizer, batches[n])
            progress(0.2 + 0.1 * (n + 1) / len(batches), "分词")
    return found  # type: ignore[return-value]


def report_terms(
    reports: Sequence[ParsedReport],
    reuse: dict[tuple[str, int], tuple[str, ...]],
    fresh_ids: set[str],
    tokenizer: Tokenizer,
    progress: Progress,
    pool: Pool | None,
) -> tuple[tuple[str, ...], ...]:
    """Every paragraph's BM25 words: `reuse`d for unchanged reports, cut for the `fresh_ids` ones."""
    tokens: list[tuple[str, ...] | None] = []
    texts: list[str] = []  # the paragraphs to cut, in order; their places in `tokens` are None
    for parsed in reports:
        report = parsed.report
        for paragraph in parsed.paragraphs:
            key = (report.report_id, paragraph.index)
            if report.report_id not in fresh_ids and key in reuse:
                tokens.append(reuse[key])
            else:
                tokens.append(None)
                texts.append(bm25_document(report, paragraph))
    cut = iter(paragraph_terms(texts, tokenizer, pool, progress))
    return tuple(next(cut) if t is None else t for t in tokens)


def report_figures(
    reports: Sequence[ParsedReport],
    old: IndexData | None,
    extracted: dict[str, tuple[Figure, ...]],
    reextract: bool,
) -> tuple[Figure, ...]:
    """Figures of kept reports as stored (extracted again when the figure rules changed)."""
    from bot.figures.extract import extract_figures

    stored: dict[str, list[Figure]] = {}
    if old is not None and not reextract:
        for figure in old.figures:
            stored.setdefault(figure.report_id, []).append(figure)
    figures: list[Figure] = []
    for parsed in reports:
        report_id = parsed.report.report_id
        if report_id in extracted:
            figures.extend(extracted[report_id])
        elif report_id in stored:
            figures.extend(stored[report_id])
        else:
            figures.extend(extract_figures(parsed))
    return tuple(figures)


# What a worker process can be asked to do (bot.index.workers._serve).
TASKS = {"read": _read_in_worker, "terms": cut_terms}
