"""Text → vectors → neighbours. Importing this package loads no model, no faiss and no torch."""

from __future__ import annotations

from embeddings.encoders import (
    E5Encoder,
    Encoder,
    SentenceTransformerEncoder,
    USEEncoder,
    load_encoder,
)
from embeddings.files import CorruptIndex, default_cache_dir
from embeddings.vectors import VectorIndex

__all__ = [
    "CorruptIndex",
    "E5Encoder",
    "Encoder",
    "SentenceTransformerEncoder",
    "USEEncoder",
    "VectorIndex",
    "default_cache_dir",
    "load_encoder",
]
