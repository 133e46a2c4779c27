"""Retrieval mechanics with small made-up data: BM25 against a reference, fusion, sentence chunks."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from bot.report import Paragraph, Report
from bot.search.fusion import (
    Bm25,
    best_per_paragraph,
    bm25_document,
    dense_chunks,
    fuse,
    reciprocal_rank_fusion,
    split_sentences,
)

DOCS = [
    ["行政执法", "案件", "办理", "案件"],
    ["矛盾纠纷", "化解", "调解"],
    ["法治", "宣传", "宣传资料", "发放"],
    ["行政执法", "人员", "持证"],
]


def lucene_bm25(query, docs, k1=1.5, b=0.75):
    """Reference BM25, Lucene variant (no (k1+1) factor in the numerator), written out plainly."""
    n = len(docs)
    avgdl = sum(len(d) for d in docs) / n
    df = Counter(t for d in docs for t in set(d))
    scores = []
    for doc in docs:
        tf = Counter(doc)
        score = 0.0
        for term in query:
            if term not in tf:
                continue
            idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
            score += idf * tf[term] / (tf[term] + k1 * (1 - b + b * len(doc) / avgdl))
        scores.append(score)
    return np.array(scores)


@pytest.mark.parametrize("query", [["行政执法"], ["案件", "办理"], ["宣传", "化解", "持证"], ["不存在"]])
def test_bm25_matches_reference(query):
    np.testing.assert_allclose(Bm25(DOCS).scores(query), lucene_bm25(query, DOCS), rtol=1e-4, atol=1e-6)


def test_bm25_on_empty_corpus_and_empty_query():
    assert Bm25([]).scores(["案件"]).shape == (0,)
    assert not Bm25(DOCS).scores([]).any()


def test_rrf_rewards_agreement():
    fused = reciprocal_rank_fusion([[1, 2, 3], [2, 1, 4]], k=10)
    assert fused[1] == fused[2] > fused[3] == fused[4]
    assert fused[2] > 1 / (10 + 1)  # agreement beats a single first place


def test_fuse_prefers_a_paragraph_both_sides_rank_high():
    bm25 = np.array([0.0, 5.0, 4.0, 0.0], dtype=np.float32)
    dense = np.array([0.80, 0.70, 0.90, -np.inf], dtype=np.float32)
    hits = fuse(bm25, dense, np.arange(4), top_k=3)
    assert [h.paragraph_id for h in hits] == [2, 1, 0]
    assert hits[0].bm25 == pytest.approx(4.0) and hits[0].dense == pytest.approx(0.9)


def test_fuse_only_returns_candidates():
    bm25 = np.array([9.0, 1.0, 0.0], dtype=np.float32)
    dense = np.array([0.9, 0.5, 0.4], dtype=np.float32)
    hits = fuse(bm25, dense, np.array([1, 2]), top_k=5)
    assert {h.paragraph_id for h in hits} == {1, 2}


def test_best_sentence_score_per_paragraph():
    chunk_paragraph = np.array([0, 0, 1, 2, 2])
    best = best_per_paragraph(np.array([0.5, 0.9, 0.3]), np.array([0, 1, 3]), chunk_paragraph, 4)
    assert best[0] == pytest.approx(0.9) and best[2] == pytest.approx(0.3)
    assert np.isneginf(best[1]) and np.isneginf(best[3])


def test_sentences_split_on_chinese_punctuation_and_short_ones_merge():
    text = "今年以来，共办理各类行政执法案件728件。案件办理准确率达100%。好。最后一句比较长一些的内容在这里。"
    sentences = split_sentences(text)
    assert "".join(sentences) == text
    assert sentences[0] == "今年以来，共办理各类行政执法案件728件。"
    assert all(len(s) >= 12 for s in sentences)


def test_chunks_carry_township_title_and_heading():
    report = Report("a.txt", "季家镇", "大足区", 2024, "2024年法治政府建设情况报告", "/x/a.txt", "0")
    paragraph = Paragraph(
        "a.txt", 0, ("一、总体", "（四）推进综合执法改革"), 0, 10, "原文", "目前，综合执法队伍共有6人。"
    )
    chunks = dense_chunks(report, paragraph)
    assert chunks == ["季家镇：（四）推进综合执法改革。目前，综合执法队伍共有6人。"]
    assert bm25_document(report, paragraph).startswith("季家镇 一、总体 （四）推进综合执法改革 ")


def test_rrf_weights_let_one_ranking_count_less():
    fused = reciprocal_rank_fusion([[1, 2], [2, 1]], k=10, weights=[1.0, 0.5])
    assert fused[1] > fused[2]


def test_fuse_with_a_lighter_dense_ranking_follows_bm25():
    bm25 = np.array([5.0, 4.0], dtype=np.float32)
    dense = np.array([0.5, 0.9], dtype=np.float32)
    assert fuse(bm25, dense, np.arange(2), top_k=1)[0].paragraph_id == 0  # tie → lower id
    assert fuse(bm25, dense, np.arange(2), top_k=1, dense_weight=0.5)[0].paragraph_id == 0
    assert fuse(bm25, dense, np.arange(2), top_k=1, dense_weight=2.0)[0].paragraph_id == 1
