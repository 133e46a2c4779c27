"""The 报告 tab's data and buttons (ui/reports_tab.py, ui/manage.py) on the default corpus: the user's
report folder with the copied samples, indexed with the fake encoder (fast)."""

from __future__ import annotations

import gradio as gr
import pytest

from bot import paths
from bot.engine import load_bot
from tests.fakes.encoder import FakeEncoder
from ui.manage import EXAMPLES, Manage, example_questions
from ui.reports_tab import COLUMNS, folder_note, removable_choices, reports_table, uses_default_folder

OWN_REPORT = (
    "石马镇人民政府关于2024年法治政府建设情况的报告\n一、主要举措\n石马镇全年共排查化解矛盾纠纷137件。\n"
)


@pytest.fixture
def bot(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    return load_bot(encoder=FakeEncoder(), cache_dir=tmp_path / "cache")


def test_the_default_corpus_is_the_users_folder_with_the_samples_marked(bot):
    assert uses_default_folder(bot) and bot.corpus_dir == paths.reports_dir()
    assert str(paths.reports_dir()) in folder_note(bot).replace("\\", "")
    table = reports_table(bot)
    assert list(table.columns) == COLUMNS and len(table) == 5
    assert set(table["示例"]) == {"是"} and (table["段落数"] > 0).all() and (table["数字数"] > 0).all()
    jijia = table[table["乡镇"] == "季家镇"].iloc[0]
    assert jijia["年份"] == "2024" and jijia["文件"].startswith(f"{paths.SAMPLES_FOLDER}/")
    assert removable_choices(bot) == []


def test_samples_cannot_be_removed_alone_nor_switched_off_without_own_reports(bot):
    sample = bot.reports[0].report_id
    with pytest.raises(gr.Error, match="示例报告不能单独删除"):
        Manage(bot).remove(sample, True)
    with pytest.raises(gr.Error, match="还没有您自己的报告"):
        Manage(bot).samples(False)
    assert (bot.corpus_dir / sample).exists() and len(bot.reports) == 5


def test_own_report_added_removed_with_confirmation_and_samples_switched(bot, tmp_path):
    upload = tmp_path / "石马镇2024年报告.txt"
    upload.write_text(OWN_REPORT, encoding="utf-8")
    manage = Manage(bot)
    status, *_ = manage.upload([str(upload)])
    assert "石马镇，2024年，已建立索引" in status
    assert removable_choices(bot) == [(f"{upload.name}（石马镇，2024）", upload.name)]

    assert "已停用示例报告" in manage.samples(False)
    assert bot.townships() == ["石马镇"]
    assert example_questions(bot.townships())[1] == "石马镇化解了多少矛盾纠纷"
    assert manage.samples(True) == "已启用示例报告。" and len(bot.reports) == 6
    assert example_questions(bot.townships()) == EXAMPLES

    with pytest.raises(gr.Error, match="请先勾选"):
        manage.remove(upload.name, False)
    message, confirm = manage.remove(upload.name, True)
    assert "已删除" in message and confirm is False
    assert not (bot.corpus_dir / upload.name).exists() and "石马镇" not in bot.townships()
    assert upload.exists()  # the user's original is never touched


def test_page_load_values_follow_the_corpus(bot, tmp_path):
    towns, _years, summary, _identity, examples, _folder, table, _remove, samples = Manage(bot).current()
    assert "5 份报告" in summary and len(table) == 5 and samples.value is True
    assert [row[0] for row in examples.raw_samples] == EXAMPLES
    assert towns.choices and len(towns.choices) == 5
