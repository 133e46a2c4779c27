"""Dense vectors and BM25 full text in Milvus, through pymilvus: milvus-lite locally, a cluster by URI.

Two collections per index (Milvus has one vector per row, and BM25 ranks paragraphs while dense
search ranks sentences): `<name>_text` holds one row per paragraph with its text and the sparse
vector Milvus's BM25 function derives from it; `<name>_vectors` one row per embedded sentence. Both
carry the fields answers filter on (township, county, year, report) and the paragraph's locator
(report id + paragraph index), which stays valid when other reports are added or removed.

What works with milvus-lite 3.2 (tested here, pymilvus 3.0): `Function(type=BM25)` over a VARCHAR
with `enable_analyzer=True` into a SPARSE_FLOAT_VECTOR field, searched with metric BM25 and
`bm25_k1`/`bm25_b` index parameters. Its analyzers are only "standard" (regex \\w+, lowercased) and
"jieba"; `{"type": "chinese"}` is rejected ("unknown tokenizer type"). Both Milvus jieba and the
standard analyzer over raw text cut words differently from the index's own tokenizer (its own
dictionary, everyday synonyms, bigrams for unknown words), so the text stored is PRE-TOKENISED: the
index's tokens, each spelled as one \\w+ word (`spell_terms`), joined by spaces, read by the standard
analyzer. BM25 then sees exactly the terms the in-memory bm25s index sees, and the same code runs on
Milvus Standalone/Distributed (whose standard analyzer also splits on non-word characters).
milvus-lite returns BM25 hits with the negated score as distance; a cluster returns the score:
`abs()` reads both. milvus-lite keeps BM25 statistics per segment (its own TODO in
engine/collection.py) and has no on-demand compaction, so rows added in a later session would be
scored against other document frequencies: `rewrite_text` lets the caller rewrite the (cheap, vector-free)
text collection whole after a change; a cluster keeps collection-wide statistics. The text collection is
reached through an alias (`<name>_text`) over one of two collections (`<name>_text_a` / `_b`): a rewrite
fills the other one and then moves the alias, so questions meanwhile search the complete previous text.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from embeddings.errors import EmbeddingsError

# Milvus caps topk per search at 16 384.
MAX_LIMIT = 16384
_INSERT_BATCH = 512
_WORD = re.compile(r"[^\W_]+")
_KEY_LENGTH = 40
_TEXT_LENGTH = 65535
_NAME_LENGTH = 512


class MilvusUnavailable(EmbeddingsError):
    """pymilvus is missing, or the Milvus server/file cannot be opened; the message is for the user."""


@dataclass(frozen=True)
class Located:
    """One search hit: its score (higher is better) and which paragraph of which report it is in."""

    score: float
    report: str
    paragraph: int


@dataclass(frozen=True)
class Filter:
    """Which rows a search may return; empty fields do not restrict."""

    townships: tuple[str, ...] = ()
    counties: tuple[str, ...] = ()
    year: int | None = None
    reports: tuple[str, ...] = ()

    def expression(self) -> str:
        """The Milvus boolean expression for this filter ("" for everything)."""
        parts = [
            f"{field} in [{', '.join(_quoted(v) for v in values)}]"
            for field, values in (
                ("township", self.townships),
                ("county", self.counties),
                ("report", self.reports),
            )
            if values
        ]
        if self.year is not None:
            parts.append(f"year == {int(self.year)}")
        return " and ".join(parts)


def _quoted(value: str) -> str:
    # A JSON string literal is a valid Milvus string literal (double quotes, backslash escapes).
    return json.dumps(value, ensure_ascii=False)


def spell_terms(terms: Iterable[str]) -> str:
    """Index terms as space-separated \\w+ words, so Milvus's standard analyzer yields them unchanged.

    A term that is already one lowercase word is kept (readable in Milvus tools); any other (a bigram
    with its mark, "95.5%") becomes "_" + a hash, which no kept term can equal (kept ones have no "_").
    """
    out = []
    for term in terms:
        if _WORD.fullmatch(term) and term == term.lower():
            out.append(term)
        else:
            out.append("_" + hashlib.blake2b(term.encode(), digest_size=8).hexdigest())
    return " ".join(out)


def row_key(*parts: object) -> str:
    """A primary key for a row: a hash of everything the row holds, so a changed row gets a new key."""
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def _local_options(uri: str) -> dict:
    """pymilvus pings every 10 s even when idle; the milvus-lite server answers "too_many_pings" with a
    GOAWAY that gRPC logs on stderr (measured: during a long run of questions). Locally there is no
    connection to keep alive, so no idle pings."""
    if "://" in uri:
        return {}
    return {"grpc_options": {"grpc.keepalive_time_ms": 300_000, "grpc.keepalive_permit_without_calls": 0}}


def _pymilvus() -> Any:
    try:
        import pymilvus
    except ImportError as exc:
        raise MilvusUnavailable(
            '使用 Milvus 检索需要安装 pymilvus 和 milvus-lite：pip install "zhenbao[milvus]"'
        ) from exc
    return pymilvus


class MilvusStore:
    """The two collections of one index; rows are dicts with the fields named in `_common_fields`."""

    def __init__(self, uri: str, name: str, dim: int, *, k1: float = 1.5, b: float = 0.75):
        pymilvus = _pymilvus()
        self._uri = uri
        self._bm25_params = (k1, b)
        # milvus-lite scores BM25 per segment; a cluster over the whole collection (module docstring).
        self.bm25_per_segment = "://" not in uri
        self.text_collection = f"{name}_text"  # an alias over one of `_text_halves`
        self._text_halves = (f"{name}_text_a", f"{name}_text_b")
        self.vector_collection = f"{name}_vectors"
        try:
            self._client = pymilvus.MilvusClient(uri, **_local_options(uri))
            self._ensure_text(pymilvus, k1, b)
            self._ensure_vectors(pymilvus, dim)
        except pymilvus.MilvusException as exc:
            hint = (
                "。请检查地址，以及 Milvus 服务是否已启动"
                if "://" in uri
                else "。一个 milvus-lite 文件同时只能由一个程序打开，请先关闭另一个正在使用它的网页或命令行"
            )
            raise MilvusUnavailable(f"无法打开 Milvus（{uri}）：{exc.message}{hint}") from exc

    def _common_fields(self, pymilvus: Any, schema: Any) -> None:
        types = pymilvus.DataType
        schema.add_field("key", types.VARCHAR, is_primary=True, max_length=_KEY_LENGTH)
        schema.add_field("report", types.VARCHAR, max_length=_NAME_LENGTH)
        schema.add_field("paragraph", types.INT64)
        schema.add_field("township", types.VARCHAR, max_length=_NAME_LENGTH)
        schema.add_field("county", types.VARCHAR, max_length=_NAME_LENGTH)
        schema.add_field("year", types.INT64)  # -1: the report states no year

    def _ensure_text(self, pymilvus: Any, k1: float, b: float) -> None:
        aliases = self._client.list_aliases().get("aliases", [])
        if self.text_collection in aliases:
            self._client.load_collection(self.text_collection)  # a reopened collection starts released
            return
        if self._client.has_collection(self.text_collection):
            # A store written before the alias: its text is rewritten from the index by the next sync.
            self._client.drop_collection(self.text_collection)
        self._create_text(pymilvus, self._text_halves[0], k1, b)
        self._client.create_alias(self._text_halves[0], self.text_collection)

    def _create_text(self, pymilvus: Any, collection: str, k1: float, b: float) -> None:
        if self._client.has_collection(collection):
            self._client.drop_collection(collection)  # the unused half, left by an interrupted rewrite
        types = pymilvus.DataType
        schema = self._client.create_schema(auto_id=False)
        self._common_fields(pymilvus, schema)
        analyzer = {"tokenizer": "standard"}
        schema.add_field(
            "text", types.VARCHAR, max_length=_TEXT_LENGTH, enable_analyzer=True, analyzer_params=analyzer
        )
        schema.add_field("sparse", types.SPARSE_FLOAT_VECTOR)
        bm25 = pymilvus.Function(
            name="bm25",
            function_type=pymilvus.FunctionType.BM25,
            input_field_names=["text"],
            output_field_names=["sparse"],
        )
        schema.add_function(bm25)
        index = self._client.prepare_index_params()
        params = {"bm25_k1": k1, "bm25_b": b}
        index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params=params)
        self._client.create_collection(collection, schema=schema, index_params=index)

    def _ensure_vectors(self, pymilvus: Any, dim: int) -> None:
        if self._client.has_collection(self.vector_collection):
            self._client.load_collection(self.vector_collection)  # a reopened collection starts released
            return
        schema = self._client.create_schema(auto_id=False)
        self._common_fields(pymilvus, schema)
        schema.add_field("vector", pymilvus.DataType.FLOAT_VECTOR, dim=dim)
        index = self._client.prepare_index_params()
        # Exact search, as the FAISS store: township corpora are small enough, and there is no recall to
        # tune. A province-sized collection would switch to HNSW here (docs/SCALING.md).
        index.add_index("vector", index_type="FLAT", metric_type="IP")
        self._client.create_collection(self.vector_collection, schema=schema, index_params=index)

    # --- rows ------------------------------------------------------------------------------------
    def keys(self, collection: str) -> set[str]:
        """Every primary key stored in one of the two collections."""
        # milvus-lite has no MVCC timestamp to give; pymilvus then warns on every iterator and falls back
        # to the client's clock, which is right here (we read our own finished writes).
        logging.getLogger("pymilvus.client.iterator.query_iterator").setLevel(logging.ERROR)
        iterator = self._client.query_iterator(collection, batch_size=4096, filter="", output_fields=["key"])
        keys: set[str] = set()
        try:
            while batch := iterator.next():
                keys.update(row["key"] for row in batch)
        finally:
            iterator.close()
        return keys

    def delete(self, collection: str, keys: Sequence[str]) -> None:
        for start in range(0, len(keys), _INSERT_BATCH):
            self._client.delete(collection, ids=list(keys[start : start + _INSERT_BATCH]))

    def insert(self, collection: str, rows: Sequence[dict]) -> None:
        for start in range(0, len(rows), _INSERT_BATCH):
            self._client.insert(collection, list(rows[start : start + _INSERT_BATCH]))

    def rewrite_text(self, rows: Sequence[dict]) -> None:
        """Replace the text collection's rows by `rows` in a fresh collection, then move the alias to it:
        on milvus-lite, the way to get one segment and so BM25 statistics over the whole corpus after a
        change (it has no on-demand compaction). Searches see the complete old text until the move."""
        current = self._client.describe_alias(self.text_collection)["collection_name"]
        spare = self._text_halves[1] if current == self._text_halves[0] else self._text_halves[0]
        self._create_text(_pymilvus(), spare, *self._bm25_params)
        self.insert(spare, rows)
        self._client.flush(spare)
        self._client.alter_alias(spare, self.text_collection)
        self._client.drop_collection(current)

    def flush(self) -> None:
        for collection in (self.text_collection, self.vector_collection):
            self._client.flush(collection)

    def close(self) -> None:
        self._client.close()

    # --- search ----------------------------------------------------------------------------------
    def search_text(self, spelled_terms: str, limit: int, where: Filter) -> list[Located]:
        """Paragraphs by BM25 for pre-spelled terms (`spell_terms`); only those sharing a term."""
        if not spelled_terms.strip():
            return []
        hits = self._client.search(
            self.text_collection,
            data=[spelled_terms],
            anns_field="sparse",
            limit=min(limit, MAX_LIMIT),
            filter=where.expression(),
            output_fields=["report", "paragraph"],
            search_params={"metric_type": "BM25"},
        )[0]
        # milvus-lite gives -score as distance, a cluster +score; BM25 scores are never negative.
        return [_located(hit, abs(float(hit["distance"]))) for hit in hits]

    def search_vectors(self, query: np.ndarray, limit: int, where: Filter) -> list[Located]:
        """Sentences by inner product (cosine for unit vectors), best first."""
        hits = self._client.search(
            self.vector_collection,
            data=[np.asarray(query, dtype=np.float32).ravel().tolist()],
            anns_field="vector",
            limit=min(limit, MAX_LIMIT),
            filter=where.expression(),
            output_fields=["report", "paragraph"],
            search_params={"metric_type": "IP"},
        )[0]
        return [_located(hit, float(hit["distance"])) for hit in hits]


def _located(hit: dict, score: float) -> Located:
    entity = hit["entity"]
    return Located(score, entity["report"], int(entity["paragraph"]))
