"""Exact nearest neighbours of unit vectors: a FAISS flat inner-product index, saved as one plain file."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from embeddings.errors import CorruptIndex
from embeddings.files import atomic_write_bytes, read_bytes

if TYPE_CHECKING:
    import faiss

# Rows must be unit vectors (inner product == cosine). float32 encoders normalise to ~1e-7;
# the slack only has to tell "normalised" from "forgot to normalise" or bit damage.
_NORM_TOLERANCE = 1e-3


def _faiss() -> Any:
    # Imported on first use so that `import embeddings` stays cheap (faiss takes ~0.15 s to import).
    import faiss

    return faiss


def _as_unit_rows(vectors: np.ndarray, dim: int | None, what: str) -> np.ndarray:
    """Validate a (n, dim) array of unit vectors and return it as C-contiguous float32."""
    array = np.ascontiguousarray(vectors, dtype=np.float32)
    if array.ndim != 2:
        raise ValueError(f"{what} 应为二维数组 (n, dim)，实际形状为 {array.shape}")
    if dim is not None and array.shape[1] != dim:
        raise ValueError(f"{what} 的维数是 {array.shape[1]}，索引的维数是 {dim}")
    if array.shape[1] == 0:
        raise ValueError(f"{what} 的维数不能为 0")
    if array.size and not np.isfinite(array).all():
        raise ValueError(f"{what} 含有 NaN 或无穷大")
    norms = np.linalg.norm(array, axis=1)
    if array.shape[0] and np.abs(norms - 1.0).max() > _NORM_TOLERANCE:
        raise ValueError(f"{what} 的行向量必须是单位向量（L2 归一化），否则内积不等于余弦相似度")
    return array


def _similarities(matrix: np.ndarray, query: np.ndarray, ids: np.ndarray, dim: int) -> np.ndarray:
    """Cosine of one unit query with the listed rows of `matrix`, in the order of `ids` (float32).

    Rows are read as runs of consecutive ids (a report's sentences are one run), each a matrix-vector
    product over a view: no gather of the rows, no ranking. Over most of the rows, one product over
    all of them is cheaper than many small ones."""
    vector = _as_unit_rows(np.atleast_2d(query), dim, "查询向量")[0]
    ids = np.asarray(ids, dtype=np.int64)
    if not ids.size:
        return np.zeros(0, dtype=np.float32)
    if ids.min() < 0 or ids.max() >= len(matrix):
        raise ValueError(f"id 超出范围 [0, {len(matrix)})")
    if ids.size * 2 > len(matrix):
        return _products(matrix, vector)[ids].astype(np.float32, copy=False)
    breaks = np.flatnonzero(np.diff(ids) != 1) + 1
    starts, ends = np.r_[ids[0], ids[breaks]], np.r_[ids[breaks - 1], ids[-1]] + 1
    parts = [_products(matrix[a:b], vector) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    return np.concatenate(parts).astype(np.float32, copy=False)


def _products(rows: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """rows @ vector by NumPy's own SIMD loop: over 69,500 × 384 rows 5.5 ms in one thread, where
    OpenBLAS's sgemv took 10 ms in one thread or 6.6 ms wall / 13 ms CPU in two (memory-bound: a
    second thread buys little and takes a core the other questions need)."""
    return np.einsum("ij,j->i", rows, vector)


class VectorStore(Protocol):
    """Cosine k-nearest-neighbour search over unit vectors; ids are row numbers in insertion order.

    The index stage needs only this; FaissStore is the one shipped, NumpyStore the exact reference
    (and a store with no native code). A Milvus-backed store would implement the same methods.
    """

    @property
    def dim(self) -> int: ...

    def __len__(self) -> int: ...

    def add(self, vectors: np.ndarray) -> None: ...

    def reconstruct_all(self) -> np.ndarray: ...

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]: ...

    def similarities(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray: ...

    def save(self, path: str | os.PathLike[str]) -> None: ...


class FaissStore:
    """Cosine k-nearest-neighbour search over unit vectors; ids are row numbers in insertion order.

    Flat (exact) search: a township corpus has hundreds to tens of thousands of paragraphs, where an
    exact scan takes well under 10 ms and there is no recall to tune.
    """

    def __init__(self, index: faiss.IndexFlatIP):
        self._index = index

    @classmethod
    def build(cls, vectors: np.ndarray) -> FaissStore:
        """Index the rows of `vectors` (n, dim); n may be 0."""
        array = _as_unit_rows(vectors, None, "向量")
        index = cls(_faiss().IndexFlatIP(array.shape[1]))
        index._index.add(array)
        return index

    @classmethod
    def build_from(cls, parts: Iterable[np.ndarray], n: int, dim: int) -> FaissStore:
        """Index `n` rows given as consecutive blocks, written straight into the index's own
        storage: `build` of one stacked matrix held it twice (107 MB each at 1,500 reports) while
        the previous snapshot's index was still being searched."""
        index = _faiss().IndexFlatIP(dim)
        index.codes.resize(n * dim * np.dtype(np.float32).itemsize)
        rows = np.asarray(_faiss().rev_swig_ptr(index.get_xb(), n * dim)).reshape(n, dim) if n else None
        filled = 0
        for part in parts:
            block = _as_unit_rows(part, dim, "向量")
            if not len(block):
                continue
            if filled + len(block) > n:
                raise ValueError(f"向量多于声明的 {n} 行")
            rows[filled : filled + len(block)] = block
            filled += len(block)
        if filled != n:
            raise ValueError(f"向量只有 {filled} 行，声明的是 {n} 行")
        index.ntotal = n
        return cls(index)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, vectors: np.ndarray) -> None:
        """Append rows; they get ids len(self), len(self)+1, ..."""
        array = _as_unit_rows(vectors, self.dim, "新增向量")
        self._index.add(array)

    def reconstruct_all(self) -> np.ndarray:
        """A copy of every stored vector, (len, dim) float32, in id order."""
        if len(self) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(self._index.reconstruct_n(0, len(self)), dtype=np.float32)

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k rows by cosine for each query, best first.

        Args:
            queries: (nq, dim) unit vectors, or one (dim,) vector treated as nq == 1.
            k: wanted hits per query; fewer come back when fewer rows (or allowed ids) exist.
            allowed: ids that may be returned (e.g. one township's paragraphs); None means all.

        Returns:
            (scores float32, ids int64), both (nq, min(k, candidates)); no -1 padding.
        """
        if k < 1:
            raise ValueError(f"k 必须是正整数，实际为 {k}")
        query_rows = _as_unit_rows(np.atleast_2d(queries), self.dim, "查询向量")
        params = None
        candidates = len(self)
        if allowed is not None:
            ids = np.unique(np.asarray(allowed, dtype=np.int64))
            if ids.size and (ids[0] < 0 or ids[-1] >= len(self)):
                # IDSelectorArray on a flat index reads those rows directly: out of range is a crash.
                raise ValueError(f"allowed 中的 id 超出范围 [0, {len(self)})")
            candidates = int(ids.size)
            if candidates:
                faiss = _faiss()
                # Measured (384 dims, 300–30 000 rows, 1–90 % allowed): IDSelectorArray was the fastest
                # faiss selector everywhere (Batch/Bitmap up to 3x slower), and a numpy scan over the
                # allowed rows was at most a few µs faster for tiny subsets and up to 4x slower for large
                # ones, so there is one code path. `selector` must outlive the search call.
                selector = faiss.IDSelectorArray(ids)
                params = faiss.SearchParameters(sel=selector)
        width = min(k, candidates)
        if width == 0 or query_rows.shape[0] == 0:
            return (
                np.zeros((query_rows.shape[0], 0), dtype=np.float32),
                np.zeros((query_rows.shape[0], 0), dtype=np.int64),
            )
        scores, ids_found = self._index.search(query_rows, width, params=params)
        if (ids_found < 0).any():
            # Exact flat search fills every slot when width <= candidates; -1 would mean a faiss bug.
            raise RuntimeError("FAISS 返回了不完整的结果")
        return scores.astype(np.float32, copy=False), ids_found.astype(np.int64, copy=False)

    def similarities(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Cosine of one query with each listed row, in the order of `ids`: the scores `search`
        gives them, without ranking (float32 sums may differ from FAISS's in the last bit)."""
        n, dim = len(self), self.dim
        # A view of the index's own rows (no copy); the store is not added to while searched.
        rows = np.asarray(_faiss().rev_swig_ptr(self._index.get_xb(), n * dim)) if n else np.zeros(0)
        return _similarities(rows.reshape(n, dim), query, ids, dim)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the index as one FAISS file, atomically (a crash leaves the previous file intact)."""
        # serialize_index + our own write instead of faiss.write_index: atomic, and no trouble with
        # non-ASCII folder names on Windows (C-level fopen).
        # The serialised array is written through a view: .tobytes() was a second 107 MB copy at
        # 1,500 reports, at the peak of the build (the snapshot still searched beside the new one).
        data = _faiss().serialize_index(self._index)
        atomic_write_bytes(path, memoryview(data))  # type: ignore[arg-type]  # any bytes-like

    @classmethod
    def load(cls, path: str | os.PathLike[str], expected_dim: int) -> FaissStore:
        """Read a file written by save(); CorruptIndex if missing, damaged, or of another dimension."""
        data = read_bytes(path)
        faiss = _faiss()
        try:
            # Already the concrete class; faiss.downcast_index would return a view that does not own
            # the C++ object, which is freed with `raw` (measured: garbage dimensions afterwards).
            index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
        except RuntimeError as exc:
            raise CorruptIndex(path, "不是有效的 FAISS 索引文件") from exc
        if not isinstance(index, faiss.IndexFlatIP):
            raise CorruptIndex(path, f"索引类型为 {type(index).__name__}，应为 IndexFlatIP")
        if index.d != expected_dim:
            raise CorruptIndex(
                path, f"索引向量为 {index.d} 维，当前模型输出 {expected_dim} 维（建立索引时用的是另一个模型）"
            )
        # FAISS reads a valid prefix and ignores what follows: trailing bytes mean a damaged file.
        if faiss.serialize_index(index).size != len(data):
            raise CorruptIndex(path, "文件长度与内容不符")
        loaded = cls(index)
        vectors = loaded.reconstruct_all()
        with np.errstate(over="ignore", invalid="ignore"):  # damaged floats may overflow when squared
            damaged = vectors.size and not (
                np.isfinite(vectors).all()
                and np.abs(np.linalg.norm(vectors, axis=1) - 1.0).max() <= _NORM_TOLERANCE
            )
        if damaged:
            raise CorruptIndex(path, "向量数据已损坏（存在非单位向量）")
        return loaded


# The name the index stage has always used.
VectorIndex = FaissStore


class NumpyStore:
    """The VectorStore contract in plain numpy: exact, no native code; the tests' reference."""

    def __init__(self, vectors: np.ndarray):
        self._vectors = vectors

    @classmethod
    def build(cls, vectors: np.ndarray) -> NumpyStore:
        return cls(np.array(_as_unit_rows(vectors, None, "向量"), dtype=np.float32))

    @property
    def dim(self) -> int:
        return int(self._vectors.shape[1])

    def __len__(self) -> int:
        return int(self._vectors.shape[0])

    def add(self, vectors: np.ndarray) -> None:
        self._vectors = np.vstack([self._vectors, _as_unit_rows(vectors, self.dim, "新增向量")])

    def reconstruct_all(self) -> np.ndarray:
        return self._vectors.copy()

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        if k < 1:
            raise ValueError(f"k 必须是正整数，实际为 {k}")
        rows = _as_unit_rows(np.atleast_2d(queries), self.dim, "查询向量")
        ids = np.arange(len(self)) if allowed is None else np.unique(np.asarray(allowed, dtype=np.int64))
        if ids.size and (ids[0] < 0 or ids[-1] >= len(self)):
            raise ValueError(f"allowed 中的 id 超出范围 [0, {len(self)})")
        scores = rows @ self._vectors[ids].T
        # Best first; equal scores in id order, as FAISS's flat search returns them.
        order = np.lexsort((np.broadcast_to(ids, scores.shape), -scores), axis=1)[:, : min(k, ids.size)]
        return np.take_along_axis(scores, order, axis=1).astype(np.float32), ids[order].astype(np.int64)

    def similarities(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        return _similarities(self._vectors, query, ids, self.dim)

    def save(self, path: str | os.PathLike[str]) -> None:
        from embeddings.files import write_npy

        write_npy(path, self._vectors)

    @classmethod
    def load(cls, path: str | os.PathLike[str], expected_dim: int) -> NumpyStore:
        from embeddings.files import read_npy

        vectors = read_npy(path)
        if vectors.ndim != 2 or vectors.shape[1] != expected_dim:
            raise CorruptIndex(path, f"向量应为 {expected_dim} 维")
        return cls(vectors.astype(np.float32))
