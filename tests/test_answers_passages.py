"""Passage answers (bot.answers.passages) over the parsed seeds with the fake retriever: one best
passage per named town, the named town's closest passage when its report does not answer, a named
year that no report of the town covers. Every answer is checked for soundness."""

from __future__ import annotations

import pytest

from bot.answers.answer import answer
from bot.ingest.scan import load_corpus
from bot.lang.scope import resolve_scope
from tests.checks import assert_sound
from tests.fakes.retriever import fake_context


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    return load_corpus(seeds_dir).reports


@pytest.fixture(scope="module")
def ask(seeds):
    def ask(question, **kwargs):
        result = answer(fake_context(question, seeds, **kwargs))
        assert_sound(result, seeds)
        return result

    return ask


def test_several_named_towns_get_one_best_passage_each(ask):
    result = ask("兴隆镇和宁河镇的法律顾问怎样参与决策")
    assert [p.report.township for p in result.passages] == ["兴隆镇", "宁河镇"]
    assert result.status == "answered" and result.kind == "passages"
    assert "兴隆镇" in result.answer and "宁河镇" in result.answer


def test_a_named_town_without_an_answer_is_told_so_with_its_closest_passage(ask):
    result = ask("季家镇的无人机航拍巡查法律顾问飞了几个架次")
    assert result.status == "not_found" and result.kind == "passages"
    assert result.answer.startswith("季家镇的报告中没有找到明确回答这个问题的内容")
    assert result.passages and {p.report.township for p in result.passages} == {"季家镇"}


def test_an_off_topic_question_naming_no_town_still_abstains(ask):
    result = ask("明天的天气预报怎么样")
    assert (result.status, result.kind, result.passages) == ("not_found", "abstain", ())


def test_a_year_the_town_has_no_report_of_does_not_empty_the_search(seeds, ask):
    towns = {r.report.township: r.report.year for r in seeds}
    town = next(iter(towns))
    other = next(r.report.year for r in seeds if r.report.year != towns[town])
    pairs = frozenset((r.report.township, r.report.year) for r in seeds)
    years = sorted({r.report.year for r in seeds})
    known = {"townships": list(towns), "years": years, "town_years": pairs}
    scope = resolve_scope(f"{town}{other}年的法律顾问", **known)
    assert (scope.towns, scope.year, scope.other_year) == ((town,), None, other)
    # A year the town has a report of still filters.
    own = resolve_scope(f"{town}{towns[town]}年的法律顾问", **known)
    assert (own.year, own.other_year) == (towns[town], None)


def test_plans_asked_for_the_year_after_a_report_are_that_reports_plans():
    # probe_reports (喜洲镇, a 2023 report): "2024年有什么工作计划" is answered by its plans, with no
    # "语料库中没有喜洲镇2024年的报告" note; a figure of 2024 is still of a year it has no report of.
    known = {
        "townships": ["喜洲镇", "永兴镇"],
        "years": [2023, 2024],
        "town_years": {("喜洲镇", 2023), ("永兴镇", 2024)},
    }
    plans = resolve_scope("喜洲镇2024年有什么工作计划？", **known)
    assert (plans.towns, plans.year, plans.other_year, plans.asks_plans) == (("喜洲镇",), None, None, True)
    figure = resolve_scope("喜洲镇2024年办理了多少件案件？", **known)
    assert figure.other_year == 2024
