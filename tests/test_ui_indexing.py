"""The page's status line for background embedding (issue 10: progress "in the terminal and in the page")."""

from __future__ import annotations

import shutil
import threading

import pytest

from bot import load_bot
from tests.fakes.encoder import SlowEncoder
from ui.manage import indexing_status


@pytest.fixture
def held_bot(tmp_path, seeds_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    gate = threading.Event()  # holds the embedding job before its first batch
    bot = load_bot(corpus, encoder=SlowEncoder(gate=gate), cache_dir=tmp_path / "cache", background=True)
    yield bot, gate
    gate.set()
    bot.wait_for_dense(30)


def test_status_line_counts_sentences_while_embedding_then_disappears(held_bot):
    bot, gate = held_bot
    progress = bot.indexing_progress()
    line = indexing_status(bot)
    assert f"0/{progress.total}" in line and "关键词" in line
    gate.set()
    assert bot.wait_for_dense(30)
    assert indexing_status(bot) == ""


def test_page_polls_the_status_line(held_bot):
    from ui.app import build_app

    bot, _gate = held_bot
    app = build_app(bot)
    config = app.get_config_file()
    status = [c for c in config["components"] if c.get("props", {}).get("elem_id") == "zb-indexing"]
    assert status and "句子向量后台计算中" in status[0]["props"]["value"]
    timers = [c for c in config["components"] if c.get("type") == "timer"]
    assert timers, "no timer refreshes the status line"
    status_id = status[0]["id"]
    assert any(status_id in d.get("outputs", []) for d in config["dependencies"])
