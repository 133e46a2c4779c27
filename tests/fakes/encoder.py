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


class SlowEncoder(FakeEncoder):
    """FakeEncoder that takes `delay` seconds per batch of passages, may wait for `gate` before each
    batch (a test holds the job mid-way), and raises `error` once `fail_after` passages are embedded
    (a kill or a Ctrl-C in the middle of a build)."""

    def __init__(
        self,
        delay: float = 0.0,
        *,
        fail_after: int | None = None,
        error: BaseException | None = None,
        gate=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.delay = delay
        self.fail_after = fail_after
        self.error = error or RuntimeError("模拟：进程在计算句子向量时被终止")
        self.gate = gate

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        import time

        if self.gate is not None:
            self.gate.wait(timeout=30)
        if self.fail_after is not None and self.passages_embedded + len(texts) > self.fail_after:
            raise self.error
        time.sleep(self.delay)
        return super().encode_passages(texts, progress=progress)
