"""The one fake encoder of the test suite: deterministic, fast, and counting its work."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence

import numpy as np


class FakeEncoder:
    """Character bigrams hashed into `dim` buckets and normalised: texts sharing words are close.

    Stands in for the bundled model where its quality does not matter (index bookkeeping, answer
    wiring). `passages_embedded` and `queries_embedded` count texts, so tests can assert that a
    sync reused vectors instead of embedding again. `tuning` is None: no dense abstain gate.
    """

    tuning = None

    def __init__(self, name: str = "fake-bigrams", dim: int = 64):
        self.name = name
        self.dim = dim
        self.passages_embedded = 0
        self.queries_embedded = 0

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for a, b in itertools.pairwise(text):
                digest = hashlib.blake2b((a + b).encode("utf-8"), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
            else:
                out[row, 0] = 1.0  # texts shorter than a bigram still need a unit vector
        return out

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries_embedded += len(texts)
        return self._encode(list(texts))

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        self.passages_embedded += len(texts)
        return self._encode(list(texts))
