"""The per-file work of a sync in worker processes (bot.index.workers): the same index files as the
single-process build, a worker that dies costs only its file (named as skipped), scans stay in the
main process, and Ctrl-C ends the workers and leaves the stored index as it was."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import textwrap
from pathlib import Path

import pytest

import bot.index.reading as reading
import bot.index.workers as workers
from bot.index.store import read_manifest
from bot.index.sync import sync_index
from bot.ingest.readers import OcrElsewhere, ocr_elsewhere
from bot.ingest.readers.image import read_image
from bot.lang.tokenizer import Tokenizer
from tests.fakes.encoder import FakeEncoder

FILES = ("reports.jsonl", "tokens.jsonl", "chunk_keys.jsonl", "chunks.npy", "manifest.json")


@pytest.fixture
def small_batches(monkeypatch):
    """Pool even a handful of files, in several word-cutting batches (the rules are the same)."""
    monkeypatch.setattr(workers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(reading, "PARALLEL_TEXTS", 10)
    monkeypatch.setattr(reading, "BATCH_TEXTS", 37)


@pytest.fixture
def corpus(tmp_path, seeds_dir) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(seeds_dir, folder)
    (folder / "空白.txt").write_text("  \n", encoding="utf-8")  # skipped with its reason
    (folder / "英文.txt").write_text("No Chinese here at all.\n", encoding="utf-8")
    shutil.copy(folder / sorted(p.name for p in seeds_dir.iterdir())[0], folder / "副本.txt")  # a copy
    return folder


def index_files(index: Path) -> dict[str, bytes]:
    """The generation's files (and the figures table's rows), comparable across two builds."""
    manifest = read_manifest(index)
    folder = index / manifest.generation
    found = {name: (folder / name).read_bytes() for name in FILES[:-1]}
    with sqlite3.connect(folder / "figures.db") as db:
        tables = [row[0] for row in db.execute("select name from sqlite_master where type='table'")]
        found["figures"] = repr(
            [list(db.execute(f"select * from {t} order by rowid")) for t in tables]
        ).encode()
    found["skipped"] = repr(sorted(manifest.skipped.items())).encode()
    return found


def build(corpus: Path, index: Path, n: int, **kwargs):
    return sync_index(corpus, index, FakeEncoder(), Tokenizer(), workers=n, **kwargs)


def test_two_workers_write_the_same_index_as_one(corpus, tmp_path, small_batches):
    one, result_one = build(corpus, tmp_path / "one", 1)
    _, result_two = build(corpus, tmp_path / "two", 2)
    assert len(one.reports) == 5
    assert index_files(tmp_path / "one") == index_files(tmp_path / "two")
    assert result_one.skipped == result_two.skipped
    assert len(result_two.skipped) == 3  # the empty file, the English one, the copy: in the same order


def test_adding_reports_with_workers_matches_a_fresh_build(corpus, tmp_path, small_batches, seeds_dir):
    first = sorted(corpus.glob("*.txt"))[0]
    held = tmp_path / first.name
    shutil.move(first, held)
    build(corpus, tmp_path / "grown", 2)
    shutil.move(held, first)
    _, result = build(corpus, tmp_path / "grown", 2)  # one file added: read here, the rest kept
    assert result.added == (first.name,)
    build(corpus, tmp_path / "fresh", 1)
    assert index_files(tmp_path / "grown") == index_files(tmp_path / "fresh")


CRASH_ON = """
    import os
    import bot.index.reading as reading

    _read_one = reading.read_one

    def read_one(job):
        if "崩溃" in job.path:
            os._exit(3)  # as a segfault or the OOM killer would end the worker: no answer at all
        return _read_one(job)

    reading.read_one = read_one
"""


def test_a_file_that_kills_its_worker_is_skipped_and_named(corpus, tmp_path, small_batches, monkeypatch):
    # Only worker processes load this (through PYTHONPATH); this process reads the file fine.
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(textwrap.dedent(CRASH_ON), encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(hooks))
    seed = sorted(corpus.glob("*.txt"))[1]
    crash = corpus / "崩溃.txt"
    crash.write_text(seed.read_text(encoding="utf-8").replace("镇", "乡", 3), encoding="utf-8")
    data, result = build(corpus, tmp_path / "index", 2)
    assert (str(crash), workers.WORKER_DIED) in {(s.path, s.reason) for s in result.skipped}
    assert len(data.reports) == 5  # every other report is indexed, by the replacement worker too
    assert "崩溃.txt" not in {r.report.report_id for r in data.reports}
    # Remembered like any bad file: not read (nor crashed on) again until it changes.
    _, again = build(corpus, tmp_path / "index", 2)
    assert again.added == again.changed == ()
    assert (str(crash), workers.WORKER_DIED) in {(s.path, s.reason) for s in again.skipped}


def test_workers_that_cannot_start_leave_the_work_here(corpus, tmp_path, small_batches, monkeypatch):
    build(corpus, tmp_path / "one", 1)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text("import os\nos._exit(1)\n", encoding="utf-8")  # a broken install
    monkeypatch.setenv("PYTHONPATH", str(hooks))
    _, result = build(corpus, tmp_path / "two", 2)
    assert workers.WORKER_DIED not in {s.reason for s in result.skipped}  # no file is blamed
    assert index_files(tmp_path / "one") == index_files(tmp_path / "two")


def test_ctrl_c_during_a_parallel_read_ends_the_workers(corpus, tmp_path, small_batches, monkeypatch):
    started: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(workers.subprocess, "Popen", popen)
    reads = []

    def progress(_fraction: float, message: str) -> None:
        reads.extend([message] if message.startswith("读取") else [])
        if len(reads) == 2:
            raise KeyboardInterrupt

    index = tmp_path / "index"
    with pytest.raises(KeyboardInterrupt):
        sync_index(corpus, index, FakeEncoder(), Tokenizer(), workers=2, progress=progress)
    assert len(started) == 2 and all(process.poll() is not None for process in started)
    assert read_manifest(index) is None and not list(index.glob("gen-*"))  # nothing half-written
    data, _ = build(corpus, index, 2)  # the next start builds it all
    assert len(data.reports) == 5


def test_scans_are_left_to_the_main_process(tmp_path, monkeypatch):
    from PIL import Image

    image = tmp_path / "扫描.png"
    Image.new("RGB", (60, 40), "white").save(image)
    with ocr_elsewhere(), pytest.raises(OcrElsewhere):
        read_image(image)
    job = reading.ReadJob("扫描.png", str(image), str(tmp_path), "0" * 64)
    assert reading.TASKS["read"](job).in_process


def test_worker_count_keeps_small_syncs_in_this_process(monkeypatch):
    monkeypatch.delenv(workers.WORKERS_VARIABLE, raising=False)
    assert workers.worker_count(workers.PARALLEL_FROM - 1, 2) == 1
    assert workers.worker_count(1500, 1) == 1
    assert workers.worker_count(1500, 2) == 2
    assert workers.worker_count(1500, 64) == 64  # asked for: the cap is for the default only
    monkeypatch.setenv(workers.WORKERS_VARIABLE, "1")
    assert workers.worker_count(1500) == 1
    monkeypatch.setenv(workers.WORKERS_VARIABLE, "3")
    assert workers.worker_count(1500) == 3
