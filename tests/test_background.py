"""Issue 10: searchable at once, sentence vectors in the background, checkpointed and resumable.

All on the seeds with the fake encoder (tests/fakes/encoder.py: SlowEncoder holds or breaks it).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

import embeddings.encoders
from bot import cli
from bot.answers.check import check_answer
from bot.answers.notes import DENSE_NOTE
from bot.engine import load_bot
from bot.index.background import CHECKPOINT_DIR, read_checkpoints
from bot.index.store import index_dir_for, read_generation, read_manifest
from bot.index.sync import sync_index
from bot.lang.tokenizer import Tokenizer
from tests.fakes.encoder import FakeEncoder, SlowEncoder

ROOT = Path(__file__).resolve().parent.parent
PASSAGE_QUESTION = "季家镇如何开展普法宣传？"
FIGURE_QUESTION = "季家镇办理了多少件行政执法案件？"
NEW_REPORT = (
    "青山镇人民政府\n关于2024年法治政府建设情况的报告\n"
    "一、普法宣传\n青山镇开展普法活动15场，覆盖群众900余人次。\n"
)


@pytest.fixture
def corpus(tmp_path, seeds_dir) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(seeds_dir, folder)
    return folder


def distinct_sentences(corpus: Path, tmp_path: Path) -> int:
    """How many distinct sentence texts the corpus has (a complete index built apart)."""
    data, _ = sync_index(corpus, tmp_path / "reference", FakeEncoder(), Tokenizer())
    return len(set(data.chunk_keys))


def test_searchable_before_dense_is_done_then_the_note_goes(corpus, tmp_path):
    gate = threading.Event()  # holds the embedding job before its first batch
    encoder = SlowEncoder(gate=gate)
    bot = load_bot(corpus, encoder=encoder, cache_dir=tmp_path / "cache", background=True)
    try:
        progress = bot.indexing_progress()
        assert progress.done == 0 < progress.total and "0/" in progress.message
        found = bot.ask(PASSAGE_QUESTION)
        assert found.passages and DENSE_NOTE in found.notes and DENSE_NOTE in found.answer
        assert check_answer(found, bot.corpus.reports) == []  # the note states no number
        figures = bot.ask(FIGURE_QUESTION)  # figures need no vectors: answered in full, no note
        assert "728件" in figures.answer and DENSE_NOTE not in figures.notes
        assert read_manifest(bot.index_dir).dense_pending == progress.total  # words and figures on disk
    finally:
        gate.set()
    assert bot.wait_for_dense(30)
    done = bot.indexing_progress()
    assert done.complete and done.done == done.total == progress.total
    assert DENSE_NOTE not in bot.ask(PASSAGE_QUESTION).notes
    assert read_manifest(bot.index_dir).dense_pending == 0
    assert not (bot.index_dir / CHECKPOINT_DIR).exists()
    assert encoder.passages_embedded == progress.total  # each sentence once


def test_vectors_are_swapped_in_at_each_checkpoint(corpus, tmp_path):
    """The job gives the snapshot every checkpoint's vectors while it goes on."""
    data, result = sync_index(
        corpus, tmp_path / "index", FakeEncoder(), Tokenizer(), defer_dense=True, checkpoint_every=64
    )
    assert len(data.vectors) == 0 and result.dense is not None
    seen: list[int] = []
    result.dense.start(lambda work: seen.append(len(work.store()[1])))
    assert result.dense.wait(30) and result.dense.outcome == "done"
    total = result.dense.work.total
    assert seen[:3] == sorted(seen[:3]) and len(seen) >= total // 64
    assert seen[-1] == len(result.dense.work.keys)  # every sentence, in the last swap
    complete = read_generation(tmp_path / "index", read_manifest(tmp_path / "index"))
    assert len(complete.chunk_keys) == len(result.dense.work.keys)


def test_resume_after_a_failed_build_embeds_only_the_rest(corpus, tmp_path):
    index = tmp_path / "index"
    total = distinct_sentences(corpus, tmp_path)
    broken = SlowEncoder(fail_after=100)  # three batches of 32, then the encoder dies
    with pytest.raises(RuntimeError):
        sync_index(corpus, index, broken, Tokenizer(), checkpoint_every=64)
    manifest = read_manifest(index)
    assert manifest.dense_pending == total  # the generation holds words and figures only
    assert len(read_checkpoints(index, broken.dim)) == broken.passages_embedded == 96
    encoder = FakeEncoder()
    data, result = sync_index(corpus, index, encoder, Tokenizer(), checkpoint_every=64)
    assert encoder.passages_embedded == result.embedded == total - 96
    assert len(set(data.chunk_keys)) == total and read_manifest(index).dense_pending == 0
    assert not (index / CHECKPOINT_DIR).exists()


def test_a_killed_build_loses_at_most_one_checkpoint(corpus, tmp_path):
    """A real kill (os._exit in the encoder, nothing saved on the way out) after 224 sentences."""
    index = tmp_path / "index"
    total = distinct_sentences(corpus, tmp_path)
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from bot.index.sync import sync_index
        from bot.lang.tokenizer import Tokenizer
        from tests.fakes.encoder import FakeEncoder

        class Killed(FakeEncoder):
            def encode_passages(self, texts, **kwargs):
                if self.passages_embedded + len(texts) > 230:
                    os._exit(9)
                return super().encode_passages(texts, **kwargs)

        sync_index(Path({str(corpus)!r}), Path({str(index)!r}), Killed(), Tokenizer(), checkpoint_every=64)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=300)
    assert done.returncode == 9, done.stderr.decode("utf-8", "replace")
    saved = len(read_checkpoints(index, FakeEncoder().dim))
    assert saved == 192  # 224 embedded, checkpoints at 64, 128 and 192: the last batch is lost
    encoder = FakeEncoder()
    _, result = sync_index(corpus, index, encoder, Tokenizer())
    assert encoder.passages_embedded == result.embedded == total - saved


def test_ctrl_c_in_the_encoder_stops_cleanly_and_keeps_a_valid_checkpoint(
    corpus, tmp_path, monkeypatch, capsys
):
    encoder = SlowEncoder(fail_after=70, error=KeyboardInterrupt())
    monkeypatch.setattr(embeddings.encoders, "load_encoder", lambda model=None: encoder)
    code = cli.main(["index", "--corpus", str(corpus), "--cache-dir", str(tmp_path / "cache")])
    err = capsys.readouterr().err
    assert code == 130 and "已停止；已完成的部分已保存，下次自动继续" in err and "Traceback" not in err
    index = index_dir_for(tmp_path / "cache", corpus, encoder.name)
    saved = read_checkpoints(index, encoder.dim)
    assert len(saved) == 64  # two batches of 32 embedded before the interrupt
    assert all(abs(float(np.linalg.norm(v)) - 1.0) < 1e-3 for v in saved.values())
    again = FakeEncoder()
    bot = load_bot(corpus, encoder=again, cache_dir=tmp_path / "cache")
    assert again.passages_embedded == bot.indexing_progress().total - 64


def test_background_ctrl_c_keeps_the_checkpoint(corpus, tmp_path):
    encoder = SlowEncoder(fail_after=40, error=KeyboardInterrupt())
    bot = load_bot(corpus, encoder=encoder, cache_dir=tmp_path / "cache", background=True)
    assert bot.wait_for_dense(30) is False  # ended, sentences still missing
    assert bot._dense.outcome == "interrupted"
    assert len(read_checkpoints(bot.index_dir, encoder.dim)) == 32
    assert DENSE_NOTE in bot.ask(PASSAGE_QUESTION).notes


def test_one_shot_ask_answers_at_once_when_dense_is_far(corpus, tmp_path, monkeypatch, capsys):
    encoder = SlowEncoder(delay=0.5)
    monkeypatch.setattr(embeddings.encoders, "load_encoder", lambda model=None: encoder)
    monkeypatch.setattr(cli, "DENSE_WAIT", 1.0)
    code = cli.main(["ask", PASSAGE_QUESTION, "--corpus", str(corpus), "--cache-dir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0 and DENSE_NOTE in out and "zhenbao index" in err
    index = index_dir_for(tmp_path, corpus, encoder.name)
    assert len(read_checkpoints(index, encoder.dim)) == encoder.passages_embedded > 0  # saved on exit


def test_one_shot_ask_waits_when_dense_is_near(corpus, tmp_path, monkeypatch, capsys):
    encoder = FakeEncoder()
    monkeypatch.setattr(embeddings.encoders, "load_encoder", lambda model=None: encoder)
    code = cli.main(["ask", PASSAGE_QUESTION, "--corpus", str(corpus), "--cache-dir", str(tmp_path)])
    out, _ = capsys.readouterr()
    assert code == 0 and DENSE_NOTE not in out
    assert read_manifest(index_dir_for(tmp_path, corpus, encoder.name)).dense_pending == 0


def test_reports_added_while_embedding_embed_each_sentence_once(corpus, tmp_path):
    encoder = SlowEncoder(delay=0.05)
    bot = load_bot(corpus, encoder=encoder, cache_dir=tmp_path / "cache", background=True)
    upload = tmp_path / "青山镇2024年法治政府建设报告.txt"
    upload.write_text(NEW_REPORT, encoding="utf-8")
    added = bot.add_reports([upload])
    assert added[0].report is not None  # searchable at once
    assert "青山镇" in bot.ask("青山镇开展了多少场普法活动？").answer
    assert bot.wait_for_dense(60)
    total = bot.indexing_progress().total
    assert encoder.passages_embedded == total and read_manifest(bot.index_dir).dense_pending == 0
    stored = read_generation(bot.index_dir, read_manifest(bot.index_dir))
    assert "青山镇" in {r.report.township for r in stored.reports} and len(set(stored.chunk_keys)) == total


def test_a_resumed_load_answers_with_the_checkpointed_vectors_at_once(corpus, tmp_path):
    cache = tmp_path / "cache"
    index = index_dir_for(cache, corpus, FakeEncoder().name)
    with pytest.raises(RuntimeError):
        sync_index(corpus, index, SlowEncoder(fail_after=100), Tokenizer(), checkpoint_every=64)
    gate = threading.Event()
    bot = load_bot(corpus, encoder=SlowEncoder(gate=gate), cache_dir=cache, background=True)
    try:
        assert bot.indexing_progress().done == 96
        keys = bot._state.data.chunk_keys  # a sentence repeated in two paragraphs has two rows
        assert len(set(keys)) == 96 and len(bot._state.vectors) == len(keys)
    finally:
        gate.set()
    assert bot.wait_for_dense(30)


def test_a_stop_asked_for_after_the_last_batch_still_writes_the_complete_index(corpus, tmp_path):
    # The one-shot `ask` stops the job on exit; when that lands just after the last batch (it did,
    # depending on thread timing), the index must still be written complete, not left "pending".
    index = tmp_path / "index"
    _, sync = sync_index(corpus, index, FakeEncoder(), Tokenizer(), defer_dense=True)
    job = sync.dense
    job.start(lambda work: None if work.missing else job.stop(wait=False))
    assert job.wait(60)
    assert job.outcome == "done" and read_manifest(index).dense_pending == 0
