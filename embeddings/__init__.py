"""Text → vectors → neighbours. Importing this package loads no model, no faiss and no torch."""

from __future__ import annotations

from embeddings.encoders import (
    E5Encoder,
    Encoder,
    EncoderTuning,
    SentenceTransformerEncoder,
    USEEncoder,
    load_encoder,
)
from embeddings.errors import CorruptIndex, EmbeddingsError, ModelUnavailable
from embeddings.files import default_cache_dir
from embeddings.vectors import VectorIndex

__all__ = [
    "CorruptIndex",
    "E5Encoder",
    "EmbeddingsError",
    "Encoder",
    "EncoderTuning",
    "ModelUnavailable",
    "SentenceTransformerEncoder",
    "USEEncoder",
    "VectorIndex",
    "default_cache_dir",
    "load_encoder",
]
