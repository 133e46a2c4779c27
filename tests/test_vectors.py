"""VectorIndex against a plain numpy cosine reference, and the plain-file helpers (fast, no model)."""

from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np
import pytest

from embeddings import files
from embeddings.encoders import Encoder
from embeddings.errors import CorruptIndex, EmbeddingsError, IndexNotBuilt
from embeddings.files import (
    atomic_write_bytes,
    atomic_write_json,
    atomic_write_text,
    default_cache_dir,
    read_bytes,
    read_json,
    read_jsonl,
    read_npy,
    read_text,
    write_jsonl,
    write_npy,
)
from embeddings.vectors import FaissStore, NumpyStore, VectorIndex
from tests.fakes.encoder import FakeEncoder

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def seed_paragraphs() -> list[tuple[str, str]]:
    """(file name, line) for every non-blank line of the seed reports."""
    return [
        (path.name, line.strip())
        for path in sorted(SEEDS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def unit_random(n: int, dim: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def numpy_ranking(vectors: np.ndarray, query: np.ndarray, allowed: np.ndarray | None = None):
    """Reference: cosine of unit vectors by a plain matrix product, every candidate, best first."""
    candidates = np.arange(len(vectors)) if allowed is None else np.unique(allowed)
    scores = vectors[candidates] @ query
    order = np.argsort(-scores, kind="stable")
    return scores[order], candidates[order]


def assert_same_as_reference(index, vectors, queries, k, allowed=None):
    """FAISS hits equal the numpy reference; ids may differ only between exactly tied scores."""
    scores, ids = index.search(queries, k, allowed)
    for row, query in enumerate(queries):
        all_scores, all_ids = numpy_ranking(vectors, query, allowed)
        ref_scores, ref_ids = all_scores[:k], all_ids[:k]
        assert scores.shape[1] == len(ref_scores)
        np.testing.assert_allclose(scores[row], ref_scores, rtol=0, atol=1e-5)
        # Each returned id really has the score reported for it, and is an allowed, distinct id.
        np.testing.assert_allclose(vectors[ids[row]] @ query, scores[row], rtol=0, atol=1e-5)
        assert len(set(ids[row].tolist())) == len(ids[row])
        if allowed is not None:
            assert set(ids[row].tolist()) <= set(np.asarray(allowed).tolist())
        # Where no two scores up to rank k+1 are (nearly) tied, the order must be exactly the reference's.
        if len(all_scores) < 2 or np.abs(np.diff(all_scores[: k + 1])).min() > 1e-4:
            assert ids[row].tolist() == ref_ids.tolist()
    return scores, ids


# --- the fake encoder is a valid Encoder -------------------------------------------------------


def test_fake_encoder_satisfies_the_encoder_protocol():
    encoder = FakeEncoder()
    assert isinstance(encoder, Encoder)
    vectors = encoder.encode_passages(["化解矛盾纠纷", "法治宣传", "a"])
    assert vectors.shape == (3, 64) and vectors.dtype == np.float32 and vectors.flags.c_contiguous
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    assert encoder.encode_queries([]).shape == (0, 64)
    np.testing.assert_array_equal(encoder.encode_queries(["化解矛盾纠纷"])[0], vectors[0])


# --- search equals the numpy reference ---------------------------------------------------------


def test_search_on_random_vectors_equals_numpy_exactly():
    vectors = unit_random(500, 48, seed=1)
    queries = unit_random(7, 48, seed=2)
    index = VectorIndex.build(vectors)
    assert len(index) == 500 and index.dim == 48
    scores, ids = assert_same_as_reference(index, vectors, queries, k=10)
    assert scores.dtype == np.float32 and ids.dtype == np.int64 and ids.shape == (7, 10)
    assert (np.diff(scores, axis=1) <= 0).all()


def test_search_with_allowed_ids_equals_numpy_over_those_rows():
    vectors = unit_random(500, 48, seed=3)
    queries = unit_random(5, 48, seed=4)
    index = VectorIndex.build(vectors)
    rng = np.random.default_rng(5)
    for size in (1, 3, 40, 499):
        allowed = rng.choice(500, size=size, replace=False).astype(np.int64)
        _, ids = assert_same_as_reference(index, vectors, queries, k=10, allowed=allowed)
        assert ids.shape == (5, min(10, size))


def test_seed_paragraphs_with_fake_encoder_match_reference_and_find_the_topic():
    paragraphs = seed_paragraphs()
    encoder = FakeEncoder(dim=256)
    vectors = encoder.encode_passages([text for _, text in paragraphs])
    index = VectorIndex.build(vectors)
    queries = encoder.encode_queries(["化解了多少矛盾纠纷", "开展普法宣传活动", "行政执法案件"])
    assert_same_as_reference(index, vectors, queries, k=8)

    _, ids = index.search(queries[:1], 3)
    assert all("矛盾纠纷" in paragraphs[i][1] for i in ids[0])

    # Restrict to one report, as a township filter does.
    one_report = np.array([i for i, (name, _) in enumerate(paragraphs) if name.startswith("003_")])
    _, ids = assert_same_as_reference(index, vectors, queries, k=8, allowed=one_report)
    assert {paragraphs[i][0] for i in ids.ravel()} == {paragraphs[one_report[0]][0]}
    assert "矛盾纠纷" in paragraphs[ids[0, 0]][1]


def test_k_larger_than_candidates_and_empty_cases():
    vectors = unit_random(6, 8, seed=6)
    index = VectorIndex.build(vectors)
    scores, ids = index.search(vectors[:2], 50)
    assert ids.shape == (2, 6) and (ids >= 0).all()
    assert ids[0, 0] == 0 and ids[1, 0] == 1  # a vector is its own nearest neighbour
    np.testing.assert_allclose(scores[:, 0], 1.0, atol=1e-6)

    scores, ids = index.search(vectors[0], 3, allowed=np.array([], dtype=np.int64))
    assert scores.shape == (1, 0) and ids.shape == (1, 0)

    empty = VectorIndex.build(np.zeros((0, 8), dtype=np.float32))
    assert len(empty) == 0 and empty.dim == 8
    assert empty.search(vectors[:1], 5)[1].shape == (1, 0)
    assert empty.reconstruct_all().shape == (0, 8)


def test_search_rejects_bad_input():
    index = VectorIndex.build(unit_random(10, 8, seed=7))
    query = unit_random(1, 8, seed=8)
    with pytest.raises(ValueError, match="超出范围"):
        index.search(query, 3, allowed=np.array([2, 10]))
    with pytest.raises(ValueError, match="超出范围"):
        index.search(query, 3, allowed=np.array([-1, 2]))
    with pytest.raises(ValueError, match="维数"):
        index.search(unit_random(1, 9, seed=9), 3)
    with pytest.raises(ValueError, match="k"):
        index.search(query, 0)
    with pytest.raises(ValueError, match="单位向量"):
        index.search(query * 3, 3)
    with pytest.raises(ValueError, match="单位向量"):
        VectorIndex.build(np.ones((2, 8), dtype=np.float32))
    with pytest.raises(ValueError, match="NaN"):
        VectorIndex.build(np.full((2, 8), np.nan, dtype=np.float32))


def test_duplicate_allowed_ids_do_not_duplicate_hits():
    vectors = unit_random(20, 8, seed=10)
    index = VectorIndex.build(vectors)
    _, ids = index.search(vectors[3], 5, allowed=np.array([3, 3, 3, 7, 7]))
    assert ids.tolist() == [[3, 7]]


def test_add_after_build_continues_ids_and_equals_building_at_once():
    vectors = unit_random(300, 32, seed=11)
    queries = unit_random(4, 32, seed=12)
    grown = VectorIndex.build(vectors[:120])
    grown.add(vectors[120:250])
    grown.add(vectors[250:])
    assert len(grown) == 300
    np.testing.assert_array_equal(grown.reconstruct_all(), vectors)
    at_once = VectorIndex.build(vectors)
    for a, b in zip(grown.search(queries, 7), at_once.search(queries, 7), strict=True):
        np.testing.assert_array_equal(a, b)
    assert_same_as_reference(grown, vectors, queries, k=7, allowed=np.arange(100, 300))
    _, ids = grown.search(vectors[299], 1)
    assert ids[0, 0] == 299
    with pytest.raises(ValueError, match="维数"):
        grown.add(unit_random(2, 16, seed=13))


# --- save / load ---------------------------------------------------------------------------------


def test_save_load_roundtrip(tmp_path):
    vectors = unit_random(200, 24, seed=14)
    queries = unit_random(3, 24, seed=15)
    index = VectorIndex.build(vectors)
    path = tmp_path / "index" / "vectors.faiss"
    index.save(path)
    assert sorted(os.listdir(path.parent)) == ["vectors.faiss"]
    loaded = VectorIndex.load(path, expected_dim=24)
    assert len(loaded) == 200 and loaded.dim == 24
    np.testing.assert_array_equal(loaded.reconstruct_all(), vectors)
    allowed = np.arange(0, 200, 3)
    for a, b in zip(loaded.search(queries, 9, allowed), index.search(queries, 9, allowed), strict=True):
        np.testing.assert_array_equal(a, b)
    # Saving over an existing file replaces it.
    index.add(unit_random(1, 24, seed=16))
    index.save(path)
    assert len(VectorIndex.load(path, 24)) == 201


def test_load_missing_corrupt_or_foreign_files_raise_corrupt_index(tmp_path):
    index = VectorIndex.build(unit_random(50, 16, seed=17))
    good = tmp_path / "good.faiss"
    index.save(good)
    data = good.read_bytes()

    cases = {
        "missing": None,
        "empty": b"",
        "garbage": b"not a faiss index at all" * 10,
        "truncated": data[: len(data) // 2],
        "trailing": data + b"\x00" * 16,
    }
    l2 = faiss.IndexFlatL2(16)
    l2.add(unit_random(3, 16, seed=18))
    cases["l2-metric"] = faiss.serialize_index(l2).tobytes()
    damaged = bytearray(data)
    damaged[-16:] = np.full(4, 1e30, dtype=np.float32).tobytes()  # last vector's tail overwritten
    cases["bad-vector"] = bytes(damaged)

    for name, content in cases.items():
        path = tmp_path / f"{name}.faiss"
        if content is not None:
            path.write_bytes(content)
        with pytest.raises(CorruptIndex) as caught:
            VectorIndex.load(path, expected_dim=16)
        assert str(path) in str(caught.value) and "重新建立索引" in str(caught.value), name

    with pytest.raises(CorruptIndex, match=r"16 维.*384 维"):
        VectorIndex.load(good, expected_dim=384)


def test_corrupt_index_is_an_index_not_built_error():
    error = CorruptIndex("/x/vectors.faiss", "文件不存在")
    assert isinstance(error, IndexNotBuilt) and isinstance(error, EmbeddingsError)
    assert error.path == "/x/vectors.faiss" and error.reason == "文件不存在"


# --- plain files ---------------------------------------------------------------------------------


def test_atomic_writers_roundtrip(tmp_path):
    atomic_write_bytes(tmp_path / "a" / "b.bin", b"\x00\x01")
    assert read_bytes(tmp_path / "a" / "b.bin") == b"\x00\x01"
    atomic_write_text(tmp_path / "t.txt", "兴隆镇\n第二行\n")
    assert read_text(tmp_path / "t.txt") == "兴隆镇\n第二行\n"
    assert (tmp_path / "t.txt").read_bytes() == "兴隆镇\n第二行\n".encode()

    obj = {"township": "季家镇", "year": 2024, "values": [1, 2.5]}
    atomic_write_json(tmp_path / "m.json", obj)
    assert read_json(tmp_path / "m.json") == obj
    assert "季家镇" in (tmp_path / "m.json").read_text(encoding="utf-8")  # not \u escaped

    rows = [{"text": "矛盾纠纷"}, [1, 2], "行"]
    write_jsonl(tmp_path / "r.jsonl", rows)
    assert read_jsonl(tmp_path / "r.jsonl") == rows
    assert len((tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()) == 3

    array = np.arange(12, dtype=np.int32).reshape(3, 4)
    write_npy(tmp_path / "c.npy", array)
    loaded = read_npy(tmp_path / "c.npy")
    assert loaded.dtype == np.int32
    np.testing.assert_array_equal(loaded, array)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "c.npy", "m.json", "r.jsonl", "t.txt"]


def test_failed_write_keeps_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "rows.jsonl"
    write_jsonl(path, [{"n": 1}])
    before = path.read_bytes()

    def rows_that_fail():
        yield {"n": 2}
        raise RuntimeError("simulated crash mid-write")

    with pytest.raises(RuntimeError, match="simulated"):
        write_jsonl(path, rows_that_fail())
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["rows.jsonl"]

    def failing_replace(src, dst):
        raise OSError("simulated: disk full at rename")

    monkeypatch.setattr(files.os, "replace", failing_replace)
    for write in (
        lambda: atomic_write_bytes(path, b"new"),
        lambda: atomic_write_text(path, "new"),
        lambda: atomic_write_json(path, {"new": True}),
        lambda: write_npy(path, np.zeros(3)),
        lambda: VectorIndex.build(unit_random(2, 4, seed=19)).save(path),
    ):
        with pytest.raises(OSError, match="simulated"):
            write()
        assert path.read_bytes() == before
        assert os.listdir(tmp_path) == ["rows.jsonl"]


def test_npy_refuses_pickles(tmp_path):
    with pytest.raises(ValueError, match="pickle"):
        write_npy(tmp_path / "o.npy", np.array([{"a": 1}, None], dtype=object))
    assert not (tmp_path / "o.npy").exists()

    pickled = tmp_path / "pickled.npy"
    np.save(pickled, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(CorruptIndex, match="pickle"):
        read_npy(pickled)

    plain_pickle = tmp_path / "plain.npy"
    plain_pickle.write_bytes(b"\x80\x04\x95" + b"\x00" * 20)  # a pickle protocol-4 header
    with pytest.raises(CorruptIndex):
        read_npy(plain_pickle)


def test_damaged_plain_files_raise_corrupt_index(tmp_path):
    write_npy(tmp_path / "a.npy", np.arange(1000, dtype=np.int64))
    data = (tmp_path / "a.npy").read_bytes()
    (tmp_path / "a.npy").write_bytes(data[:200])
    (tmp_path / "bad.json").write_text('{"a": ', encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text('{"a": 1}\n{"b": \n', encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes(b"\xff\xfe\xfa")
    with pytest.raises(CorruptIndex):
        read_npy(tmp_path / "a.npy")
    with pytest.raises(CorruptIndex, match="文件不存在"):
        read_npy(tmp_path / "none.npy")
    with pytest.raises(CorruptIndex, match="JSON"):
        read_json(tmp_path / "bad.json")
    with pytest.raises(CorruptIndex, match="第 2 行"):
        read_jsonl(tmp_path / "bad.jsonl")
    with pytest.raises(CorruptIndex, match="UTF-8"):
        read_text(tmp_path / "latin.txt")
    with pytest.raises(CorruptIndex, match="文件不存在"):
        read_json(tmp_path / "none.json")


def test_default_cache_dir_per_platform(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "home"))
    monkeypatch.delenv("ZHENBAO_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(files.sys, "platform", "linux")
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "zhenbao"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "zhenbao"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "zhenbao"

    monkeypatch.setattr(files.sys, "platform", "darwin")
    assert default_cache_dir() == tmp_path / "home" / "Library" / "Caches" / "zhenbao"

    monkeypatch.setattr(files.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert default_cache_dir() == tmp_path / "local" / "zhenbao"

    monkeypatch.setenv("ZHENBAO_CACHE_DIR", str(tmp_path / "override"))
    assert default_cache_dir() == tmp_path / "override"


def test_default_cache_dir_is_outside_the_installed_packages(monkeypatch):
    monkeypatch.delenv("ZHENBAO_CACHE_DIR", raising=False)
    package_root = Path(files.__file__).resolve().parents[1]
    cache = default_cache_dir().resolve()
    for package in ("embeddings", "bot", "ui"):
        assert not cache.is_relative_to(package_root / package)


@pytest.mark.parametrize("allowed", [None, [3, 7, 8, 50, 199]])
def test_numpy_store_agrees_with_the_faiss_store(allowed):
    rng = np.random.default_rng(7)
    rows = rng.normal(size=(200, 32)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    queries = rows[[0, 5, 50]] + 0.01
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    stores = [FaissStore.build(rows), NumpyStore.build(rows)]
    (faiss_scores, faiss_ids), (numpy_scores, numpy_ids) = (s.search(queries, 5, allowed) for s in stores)
    assert np.array_equal(faiss_ids, numpy_ids)
    assert np.allclose(faiss_scores, numpy_scores, atol=1e-5)
    assert all(len(s) == 200 and s.dim == 32 for s in stores)


def test_numpy_store_round_trips_through_a_file(tmp_path):
    rows = np.eye(4, dtype=np.float32)
    store = NumpyStore.build(rows)
    store.add(np.array([[0.6, 0.8, 0, 0]], dtype=np.float32))
    store.save(tmp_path / "v.npy")
    loaded = NumpyStore.load(tmp_path / "v.npy", expected_dim=4)
    assert np.array_equal(loaded.reconstruct_all(), store.reconstruct_all())
    with pytest.raises(CorruptIndex):
        NumpyStore.load(tmp_path / "v.npy", expected_dim=8)


@pytest.mark.parametrize("store", [FaissStore, NumpyStore])
def test_similarities_are_the_search_scores_of_the_listed_rows(store):
    rows = unit_random(300, 24, seed=8)
    query = unit_random(1, 24, seed=9)
    built = store.build(rows)
    # Runs of consecutive ids (reports' sentences), out of order; most rows (one product) and few.
    for ids in (np.r_[200:230, 3:9, 120], np.arange(290), np.array([7]), np.zeros(0, dtype=np.int64)):
        got = built.similarities(query, ids)
        assert got.dtype == np.float32 and got.shape == ids.shape
        if len(ids):
            scores, found = built.search(query, len(ids), ids)
            expected = dict(zip(found[0].tolist(), scores[0].tolist(), strict=True))
            np.testing.assert_allclose(got, [expected[i] for i in ids.tolist()], rtol=0, atol=1e-6)
    with pytest.raises(ValueError, match="超出范围"):
        built.similarities(query, np.array([300]))
    with pytest.raises(ValueError, match="维数"):
        built.similarities(unit_random(1, 8, seed=1), np.array([0]))


def test_a_store_built_from_blocks_equals_one_built_from_the_whole_matrix():
    from embeddings.vectors import FaissStore

    rng = np.random.default_rng(3)
    matrix = rng.normal(size=(10, 8)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    blocks = FaissStore.build_from([matrix[:4], matrix[4:4], matrix[4:]], 10, 8)
    np.testing.assert_array_equal(blocks.reconstruct_all(), FaissStore.build(matrix).reconstruct_all())
    assert blocks.search(matrix[7], 1)[1][0][0] == 7
    assert len(FaissStore.build_from([], 0, 8)) == 0
    with pytest.raises(ValueError):
        FaissStore.build_from([matrix], 9, 8)  # more rows than declared
    with pytest.raises(ValueError):
        FaissStore.build_from([matrix[:4]], 10, 8)  # fewer
