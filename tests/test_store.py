"""Keeping the index in step with the corpus folder, with a fast fake encoder: reuse, add, change,
remove, skip bad files, rebuild on corruption or encoder change, plain files only."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.engine import load_bot
from bot.index.store import read_manifest
from bot.index.sync import sync_index
from bot.lang.tokenizer import Tokenizer

NEW_REPORT = """青山镇人民政府
关于2024年法治政府建设情况的报告
一、主要举措和成效
（一）推进普法宣传
青山镇全年开展“板凳课堂”普法活动15场，覆盖群众900余人次。
（二）化解矛盾纠纷
青山镇共调处矛盾纠纷88件，调处成功率98%。
"""


class CountingEncoder:
    """Deterministic fake: hashed character bigrams; counts how many passages it embedded."""

    def __init__(self, name: str = "fake-bigrams", dim: int = 32):
        self.name = name
        self.dim = dim
        self.passages_embedded = 0

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for i in range(len(text) - 1):
                bucket = int(hashlib.md5(text[i : i + 2].encode()).hexdigest(), 16) % self.dim
                out[row, bucket] += 1
            out[row] /= max(np.linalg.norm(out[row]), 1e-6)
        return out

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        self.passages_embedded += len(texts)
        return self._encode(texts)


@pytest.fixture
def corpus(tmp_path, seeds_dir) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(seeds_dir, folder)
    return folder


def sync(corpus: Path, index: Path, encoder: CountingEncoder):
    return sync_index(corpus, index, encoder, Tokenizer())


def test_second_sync_reuses_everything(corpus, tmp_path):
    encoder = CountingEncoder()
    data, result = sync(corpus, tmp_path / "index", encoder)
    assert len(data.reports) == 5 and result.rebuilt
    first = encoder.passages_embedded
    assert first == len(data.chunk_paragraph) > 100
    data2, result2 = sync(corpus, tmp_path / "index", encoder)
    assert encoder.passages_embedded == first  # nothing embedded again
    assert result2.added == result2.changed == result2.removed == ()
    assert [p.text for _, p in data2.paragraphs()] == [p.text for _, p in data.paragraphs()]


def test_new_file_is_added_incrementally(corpus, tmp_path):
    encoder = CountingEncoder()
    sync(corpus, tmp_path / "index", encoder)
    before = encoder.passages_embedded
    (corpus / "青山镇.txt").write_text(NEW_REPORT, encoding="utf-8")
    data2, result = sync(corpus, tmp_path / "index", encoder)
    assert result.added == ("青山镇.txt",)
    assert 0 < encoder.passages_embedded - before <= 4  # only the new report's sentences
    assert len(data2.reports) == 6
    assert "青山镇" in {r.report.township for r in data2.reports}


def test_changed_and_removed_files(corpus, tmp_path):
    encoder = CountingEncoder()
    sync(corpus, tmp_path / "index", encoder)
    (corpus / "000_78c4f8f18955f2e8.txt").unlink()
    changed = corpus / "003_f2f2c0b7cdbe11e1.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("42起", "43起"), encoding="utf-8")
    data, result = sync(corpus, tmp_path / "index", encoder)
    assert result.removed == ("000_78c4f8f18955f2e8.txt",)
    assert result.changed == ("003_f2f2c0b7cdbe11e1.txt",)
    assert "兴隆镇" not in {r.report.township for r in data.reports}
    assert any("行政处罚案件43起" in p.text for _, p in data.paragraphs())


def test_bad_files_are_skipped_and_named_the_rest_indexed(corpus, tmp_path):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (corpus / "青山镇_gbk.txt").write_bytes(NEW_REPORT.encode("gbk"))
    data, result = sync(corpus, tmp_path / "index", CountingEncoder())
    skipped = {Path(s.path).name: s.reason for s in result.skipped}
    assert set(skipped) == {"empty.txt", "binary.txt"}
    assert "为空" in skipped["empty.txt"]
    assert {r.report.township for r in data.reports} >= {"青山镇", "季家镇"}
    # A second sync remembers the verdicts without failing again.
    _, again = sync(corpus, tmp_path / "index", CountingEncoder())
    assert {Path(s.path).name for s in again.skipped} == {"empty.txt", "binary.txt"}


def test_duplicate_content_is_skipped(corpus, tmp_path):
    shutil.copy(corpus / "004_e5c0c62a5ed9b609.txt", corpus / "copy_of_jijia.txt")
    data, result = sync(corpus, tmp_path / "index", CountingEncoder())
    assert [Path(s.path).name for s in result.skipped] == ["copy_of_jijia.txt"]
    assert "内容完全相同" in result.skipped[0].reason
    assert len(data.reports) == 5


@pytest.mark.parametrize("damage", ["vectors", "manifest", "tokens", "missing_generation"])
def test_damaged_index_is_rebuilt_with_a_message(corpus, tmp_path, damage, capsys):
    index = tmp_path / "index"
    sync(corpus, index, CountingEncoder())
    manifest = read_manifest(index)
    generation = index / manifest.generation
    if damage == "vectors":
        (generation / "vectors.faiss").write_bytes(b"not a faiss index")
    elif damage == "manifest":
        (index / "manifest.json").write_text("{broken", encoding="utf-8")
    elif damage == "tokens":
        (generation / "tokens.jsonl").write_text('["only one line"]\n', encoding="utf-8")
    else:
        shutil.rmtree(generation)
    encoder = CountingEncoder()
    rebuilt, result = sync(corpus, index, encoder)
    assert result.rebuilt and "重建" in result.message
    assert encoder.passages_embedded == len(rebuilt.chunk_paragraph)
    assert len(rebuilt.reports) == 5
    assert "重建" in capsys.readouterr().err


def test_other_encoder_means_rebuild(corpus, tmp_path):
    index = tmp_path / "index"
    sync(corpus, index, CountingEncoder("fake-a"))
    encoder = CountingEncoder("fake-b")
    _, result = sync(corpus, index, encoder)
    assert result.rebuilt and "fake-a" in result.message
    assert encoder.passages_embedded > 0


def test_index_is_plain_files_without_pickles(corpus, tmp_path):
    index = tmp_path / "index"
    sync(corpus, index, CountingEncoder())
    manifest = json.loads((index / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema"] == 1 and manifest["encoder"] == "fake-bigrams"
    assert set(manifest["files"]) == {p.name for p in corpus.glob("*.txt")}
    generation = index / manifest["generation"]
    assert {p.name for p in generation.iterdir()} == {
        "reports.jsonl",
        "tokens.jsonl",
        "chunks.npy",
        "vectors.faiss",
        "figures.jsonl",
    }
    np.load(generation / "chunks.npy", allow_pickle=False)
    assert not list(index.glob("gen-*/*.tmp*"))
    assert len(list(index.glob("gen-*"))) == 1


def test_bot_refresh_picks_up_a_new_report(corpus, tmp_path):
    bot = load_bot(corpus, encoder=CountingEncoder(), cache_dir=tmp_path / "cache")
    assert "青山镇" not in bot.townships()
    (corpus / "青山镇.txt").write_text(NEW_REPORT, encoding="utf-8")
    result = bot.refresh()
    assert result.added == ("青山镇.txt",)
    assert bot.townships()[-1] == "青山镇"
    answer = bot.ask("青山镇的板凳课堂开展了多少场？")
    assert answer.status == "answered"
    assert "板凳课堂" in answer.answer and "15场" in answer.answer


def test_folder_of_only_bad_files_names_them(tmp_path):
    from bot.errors import EmptyCorpus

    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    with pytest.raises(EmptyCorpus) as error:
        load_bot(folder, encoder=CountingEncoder(), cache_dir=tmp_path / "cache")
    assert "empty.txt" in str(error.value) and "为空" in str(error.value)


def test_missing_folder_says_so(tmp_path):
    from bot.errors import EmptyCorpus

    with pytest.raises(EmptyCorpus, match="找不到报告文件夹"):
        load_bot(tmp_path / "nope", encoder=CountingEncoder(), cache_dir=tmp_path / "cache")


def test_new_figure_rules_reextract_figures_without_embedding(corpus, tmp_path, monkeypatch):
    index = tmp_path / "index"
    sync(corpus, index, CountingEncoder())
    monkeypatch.setattr("bot.index.sync.rules_fingerprint", lambda: "figures-rules-changed")
    encoder = CountingEncoder()
    data, result = sync(corpus, index, encoder)
    assert encoder.passages_embedded == 0
    assert not result.rebuilt
    assert read_manifest(index).figures_rules == "figures-rules-changed"
    assert any(f.township == "季家镇" and f.value == 728 for f in data.figures)
