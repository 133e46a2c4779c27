"""The search backend on Milvus: BM25 over the index's own tokens and dense sentence neighbours, filtered
by township/county/year/report in Milvus expressions (embeddings/milvus.py has the collections).

Locally the URI is a milvus-lite file in the index folder; `--milvus-uri http://host:19530` talks to
Milvus Standalone or Distributed with the same code. Rows are keyed by a hash of what they hold, so a
refresh inserts only new or changed paragraphs and sentences and deletes the ones gone; the vectors
themselves still come from the index stage (one embedding per sentence text, bot/index/sync.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from bot.errors import ZhenbaoError
from bot.search.backend import Where, paragraph_ranges, scores_report_by_report
from bot.search.fusion import BM25_B, BM25_K1, DENSE_CANDIDATES, Bm25, ReportScores

if TYPE_CHECKING:
    from bot.report import Paragraph, Report
    from embeddings.milvus import Filter, Located, MilvusStore
    from embeddings.vectors import VectorStore


class IndexedState(Protocol):
    """What the backend reads of the engine's snapshot."""

    paragraphs: list[tuple[Report, Paragraph]]
    reports: Sequence[Report]
    paragraph_report: np.ndarray  # each paragraph's report position
    tokens: Sequence[Sequence[str]]
    chunk_paragraph: np.ndarray
    vectors: VectorStore
    bm25: Bm25


@dataclass(frozen=True)
class SyncCounts:
    """What one sync changed in Milvus (rows inserted / deleted per collection)."""

    text_added: int
    text_removed: int
    vectors_added: int
    vectors_removed: int


@contextlib.contextmanager
def milvus_errors() -> Iterator[None]:
    """Milvus failures (server gone, file locked by another process) as a Chinese ZhenbaoError."""
    from embeddings.milvus import MilvusUnavailable

    try:
        yield
    except MilvusUnavailable as exc:
        raise ZhenbaoError(str(exc)) from exc
    except Exception as exc:  # pymilvus raises MilvusException and grpc errors; none may reach the user raw
        if type(exc).__module__.split(".")[0] not in {"pymilvus", "grpc", "milvus_lite"}:
            raise
        raise ZhenbaoError(
            f"Milvus 检索失败：{getattr(exc, 'message', exc)}。请检查 Milvus 服务后重试"
        ) from exc


def collection_name(index_dir: Path) -> str:
    """One pair of collections per index folder (corpus + encoder); a valid Milvus name."""
    return "zhenbao_" + "".join(c if c.isalnum() else "_" for c in index_dir.name)


def default_uri(index_dir: Path) -> str:
    return str(index_dir / "milvus.db")


def _meta(report: Report) -> dict:
    return {
        "report": report.report_id,
        "township": report.township,
        "county": report.district or "",
        "year": -1 if report.year is None else int(report.year),
    }


def _text_rows(state: IndexedState) -> dict[str, dict]:
    from embeddings.milvus import row_key, spell_terms

    rows = {}
    for (report, paragraph), tokens in zip(state.paragraphs, state.tokens, strict=True):
        row = {**_meta(report), "paragraph": paragraph.index, "text": spell_terms(tokens)}
        rows[row_key(*row.values())] = row
    return rows


def _vector_rows(state: IndexedState, chunk_keys: Sequence[str]) -> tuple[dict[str, dict], dict[str, int]]:
    """Rows without vectors yet (key → row) and each key's chunk id, so only new rows read a vector."""
    from embeddings.milvus import row_key

    rows: dict[str, dict] = {}
    chunk_of: dict[str, int] = {}
    ordinal: dict[int, int] = {}
    for chunk_id, pid in enumerate(state.chunk_paragraph.tolist()):
        report, paragraph = state.paragraphs[pid]
        nth = ordinal[pid] = ordinal.get(pid, -1) + 1
        row = {**_meta(report), "paragraph": paragraph.index}
        key = row_key(*row.values(), nth, chunk_keys[chunk_id] if chunk_keys else chunk_id)
        rows[key] = row
        chunk_of[key] = chunk_id
    return rows, chunk_of


def sync_store(store: MilvusStore, state: IndexedState, chunk_keys: Sequence[str]) -> SyncCounts:
    """Make the two collections hold exactly the snapshot's paragraphs and sentences.

    Vectors move incrementally. On milvus-lite, whose BM25 statistics are per segment, a changed text
    collection is rewritten whole (text rows need no embedding: minutes at most for a city's corpus,
    against hours of embedding), so that BM25 scores stay those of the whole corpus; on a cluster it
    moves incrementally too. The rewrite fills a second collection and then moves the text alias to it,
    so questions on the previous snapshot search the complete previous text meanwhile.
    """
    text = _text_rows(state)
    vectors, chunk_of = _vector_rows(state, chunk_keys)
    stored_text = store.keys(store.text_collection)
    if store.bm25_per_segment and stored_text and stored_text != text.keys():
        store.rewrite_text([{**row, "key": key} for key, row in text.items()])
        text_added, text_removed = len(text), len(stored_text)
    else:
        text_removed = len(stored_text - text.keys())
        text_added = _sync_rows(store, store.text_collection, text, stored_text, lambda key: {})
    stored_vectors = store.keys(store.vector_collection)
    vectors_removed = len(stored_vectors - vectors.keys())
    matrix = state.vectors.reconstruct_all() if vectors.keys() - stored_vectors else None

    def vector(key: str) -> dict:
        return {"vector": matrix[chunk_of[key]].tolist()}

    vectors_added = _sync_rows(store, store.vector_collection, vectors, stored_vectors, vector)
    counts = SyncCounts(text_added, text_removed, vectors_added, vectors_removed)
    if any(astuple(counts)):
        store.flush()
    return counts


def _sync_rows(store: MilvusStore, collection: str, wanted: dict[str, dict], stored: set[str], extra) -> int:
    """Delete stored keys no longer wanted, insert wanted keys not stored; how many were inserted."""
    store.delete(collection, sorted(stored - wanted.keys()))
    new = [key for key in wanted if key not in stored]
    store.insert(collection, [{**wanted[key], "key": key, **extra(key)} for key in new])
    return len(new)


class MilvusBackend:
    """SearchBackend over Milvus for one snapshot (the store is shared by successive snapshots)."""

    def __init__(self, store: MilvusStore, state: IndexedState):
        self._store = store
        self._n = len(state.paragraphs)
        self._paragraph_id = {(r.report_id, p.index): i for i, (r, p) in enumerate(state.paragraphs)}
        self._report_ids = [r.report_id for r in state.reports]
        self._paragraphs = paragraph_ranges(state.paragraph_report, len(self._report_ids))

    def bm25_scores(self, terms: Sequence[str], where: Where) -> np.ndarray:
        from embeddings.milvus import spell_terms

        with milvus_errors():
            hits = self._store.search_text(spell_terms(terms), max(self._n, 1), self._filter(where))
        # Milvus multiplies every term's weight by (k1 + 1); bm25s does not. Same ranking either way;
        # dividing keeps Hit.bm25 on one scale for both backends.
        return self._scatter(hits, 0.0, 1.0 / (BM25_K1 + 1.0))

    def dense_scores(self, query: np.ndarray, where: Where) -> np.ndarray:
        with milvus_errors():
            hits = self._store.search_vectors(query, DENSE_CANDIDATES, self._filter(where))
        return self._scatter(hits, -np.inf, 1.0)

    def report_scores(self, terms: Sequence[str], query: np.ndarray, reports: Sequence[int]) -> ReportScores:
        # Two filtered searches per report. One search over all of them would keep only the best
        # DENSE_CANDIDATES sentences of them all, not of each report.
        return scores_report_by_report(self, terms, query, reports, self._report_ids, self._paragraphs)

    def _scatter(self, hits: Sequence[Located], empty: float, scale: float) -> np.ndarray:
        """Per-paragraph best score of the hits (a paragraph's sentences may each be a hit)."""
        out = np.full(self._n, empty, dtype=np.float32)
        for hit in hits:
            pid = self._paragraph_id.get((hit.report, hit.paragraph))
            if pid is not None:
                out[pid] = max(out[pid], hit.score * scale)
        return out

    @staticmethod
    def _filter(where: Where) -> Filter:
        from embeddings.milvus import Filter

        reports = () if where.report_id is None else (where.report_id,)
        return Filter(townships=where.towns, year=where.year, reports=reports)


def milvus_backend_factory(
    uri: str, name: str, dim: int
) -> Callable[[IndexedState, Sequence[str]], MilvusBackend]:
    """Opens Milvus once; each call brings it up to date with a snapshot and returns its backend."""
    from embeddings.milvus import MilvusStore

    with milvus_errors():
        store = MilvusStore(uri, name, dim, k1=BM25_K1, b=BM25_B)

    def build(state: IndexedState, chunk_keys: Sequence[str]) -> MilvusBackend:
        with milvus_errors():
            sync_store(store, state, chunk_keys)
        return MilvusBackend(store, state)

    return build
