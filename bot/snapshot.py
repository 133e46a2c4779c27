"""One immutable snapshot of the index in memory, and the search backend it is searched through.

The engine (bot/engine.py) answers every question from one `Snapshot` and swaps in a new one on a
refresh or when background embedding adds vectors; the retriever (bot/search/retriever.py) reads it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bot.answers.context import CorpusView
from bot.errors import ZhenbaoError
from bot.index.background import DenseWork, with_vectors
from bot.index.store import IndexData
from bot.lang.scope import Scope, resolve_scope
from bot.report import Paragraph, Report
from bot.search.backend import MemoryBackend, SearchBackend
from bot.search.fusion import Bm25

BackendFactory = Callable[["Snapshot", Sequence[str]], SearchBackend]
BACKENDS = ("faiss", "milvus")


class Snapshot:
    """An immutable snapshot of the index in memory; `refresh` swaps in a new one atomically."""

    def __init__(self, data: IndexData, backend: BackendFactory | None = None):
        self.data = data
        self.paragraphs: list[tuple[Report, Paragraph]] = data.paragraphs()
        self.bm25 = Bm25(data.tokens)
        self.reports: tuple[Report, ...] = tuple(r.report for r in data.reports)
        self.paragraph_report = np.array(
            [i for i, r in enumerate(data.reports) for _ in r.paragraphs], dtype=np.int32
        )
        self.report_index = {r.report.report_id: i for i, r in enumerate(data.reports)}
        self.tokens = data.tokens
        self.chunk_paragraph = data.chunk_paragraph
        self.vectors = data.vectors
        self._paragraph_ids = {(r.report_id, p.index): i for i, (r, p) in enumerate(self.paragraphs)}
        self.figures = data.figures
        self.corpus = CorpusView(tuple(data.reports), tuple(data.figures))
        # Townships in corpus order (file names), which is how users arranged their folder.
        self.townships = list(dict.fromkeys(r.township for r in self.reports))
        self.years = sorted({r.year for r in self.reports if r.year is not None})
        self.districts = sorted({r.district for r in self.reports if r.district})
        # A county (district) → its townships, in corpus order: a question may name the county instead.
        towns_of: dict[str, dict[str, None]] = {d: {} for d in self.districts}
        for r in self.reports:  # one pass, not one per county
            if r.district:
                towns_of[r.district][r.township] = None
        self.district_towns = {d: tuple(towns) for d, towns in towns_of.items()}
        self.town_years = frozenset((r.township, r.year) for r in self.reports)
        # Where BM25 and dense search run: in memory (default) or Milvus (bot/search/backend.py).
        self._backend_factory = backend or memory_backend
        self.backend: SearchBackend = self._backend_factory(self, data.chunk_keys)

    def with_vectors(self, work: DenseWork) -> Snapshot:
        """This snapshot with the sentence vectors embedded so far (words, figures and BM25 shared)."""
        state = copy.copy(self)
        state.data = with_vectors(self.data, work)
        state.chunk_paragraph, state.vectors = state.data.chunk_paragraph, state.data.vectors
        # The backend searches the vectors too: rebuilt over the new ones (Milvus adds only new rows).
        state.backend = state._backend_factory(state, state.data.chunk_keys)
        return state

    def paragraph_id(self, report_id: str, index: int) -> int:
        return self._paragraph_ids[(report_id, index)]

    def scope(self, question: str, towns: Sequence[str], year: int | None) -> Scope:
        """The question's scope against this snapshot's townships, years and districts."""
        return resolve_scope(
            question,
            townships=self.townships,
            years=self.years,
            districts=self.districts,
            district_towns=self.district_towns,
            towns=towns,
            year=year,
            town_years=self.town_years,
        )


def memory_backend(state: Snapshot, chunk_keys: Sequence[str]) -> SearchBackend:
    return MemoryBackend(
        state.bm25, state.vectors, state.reports, state.paragraph_report, state.chunk_paragraph
    )


def search_backend(
    backend: str | None, milvus_uri: str | None, index_dir: Path, dim: int
) -> BackendFactory | None:
    """The chosen backend (argument, else ZHENBAO_BACKEND, else faiss); None means in memory."""
    import os

    name = (backend or os.environ.get("ZHENBAO_BACKEND") or "faiss").strip().lower()
    if name not in BACKENDS:
        raise ZhenbaoError(f"未知的检索后端“{name}”，可选：{'、'.join(BACKENDS)}")
    if name == "faiss":
        return None
    index_dir.mkdir(parents=True, exist_ok=True)
    from bot.search.milvus_backend import collection_name, default_uri, milvus_backend_factory

    uri = milvus_uri or os.environ.get("ZHENBAO_MILVUS_URI") or default_uri(index_dir)
    return milvus_backend_factory(uri, collection_name(index_dir), dim)
