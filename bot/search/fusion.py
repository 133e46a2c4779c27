"""Hybrid retrieval: BM25 over jieba words and dense sentence vectors, fused by reciprocal rank."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.report import Paragraph, Report

# Reciprocal-rank fusion constant. Small k lets a clear rank-1 from either side dominate,
# which measured better on the labelled questions than the textbook 60 (benchmarks/README.md).
RRF_K = 10
# How many dense sentence neighbours to pull before grouping them into paragraphs.
DENSE_CANDIDATES = 400
# BM25 saturation and length normalisation (bm25s's and Milvus's defaults), one copy for both backends.
BM25_K1 = 1.5
BM25_B = 0.75
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
# Sentences shorter than this are glued to their neighbour: alone they embed as noise.
_MIN_SENTENCE = 12


@dataclass(frozen=True)
class Hit:
    """A paragraph found for a question; `paragraph_id` indexes the engine's paragraph list."""

    paragraph_id: int
    score: float  # fused score, higher is better
    bm25: float
    dense: float  # cosine of the best sentence of the paragraph
    dense_margin: float  # `dense` minus the median over all candidates: how much it stands out


def split_sentences(text: str) -> list[str]:
    """Split cleaned paragraph text into sentences, merging very short ones into the next."""
    parts = [p for p in _SENTENCE_END.split(text) if p.strip()]
    sentences: list[str] = []
    pending = ""
    for part in parts:
        pending += part
        if len(pending) >= _MIN_SENTENCE:
            sentences.append(pending)
            pending = ""
    if pending:
        if sentences:
            sentences[-1] += pending
        else:
            sentences.append(pending)
    return sentences


def passage_prefix(report: Report) -> str:
    """Context put in front of every embedded sentence, so "我镇…" sentences know their township.

    Township only: adding the report title cost ~10% more encoding time (e5 runs ~10-20 sentences/s
    on 2 cores) for the same recall on tests/data/questions.jsonl.
    """
    return f"{report.township}："


def dense_chunks(report: Report, paragraph: Paragraph) -> list[str]:
    """The texts embedded for one paragraph: its sentences, each with the report prefix and heading."""
    heading = paragraph.section_path[-1] if paragraph.section_path else ""
    prefix = passage_prefix(report) + (heading + "。" if heading else "")
    return [prefix + sentence for sentence in split_sentences(paragraph.clean)]


def bm25_document(report: Report, paragraph: Paragraph) -> str:
    """The text BM25 indexes for one paragraph: township, headings and the paragraph itself."""
    return " ".join((report.township, *paragraph.section_path, paragraph.clean))


class Bm25:
    """BM25 (bm25s, Lucene variant) over pre-tokenised paragraphs, plus document frequencies."""

    def __init__(self, documents: Sequence[Sequence[str]]):
        import bm25s

        self._n = len(documents)
        self._model = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        if documents:
            self._model.index([list(d) or [""] for d in documents], show_progress=False)
        self._df = Counter(term for doc in documents for term in set(doc))

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        if not self._n or not terms:
            return np.zeros(self._n, dtype=np.float32)
        return np.asarray(self._model.get_scores(list(terms)), dtype=np.float32)

    def idf(self, term: str) -> float:
        return math.log(1 + (self._n - self._df.get(term, 0) + 0.5) / (self._df.get(term, 0) + 0.5))

    def known(self, term: str) -> bool:
        return term in self._df


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], k: int = RRF_K, weights: Sequence[float] | None = None
) -> dict[int, float]:
    """Sum of weight/(k + rank) over the rankings each id appears in (rank starts at 1)."""
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


def rank_by_score(scores: np.ndarray, candidates: np.ndarray) -> list[int]:
    """Candidate ids with a positive score, best first (ties broken by id for determinism)."""
    positive = candidates[scores[candidates] > 0]
    order = np.lexsort((positive, -scores[positive]))
    return [int(i) for i in positive[order]]


def best_per_paragraph(
    chunk_scores: np.ndarray, chunk_ids: np.ndarray, chunk_paragraph: np.ndarray, n_paragraphs: int
) -> np.ndarray:
    """Each paragraph's best sentence score (-inf where none of its sentences was retrieved)."""
    best = np.full(n_paragraphs, -np.inf, dtype=np.float32)
    if len(chunk_ids):
        np.maximum.at(best, chunk_paragraph[chunk_ids], chunk_scores)
    return best


def fuse(
    bm25_scores: np.ndarray,
    dense_scores: np.ndarray,
    candidates: np.ndarray,
    top_k: int,
    dense_weight: float = 1.0,
) -> list[Hit]:
    """Fuse the two rankings over the candidate paragraphs and return the best `top_k` hits."""
    dense_for_rank = np.where(np.isfinite(dense_scores), dense_scores + 2.0, 0.0)  # cosine may be <= 0
    fused = reciprocal_rank_fusion(
        [rank_by_score(bm25_scores, candidates), rank_by_score(dense_for_rank, candidates)],
        weights=[1.0, dense_weight],
    )
    ordered = sorted(fused.items(), key=lambda item: (-item[1], item[0]))[:top_k]
    finite = dense_scores[candidates][np.isfinite(dense_scores[candidates])]
    median = float(np.median(finite)) if len(finite) else 0.0
    return [
        Hit(
            paragraph_id=pid,
            score=score,
            bm25=float(bm25_scores[pid]),
            dense=float(dense_scores[pid]) if np.isfinite(dense_scores[pid]) else 0.0,
            dense_margin=float(dense_scores[pid]) - median if np.isfinite(dense_scores[pid]) else 0.0,
        )
        for pid, score in ordered
    ]
