"""Figure answers over many reports (a city's, not a county's): a ranking lists its leading towns and
counts the rest while every figure stays in the answer, and the per-snapshot caches that make such
answers fast (citations, row lines, the figures counting a head noun) give the same answer twice."""

from __future__ import annotations

import gc
import itertools

import pytest

from bot.answers.answer import cross_report_answer
from bot.answers.each import LISTED as EACH_LISTED
from bot.answers.model import Answer
from bot.answers.ranking import LISTED
from bot.answers.render import NAMED_TOWNS
from bot.figures.extract import extract_figures
from bot.ingest.scan import load_corpus
from tests.checks import assert_sound
from tests.fakes.retriever import fake_context

TOWNS = 130  # more than LISTED: the ranking folds
ADVISERS_EVERY = 20  # towns 0, 20, 40 … do not mention 法律顾问


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
        if i % ADVISERS_EVERY:  # every town but a few has a legal adviser
            text += "（二）依法决策\n重大决策前听取意见。聘请法律顾问参与合法性审查。\n"
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


def _in_corpus_order(corpus) -> list[tuple[str, int]]:
    """(town, its position in _names: its count is 100 + 3 × that) in the order answers list them."""
    position = {town: i for i, town in enumerate(_names(TOWNS))}
    return [(p.report.township, position[p.report.township]) for p in corpus[0]]


def test_a_long_per_town_list_shows_the_first_towns_and_keeps_every_figure(corpus):
    each = _ask(corpus, "各镇化解矛盾纠纷的数量分别是多少？")
    listed = [line for line in each.answer.splitlines() if line.startswith("- ")]
    first, at = _in_corpus_order(corpus)[0]
    assert len(listed) == EACH_LISTED and listed[0].startswith(f"- {first}（2024年）{100 + 3 * at}件")
    assert (
        f"（只列出前{EACH_LISTED}个乡镇；其余{TOWNS - EACH_LISTED}个乡镇的数字见“数字明细”表" in each.answer
    )
    assert f"或问“前{TOWNS}名”逐条列出" in each.answer
    assert len(each.figures) == TOWNS and len(each.passages) == TOWNS  # the page's table, the JSON
    total = _ask(corpus, "各镇一共化解了多少矛盾纠纷？")
    assert f"合计化解矛盾纠纷{sum(100 + 3 * i for i in range(TOWNS))}件" in total.lead


def test_a_threshold_passed_by_many_towns_names_the_first_and_counts_them(corpus):
    answer = _ask(corpus, "哪些镇化解矛盾纠纷超过100件？")  # all but the town stating 100件
    passing = [(town, 100 + 3 * at) for town, at in _in_corpus_order(corpus) if at]
    shown = "、".join(f"{town}（{n}件）" for town, n in passing[:EACH_LISTED])
    assert answer.lead == f"化解矛盾纠纷超过100件的乡镇：{shown}等{TOWNS - 1}个乡镇。"
    assert len(answer.figures) == TOWNS


def test_a_presence_answer_over_many_towns_quotes_the_first_and_keeps_every_paragraph(corpus):
    answer = _ask(corpus, "哪些镇提到了法律顾问？")
    order = _in_corpus_order(corpus)
    holders = [town for town, at in order if at % ADVISERS_EVERY]
    assert [p.report.township for p in answer.passages] == holders  # every town stays in the answer
    assert all("法律顾问" in p.paragraph.text for p in answer.passages)
    quoted = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    assert len(quoted) == NAMED_TOWNS
    assert (
        quoted[0] == f"- {holders[0]}（2024年）：“聘请法律顾问参与合法性审查。”" + answer.passages[0].citation
    )
    rest = len(holders) - NAMED_TOWNS
    assert f"（只列出前{NAMED_TOWNS}份报告的原句；其余{rest}份报告的段落附在答案之后" in answer.answer
    first_ten = "、".join(holders[:10])
    assert answer.lead == f"报告中提到“法律顾问”的乡镇：{first_ten}等{len(holders)}个乡镇。"
    silent = "、".join(town for town, at in order if not at % ADVISERS_EVERY)  # fewer than 100: named
    assert answer.notes == (f"未提到的乡镇：{silent}。",)
    counted = _ask(corpus, "一共有多少个乡镇提到了法律顾问？")
    assert (
        counted.lead == f"共有{len(holders)}个乡镇的报告提到“法律顾问”：{first_ten}等{len(holders)}个乡镇。"
    )


def test_a_presence_answer_about_few_towns_names_and_quotes_them_all(corpus):
    reports, figures = corpus
    few = reports[:30]
    answer = cross_report_answer(fake_context("哪些镇提到了调解成功率？", few, figures))
    assert_sound(answer, few)
    assert answer.kind == "presence" and len(answer.passages) == 30
    assert sum(line.startswith("- ") for line in answer.answer.splitlines()) == 30
    assert "只列出" not in answer.answer and "等" not in answer.lead


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
