"""Hybrid retrieval: BM25 over jieba words and dense sentence vectors, fused by reciprocal rank."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from bot.lang.sentences import sentences as sentence_texts
from bot.report import Paragraph, Report

# Reciprocal-rank fusion constant. Small k lets a clear rank-1 from either side dominate,
# which measured better on the labelled questions than the textbook 60 (benchmarks/README.md).
RRF_K = 10
# How many dense sentence neighbours to pull before grouping them into paragraphs.
DENSE_CANDIDATES = 400
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
    """Split cleaned paragraph text into sentences (bot.lang.sentences' rule), merging very short ones
    into the next."""
    parts = sentence_texts(text)
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


# bm25s's defaults (BM25(), Lucene variant), which tests/test_postings.py compares against.
BM25_K1 = 1.5
BM25_B = 0.75


class Bm25:
    """BM25, Lucene variant (as bm25s scores it), over pre-tokenised paragraphs, with postings per term.

    The interface the retriever uses (a second search backend, e.g. Milvus, implements the same):
        scores(terms) -> float32 array over every paragraph (paragraph ids are positions in it)
        scores_in(terms, paragraph_ids) -> float32 array aligned with `paragraph_ids`, equal to
            scores(terms)[paragraph_ids]; costs only the postings of `terms` inside those ids
        idf(term) -> float, known(term) -> bool
    A query term counts once per occurrence in `terms` (as bm25s does); unknown terms score 0.
    Built with numpy rather than bm25s.index, which loops in Python per paragraph and took ~8 s
    to index 150 reports on the loaded 2-core machine (the same scores, checked to 1e-5).
    """

    def __init__(self, documents: Sequence[Sequence[str]]):
        self._n = len(documents)
        # An empty paragraph is indexed as one "" word, as bm25s does, so lengths and idf agree.
        self._empty = sum(1 for d in documents if not d)
        self._vocab: dict[str, int] = {}
        self._indptr, self._postings, self._weights = _postings(documents, self._vocab)
        # Document frequency is the length of a term's postings (one entry per paragraph holding it).
        self._df = np.diff(self._indptr)

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        scores = np.zeros(self._n, dtype=np.float32)
        for term_id in self._term_ids(terms):
            start, end = self._indptr[term_id], self._indptr[term_id + 1]
            # Each paragraph appears once in a term's postings, so plain fancy-index += is exact.
            scores[self._postings[start:end]] += self._weights[start:end]
        return scores

    def scores_in(self, terms: Sequence[str], paragraph_ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(paragraph_ids, dtype=np.int64)
        if not len(ids):
            return np.zeros(0, dtype=np.float32)
        # One report's paragraphs are a run of consecutive ids: no sorting or matching needed; several
        # reports' in corpus order are ascending already.
        steps = np.diff(ids)
        run = ids[-1] - ids[0] + 1 == len(ids) and bool(np.all(steps == 1))
        ascending = bool(np.all(steps > 0))
        wanted, position = (ids, None) if ascending else np.unique(ids, return_inverse=True)
        scores = np.zeros(len(wanted), dtype=np.float32)
        for term_id in self._term_ids(terms):
            start, end = self._indptr[term_id], self._indptr[term_id + 1]
            column = self._postings[start:end]
            # Only the part of the postings between the lowest and highest wanted id is looked at.
            low, high = np.searchsorted(column, [wanted[0], wanted[-1] + 1])
            inside, weights = column[low:high], self._weights[start + low : start + high]
            if run:
                scores[inside - wanted[0]] += weights
                continue
            slot = np.minimum(np.searchsorted(wanted, inside), len(wanted) - 1)
            match = wanted[slot] == inside
            scores[slot[match]] += weights[match]
        return scores if position is None else scores[position]

    def idf(self, term: str) -> float:
        df = self.df(term)
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def df(self, term: str) -> int:
        term_id = self._vocab.get(term, len(self._df))
        if term_id >= len(self._df):
            return 0
        return int(self._df[term_id]) - (self._empty if term == "" else 0)

    def known(self, term: str) -> bool:
        return self.df(term) > 0

    def _term_ids(self, terms: Sequence[str]) -> list[int]:
        ids = (self._vocab.get(t, len(self._df)) for t in terms)
        return [i for i in ids if i < len(self._df)]


def _postings(
    documents: Sequence[Sequence[str]], vocab: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(indptr, paragraph ids, BM25 weights): for term t, its paragraphs ascending are
    postings[indptr[t]:indptr[t+1]], each with its precomputed term score. Fills `vocab`."""
    n = len(documents)
    lengths = np.fromiter((len(d) or 1 for d in documents), dtype=np.int64, count=n)

    # Ids in order of first use, as setdefault(t, len(vocab)) word by word gives them, but with the
    # loops in C (dict.fromkeys, map): 0.45 s instead of 0.75 s CPU for 6.4 million words.
    def words() -> Iterator[str]:  # twice over, not held as one list of millions
        return itertools.chain.from_iterable(d or ("",) for d in documents)

    new = [t for t in dict.fromkeys(words()) if t not in vocab]
    vocab.update(zip(new, range(len(vocab), len(vocab) + len(new)), strict=True))
    term = np.fromiter(map(vocab.__getitem__, words()), dtype=np.int64, count=int(lengths.sum()))
    if not n:
        return np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
    # Sorting term-major, paragraph-minor gives each term's postings ascending; counts are tf.
    pairs, tf = np.unique(term * n + np.repeat(np.arange(n), lengths), return_counts=True)
    term_of, paragraph = pairs // n, pairs % n
    df = np.bincount(term_of, minlength=len(vocab))
    indptr = np.concatenate(([0], np.cumsum(df))).astype(np.int64)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    length_norm = BM25_K1 * ((1 - BM25_B) + BM25_B * lengths / lengths.mean())
    weights = idf[term_of] * tf / (tf + length_norm[paragraph])
    return indptr, paragraph.astype(np.int32), weights.astype(np.float32)


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


@dataclass(frozen=True)
class ReportScores:
    """Both scores of the paragraphs of several reports; `group` is each paragraph's report."""

    paragraph: np.ndarray  # paragraph ids, each report's a run of consecutive ids
    group: np.ndarray
    bm25: np.ndarray
    dense: np.ndarray  # best-sentence cosine, -inf where no sentence was retrieved


def best_per_report(
    scores: ReportScores, dense_weight: float = 1.0, k: int = RRF_K
) -> dict[int, tuple[int, float]]:
    """What `fuse(..., top_k=1)` over each report's own paragraphs picks, for all reports at once:
    ranks within each report (ties by id), reciprocal-rank fused, the best of each report.

    Returns report → (paragraph id, fused score); a report none of whose paragraphs ranks is left out.
    """
    dense_for_rank = np.where(np.isfinite(scores.dense), scores.dense + 2.0, 0.0)  # as in `fuse`
    fused = _group_rrf(scores, scores.bm25, k, 1.0) + _group_rrf(scores, dense_for_rank, k, dense_weight)
    ranked = np.flatnonzero(fused > 0)
    if not len(ranked):
        return {}
    # Each report's highest fused score, then its lowest paragraph id with it: no sort needed.
    reports, slot = np.unique(scores.group[ranked], return_inverse=True)
    top = np.full(len(reports), -np.inf)
    np.maximum.at(top, slot, fused[ranked])
    tied = fused[ranked] == top[slot]
    first = np.full(len(reports), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, slot[tied], scores.paragraph[ranked[tied]].astype(np.int64))
    return {int(r): (int(p), float(f)) for r, p, f in zip(reports, first, top, strict=True)}


def _group_rrf(scores: ReportScores, values: np.ndarray, k: int, weight: float = 1.0) -> np.ndarray:
    """weight / (k + rank within its report) for each paragraph with a positive value, else 0."""
    out = np.zeros(len(values), dtype=np.float64)
    positive = np.flatnonzero(values > 0)
    if not len(positive):
        return out
    # Ordered by report, value descending, id: one stable sort of (report, value) over the paragraphs
    # in id order. A positive float32's bits order as the float does; lexsort took ~10 ms at 30,000.
    by_id = positive[np.argsort(scores.paragraph[positive], kind="stable")]
    bits = values[by_id].astype(np.float32).view(np.uint32).astype(np.int64)
    key = (scores.group[by_id].astype(np.int64) << 32) | (0xFFFFFFFF - bits)
    order = by_id[np.argsort(key, kind="stable")]
    groups = scores.group[order]
    position = np.arange(len(order))
    starts = np.maximum.accumulate(np.where(np.r_[True, groups[1:] != groups[:-1]], position, 0))
    out[order] = weight / (k + position - starts + 1)
    return out
