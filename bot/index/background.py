"""Sentence vectors after the fact: embedded in slices, checkpointed, resumable, optionally in a thread.

A sync writes BM25 words and figures at once; the sentences still without a vector are a DenseWork.
A DenseJob embeds them batch by batch and, every `every` sentences, writes what it embedded as one
checkpoint part (`dense-checkpoints/part-….npy` + `.keys.json`, each written atomically). A part is a
cache of text key → vector, valid for any later generation of the same index folder (the folder is
per encoder), so a killed process or a sleeping laptop resumes with only the unsaved batches lost.
When every sentence has its vector the job's `finish` writes a complete generation and the parts go.
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.index.store import chunk_key
from bot.report import ParsedReport
from bot.search.fusion import dense_chunks

if TYPE_CHECKING:
    from bot.index.store import IndexData

CHECKPOINT_DIR = "dense-checkpoints"
# About 25–70 s of the bundled encoder on 2 cores: the most a kill can lose, and how often answers
# get the new vectors (each swap rebuilds the vector store of the snapshot once).
CHECKPOINT_EVERY = 512
# Small enough that a stop (Ctrl-C, the end of a one-shot question) waits only a few seconds.
BATCH = 32
# Vectors stacked at a time when a store is filled (6 MB of 384-dim rows).
_BLOCK = 4096
# What a one-shot question assumes before the job has measured its own speed (issue 10: 7–22 句/s).
ASSUMED_RATE = 10.0


@dataclass(frozen=True)
class IndexingProgress:
    """How far the sentence vectors are: `done` of `total` distinct sentences, and what is going on."""

    done: int
    total: int
    message: str = ""

    @property
    def complete(self) -> bool:
        return self.done >= self.total


@dataclass
class DenseWork:
    """Every embedded sentence of an index in paragraph order, the vectors known, the texts missing."""

    paragraph: np.ndarray  # int32 paragraph id of every sentence
    keys: tuple[str, ...]  # chunk_key of every sentence's text
    known: dict[str, np.ndarray]  # key → unit vector (stored, checkpointed or embedded now)
    missing: dict[str, str]  # key → text still without a vector, in corpus order
    dim: int
    total: int = 0  # distinct texts
    _stored: tuple[int, tuple[np.ndarray, tuple[str, ...], Any]] | None = field(
        default=None, repr=False, compare=False
    )  # the last store() and how many vectors were known then

    @classmethod
    def of(cls, reports: Sequence[ParsedReport], known: dict[str, np.ndarray], dim: int) -> DenseWork:
        paragraph_ids: list[int] = []
        keys: list[str] = []
        missing: dict[str, str] = {}
        paragraphs = ((r.report, p) for r in reports for p in r.paragraphs)
        for paragraph_id, (report, paragraph) in enumerate(paragraphs):
            for text in dense_chunks(report, paragraph):
                key = chunk_key(text)
                paragraph_ids.append(paragraph_id)
                keys.append(key)
                if key not in known:
                    missing.setdefault(key, text)
        used = set(keys)
        known = {k: v for k, v in known.items() if k in used}
        return cls(np.asarray(paragraph_ids, dtype=np.int32), tuple(keys), known, missing, dim, len(used))

    def store(self):
        """(paragraph ids, keys, FAISS store) of the sentences that have a vector, in paragraph order.

        The vectors are copied into the store block by block (no stacked matrix beside it), and the
        store is kept until a vector is added: the job's last swap and its complete generation
        share one (each was 107 MB at 1,500 reports, and the job holds its result)."""
        from embeddings.vectors import VectorIndex

        if self._stored is not None and self._stored[0] == len(self.known):  # `known` only grows
            return self._stored[1]
        rows = [i for i, k in enumerate(self.keys) if k in self.known]
        keys = tuple(self.keys[i] for i in rows)
        blocks = (
            np.vstack([self.known[k] for k in keys[start : start + _BLOCK]])
            for start in range(0, len(keys), _BLOCK)
        )
        store = VectorIndex.build_from(blocks, len(keys), self.dim)
        self._stored = (len(self.known), (self.paragraph[rows].astype(np.int32), keys, store))
        return self._stored[1]


def known_vectors(old: IndexData | None, index_dir: Path, dim: int) -> dict[str, np.ndarray]:
    """The vector of every text embedded before: in the stored index or in a checkpoint part."""
    known = read_checkpoints(index_dir, dim)
    if old is not None:
        known.update(zip(old.chunk_keys, old.vectors.reconstruct_all(), strict=True))
    return known


def with_vectors(data: IndexData, work: DenseWork) -> IndexData:
    """`data` with every vector `work` knows (words, figures and reports unchanged)."""
    paragraph, keys, store = work.store()
    return replace(data, chunk_paragraph=paragraph, vectors=store, chunk_keys=keys)


# --- checkpoints on disk ------------------------------------------------------------------------
def read_checkpoints(index_dir: Path, dim: int) -> dict[str, np.ndarray]:
    """Vectors of every intact checkpoint part; a damaged or half-written part is ignored (re-embedded)."""
    from embeddings.errors import CorruptIndex
    from embeddings.files import read_json, read_npy

    found: dict[str, np.ndarray] = {}
    for part in sorted((index_dir / CHECKPOINT_DIR).glob("part-*.npy")):
        try:
            keys = read_json(part.with_suffix(".keys.json"))
            matrix = read_npy(part)
        except (CorruptIndex, OSError):
            continue
        if not _usable(keys, matrix, dim):
            continue
        found.update(zip(keys, matrix.astype(np.float32, copy=False), strict=True))
    return found


def _usable(keys, matrix: np.ndarray, dim: int) -> bool:
    if not isinstance(keys, list) or matrix.ndim != 2 or matrix.shape != (len(keys), dim):
        return False
    with np.errstate(all="ignore"):
        norms = np.linalg.norm(matrix, axis=1)
    return bool(np.isfinite(matrix).all() and (np.abs(norms - 1.0) <= 1e-3).all())


def write_checkpoint(index_dir: Path, keys: Sequence[str], matrix: np.ndarray) -> None:
    """One part: keys first, vectors last, so a part whose .npy exists is complete."""
    from embeddings.files import atomic_write_json, write_npy

    part = index_dir / CHECKPOINT_DIR / f"part-{time.time_ns():020d}-{uuid.uuid4().hex[:6]}.npy"
    atomic_write_json(part.with_suffix(".keys.json"), list(keys))
    write_npy(part, np.asarray(matrix, dtype=np.float32))


def clear_checkpoints(index_dir: Path) -> None:
    shutil.rmtree(index_dir / CHECKPOINT_DIR, ignore_errors=True)


# --- the job ------------------------------------------------------------------------------------
Swap = Callable[[DenseWork], object]


@dataclass
class _Unsaved:
    keys: list[str] = field(default_factory=list)
    rows: list[np.ndarray] = field(default_factory=list)


class DenseJob:
    """Embed a DenseWork's missing sentences, checkpointing every `every`; `finish` writes the result.

    Runs inline (`run`) or in a daemon thread (`start`). `stop` ends it cleanly after the current
    batch and saves what was embedded. A failed checkpoint write (cache unwritable or full) does not
    stop the embedding: the vectors are used in memory and the reason is in `progress().message`.
    """

    def __init__(self, work: DenseWork, encoder, index_dir: Path, finish: Callable[[DenseWork], object], *,
                 every: int = CHECKPOINT_EVERY, show_bar: bool = False,
                 progress: Callable[[float, str], None] | None = None):  # fmt: skip
        self.work = work
        self.result: object = None  # what `finish` returned: the complete IndexData, once written
        self._progress = progress
        self._encoder = encoder
        self._index_dir = index_dir
        self._finish = finish
        self._every = every
        self._show_bar = show_bar
        self._lock = threading.Lock()  # guards work.known/missing and the unsaved batches
        self._unsaved = _Unsaved()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = time.monotonic()
        self._embedded = 0
        self.outcome = "pending"  # then: done, stopped, interrupted, failed
        self.error: BaseException | None = None
        self.write_problem = ""

    # --- progress ---------------------------------------------------------------------------
    @property
    def pending(self) -> bool:
        """Whether some sentence is still without a vector (cheap: read on every answer)."""
        return bool(self.work.missing)

    def progress(self) -> IndexingProgress:
        with self._lock:
            done = self.work.total - len(self.work.missing)
        total = self.work.total
        if self.write_problem:
            message = self.write_problem
        elif self.outcome == "failed":
            message = f"句子向量计算失败：{self.error}"
        elif done >= total:
            message = "句子向量已全部完成"
        else:
            message = f"正在计算句子向量：已完成 {done}/{total} 句"
        return IndexingProgress(done, total, message)

    @property
    def running(self) -> bool:
        return self.outcome == "pending"

    def seconds_left(self) -> float:
        """Estimated seconds until every sentence has its vector (the measured speed once known)."""
        elapsed = time.monotonic() - self._started
        rate = self._embedded / elapsed if self._embedded and elapsed > 0 else ASSUMED_RATE
        with self._lock:
            return len(self.work.missing) / rate

    # --- running ----------------------------------------------------------------------------
    def start(self, swap: Swap) -> None:
        self._thread = threading.Thread(target=self._run_quietly, args=(swap,), name="dense", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """True when the job has ended (done, stopped or failed) within `timeout` seconds."""
        if self._thread is None:
            return self.outcome != "pending"
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def stop(self, *, wait: bool = True) -> None:
        """End after the current batch; what was embedded is saved now (and again if more came)."""
        self._stop.set()
        self._save()
        if wait and self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()

    def _run_quietly(self, swap: Swap) -> None:
        with contextlib.suppress(BaseException):  # the outcome and error say what happened
            self.run(swap)

    def run(self, swap: Swap | None = None) -> None:
        """Embed every missing sentence; re-raises Ctrl-C and encoder errors after saving."""
        from tqdm import tqdm

        self._started = time.monotonic()  # the speed estimate counts from here
        try:
            with tqdm(total=self.work.total, initial=self.work.total - len(self.work.missing),
                      desc="计算句子向量", unit="句", disable=not self._show_bar) as bar:  # fmt: skip
                self._embed_all(bar, swap)
        except KeyboardInterrupt:
            self.outcome = "interrupted"
            raise
        except BaseException as exc:
            self.outcome, self.error = "failed", exc
            raise
        finally:
            self._save()
        if self.outcome == "pending":
            try:
                self.result = self._finish(self.work)
            except OSError as exc:  # answers go on from the vectors in memory
                self.write_problem = cache_problem(self._index_dir, exc)
            except Exception as exc:
                self.outcome, self.error = "failed", exc
                raise
            self.outcome = "done"

    def _embed_all(self, bar, swap: Swap | None) -> None:
        since_swap = 0
        while not self._stop.is_set():
            with self._lock:
                batch = list(itertools.islice(self.work.missing.items(), BATCH))
            if not batch:
                break
            vectors = self._encoder.encode_passages([text for _, text in batch])
            with self._lock:
                for (key, _), vector in zip(batch, vectors, strict=True):
                    self.work.known[key] = np.asarray(vector, dtype=np.float32)
                    self.work.missing.pop(key, None)
                    self._unsaved.keys.append(key)
                    self._unsaved.rows.append(self.work.known[key])
                self._embedded += len(batch)
                full = len(self._unsaved.keys) >= self._every
            bar.update(len(batch))
            if self._progress is not None:
                left = len(self.work.missing)
                self._progress(0.3 + 0.65 * (1 - left / max(self.work.total, 1)), "计算句子向量")
            since_swap += len(batch)
            if full:
                self._save()
            if swap is not None and (full or not self.work.missing):
                swap(self.work)
                since_swap = 0
        # A stop asked for after the last batch (a one-shot `ask` exiting) still writes the complete index.
        if self._stop.is_set() and self.work.missing:
            self.outcome = "stopped"
            if swap is not None and since_swap:
                swap(self.work)

    def _save(self) -> None:
        with self._lock:
            unsaved, self._unsaved = self._unsaved, _Unsaved()
        if not unsaved.keys:
            return
        try:
            write_checkpoint(self._index_dir, unsaved.keys, np.vstack(unsaved.rows))
        except OSError as exc:
            self.write_problem = cache_problem(self._index_dir, exc)


def cache_problem(index_dir: Path, exc: OSError) -> str:
    """What to do when the cache folder cannot be written: free space, or point ZHENBAO_CACHE_DIR away."""
    import errno

    from embeddings.files import CACHE_DIR_ENV

    cache = index_dir.parent.parent  # <cache>/indexes/<key>
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        what = f"磁盘空间已满，请在 {cache} 所在的磁盘上腾出空间"
    else:
        what = f"该文件夹不可写（{exc.strerror or exc}），请检查其权限"
    return (
        f"无法写入索引缓存文件夹 {cache}：{what}，或设置环境变量 {CACHE_DIR_ENV}"
        "（或使用 --cache-dir）指向一个可写且有空余空间的文件夹后重试。"
    )
