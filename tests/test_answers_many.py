"""Figure answers over many reports (a city's, not a county's): a ranking lists its leading towns and
counts the rest while every figure stays in the answer, and the per-snapshot caches that make such
answers fast (citations, row lines, the figures counting a head noun) give the same answer twice."""

from __future__ import annotations

import gc
import itertools

import pytest

from bot.answers.answer import cross_report_answer
from bot.answers.model import Answer
from bot.answers.ranking import LISTED
from bot.figures.extract import extract_figures
from bot.ingest.scan import load_corpus
from tests.checks import assert_sound
from tests.fakes.retriever import fake_context

TOWNS = 130  # more than LISTED: the ranking folds


def _names(n: int) -> list[str]:
    first, second = "东西南北上下前后新老", "河山桥坪岭湾溪塘源港田林沟"
    return [a + b + "镇" for a, b in itertools.islice(itertools.product(first, second), n)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city")
    for i, town in enumerate(_names(TOWNS)):
        text = (
            f"{town}2024年法治政府建设情况报告\n一、主要举措和成效\n（一）化解矛盾\n"
            f"全年共化解矛盾纠纷{100 + 3 * i}件，调解成功率98%。\n"
        )
        (folder / f"{town}2024年法治政府建设报告.txt").write_text(text, encoding="utf-8")
    reports = load_corpus(folder).reports
    return reports, [f for parsed in reports for f in extract_figures(parsed)]


def _ask(corpus, question: str) -> Answer:
    reports, figures = corpus
    answer = cross_report_answer(fake_context(question, reports, figures))
    assert answer is not None, question
    assert_sound(answer, reports)
    return answer


def test_a_long_ranking_lists_the_leading_towns_and_keeps_every_figure(corpus):
    assert LISTED < TOWNS
    answer = _ask(corpus, "哪个镇化解矛盾纠纷最多？")
    assert answer.lead.startswith(_names(TOWNS)[-1])  # the last town states the most
    ranked = [line for line in answer.answer.splitlines() if line[:1].isdigit()]
    assert len(ranked) == LISTED and ranked[-1].startswith(f"{LISTED}. ")
    assert f"（只列出前{LISTED}名；其余{TOWNS - LISTED}个乡镇的数字见“数字明细”表" in answer.answer
    assert len(answer.figures) == TOWNS  # the page's table and the JSON still hold every town


def test_asking_for_more_places_lists_them(corpus):
    answer = _ask(corpus, f"化解矛盾纠纷前{TOWNS}名是哪些镇？")
    ranked = [line for line in answer.answer.splitlines() if line[:1].isdigit()]
    assert len(ranked) == TOWNS and "只列出" not in answer.answer


def test_per_town_lists_and_totals_are_not_folded(corpus):
    each = _ask(corpus, "各镇化解矛盾纠纷的数量分别是多少？")
    assert sum(line.startswith("- ") for line in each.answer.splitlines()) == TOWNS
    total = _ask(corpus, "各镇一共化解了多少矛盾纠纷？")
    assert f"合计化解矛盾纠纷{sum(100 + 3 * i for i in range(TOWNS))}件" in total.lead


def test_the_same_question_twice_gives_the_same_answer(corpus):
    # The second answer comes from the cached citations and row lines of the first.
    first, second = (_ask(corpus, "哪个镇化解矛盾纠纷最少？") for _ in range(2))
    assert first.answer == second.answer and first.figures == second.figures
    assert first.lead.startswith(_names(TOWNS)[0])


def test_a_loaded_bot_leaves_its_snapshot_out_of_the_cyclic_gc(seeds_dir, tmp_path):
    from bot.engine import load_bot
    from tests.fakes.encoder import FakeEncoder

    gc.unfreeze()
    bot = load_bot(seeds_dir, encoder=FakeEncoder(), cache_dir=tmp_path)
    frozen = gc.get_freeze_count()
    # Its reports, paragraphs and figures among the frozen objects, not walked by every full collection.
    assert frozen > sum(len(p.paragraphs) for p in bot.corpus.reports) + len(bot.corpus.figures)
    assert not any(gc.is_tracked(p) and p in gc.get_objects(generation=2) for p in bot.corpus.reports[:1])


def test_a_new_snapshot_empties_the_answer_caches(corpus):
    from bot.answers import render, table
    from bot.heap import settle

    _ask(corpus, "哪个镇化解矛盾纠纷最多？")
    assert table._CITED and render._LINES
    settle()  # what the engine does when a refresh swaps in a new snapshot
    assert not table._CITED and not render._LINES  # the old snapshot's figures are not held
    assert _ask(corpus, "哪个镇化解矛盾纠纷最多？").lead.startswith(_names(TOWNS)[-1])


def test_more_than_a_hundred_related_figures_are_shown_in_part(corpus):
    from bot.answers.figure_answer import related_rows
    from bot.answers.render import NAMED_TOWNS, render
    from bot.answers.table import cite

    reports, figures = corpus
    cited = cite(figures, {p.report.report_id: p for p in reports})
    assert len(cited) > NAMED_TOWNS
    text = render("", related_rows([("化解矛盾纠纷", c) for c in cited], "相关数字："))
    assert sum(line.startswith("- ") for line in text.splitlines()) == NAMED_TOWNS
    assert text.endswith("（其余相关数字未逐条列出，见“数字明细”表。）")
