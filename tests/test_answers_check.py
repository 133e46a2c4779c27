"""bot.answers.check catches what must never reach a user: a quote that is not the source text, a
number that no report states. And bot.answers.render lays out each kind of row one way."""

from __future__ import annotations

import dataclasses

import pytest

from bot.answers.answer import answer
from bot.answers.check import check_answer
from bot.answers.model import Row
from bot.answers.render import render, row_text
from bot.ingest.scan import load_corpus
from tests.fakes.retriever import fake_context


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    return load_corpus(seeds_dir).reports


@pytest.fixture(scope="module")
def ranking(seeds):
    return answer(fake_context("哪个镇化解矛盾纠纷最多", seeds))


def test_a_sound_answer_has_no_problems(ranking, seeds):
    assert check_answer(ranking, seeds) == []


def test_an_invented_number_is_caught(ranking, seeds):
    invented = dataclasses.replace(ranking, answer=ranking.answer + "\n另有999件未列出。")
    assert check_answer(invented, seeds) == ["数字“999”没有出处：哪个镇化解矛盾纠纷最多"]
    in_a_note = dataclasses.replace(ranking, notes=("共计1234件。",))
    assert any("1234" in problem for problem in check_answer(in_a_note, seeds))


def test_a_total_is_allowed_only_as_the_sum_of_the_figures_shown(seeds):
    total = answer(fake_context("五个镇一共化解了多少矛盾纠纷", seeds))
    assert "802件" in total.lead and check_answer(total, seeds) == []
    wrong = dataclasses.replace(total, answer=total.answer.replace("802", "803", 1))
    assert check_answer(wrong, seeds) == ["数字“803”没有出处：五个镇一共化解了多少矛盾纠纷"]


def test_a_passage_that_is_not_the_source_text_is_caught(ranking, seeds):
    passage = ranking.passages[0]
    edited = dataclasses.replace(passage.paragraph, text=passage.paragraph.text.replace("纠纷", "矛盾", 1))
    broken = dataclasses.replace(ranking, passages=(dataclasses.replace(passage, paragraph=edited),))
    assert any(problem.startswith("段落不是原文") for problem in check_answer(broken, seeds))


def test_a_figure_quote_that_is_not_the_source_text_is_caught(ranking, seeds):
    figure, report = ranking.figures[0]
    edited = dataclasses.replace(figure, quote=figure.quote + "。")
    broken = dataclasses.replace(ranking, figures=((edited, report), *ranking.figures[1:]))
    assert any(problem.startswith("数字的引文不是原文") for problem in check_answer(broken, seeds))


def test_a_passage_from_another_corpus_is_caught(ranking, seeds):
    problems = check_answer(ranking, [p for p in seeds if p.report.township != "季家镇"])
    assert any(problem.startswith("段落出自未知的报告") for problem in problems)


def test_rows_render_one_way_each(ranking):
    cited = next(row.figure for row in ranking.rows if row.figure is not None)
    passage = cited.passage
    figure_row = row_text(Row("1. ", figure=cited))
    assert figure_row == f"1. 季家镇（2024年）485件 —— “{cited.figure.quote}”{passage.citation}"
    quote = cited.figure.quote
    quoted = row_text(Row("- ", quote=quote, passage=passage))
    assert quoted == f"- 季家镇（2024年）：“{quote}”{passage.citation}"
    assert row_text(Row("相关段落：", passage=passage)) == f"相关段落：{passage.citation}"
    assert render("标题", [Row("甲"), Row(""), Row("乙")]) == "标题\n甲\n乙"
