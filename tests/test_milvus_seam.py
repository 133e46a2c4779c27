"""The search-backend seam without a Milvus server: filters, term spelling, the in-memory backend, and
the retriever asking its backend (a recording fake) with the right filter."""

from __future__ import annotations

import re
import sys
from types import SimpleNamespace

import numpy as np
import pytest

from bot.errors import ZhenbaoError
from bot.lang.scope import Scope
from bot.lang.tokenizer import Tokenizer
from bot.report import Paragraph, Report
from bot.search.backend import MemoryBackend, Where, paragraph_mask, paragraph_ranges, scores_report_by_report
from bot.search.fusion import Bm25
from bot.search.retriever import HybridRetriever
from embeddings.milvus import Filter, MilvusStore, MilvusUnavailable, spell_terms
from embeddings.vectors import NumpyStore

REPORTS = (
    Report("a.txt", "兴隆镇", "甲县", 2023, None, "/c/a.txt", "0"),
    Report("b.txt", "河市镇", "甲县", 2024, None, "/c/b.txt", "1"),
    Report("c.txt", "季家镇", None, None, None, "/c/c.txt", "2"),
)
TOKENS = (("行政执法", "案件"), ("行政执法", "人员"), ("矛盾纠纷", "调解"), ("行政执法", "宣传"))
PARAGRAPH_REPORT = np.array([0, 0, 1, 2], dtype=np.int32)
CHUNK_PARAGRAPH = np.array([0, 1, 1, 2, 3], dtype=np.int32)


def _vectors() -> NumpyStore:
    rows = np.eye(5, 4, dtype=np.float32)
    rows[4] = [0.6, 0.8, 0.0, 0.0]
    return NumpyStore.build(rows)


def _memory() -> MemoryBackend:
    return MemoryBackend(Bm25(TOKENS), _vectors(), REPORTS, PARAGRAPH_REPORT, CHUNK_PARAGRAPH)


def test_where_masks_paragraphs_by_town_year_and_report():
    assert paragraph_mask(Where(), REPORTS, PARAGRAPH_REPORT) is None
    assert paragraph_mask(Where(towns=("兴隆镇",)), REPORTS, PARAGRAPH_REPORT).tolist() == [1, 1, 0, 0]
    assert paragraph_mask(Where(year=2024), REPORTS, PARAGRAPH_REPORT).tolist() == [0, 0, 1, 0]
    assert paragraph_mask(Where(report_id="c.txt"), REPORTS, PARAGRAPH_REPORT).tolist() == [0, 0, 0, 1]
    assert not paragraph_mask(Where(towns=("兴隆镇",), year=2024), REPORTS, PARAGRAPH_REPORT).any()
    positions = {r.report_id: i for i, r in enumerate(REPORTS)}
    for where in (Where(report_id="a.txt"), Where(report_id="c.txt"), Where(report_id="c.txt", year=2023)):
        expected = paragraph_mask(where, REPORTS, PARAGRAPH_REPORT)
        assert paragraph_mask(where, REPORTS, PARAGRAPH_REPORT, positions).tolist() == expected.tolist()
    assert not paragraph_mask(Where(report_id="gone.txt"), REPORTS, PARAGRAPH_REPORT, positions).any()


def test_filter_expression_quotes_names_and_combines_with_and():
    assert Filter().expression() == ""
    expression = Filter(townships=("兴隆镇", 'a"b'), year=2023, reports=("x/1.txt",)).expression()
    assert expression == 'township in ["兴隆镇", "a\\"b"] and report in ["x/1.txt"] and year == 2023'


def test_spelled_terms_are_single_standard_analyzer_words_and_keep_distinct_terms_apart():
    terms = ["行政执法", "#执法", "执法", "95.5%", "ABC", "abc", "行政执法"]
    spelled = spell_terms(terms).split(" ")
    assert len(spelled) == len(terms)
    # Milvus's standard analyzer is \w+ + lowercase: each spelled term must come through it unchanged.
    assert all(re.fullmatch(r"\w+", word) and word == word.lower() for word in spelled)
    assert spelled[0] == "行政执法" and spelled[2] == "执法" and spelled[5] == "abc"
    assert len(set(spelled)) == len(set(terms))  # "#执法" ≠ "执法", "ABC" ≠ "abc"
    assert spelled[0] == spelled[-1]


def test_memory_backend_scores_only_allowed_paragraphs():
    backend = _memory()
    everywhere = backend.bm25_scores(["行政执法"], Where())
    assert (everywhere[[0, 1, 3]] > 0).all() and everywhere[2] == 0
    scoped = backend.bm25_scores(["行政执法"], Where(towns=("兴隆镇",)))
    assert scoped[0] == everywhere[0] and scoped[3] == 0
    dense = backend.dense_scores(np.array([0.0, 1.0, 0.0, 0.0], dtype=np.float32), Where())
    assert dense[1] == pytest.approx(1.0)  # its better sentence (chunk 1), not chunk 2
    assert dense[3] == pytest.approx(0.8)
    dense_in_c = backend.dense_scores(
        np.array([0.0, 1.0, 0.0, 0.0], dtype=np.float32), Where(report_id="c.txt")
    )
    assert np.isinf(dense_in_c[:3]).all() and dense_in_c[3] == pytest.approx(0.8)


class RecordingBackend:
    """Answers from the in-memory backend and remembers every filter it was given."""

    def __init__(self):
        self.inner = _memory()
        self.filters: list[Where] = []

    def bm25_scores(self, terms, where):
        self.filters.append(where)
        return self.inner.bm25_scores(terms, where)

    def dense_scores(self, query, where):
        self.filters.append(where)
        return self.inner.dense_scores(query, where)

    def report_scores(self, terms, query, reports):
        # A backend that filters by report itself: one filtered search of each kind per report.
        ids, ranges = [r.report_id for r in REPORTS], paragraph_ranges(PARAGRAPH_REPORT, len(REPORTS))
        return scores_report_by_report(self, terms, query, reports, ids, ranges)


def _snapshot(backend) -> SimpleNamespace:
    paragraphs = [
        (REPORTS[r], Paragraph(REPORTS[r].report_id, i, (), 0, 4, "".join(TOKENS[i]), "".join(TOKENS[i])))
        for i, r in enumerate(PARAGRAPH_REPORT.tolist())
    ]
    return SimpleNamespace(
        paragraphs=paragraphs,
        reports=REPORTS,
        paragraph_report=PARAGRAPH_REPORT,
        report_index={r.report_id: i for i, r in enumerate(REPORTS)},
        backend=backend,
        bm25=Bm25(TOKENS),
        tokens=TOKENS,
    )


class _Encoder:
    tuning = None

    def encode_queries(self, texts):
        return np.array([[1.0, 0.0, 0.0, 0.0]], dtype=np.float32)


def test_retriever_passes_scope_and_report_filters_to_its_backend():
    backend = RecordingBackend()
    retriever = HybridRetriever(_snapshot(backend), _Encoder(), Tokenizer())
    scope = Scope(towns=("兴隆镇",), year=None, named_towns=("兴隆镇",), unknown_places=())
    passages = retriever.search("兴隆镇行政执法案件", scope, 3)
    assert backend.filters == [Where(towns=("兴隆镇",))] * 2
    assert {p.report.township for p in passages} == {"兴隆镇"}
    backend.filters.clear()
    best = retriever.best_in_report("行政执法", "c.txt")
    assert backend.filters == [Where(report_id="c.txt")] * 2
    assert best is not None and best.report.report_id == "c.txt"


def test_unknown_backend_name_is_a_chinese_error(tmp_path):
    from bot.engine import search_backend

    assert search_backend("faiss", None, tmp_path, 4) is None
    with pytest.raises(ZhenbaoError, match="未知的检索后端"):
        search_backend("elastic", None, tmp_path, 4)


def test_without_pymilvus_the_message_names_the_extra(monkeypatch, tmp_path):
    from bot.engine import search_backend

    monkeypatch.setitem(sys.modules, "pymilvus", None)  # import pymilvus now raises ImportError
    with pytest.raises(MilvusUnavailable, match='pip install "zhenbao\\[milvus\\]"'):
        MilvusStore(str(tmp_path / "m.db"), "x", 4)
    with pytest.raises(ZhenbaoError, match='pip install "zhenbao\\[milvus\\]"'):
        search_backend("milvus", None, tmp_path, 4)


def test_milvus_failures_become_chinese_errors_and_other_bugs_stay_visible():
    from bot.search.milvus_backend import milvus_errors

    grpc_like = type("MilvusException", (Exception,), {"__module__": "pymilvus.exceptions"})
    with pytest.raises(ZhenbaoError, match="Milvus 检索失败"), milvus_errors():
        raise grpc_like("connection refused")
    with pytest.raises(KeyError), milvus_errors():
        raise KeyError("a bug of ours")


def test_cli_and_environment_choose_the_backend(monkeypatch, tmp_path):
    from bot.cli import _parser
    from bot.engine import search_backend

    args = _parser().parse_args(["ask", "问题", "--backend", "milvus", "--milvus-uri", "http://h:19530"])
    assert (args.backend, args.milvus_uri) == ("milvus", "http://h:19530")
    assert _parser().parse_args(["index"]).backend is None  # then ZHENBAO_BACKEND, else faiss
    monkeypatch.setenv("ZHENBAO_BACKEND", "Elastic")
    with pytest.raises(ZhenbaoError, match="elastic"):
        search_backend(None, None, tmp_path, 4)
    monkeypatch.setenv("ZHENBAO_BACKEND", "faiss")
    assert search_backend(None, None, tmp_path, 4) is None


def test_a_milvus_failure_during_a_question_is_a_chinese_error():
    from bot.search.milvus_backend import MilvusBackend

    gone = type(
        "MilvusException", (Exception,), {"__module__": "pymilvus.exceptions", "message": "server gone"}
    )

    class DeadStore:
        def search_text(self, *args):
            raise gone()

        def search_vectors(self, *args):
            raise gone()

    backend = MilvusBackend(DeadStore(), _snapshot(None))
    with pytest.raises(ZhenbaoError, match="Milvus 检索失败：server gone"):
        backend.bm25_scores(["行政执法"], Where())
    with pytest.raises(ZhenbaoError, match="请检查 Milvus 服务"):
        backend.dense_scores(np.ones(4, dtype=np.float32) / 2, Where(towns=("兴隆镇",)))


def test_milvus_hits_map_back_to_snapshot_paragraphs_by_report_and_index():
    from bot.search.milvus_backend import MilvusBackend
    from embeddings.milvus import Located

    class Store:
        def search_text(self, spelled, limit, where):
            assert where == Filter(townships=("河市镇",))
            # A stale row of a report no longer in the snapshot is ignored; scores are divided by k1 + 1.
            return [Located(5.0, "b.txt", 2), Located(2.5, "gone.txt", 0)]

        def search_vectors(self, query, limit, where):
            return [Located(0.5, "a.txt", 1), Located(0.9, "a.txt", 1), Located(0.2, "c.txt", 3)]

    backend = MilvusBackend(Store(), _snapshot(None))
    scores = backend.bm25_scores(["矛盾纠纷"], Where(towns=("河市镇",)))
    assert scores.tolist() == [0.0, 0.0, 2.0, 0.0]
    dense = backend.dense_scores(np.ones(4, dtype=np.float32) / 2, Where())
    assert dense[1] == pytest.approx(0.9) and dense[3] == pytest.approx(0.2) and np.isinf(dense[[0, 2]]).all()
