"""Both search backends on the seeds: FAISS/bm25s in memory and Milvus (milvus-lite, one folder, no
server) must return the same passages for the labelled questions, with the same BM25 and cosine scores.

The fake encoder stands in for the model: what is compared is the search engine, and both sides search
the same vectors exactly (FAISS flat, Milvus FLAT), with BM25 over the same tokens and k1/b.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.engine import load_bot
from bot.search.backend import Where
from bot.search.milvus_backend import sync_store
from embeddings.milvus import MilvusStore
from tests.fakes.encoder import FakeEncoder

# ~40 s on the shared 2-core machine (two seed indexes, pymilvus import, milvus-lite start).
pytestmark = pytest.mark.slow

QUESTIONS = [
    json.loads(line) for line in (Path(__file__).parent / "data" / "questions.jsonl").open(encoding="utf-8")
]


@pytest.fixture(scope="module")
def bots(tmp_path_factory, seeds_dir):
    corpus = tmp_path_factory.mktemp("corpus") / "seeds"
    shutil.copytree(seeds_dir, corpus)
    cache = tmp_path_factory.mktemp("cache")
    encoder = FakeEncoder()
    memory = load_bot(corpus, encoder=encoder, cache_dir=cache)
    milvus = load_bot(corpus, encoder=encoder, cache_dir=cache, backend="milvus")
    return memory, milvus


def _keys(passages):
    return [(p.report.report_id, p.paragraph.index) for p in passages]


def test_both_backends_return_the_same_top_passages_for_the_labelled_questions(bots):
    memory, milvus = bots
    first = top3 = 0
    for item in QUESTIONS:
        expected = _keys(memory.search(item["question"], top_k=3))
        found = _keys(milvus.search(item["question"], top_k=3))
        first += expected[:1] == found[:1]
        top3 += expected == found
    print(f"agreement over {len(QUESTIONS)} questions: rank 1 {first}, top 3 {top3}")
    # Exact search on both sides over the same terms and vectors: only float ties could differ.
    assert first / len(QUESTIONS) >= 0.98 and top3 / len(QUESTIONS) >= 0.95


def _assert_same_scores(memory, milvus, questions, filters):
    state_a, state_b = memory._state, milvus._state
    for item in questions:
        retriever = memory._retriever(state_a)
        terms = retriever._terms(item["question"], state_a.scope(item["question"], (), None)).index_terms
        query = memory.encoder.encode_queries([item["question"]])
        for where in filters:
            bm25 = state_a.backend.bm25_scores(terms, where)
            np.testing.assert_allclose(state_b.backend.bm25_scores(terms, where), bm25, rtol=1e-4, atol=1e-5)
            dense_a = state_a.backend.dense_scores(query, where)
            dense_b = state_b.backend.dense_scores(query, where)
            assert (np.isfinite(dense_a) == np.isfinite(dense_b)).all()
            np.testing.assert_allclose(
                dense_b[np.isfinite(dense_b)], dense_a[np.isfinite(dense_a)], atol=1e-5
            )


def test_scores_agree_with_and_without_filters(bots):
    memory, milvus = bots
    town, other = memory.townships()[:2]
    filters = [Where(), Where(towns=(town,)), Where(towns=(town, other), year=memory.years()[0])]
    filters.append(Where(report_id=memory.reports[1].report_id))
    _assert_same_scores(memory, milvus, QUESTIONS[::5], filters)


def test_scoped_questions_and_best_in_report_agree(bots):
    memory, milvus = bots
    town = memory.townships()[0]
    for item in QUESTIONS[:10]:
        question = item["question"]
        assert _keys(milvus.search(question, top_k=3, towns=[town])) == _keys(
            memory.search(question, top_k=3, towns=[town])
        )
        for report in memory.reports[:2]:
            a = memory.best_in_report(question, report.report_id)
            b = milvus.best_in_report(question, report.report_id)
            assert _keys([b] if b else []) == _keys([a] if a else [])


def test_sync_is_incremental_and_follows_removed_reports(bots, tmp_path):
    memory, _ = bots
    state = memory._state
    store = MilvusStore(str(tmp_path / "m.db"), "zhenbao_test", memory.encoder.dim)
    try:
        first = sync_store(store, state, state.data.chunk_keys)
        assert (first.text_added, first.vectors_added) == (len(state.paragraphs), len(state.chunk_paragraph))
        again = sync_store(store, state, state.data.chunk_keys)
        assert again == type(again)(0, 0, 0, 0)
        # One report gone: only its vectors are deleted, none inserted; milvus-lite's text collection is
        # rewritten whole, so that BM25 statistics stay those of one segment (embeddings/milvus.py).
        gone = memory.reports[0].report_id
        smaller = _without_report(state, gone)
        # While the new text is written, questions (through the alias) still see all of the old text.
        seen_during_rewrite = []
        insert = store.insert

        def watching_insert(collection, rows):
            if collection != store.vector_collection and rows:
                seen_during_rewrite.append(len(store.keys(store.text_collection)))
            insert(collection, rows)

        store.insert = watching_insert
        after = sync_store(store, smaller, smaller.data.chunk_keys)
        assert seen_during_rewrite == [len(state.paragraphs)]
        assert store.bm25_per_segment
        assert (after.text_added, after.text_removed) == (len(smaller.paragraphs), len(state.paragraphs))
        assert after.vectors_added == 0
        assert after.vectors_removed == len(state.chunk_paragraph) - len(smaller.chunk_paragraph)
        assert len(store.keys(store.text_collection)) == len(smaller.paragraphs)
    finally:
        store.close()


def _without_report(state, report_id):
    """A snapshot-like view of `state` without one report (paragraph and chunk ids renumbered)."""
    from types import SimpleNamespace

    from embeddings.vectors import NumpyStore

    keep = [i for i, (r, _) in enumerate(state.paragraphs) if r.report_id != report_id]
    new_id = {old: new for new, old in enumerate(keep)}
    chunks = [c for c, p in enumerate(state.chunk_paragraph.tolist()) if p in new_id]
    return SimpleNamespace(
        paragraphs=[state.paragraphs[i] for i in keep],
        tokens=[state.tokens[i] for i in keep],
        chunk_paragraph=np.array([new_id[int(state.chunk_paragraph[c])] for c in chunks], dtype=np.int32),
        vectors=NumpyStore.build(state.vectors.reconstruct_all()[chunks]),
        data=SimpleNamespace(chunk_keys=[state.data.chunk_keys[c] for c in chunks]),
    )


def test_refresh_brings_milvus_up_to_date_with_the_folder(tmp_path, seeds_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    files = sorted(seeds_dir.iterdir())
    for source in files[:2]:
        shutil.copy(source, corpus / source.name)
    encoder = FakeEncoder()
    milvus = load_bot(corpus, encoder=encoder, cache_dir=tmp_path / "cache", backend="milvus")
    shutil.copy(files[2], corpus / files[2].name)
    (corpus / files[0].name).unlink()
    milvus.refresh()
    memory = load_bot(corpus, encoder=encoder, cache_dir=tmp_path / "cache")
    assert {r.report_id for r in milvus.reports} == {files[1].name, files[2].name}
    added = milvus.best_in_report(QUESTIONS[0]["question"], files[2].name)
    assert added is not None and added.report.report_id == files[2].name
    # Same scores after the refresh; rankings then agree up to float ties of cosines (~1e-7 apart).
    _assert_same_scores(memory, milvus, QUESTIONS[:15], [Where(), Where(report_id=files[2].name)])
    for item in QUESTIONS[:15]:
        found = _keys(milvus.search(item["question"], top_k=3))
        assert files[0].name not in {report for report, _ in found}


def test_a_store_from_before_the_text_alias_is_rebuilt_through_it(bots, tmp_path):
    """A milvus-lite file whose text collection is a plain collection (written before the alias) opens
    with the alias in its place and gets every paragraph back from the next sync."""
    memory, _ = bots
    state = memory._state
    path = str(tmp_path / "old.db")
    store = MilvusStore(path, "zhenbao_old", memory.encoder.dim)
    store._client.drop_alias(store.text_collection)
    store._client.create_collection(store.text_collection, dimension=4)  # the old plain collection
    store.close()
    reopened = MilvusStore(path, "zhenbao_old", memory.encoder.dim)
    try:
        assert reopened.text_collection in reopened._client.list_aliases()["aliases"]
        counts = sync_store(reopened, state, state.data.chunk_keys)
        assert counts.text_added == len(state.paragraphs)
        assert len(reopened.keys(reopened.text_collection)) == len(state.paragraphs)
    finally:
        reopened.close()
