"""Keeping the index in step with the corpus folder, with a fast fake encoder: reuse, add, change,
remove, skip bad files, rebuild on corruption or encoder change, plain files only."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

import bot.index.background as background
import bot.index.reading as reading_module
from bot.engine import load_bot
from bot.index import fingerprints
from bot.index.store import SCHEMA_VERSION, read_manifest
from bot.index.sync import sync_index
from bot.lang.tokenizer import Tokenizer
from tests.fakes.encoder import FakeEncoder

NEW_REPORT = """青山镇人民政府
关于2024年法治政府建设情况的报告
一、主要举措和成效
（一）推进普法宣传
青山镇全年开展“板凳课堂”普法活动15场，覆盖群众900余人次。
（二）化解矛盾纠纷
青山镇共调处矛盾纠纷88件，调处成功率98%。
"""


@pytest.fixture
def corpus(tmp_path, seeds_dir) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(seeds_dir, folder)
    return folder


def sync(corpus: Path, index: Path, encoder: FakeEncoder):
    return sync_index(corpus, index, encoder, Tokenizer())


def sentence_keys(data, township: str) -> set[str]:
    """The text keys of the embedded sentences of one township's reports."""
    ours = {n for n, (report, _) in enumerate(data.paragraphs()) if report.township == township}
    return {key for key, n in zip(data.chunk_keys, data.chunk_paragraph, strict=True) if int(n) in ours}


def test_second_sync_reuses_everything(corpus, tmp_path):
    encoder = FakeEncoder()
    data, result = sync(corpus, tmp_path / "index", encoder)
    assert len(data.reports) == 5 and result.rebuilt
    first = encoder.passages_embedded
    # Every distinct sentence text is embedded once (a sentence repeated in two places, once).
    assert 100 < first <= len(data.chunk_paragraph)
    data2, result2 = sync(corpus, tmp_path / "index", encoder)
    assert encoder.passages_embedded == first  # nothing embedded again
    assert result2.added == result2.changed == result2.removed == ()
    assert [p.text for _, p in data2.paragraphs()] == [p.text for _, p in data.paragraphs()]


def test_new_file_is_added_incrementally(corpus, tmp_path):
    encoder = FakeEncoder()
    sync(corpus, tmp_path / "index", encoder)
    before = encoder.passages_embedded
    (corpus / "青山镇.txt").write_text(NEW_REPORT, encoding="utf-8")
    data2, result = sync(corpus, tmp_path / "index", encoder)
    assert result.added == ("青山镇.txt",)
    assert 0 < encoder.passages_embedded - before <= 4  # only the new report's sentences
    assert len(data2.reports) == 6
    assert "青山镇" in {r.report.township for r in data2.reports}


def test_changed_and_removed_files(corpus, tmp_path):
    encoder = FakeEncoder()
    before, _ = sync(corpus, tmp_path / "index", encoder)
    embedded_before = encoder.passages_embedded
    (corpus / "000_78c4f8f18955f2e8.txt").unlink()
    changed = corpus / "003_f2f2c0b7cdbe11e1.txt"
    changed.write_text(changed.read_text(encoding="utf-8").replace("42起", "43起"), encoding="utf-8")
    data, result = sync(corpus, tmp_path / "index", encoder)
    assert result.removed == ("000_78c4f8f18955f2e8.txt",)
    assert result.changed == ("003_f2f2c0b7cdbe11e1.txt",)
    assert "兴隆镇" not in {r.report.township for r in data.reports}
    assert any("行政处罚案件43起" in p.text for _, p in data.paragraphs())
    # Only the edited sentence is new text; every other sentence of the re-read report keeps its vector.
    new_keys = set(data.chunk_keys) - set(before.chunk_keys)
    assert encoder.passages_embedded - embedded_before == result.embedded == len(new_keys) == 1


def test_bad_files_are_skipped_and_named_the_rest_indexed(corpus, tmp_path, monkeypatch):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (corpus / "青山镇_gbk.txt").write_bytes(NEW_REPORT.encode("gbk"))
    data, result = sync(corpus, tmp_path / "index", FakeEncoder())
    skipped = {Path(s.path).name: s.reason for s in result.skipped}
    assert set(skipped) == {"empty.txt", "binary.txt"}
    assert "为空" in skipped["empty.txt"]
    assert {r.report.township for r in data.reports} >= {"青山镇", "季家镇"}
    # A second sync remembers the verdicts: the bad files are named again but not read again.
    reads = []
    monkeypatch.setattr("bot.index.reading.read_report", lambda path, corpus: reads.append(path))
    _, again = sync(corpus, tmp_path / "index", FakeEncoder())
    assert {Path(s.path).name for s in again.skipped} == {"empty.txt", "binary.txt"}
    assert reads == [] and again.added == again.changed == ()


def test_duplicate_content_is_skipped(corpus, tmp_path):
    shutil.copy(corpus / "004_e5c0c62a5ed9b609.txt", corpus / "copy_of_jijia.txt")
    data, result = sync(corpus, tmp_path / "index", FakeEncoder())
    assert [Path(s.path).name for s in result.skipped] == ["copy_of_jijia.txt"]
    assert "内容完全相同" in result.skipped[0].reason
    assert len(data.reports) == 5
    _, again = sync(corpus, tmp_path / "index", FakeEncoder())
    assert [Path(s.path).name for s in again.skipped] == ["copy_of_jijia.txt"]


def test_the_copy_is_indexed_once_the_first_file_is_gone(corpus, tmp_path):
    shutil.copy(corpus / "004_e5c0c62a5ed9b609.txt", corpus / "copy_of_jijia.txt")
    encoder = FakeEncoder()
    sync(corpus, tmp_path / "index", encoder)
    before = encoder.passages_embedded
    (corpus / "004_e5c0c62a5ed9b609.txt").unlink()
    data, result = sync(corpus, tmp_path / "index", encoder)
    assert result.skipped == () and result.added == ("copy_of_jijia.txt",)
    assert result.removed == ("004_e5c0c62a5ed9b609.txt",)
    assert "季家镇" in {r.report.township for r in data.reports}
    # Same text as the first file's: every sentence keeps the vector it was embedded with.
    assert encoder.passages_embedded - before == result.embedded == 0


@pytest.mark.parametrize("damage", ["vectors", "manifest", "tokens", "missing_generation"])
def test_damaged_index_is_rebuilt_with_a_message(corpus, tmp_path, damage):
    index = tmp_path / "index"
    sync(corpus, index, FakeEncoder())
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
    encoder = FakeEncoder()
    rebuilt, result = sync(corpus, index, encoder)
    assert result.rebuilt and "重建" in result.message
    assert 100 < encoder.passages_embedded <= len(rebuilt.chunk_paragraph)  # everything embedded again
    assert len(rebuilt.reports) == 5


def test_other_encoder_means_rebuild(corpus, tmp_path):
    index = tmp_path / "index"
    sync(corpus, index, FakeEncoder("fake-a"))
    encoder = FakeEncoder("fake-b")
    _, result = sync(corpus, index, encoder)
    assert result.rebuilt and "fake-a" in result.message
    assert encoder.passages_embedded > 0


def test_index_is_plain_files_without_pickles(corpus, tmp_path):
    index = tmp_path / "index"
    sync(corpus, index, FakeEncoder())
    manifest = json.loads((index / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema"] == SCHEMA_VERSION and manifest["encoder"] == "fake-bigrams"
    assert set(manifest["files"]) == {p.name for p in corpus.glob("*.txt")}
    generation = index / manifest["generation"]
    assert {p.name for p in generation.iterdir()} == {
        "reports.jsonl",
        "tokens.jsonl",
        "chunks.npy",
        "chunk_keys.jsonl",
        "vectors.faiss",
        "figures.db",
    }
    np.load(generation / "chunks.npy", allow_pickle=False)
    assert not list(index.glob("gen-*/*.tmp*"))
    assert len(list(index.glob("gen-*"))) == 1


def test_bot_refresh_picks_up_a_new_report(corpus, tmp_path):
    bot = load_bot(corpus, encoder=FakeEncoder(), cache_dir=tmp_path / "cache")
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
        load_bot(folder, encoder=FakeEncoder(), cache_dir=tmp_path / "cache")
    assert "empty.txt" in str(error.value) and "为空" in str(error.value)


def test_missing_folder_says_so(tmp_path):
    from bot.errors import EmptyCorpus

    with pytest.raises(EmptyCorpus, match="找不到报告文件夹"):
        load_bot(tmp_path / "nope", encoder=FakeEncoder(), cache_dir=tmp_path / "cache")


def test_new_figure_rules_reextract_figures_without_embedding(corpus, tmp_path, monkeypatch):
    index = tmp_path / "index"
    sync(corpus, index, FakeEncoder())
    monkeypatch.setattr("bot.figures.extract.rules_fingerprint", lambda: "figures-rules-changed")
    encoder = FakeEncoder()
    data, result = sync(corpus, index, encoder)
    assert encoder.passages_embedded == 0
    assert not result.rebuilt
    assert read_manifest(index).fingerprints["figures"].endswith("figures-rules-changed")
    assert any(f.township == "季家镇" and f.value == 728 for f in data.figures)


def test_a_new_word_list_retokenises_without_reading_or_embedding(corpus, tmp_path, monkeypatch):
    index = tmp_path / "index"
    sync(corpus, index, FakeEncoder())
    monkeypatch.setattr("bot.index.fingerprints.data_fingerprint", lambda *names: "vocab-edited")
    encoder = FakeEncoder()
    data, result = sync(corpus, index, encoder)
    assert encoder.passages_embedded == 0
    assert result.changed == () and not result.rebuilt
    assert read_manifest(index).fingerprints["tokens"].endswith("vocab-edited")
    assert len(data.tokens) == sum(len(r.paragraphs) for r in data.reports)


def test_a_report_info_edit_rereads_files_but_embeds_only_new_text(corpus, tmp_path):
    index = tmp_path / "index"
    sync(corpus, index, FakeEncoder())
    (corpus / "报告信息.csv").write_text(
        "文件,乡镇,县区,年份\n003_f2f2c0b7cdbe11e1.txt,,宁河区,2023\n", encoding="utf-8"
    )
    encoder = FakeEncoder()
    data, _ = sync(corpus, index, encoder)
    ninghe = next(r.report for r in data.reports if r.report.report_id == "003_f2f2c0b7cdbe11e1.txt")
    assert (ninghe.township, ninghe.district, ninghe.year) == ("宁河镇", "宁河区", 2023)
    assert all(f.year == 2023 for f in data.figures if f.report_id == ninghe.report_id)
    # Every file was read again, but no embedded sentence text changed: nothing is embedded.
    assert encoder.passages_embedded == 0


def test_unreadable_file_is_skipped_and_named(corpus, tmp_path, monkeypatch):
    from bot.index import sync as sync_module

    (corpus / "locked.txt").write_text(NEW_REPORT, encoding="utf-8")
    real_stamp = sync_module._stamp

    def stamp(path, previous):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_stamp(path, previous)

    monkeypatch.setattr(sync_module, "_stamp", stamp)
    data, result = sync(corpus, tmp_path / "index", FakeEncoder())
    reasons = {Path(s.path).name: s.reason for s in result.skipped}
    assert "无法读取文件" in reasons["locked.txt"] and "权限" in reasons["locked.txt"]
    assert len(data.reports) == 5


def test_new_parse_rules_reread_every_file_and_embed_only_changed_text(corpus, tmp_path, monkeypatch):
    index = tmp_path / "index"
    sync(corpus, index, FakeEncoder())
    real = fingerprints.current_fingerprints
    monkeypatch.setattr(
        "bot.index.sync.current_fingerprints", lambda: dataclasses.replace(real(), parse="new-rules")
    )
    reads = []
    real_read = reading_module.read_report
    monkeypatch.setattr(
        "bot.index.reading.read_report", lambda p, *rest: reads.append(p) or real_read(p, *rest)
    )
    encoder = FakeEncoder()
    _, result = sync(corpus, index, encoder)
    assert len(reads) == 5 and len(result.changed) == 5 and not result.rebuilt
    assert encoder.passages_embedded == result.embedded == 0  # the same text as before
    assert read_manifest(index).fingerprints["parse"] == "new-rules"


def test_new_sentence_rules_embed_only_the_sentences_they_change(corpus, tmp_path, monkeypatch):
    index = tmp_path / "index"
    first, _ = sync(corpus, index, FakeEncoder())
    real = background.dense_chunks

    def longer_prefix(report, paragraph):
        texts = real(report, paragraph)
        return [f"【{report.township}】{t}" for t in texts] if report.township == "季家镇" else texts

    monkeypatch.setattr("bot.index.background.dense_chunks", longer_prefix)
    # As an edit of bot/search/fusion.py would: the vectors fingerprint changes, nothing is re-read.
    monkeypatch.setattr(
        "bot.index.sync.current_fingerprints",
        lambda: dataclasses.replace(fingerprints.current_fingerprints(), vectors="new-code"),
    )
    encoder = FakeEncoder()
    data, result = sync(corpus, index, encoder)
    changed = sentence_keys(data, "季家镇")
    assert 0 < encoder.passages_embedded == result.embedded == len(changed)
    assert set(data.chunk_keys) - changed <= set(first.chunk_keys)
    assert result.changed == () and read_manifest(index).fingerprints["vectors"] == "new-code"


def test_a_row_of_the_report_table_re_reads_that_file_only(corpus, tmp_path, monkeypatch):
    index = tmp_path / "index"
    sync(corpus, index, FakeEncoder())
    (corpus / "报告信息.csv").write_text(
        "文件,乡镇,县区,年份\n004_e5c0c62a5ed9b609.txt,季家乡,,\n", encoding="utf-8"
    )
    reads = []
    real_read = reading_module.read_report
    monkeypatch.setattr(
        "bot.index.reading.read_report", lambda p, *rest: reads.append(p.name) or real_read(p, *rest)
    )
    encoder = FakeEncoder()
    data, result = sync(corpus, index, encoder)
    assert reads == ["004_e5c0c62a5ed9b609.txt"] and result.changed == ("004_e5c0c62a5ed9b609.txt",)
    assert "季家乡" in {r.report.township for r in data.reports}
    # Its sentences carry the township in front, so they (and only they) are embedded again.
    assert encoder.passages_embedded == result.embedded == len(sentence_keys(data, "季家乡")) > 0
    reads.clear()
    _, again = sync(corpus, index, FakeEncoder())
    assert reads == [] and again.changed == ()


def test_bot_set_report_info_re_reads_only_that_report(corpus, tmp_path, monkeypatch):
    bot = load_bot(corpus, encoder=FakeEncoder(), cache_dir=tmp_path / "cache")
    reads = []
    real_read = reading_module.read_report
    monkeypatch.setattr(
        "bot.index.reading.read_report", lambda p, *rest: reads.append(p.name) or real_read(p, *rest)
    )
    report = bot.set_report_info("004_e5c0c62a5ed9b609.txt", township="季家乡", year=2023)
    assert report.township == "季家乡" and report.year == 2023
    assert reads == ["004_e5c0c62a5ed9b609.txt"]
    assert "季家乡" in bot.townships() and "季家镇" not in bot.townships()


def test_a_report_with_a_unicode_line_separator_is_stored_and_read_back(corpus, tmp_path):
    # JSON leaves U+2028 unescaped inside a string; the reader must split lines at "\n" only,
    # or the stored index reads as damaged and is rebuilt at every start.
    (corpus / "青山镇2024年法治政府建设报告.txt").write_text(
        NEW_REPORT.replace("普法活动15场，", "普法活动15场，\u2028"), encoding="utf-8"
    )
    data, _ = sync(corpus, tmp_path / "index", FakeEncoder())
    assert any("\u2028" in p.text for _, p in data.paragraphs())
    again, result = sync(corpus, tmp_path / "index", FakeEncoder())
    assert not result.rebuilt and not result.message
    assert [p.text for _, p in again.paragraphs()] == [p.text for _, p in data.paragraphs()]
