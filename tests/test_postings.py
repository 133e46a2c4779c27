"""BM25 postings: the scores of a candidate set equal the full-corpus scores, which equal bm25s's own."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.lang.tokenizer import Tokenizer
from bot.search.fusion import Bm25, bm25_document


@pytest.fixture(scope="module")
def seed_tokens(seed_corpus) -> list[tuple[str, ...]]:
    tokenizer = Tokenizer()
    return [
        tuple(tokenizer.index_terms(bm25_document(parsed.report, paragraph)))
        for parsed in seed_corpus.reports
        for paragraph in parsed.paragraphs
    ]


QUERIES = [
    ["行政执法", "案件"],
    ["法律顾问", "法律顾问", "聘请"],  # a repeated term counts twice, as in bm25s
    ["矛盾纠纷", "化解", "不存在的词"],
    ["民法典"],
    [],
]


@pytest.mark.parametrize("query", QUERIES)
def test_scores_equal_bm25s_on_the_seeds(seed_tokens, query):
    import bm25s

    reference = bm25s.BM25()
    reference.index([list(t) or [""] for t in seed_tokens], show_progress=False)
    expected = reference.get_scores(query) if query else np.zeros(len(seed_tokens))
    np.testing.assert_allclose(Bm25(seed_tokens).scores(query), expected, rtol=0, atol=1e-5)


@pytest.mark.parametrize("query", QUERIES)
def test_scores_in_a_report_equal_the_full_scores(seed_tokens, query):
    bm25 = Bm25(seed_tokens)
    full = bm25.scores(query)
    rng = np.random.default_rng(7)
    cases = [
        np.arange(40, 90),  # one report's paragraphs: a contiguous range
        rng.choice(len(seed_tokens), 30, replace=False),  # unsorted
        np.array([5, 5, 3]),  # repeated ids
        np.array([len(seed_tokens) - 1]),
        np.array([], dtype=np.int64),
    ]
    for ids in cases:
        np.testing.assert_allclose(bm25.scores_in(query, ids), full[ids], rtol=0, atol=1e-6)
    assert full.any() == bool(query and query != ["不存在的词"])


def test_document_frequency_and_known_terms(seed_tokens):
    bm25 = Bm25(seed_tokens)
    assert bm25.df("民法典") == sum("民法典" in t for t in seed_tokens) > 0
    assert bm25.known("民法典") and not bm25.known("不存在的词") and not bm25.known("")
    assert bm25.idf("不存在的词") > bm25.idf("民法典")


WORDS = st.sampled_from(["甲", "乙", "丙", "丁", "戊"])


@settings(max_examples=60, deadline=None)
@given(
    docs=st.lists(st.lists(WORDS, max_size=6), min_size=1, max_size=12),
    query=st.lists(WORDS, max_size=4),
    picks=st.lists(st.integers(min_value=0, max_value=11), max_size=8),
)
def test_scores_in_matches_scores_on_any_corpus(docs, query, picks):
    bm25 = Bm25(docs)
    ids = np.array([p % len(docs) for p in picks], dtype=np.int64)
    np.testing.assert_allclose(bm25.scores_in(query, ids), bm25.scores(query)[ids], rtol=0, atol=1e-6)


@pytest.fixture(scope="module")
def fake_bot(seeds_dir, tmp_path_factory):
    from bot.engine import load_bot
    from tests.fakes.encoder import FakeEncoder

    return load_bot(seeds_dir, encoder=FakeEncoder(), cache_dir=tmp_path_factory.mktemp("postings-cache"))


@pytest.mark.parametrize("query", ["法律顾问", "行政执法案件", "矛盾纠纷化解", "民法典宣传"])
def test_best_in_report_equals_the_corpus_wide_masked_search(fake_bot, query):
    from bot.search.backend import Where
    from bot.search.retriever import _EVERY_TOWN

    state = fake_bot._state
    retriever = fake_bot._retriever(state)
    for report in state.reports:
        (masked,) = retriever._hits(query, _EVERY_TOWN, 1, Where(report_id=report.report_id))
        passage = retriever.best_in_report(query, report.report_id)
        assert passage is not None and passage.report.report_id == report.report_id
        pid = state.paragraph_id(report.report_id, passage.paragraph.index)
        assert (pid, round(passage.score, 6)) == (masked.paragraph_id, round(masked.score, 6))


@pytest.mark.parametrize("query", ["法律顾问", "行政执法案件", "不存在的词语"])
def test_report_scores_equal_one_filtered_search_per_report(fake_bot, query):
    """The in-memory fast path and the fallback other backends use give the same scores."""
    from bot.search.backend import paragraph_ranges, scores_report_by_report
    from bot.search.retriever import _EVERY_TOWN

    state = fake_bot._state
    retriever = fake_bot._retriever(state)
    terms, vector = retriever._terms(query, _EVERY_TOWN).index_terms, retriever._query_vector(query)
    positions = list(range(len(state.reports)))[::-1]
    fast = state.backend.report_scores(terms, vector, positions)
    ids = [r.report_id for r in state.reports]
    ranges = paragraph_ranges(state.paragraph_report, len(ids))
    slow = scores_report_by_report(state.backend, terms, vector, positions, ids, ranges)
    assert fast.paragraph.tolist() == slow.paragraph.tolist() and fast.group.tolist() == slow.group.tolist()
    np.testing.assert_allclose(fast.bm25, slow.bm25, rtol=0, atol=1e-5)
    np.testing.assert_allclose(fast.dense, slow.dense, rtol=0, atol=1e-6)


@pytest.mark.parametrize("query", ["法律顾问", "行政执法案件", "矛盾纠纷化解", "民法典宣传", "不存在的词语"])
def test_best_in_reports_equals_best_in_report_for_each(fake_bot, query):
    state = fake_bot._state
    retriever = fake_bot._retriever(state)
    ids = [r.report_id for r in state.reports]
    batch = retriever.best_in_reports(query, ids[::-1])
    one_by_one = {r: retriever.best_in_report(query, r) for r in ids}
    assert set(batch) == {r for r, p in one_by_one.items() if p is not None}
    for report_id, passage in batch.items():
        expected = one_by_one[report_id]
        assert (passage.paragraph.index, passage.score) == (
            expected.paragraph.index,
            pytest.approx(expected.score),
        )
    assert retriever.best_in_reports(query, ["不存在.txt"]) == {}


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_best_per_report_is_fuse_over_each_reports_own_paragraphs(data):
    """Ties included (few distinct values), reports out of order, some paragraphs without any score."""
    from bot.search.fusion import ReportScores, best_per_report, fuse

    sizes = data.draw(st.lists(st.integers(1, 5), min_size=1, max_size=5))
    reports = data.draw(st.permutations(range(len(sizes))))
    paragraph = np.concatenate([np.arange(10 * r, 10 * r + n) for r, n in zip(reports, sizes, strict=True)])
    group = np.repeat(np.asarray(reports), sizes)
    n = len(paragraph)
    bm25 = np.asarray(
        data.draw(st.lists(st.sampled_from([0.0, 1.0, 2.5]), min_size=n, max_size=n)), np.float32
    )
    dense = np.asarray(
        data.draw(st.lists(st.sampled_from([-np.inf, 0.1, 0.5, -0.3]), min_size=n, max_size=n)), np.float32
    )
    got = best_per_report(ReportScores(paragraph, group, bm25, dense), dense_weight=0.7)
    for report in reports:
        mine = group == report
        full_bm25, full_dense = np.zeros(60, np.float32), np.full(60, -np.inf, np.float32)
        full_bm25[paragraph[mine]], full_dense[paragraph[mine]] = bm25[mine], dense[mine]
        hits = fuse(full_bm25, full_dense, paragraph[mine], 1, dense_weight=0.7)
        expected = (hits[0].paragraph_id, pytest.approx(hits[0].score)) if hits else None
        assert got.get(report) == expected
