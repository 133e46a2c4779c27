"""The seam between the retriever and a search engine: what hybrid search needs, and the in-memory engine.

The retriever needs two things of a backend, both over the paragraphs of one snapshot (paragraph id =
position in the snapshot's paragraph list) and restricted to a `Where`:
- BM25 scores of the question's index terms (0 where a paragraph shares none or is not allowed);
- dense evidence: each allowed paragraph's best sentence cosine among the query vector's nearest
  `DENSE_CANDIDATES` sentences (-inf where none of its sentences was among them).
and both for many reports at once, each report searched on its own (`report_scores`: the best paragraph
of each of 1,400 reports for a "哪些镇…" question). `scores_report_by_report` is that from the two above,
one filtered search per report: what a backend without a faster way returns (Milvus does).
`MemoryBackend` (our postings BM25 + the FAISS store, the default) computes all in process, per report
from the postings and sentence rows inside the report; `MilvusBackend` (bot/search/milvus_backend.py)
asks Milvus. Quotes, IDF weights for the support check and figures stay in the snapshot either way.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from bot.search.fusion import DENSE_CANDIDATES, ReportScores, best_per_paragraph

if TYPE_CHECKING:
    from bot.lang.scope import Scope
    from bot.report import Report
    from bot.search.fusion import Bm25
    from embeddings.vectors import VectorStore


@dataclass(frozen=True)
class Where:
    """Which paragraphs a search may return: some townships, one year, one report; empty = all."""

    towns: tuple[str, ...] = ()
    year: int | None = None
    report_id: str | None = None

    @classmethod
    def of_scope(cls, scope: Scope) -> Where:
        return cls(towns=tuple(scope.towns), year=scope.year)

    @property
    def everything(self) -> bool:
        return not self.towns and self.year is None and self.report_id is None

    def admits(self, report: Report) -> bool:
        return (
            (not self.towns or report.township in self.towns)
            and (self.year is None or report.year == self.year)
            and (self.report_id is None or report.report_id == self.report_id)
        )


class SearchBackend(Protocol):
    """BM25 and dense scores over one snapshot's paragraphs (arrays of length n_paragraphs)."""

    def bm25_scores(self, terms: Sequence[str], where: Where) -> np.ndarray: ...

    def dense_scores(self, query: np.ndarray, where: Where) -> np.ndarray: ...

    def report_scores(self, terms: Sequence[str], query: np.ndarray, reports: Sequence[int]) -> ReportScores:
        """Both scores of every paragraph of the reports at these positions, as bm25_scores and
        dense_scores filtered to each report alone give them (`group`: the report's position)."""
        ...


def paragraph_ranges(paragraph_report: np.ndarray, n_reports: int) -> list[range]:
    """Each report's paragraph ids (a snapshot holds a report's paragraphs together, in order)."""
    bounds = np.searchsorted(paragraph_report, np.arange(n_reports + 1))
    return [range(int(a), int(b)) for a, b in itertools.pairwise(bounds.tolist())]


def chunk_ranges(chunk_paragraph: np.ndarray, paragraphs: Sequence[range]) -> list[range] | None:
    """Each report's embedded-sentence ids, or None when the sentences are not in paragraph order."""
    chunk_paragraph = np.asarray(chunk_paragraph)
    if len(chunk_paragraph) > 1 and np.any(np.diff(chunk_paragraph) < 0):
        return None
    starts = np.searchsorted(chunk_paragraph, [r.start for r in paragraphs])
    ends = np.searchsorted(chunk_paragraph, [r.stop for r in paragraphs])
    return [range(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]


def scores_report_by_report(
    backend: SearchBackend,
    terms: Sequence[str],
    query: np.ndarray,
    reports: Sequence[int],
    report_ids: Sequence[str],
    paragraphs: Sequence[range],
) -> ReportScores:
    """report_scores from one filtered bm25_scores and dense_scores per report: the way for a backend
    that filters by report itself. `report_ids` and `paragraphs` are every report's, by position."""
    ids, bm25, dense = [], [], []
    for at in reports:
        where, span = Where(report_id=report_ids[at]), np.arange(paragraphs[at].start, paragraphs[at].stop)
        ids.append(span)
        bm25.append(backend.bm25_scores(terms, where)[span])
        dense.append(backend.dense_scores(query, where)[span])
    group = np.repeat(np.asarray(reports, dtype=np.int64), [len(i) for i in ids])
    empty = np.zeros(0, dtype=np.float32)
    return ReportScores(
        np.concatenate(ids or [empty.astype(np.int64)]).astype(np.int64),
        group,
        np.concatenate(bm25 or [empty]),
        np.concatenate(dense or [empty]),
    )


def paragraph_mask(
    where: Where,
    reports: Sequence[Report],
    paragraph_report: np.ndarray,
    report_index: Mapping[str, int] | None = None,
) -> np.ndarray | None:
    """Boolean mask over paragraphs for `where`, or None for the whole corpus.

    One report alone (the "哪些镇…" answers ask once per report) is a single comparison when the
    report's position is known (`report_index`), not a pass over every report.
    """
    if where.everything:
        return None
    if report_index is not None and where == Where(report_id=where.report_id):
        index = report_index.get(where.report_id, -1)
        return paragraph_report == index
    in_scope = np.array([where.admits(r) for r in reports], dtype=bool)
    return in_scope[paragraph_report] if len(in_scope) else np.zeros(len(paragraph_report), dtype=bool)


class MemoryBackend:
    """The postings BM25 and the FAISS (or NumPy) vector store of the snapshot, in this process."""

    def __init__(
        self,
        bm25: Bm25,
        vectors: VectorStore,
        reports: Sequence[Report],
        paragraph_report: np.ndarray,
        chunk_paragraph: np.ndarray,
    ):
        self._bm25 = bm25
        self._vectors = vectors
        self._reports = tuple(reports)
        self._paragraph_report = paragraph_report
        self._chunk_paragraph = chunk_paragraph
        self._report_index = {r.report_id: i for i, r in enumerate(self._reports)}
        self._paragraphs = paragraph_ranges(paragraph_report, len(self._reports))
        self._chunks = chunk_ranges(chunk_paragraph, self._paragraphs)

    @property
    def n_paragraphs(self) -> int:
        return len(self._paragraph_report)

    def bm25_scores(self, terms: Sequence[str], where: Where) -> np.ndarray:
        scores = self._bm25.scores(terms)
        mask = paragraph_mask(where, self._reports, self._paragraph_report, self._report_index)
        return scores if mask is None else np.where(mask, scores, np.float32(0.0)).astype(np.float32)

    def dense_scores(self, query: np.ndarray, where: Where) -> np.ndarray:
        n = self.n_paragraphs
        mask = paragraph_mask(where, self._reports, self._paragraph_report, self._report_index)
        chunk_paragraph = self._chunk_paragraph
        allowed = None if mask is None else np.flatnonzero(mask[chunk_paragraph]).astype(np.int64)
        n_chunks = len(chunk_paragraph) if allowed is None else len(allowed)
        if not n_chunks:
            return np.full(n, -np.inf, dtype=np.float32)
        scores, ids = self._vectors.search(query, min(DENSE_CANDIDATES, n_chunks), allowed)
        keep = ids[0] >= 0
        return best_per_paragraph(scores[0][keep], ids[0][keep], chunk_paragraph, n)

    def report_scores(self, terms: Sequence[str], query: np.ndarray, reports: Sequence[int]) -> ReportScores:
        """BM25 from the postings inside the reports' paragraphs and the cosine of each of their
        sentences (one product over their rows): the cost follows the reports, not the corpus."""
        chunks = self._chunks
        if chunks is None or any(len(chunks[i]) > DENSE_CANDIDATES for i in reports):
            # Sentences out of order, or a report with more sentences than one search keeps.
            ids = [r.report_id for r in self._reports]
            return scores_report_by_report(self, terms, query, reports, ids, self._paragraphs)
        paragraphs, group = _concatenated([self._paragraphs[i] for i in reports], reports)
        sentences, _ = _concatenated([chunks[i] for i in reports], reports)
        dense = best_per_paragraph(
            self._vectors.similarities(query, sentences), sentences, self._chunk_paragraph, self.n_paragraphs
        )
        return ReportScores(paragraphs, group, self._bm25.scores_in(terms, paragraphs), dense[paragraphs])


def _concatenated(ranges: Sequence[range], owners: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The ids of the ranges as one array, and for each id the owner of its range."""
    starts = np.array([r.start for r in ranges], dtype=np.int64)
    lengths = np.array([len(r) for r in ranges], dtype=np.int64)
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    ids = offsets + np.arange(int(lengths.sum()), dtype=np.int64)
    return ids, np.repeat(np.asarray(owners, dtype=np.int64), lengths)
