"""Issue 13, the cache share: a read-only or full cache folder.

A current index is answered from without writing anything; a change that cannot be written ends in a
Chinese message saying what to free or where to point ZHENBAO_CACHE_DIR, exit 2, no traceback, and
the old index as it was. Faults are simulated in-process: the atomic writer of embeddings.files and
Path.mkdir raise for paths inside the cache folder (the tests run as root, where chmod stops nothing).
"""

from __future__ import annotations

import errno
import pathlib
import shutil
from pathlib import Path

import pytest

import embeddings.encoders
import embeddings.files
from bot import cli
from bot.answers.notes import DENSE_NOTE
from bot.engine import load_bot
from bot.index.store import index_dir_for, read_generation, read_manifest
from bot.index.sync import sync_index
from bot.lang.tokenizer import Tokenizer
from tests.fakes.encoder import FakeEncoder, SlowEncoder

QUESTION = "季家镇如何开展普法宣传？"
FAULTS = {
    "full": OSError(errno.ENOSPC, "No space left on device"),
    "read-only": PermissionError(errno.EACCES, "Permission denied"),
}


@pytest.fixture
def corpus(tmp_path, seeds_dir) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(seeds_dir, folder)
    return folder


@pytest.fixture
def encoder(monkeypatch) -> FakeEncoder:
    fake = FakeEncoder()
    monkeypatch.setattr(embeddings.encoders, "load_encoder", lambda model=None: fake)
    return fake


def break_cache(monkeypatch, cache: Path, fault: OSError) -> list[str]:
    """Every write or new folder inside `cache` raises `fault`; returns the paths tried."""
    tried: list[str] = []
    real_open, real_mkdir = embeddings.files._atomic_open, pathlib.Path.mkdir

    def inside(path) -> bool:
        return Path(path).resolve().is_relative_to(cache.resolve())

    def atomic_open(path, *args, **kwargs):
        if inside(path):
            tried.append(str(path))
            raise fault
        return real_open(path, *args, **kwargs)

    def mkdir(self, *args, **kwargs):
        if inside(self) and not self.exists():
            tried.append(str(self))
            raise fault
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(embeddings.files, "_atomic_open", atomic_open)
    monkeypatch.setattr(pathlib.Path, "mkdir", mkdir)
    return tried


def ask(corpus: Path, cache: Path, *extra: str) -> list[str]:
    return ["ask", QUESTION, "--corpus", str(corpus), "--cache-dir", str(cache), *extra]


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_current_index_answers_without_writing(fault, corpus, tmp_path, encoder, monkeypatch, capsys):
    cache = tmp_path / "cache"
    assert cli.main(["index", "--corpus", str(corpus), "--cache-dir", str(cache)]) == 0
    capsys.readouterr()
    tried = break_cache(monkeypatch, cache, fault)
    code = cli.main(ask(corpus, cache))
    out, err = capsys.readouterr()
    assert code == 0 and "季家镇" in out and DENSE_NOTE not in out, err
    assert tried == []  # nothing changed, nothing written


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_a_change_not_written_says_what_to_do(fault, corpus, tmp_path, encoder, monkeypatch, capsys):
    cache = tmp_path / "cache"
    assert cli.main(["index", "--corpus", str(corpus), "--cache-dir", str(cache)]) == 0
    index = index_dir_for(cache, corpus, encoder.name)
    before = read_manifest(index)
    (corpus / "青山镇2024年报告.txt").write_text(
        "青山镇人民政府\n关于2024年法治政府建设情况的报告\n一、普法宣传\n青山镇开展普法活动15场。\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    break_cache(monkeypatch, cache, fault)
    for argv in (ask(corpus, cache), ["index", "--corpus", str(corpus), "--cache-dir", str(cache)]):
        code = cli.main(argv)
        err = capsys.readouterr().err
        assert code == 2 and "Traceback" not in err
        assert "无法写入索引缓存文件夹" in err and "ZHENBAO_CACHE_DIR" in err and "--cache-dir" in err
        assert ("腾出空间" in err) == (fault.errno == errno.ENOSPC)
        assert ("不可写" in err) == (fault.errno == errno.EACCES)
    monkeypatch.undo()
    assert read_manifest(index).generation == before.generation  # the old index, untouched
    assert [p.name for p in index.glob("gen-*")] == [before.generation]  # no half-written generation
    assert len(read_generation(index, before).reports) == 5


def test_a_new_cache_folder_that_cannot_be_made(corpus, tmp_path, encoder, monkeypatch, capsys):
    cache = tmp_path / "readonly"
    break_cache(monkeypatch, cache, FAULTS["read-only"])
    code = cli.main(ask(corpus, cache))
    err = capsys.readouterr().err
    assert code == 2 and "不可写" in err and "ZHENBAO_CACHE_DIR" in err and "Traceback" not in err


def interrupted_index(corpus: Path, cache: Path) -> Path:
    """An index whose words and figures are written and whose sentence vectors stopped part-way."""
    index = index_dir_for(cache, corpus, FakeEncoder().name)
    with pytest.raises(RuntimeError):
        sync_index(corpus, index, SlowEncoder(fail_after=40), Tokenizer())
    assert read_manifest(index).dense_pending > 0
    return index


def test_unfinished_vectors_on_a_full_disk_are_finished_in_memory(corpus, tmp_path, monkeypatch, capsys):
    cache = tmp_path / "cache"
    index = interrupted_index(corpus, cache)
    pending = read_manifest(index).dense_pending
    tried = break_cache(monkeypatch, cache, FAULTS["full"])
    bot = load_bot(corpus, encoder=FakeEncoder(), cache_dir=cache, background=True)
    assert bot.wait_for_dense(30)
    progress = bot.indexing_progress()
    assert progress.complete and "腾出空间" in progress.message and "ZHENBAO_CACHE_DIR" in progress.message
    assert DENSE_NOTE not in bot.ask(QUESTION).notes  # the vectors are used from memory
    assert tried  # it tried to save them, and said why it could not
    monkeypatch.undo()
    assert read_manifest(index).dense_pending == pending  # the stored index is as it was


def test_unfinished_vectors_on_a_full_disk_from_the_cli(corpus, tmp_path, encoder, monkeypatch, capsys):
    cache = tmp_path / "cache"
    interrupted_index(corpus, cache)
    break_cache(monkeypatch, cache, FAULTS["full"])
    code = cli.main(["index", "--corpus", str(corpus), "--cache-dir", str(cache)])
    out, err = capsys.readouterr()
    assert code == 0 and "已索引 5 份报告" in out and "腾出空间" in err and "Traceback" not in err
