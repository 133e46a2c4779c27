"""Keeping the index in step with the corpus folder: plan, then read, tokenise, embed and write.

`sync_index` decides everything up front (bot.index.plan.plan_sync) and then carries the plan out
in small steps. It prints nothing: what happened is in the returned SyncResult and in `progress`.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.errors import CacheUnwritable
from bot.figures.figure import Figure
from bot.index.background import (
    CHECKPOINT_EVERY,
    DenseJob,
    DenseWork,
    cache_problem,
    clear_checkpoints,
    known_vectors,
    with_vectors,
)
from bot.index.fingerprints import Fingerprints, current_fingerprints
from bot.index.plan import SyncPlan, plan_sync
from bot.index.reading import ReadDone, ReadJob, read_reports, report_figures, report_terms
from bot.index.store import (
    MANIFEST,
    SCHEMA_VERSION,
    FileStamp,
    IndexData,
    Manifest,
    read_generation,
    read_manifest,
    write_generation,
)
from bot.index.workers import Pool, open_pool
from bot.ingest.report_info import ReportInfo, info_for
from bot.ingest.scan import SkippedFile, corpus_table, list_report_files, unsupported_files
from bot.lang.tokenizer import Tokenizer
from bot.report import ParsedReport

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
    embedded: int = 0  # sentences embedded by this sync (the rest reused their stored vectors)
    # With defer_dense: the sentences still without a vector, to `start` in a thread (None: none left).
    dense: DenseJob | None = None


@dataclass(frozen=True)
class _Previous:
    """The stored index, if usable, and why not otherwise."""

    manifest: Manifest | None
    data: IndexData | None
    message: str = ""


@dataclass(frozen=True)
class _Folder:
    """The report files now in the corpus folder."""

    stamps: dict[str, FileStamp]
    paths: dict[str, Path]
    unreadable: tuple[SkippedFile, ...]


def sync_index(
    corpus: Path,
    index_dir: Path,
    encoder,
    tokenizer: Tokenizer,
    *,
    progress: Progress | None = None,
    show_bar: bool = False,
    defer_dense: bool = False,
    checkpoint_every: int = CHECKPOINT_EVERY,
    workers: int | None = None,
) -> tuple[IndexData, SyncResult]:
    """Bring the index of `corpus` up to date and return it loaded.

    Reports whose file is unchanged keep their paragraphs, words and vectors; new or changed files
    are read; only sentences never embedded before (nor checkpointed) are embedded; removed files
    disappear. A missing or damaged index is rebuilt. The words and figures are written first;
    sentences are then embedded here, or, with `defer_dense`, by the job in `SyncResult.dense`.
    An index that is already current is not written to. Raises CacheUnwritable when the cache
    folder cannot take a changed index. Many new files are read in `workers` processes (bot.index.workers).
    """
    progress = progress or _quiet_progress
    previous = _load_previous(index_dir, encoder)
    if previous.message:
        progress(0.0, previous.message)
    folder = _scan_folder(corpus, previous.manifest)
    ignored = unsupported_files(corpus)  # named in every result, never read or remembered
    now = current_fingerprints()
    plan = plan_sync(previous.manifest, folder.stamps, now)
    old_reports = {r.report.report_id: r for r in previous.data.reports} if previous.data else {}
    job = _JobSettings(index_dir, encoder, checkpoint_every, show_bar, progress, defer_dense)
    if previous.data is not None and plan.changes_nothing(previous.manifest) and not folder.unreadable:
        progress(1.0, "索引已是最新")
        skipped = (*ignored, *_remembered(plan, folder))
        result = SyncResult((), (), (), skipped, rebuilt=False)
        return _resume(previous, result, job) if previous.manifest.dense_pending else (previous.data, result)
    with open_pool(len(plan.read), workers) as pool:
        read, skipped, verdicts = _read_files(plan, folder, corpus, progress, pool)
        fresh = [done.parsed for done in read]
        kept = [old_reports[rid] for rid in plan.keep]
        reports = tuple(sorted([*kept, *fresh], key=lambda r: r.report.report_id))
        figures = {done.report_id: done.figures for done in read}
        data, work = _build(reports, previous.data, plan, figures, tokenizer, job, pool)
    progress(0.3, "写入索引")
    manifest = _manifest(corpus, encoder, now, folder, reports, verdicts)
    manifest.dense_pending = len(work.missing)
    _write(index_dir, data, manifest)
    if not manifest.dense_pending:
        clear_checkpoints(index_dir)  # all their vectors are in the generation now
    indexed = {r.report.report_id for r in reports}
    result = SyncResult(
        added=tuple(r.report.report_id for r in fresh if r.report.report_id not in old_reports),
        changed=tuple(r.report.report_id for r in fresh if r.report.report_id in old_reports),
        removed=tuple(rid for rid in old_reports if rid not in indexed),
        skipped=(*folder.unreadable, *ignored, *skipped),
        rebuilt=previous.data is None,
        message=previous.message,
    )
    return _embed(data, manifest, work, result, job)


@dataclass(frozen=True)
class _JobSettings:
    index_dir: Path
    encoder: Any
    every: int
    show_bar: bool
    progress: Progress
    defer: bool


def _resume(previous: _Previous, result: SyncResult, settings: _JobSettings) -> tuple[IndexData, SyncResult]:
    """An unchanged index whose sentence vectors stopped part-way: go on from its checkpoints."""
    dim = settings.encoder.dim
    work = DenseWork.of(previous.data.reports, known_vectors(previous.data, settings.index_dir, dim), dim)
    # Answer at once with the checkpointed vectors too, not only the generation's.
    return _embed(with_vectors(previous.data, work), previous.manifest, work, result, settings)


def _embed(
    data: IndexData, manifest: Manifest, work: DenseWork, result: SyncResult, settings: _JobSettings
) -> tuple[IndexData, SyncResult]:
    """Embed the missing sentences now, or hand them back as a job (`defer`); Ctrl-C keeps a checkpoint."""
    if not work.missing and not manifest.dense_pending:
        settings.progress(1.0, "索引完成")
        return data, result

    def finish(done: DenseWork) -> IndexData:
        complete = with_vectors(data, done)
        write_generation(settings.index_dir, complete, replace(manifest, dense_pending=0))
        clear_checkpoints(settings.index_dir)
        return complete

    # A deferred job outlives the call: the caller's progress callback (a page request's) is not its.
    progress = None if settings.defer else settings.progress
    job = DenseJob(work, settings.encoder, settings.index_dir, finish, every=settings.every,
                   show_bar=settings.show_bar, progress=progress)  # fmt: skip
    if settings.defer:
        return data, replace(result, dense=job)
    missing = len(work.missing)
    job.run()
    settings.progress(1.0, "索引完成")
    complete = job.result if isinstance(job.result, IndexData) else with_vectors(data, work)
    message = "\n".join(m for m in (result.message, job.write_problem) if m)
    return complete, replace(result, embedded=missing, message=message)


def _write(index_dir: Path, data: IndexData, manifest: Manifest) -> None:
    """Write a generation; an unwritable or full cache folder leaves the old index as it was."""
    current = manifest_generation(index_dir)
    try:
        write_generation(index_dir, data, manifest)
    except OSError as exc:
        for folder in index_dir.glob("gen-*"):  # the half-written new generation
            if folder.name != current:
                shutil.rmtree(folder, ignore_errors=True)
        raise CacheUnwritable(str(index_dir), cache_problem(index_dir, exc)) from exc


def manifest_generation(index_dir: Path) -> str:
    manifest = read_manifest(index_dir)
    return manifest.generation if manifest else ""


# --- before: what is stored, what is on disk ----------------------------------------------------------
def _load_previous(index_dir: Path, encoder) -> _Previous:
    from embeddings.errors import CorruptIndex

    manifest = read_manifest(index_dir)
    if manifest is None:
        exists = (index_dir / MANIFEST).exists()
        return _Previous(None, None, "索引清单损坏或版本过旧，正在重建。" if exists else "")
    if manifest.encoder != encoder.name or manifest.dim != encoder.dim:
        return _Previous(None, None, f"嵌入模型已更换（{manifest.encoder} → {encoder.name}），正在重建索引。")
    try:
        return _Previous(manifest, read_generation(index_dir, manifest))
    except CorruptIndex as exc:
        return _Previous(None, None, f"索引文件 {Path(exc.path).name} 已损坏（{exc.reason}），正在重建。")
    except Exception as exc:  # any damage to the stored files means: rebuild, never crash
        return _Previous(None, None, f"索引文件损坏（{type(exc).__name__}），正在重建。")


def _scan_folder(corpus: Path, manifest: Manifest | None) -> _Folder:
    table = corpus_table(corpus)
    stamps: dict[str, FileStamp] = {}
    paths: dict[str, Path] = {}
    unreadable: list[SkippedFile] = []
    for path in list_report_files(corpus):
        report_id = path.relative_to(corpus).as_posix()
        known = _known_stamp(manifest, report_id)
        try:
            stamp = _stamp(path, known)
        except OSError as exc:
            unreadable.append(
                SkippedFile(str(path), f"无法读取文件（{exc.strerror or exc}）。请检查文件权限")
            )
            continue
        stamps[report_id] = replace(stamp, info=info_key(info_for(table, report_id)))
        paths[report_id] = path
    return _Folder(stamps, paths, tuple(unreadable))


def _known_stamp(manifest: Manifest | None, report_id: str) -> FileStamp | None:
    if manifest is None:
        return None
    if report_id in manifest.files:
        return manifest.files[report_id]
    entry = manifest.skipped.get(report_id)
    return FileStamp(**entry["stamp"]) if entry else None


def _stamp(path: Path, previous: FileStamp | None) -> FileStamp:
    """Size and mtime decide whether the file must be hashed again; hashing 1000 reports takes time.

    Not guarded further, on purpose: a file replaced by another of the same size AND the same mtime
    (cp -p, rsync -t, unzip of an older copy) keeps its old index until it is touched or the cache is
    cleared. ctime or the inode would catch it but also change on chmod, a rename, a restore or a copied
    folder, and an index that is current is never written (a read-only cache must still answer): the
    new ctime would never be recorded and every start would hash the whole folder. Hashing small files
    every time has the same cost, paid at each start to catch a replacement that needs a deliberate
    tool; `touch 文件` (new mtime) is the remedy, named in the README.
    """
    from bot.ingest.read import file_sha256

    info = path.stat()
    if previous and previous.size == info.st_size and previous.mtime_ns == info.st_mtime_ns:
        return previous
    return FileStamp(sha256=file_sha256(path), size=info.st_size, mtime_ns=info.st_mtime_ns)


def info_key(info: ReportInfo | None) -> str:
    """What a file's row in 报告信息.csv says, as a short key; "" when it has none."""
    if info is None:
        return ""
    return json.dumps([info.township, info.county, info.year], ensure_ascii=False)


def _remembered(plan: SyncPlan, folder: _Folder) -> tuple[SkippedFile, ...]:
    """Files skipped without being read: unchanged bad files and copies of another file."""
    reasons = {rid: v["reason"] for rid, v in plan.still_skipped.items()} | plan.duplicates
    return tuple(SkippedFile(str(folder.paths[rid]), reasons[rid]) for rid in sorted(reasons))


# --- reading ------------------------------------------------------------------------------------------
def _read_files(
    plan: SyncPlan, folder: _Folder, corpus: Path, progress: Progress, pool: Pool | None
) -> tuple[list[ReadDone], list[SkippedFile], dict[str, dict]]:
    """Parse the plan's files; a bad file is skipped with its reason, remembered until it changes."""
    skipped = list(_remembered(plan, folder))
    verdicts = dict(plan.still_skipped)
    jobs = [ReadJob(rid, str(folder.paths[rid]), str(corpus), folder.stamps[rid].sha256) for rid in plan.read]
    fresh: list[ReadDone] = []
    for done in read_reports(jobs, progress, pool):
        if done.parsed is None:
            skipped.append(SkippedFile(str(folder.paths[done.report_id]), done.reason))
            verdicts[done.report_id] = {"stamp": vars(folder.stamps[done.report_id]), "reason": done.reason}
        else:
            fresh.append(done)
    return fresh, skipped, verdicts


# --- deriving tokens, vectors, figures ----------------------------------------------------------------
def _build(
    reports: tuple[ParsedReport, ...],
    old: IndexData | None,
    plan: SyncPlan,
    extracted: dict[str, tuple[Figure, ...]],
    tokenizer: Tokenizer,
    settings: _JobSettings,
    pool: Pool | None,
) -> tuple[IndexData, DenseWork]:
    """`extracted`: the figures of the reports just read (the fresh ones), by report_id."""
    townships = sorted({r.report.township for r in reports})
    new_names = old is None or set(townships) - {r.report.township for r in old.reports}
    tokenizer.add_words(townships)
    # New township names change jieba's dictionary, and with it how every paragraph is cut.
    reuse_tokens = _tokens_by_paragraph(old) if old and not (plan.retokenize or new_names) else {}
    tokens = report_terms(reports, reuse_tokens, set(extracted), tokenizer, settings.progress, pool)
    figures = report_figures(reports, old, extracted, plan.reextract_figures)
    dim = settings.encoder.dim
    work = DenseWork.of(reports, known_vectors(old, settings.index_dir, dim), dim)
    paragraph, keys, vectors = work.store()
    return IndexData(reports, tokens, paragraph, vectors, figures, keys), work


def _tokens_by_paragraph(data: IndexData) -> dict[tuple[str, int], tuple[str, ...]]:
    keys = [(r.report_id, p.index) for r, p in data.paragraphs()]
    return dict(zip(keys, data.tokens, strict=True))


# --- after: the manifest of the new generation -------------------------------------------------------
def _manifest(
    corpus: Path,
    encoder,
    now: Fingerprints,
    folder: _Folder,
    reports: Sequence[ParsedReport],
    verdicts: dict[str, dict],
) -> Manifest:
    return Manifest(
        schema=SCHEMA_VERSION,
        fingerprints=now.to_dict(),
        encoder=encoder.name,
        dim=encoder.dim,
        corpus=str(corpus.resolve()),
        generation="",
        files={r.report.report_id: folder.stamps[r.report.report_id] for r in reports},
        skipped=verdicts,
    )


def _quiet_progress(_fraction: float, _message: str) -> None:
    return None
