"""Per-node figures for docs/SCALING.md: encoder throughput, Milvus insert rate, query latency, size.

    python benchmarks/bench_milvus.py [--rows 20000] [--agreement]

- encoder: sentences/s of the bundled encoder over the seeds' embedded sentences (one pass);
- Milvus (milvus-lite in a temporary folder): rows/s to insert `--rows` sentences (vectors of the
  bundled encoder's width) and as many paragraphs (text for the BM25 function, resampled from the
  seeds' tokens), the folder's size per 1,000 sentences, BM25 and dense query p50/p95 with and without
  a township filter; the same for the in-memory FAISS/bm25s backend;
- `--agreement`: both backends over the seeds with the bundled encoder, the share of labelled
  questions whose rank-1 passage and top 3 agree.
Figures depend on the machine's load; print `uptime` beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine import load_bot  # noqa: E402
from bot.search.backend import MemoryBackend, Where  # noqa: E402
from bot.search.fusion import BM25_B, BM25_K1, Bm25, dense_chunks  # noqa: E402
from embeddings.encoders import load_encoder  # noqa: E402
from embeddings.milvus import Filter, MilvusStore, row_key, spell_terms  # noqa: E402
from embeddings.vectors import FaissStore  # noqa: E402

TOWNS = [f"第{i}镇" for i in range(200)]


def _percentiles(ms: list[float]) -> str:
    q = statistics.quantiles(ms, n=20)
    return f"p50 {statistics.median(ms):.1f} ms, p95 {q[18]:.1f} ms"


def _timed(fn, repeats: int) -> list[float]:
    out = []
    for i in range(repeats):
        start = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - start) * 1000)
    return out


def encoder_rate(encoder, sentences: list[str]) -> float:
    encoder.encode_passages(sentences[:8])  # warm-up: first call compiles/allocates
    start = time.perf_counter()
    encoder.encode_passages(sentences)
    return len(sentences) / (time.perf_counter() - start)


def synthetic(rows: int, dim: int, seed_tokens: list[tuple[str, ...]]) -> tuple[list, list, np.ndarray]:
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((rows, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    tokens = [seed_tokens[i % len(seed_tokens)] for i in range(rows)]
    meta = [
        {"report": f"r{i // 50}.txt", "paragraph": i % 50, "township": TOWNS[(i // 50) % len(TOWNS)]}
        | {"county": "甲县", "year": 2020 + (i // 50) % 5}
        for i in range(rows)
    ]
    return meta, tokens, vectors


def bench_milvus(folder: Path, meta, tokens, vectors, queries) -> None:
    store = MilvusStore(str(folder / "m.db"), "bench", vectors.shape[1], k1=BM25_K1, b=BM25_B)
    text = [
        {**m, "key": row_key(i, "t"), "text": spell_terms(t)}
        for i, (m, t) in enumerate(zip(meta, tokens, strict=True))
    ]
    dense = [
        {**m, "key": row_key(i, "v"), "vector": v.tolist()}
        for i, (m, v) in enumerate(zip(meta, vectors, strict=True))
    ]
    for name, collection, rows in (
        ("text", store.text_collection, text),
        ("vectors", store.vector_collection, dense),
    ):
        start = time.perf_counter()
        store.insert(collection, rows)
        store.flush()
        print(f"milvus-lite insert {name}: {len(rows) / (time.perf_counter() - start):.0f} rows/s")
    size = sum(f.stat().st_size for f in (folder / "m.db").rglob("*") if f.is_file())
    print(
        f"milvus-lite folder: {size / 1e6:.1f} MB, "
        f"{size / len(meta) * 1000 / 1e6:.2f} MB per 1,000 sentences (+ 1,000 paragraphs)"
    )
    town = Filter(townships=(TOWNS[3],))
    for label, where in (("all", Filter()), ("one township", town)):
        bm25 = _timed(
            lambda i, w=where: store.search_text(spell_terms(queries[i % len(queries)]), 400, w), 40
        )
        knn = _timed(lambda i, w=where: store.search_vectors(vectors[i], 400, w), 40)
        print(f"milvus-lite BM25 ({label}): {_percentiles(bm25)}; dense top-400: {_percentiles(knn)}")
    store.close()


def bench_memory(meta, tokens, vectors, queries) -> None:
    start = time.perf_counter()
    backend = MemoryBackend(
        Bm25(tokens),
        FaissStore.build(vectors),
        [],
        np.zeros(len(meta), dtype=np.int32),
        np.arange(len(meta), dtype=np.int32),
    )
    print(f"in-memory build (bm25s + FAISS): {len(meta) / (time.perf_counter() - start):.0f} rows/s")
    bm25 = _timed(lambda i: backend.bm25_scores(queries[i % len(queries)], Where()), 40)
    knn = _timed(lambda i: backend.dense_scores(vectors[i], Where()), 40)
    print(f"in-memory BM25 (all): {_percentiles(bm25)}; dense top-400: {_percentiles(knn)}")


def agreement(memory, cache: str) -> None:
    questions = [json.loads(line) for line in (ROOT / "tests/data/questions.jsonl").open(encoding="utf-8")]
    start = time.perf_counter()
    milvus = load_bot(ROOT / "seeds", cache_dir=cache, backend="milvus", encoder=memory.encoder)
    print(f"seeds into milvus-lite (pymilvus import, start, insert): {time.perf_counter() - start:.1f} s")
    first = top3 = 0
    for item in questions:
        a = [(p.report.report_id, p.paragraph.index) for p in memory.search(item["question"], top_k=3)]
        b = [(p.report.report_id, p.paragraph.index) for p in milvus.search(item["question"], top_k=3)]
        first += a[:1] == b[:1]
        top3 += a == b
    print(
        f"agreement ({memory.encoder.name}): rank 1 {first}/{len(questions)}, top 3 {top3}/{len(questions)}"
    )
    for label, bot in (("faiss", memory), ("milvus", milvus)):
        ms = _timed(lambda i, bot=bot: bot.ask(questions[i % len(questions)]["question"]), len(questions))
        print(f"warm ask, {label} backend: {_percentiles(ms)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--agreement", action="store_true")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as cache:
        encoder = load_encoder(None)
        seeds = load_bot(ROOT / "seeds", cache_dir=cache, encoder=encoder)
        sentences = [text for r, p in seeds._state.paragraphs for text in dense_chunks(r, p)]
        rate = encoder_rate(encoder, sentences)
        print(
            f"encoder {encoder.name} ({encoder.dim} dims): {rate:.1f} sentences/s, "
            f"{len(sentences)} seed sentences"
        )
        seed_tokens = [tuple(t) for t in seeds._state.tokens if t]
        queries = [list(t[:6]) for t in seed_tokens]
        meta, tokens, vectors = synthetic(args.rows, encoder.dim, seed_tokens)
        with tempfile.TemporaryDirectory() as folder:
            bench_milvus(Path(folder), meta, tokens, vectors, queries)
        bench_memory(meta, tokens, vectors, queries)
        if args.agreement:
            agreement(seeds, cache)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
