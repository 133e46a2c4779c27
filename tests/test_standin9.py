"""A narrower metric's figure stands in, flagged, for a report that states none of the asked one
(metrics.json "stands_in_for"): 宁河镇's 化解突出矛盾纠纷40余件 for 化解矛盾纠纷. A report that states
the full metric keeps its own figure; a 其中 part never stands in."""

from __future__ import annotations

import re

import pytest

from bot.answers.answer import cross_report_answer
from bot.figures.extract import extract_figures
from bot.figures.vocabulary import VocabularyError, load_vocabulary, parse_vocabulary
from bot.ingest.scan import load_corpus
from tests.checks import assert_sound
from tests.fakes.retriever import fake_context

REPORTS = {
    # States the full metric and, as a part of it, the prominent ones: the part never stands in.
    "甲镇": "全年共化解矛盾纠纷120件，其中化解重大矛盾纠纷8件。",
    # States only the prominent ones: they stand in.
    "乙镇": "着力化解突出矛盾纠纷30余件，人民调解工作实效不断提升。",
    # States the prominent ones only as a part of an uncounted whole: nothing stands in.
    "丙镇": "全年开展矛盾纠纷大排查，其中化解重大矛盾纠纷5件。",
}


def _report(town: str, sentence: str) -> str:
    heading = "关于2024年法治政府建设情况的报告\n一、主要举措和成效\n（一）化解矛盾纠纷"
    return f"{town}人民政府\n{heading}\n{sentence}\n"


@pytest.fixture(scope="module")
def ask(tmp_path_factory):
    folder = tmp_path_factory.mktemp("standin9")
    for town, sentence in REPORTS.items():
        (folder / f"{town}.txt").write_text(_report(town, sentence), encoding="utf-8")
    reports = load_corpus(folder).reports
    figures = [f for parsed in reports for f in extract_figures(parsed)]

    def ask(question, towns=()):
        answer = cross_report_answer(fake_context(question, reports, figures, towns=towns))
        assert answer is not None
        assert_sound(answer, reports)
        return answer

    return ask


NOTE = "乙镇的报告只给出“化解突出矛盾纠纷”的数字（30余件），按此计入。"


def test_the_curated_narrower_metric_stands_in_for_disputes_resolved():
    vocabulary = load_vocabulary()
    assert [m.name for m in vocabulary.stand_ins("矛盾纠纷化解")] == ["突出矛盾纠纷化解"]
    assert vocabulary.stand_ins("突出矛盾纠纷化解") == ()


def test_an_unknown_stand_in_target_is_an_error():
    entry = {"name": "甲", "units": ["件"], "patterns": ["甲"], "stands_in_for": "乙"}
    with pytest.raises(VocabularyError, match="stands_in_for"):
        parse_vocabulary({"metrics": [entry]})


def test_ranking_counts_the_stand_in_and_says_so(ask):
    answer = ask("哪个镇化解矛盾纠纷最少")
    assert answer.lead == "乙镇化解矛盾纠纷最少：30余件。"
    assert re.findall(r"^\d+\. (\S+?镇)（", answer.answer, flags=re.M) == ["乙镇", "甲镇"]
    assert NOTE in answer.answer
    assert "甲镇（2024年）120件" in answer.answer and "甲镇的报告只给出" not in answer.answer
    assert "丙镇的报告未给出该数字" in answer.answer  # its 其中 part never stands in


def test_total_adds_the_stand_in_and_says_so(ask):
    answer = ask("三个镇一共化解了多少矛盾纠纷")
    assert answer.lead == "乙镇、甲镇的报告合计化解矛盾纠纷至少150件。"
    assert NOTE in answer.answer


def test_each_and_one_town_answers_say_so(ask):
    each = ask("各镇化解矛盾纠纷分别是多少")
    assert "乙镇（2024年）30余件" in each.answer and NOTE in each.answer
    single = ask("乙镇化解了多少矛盾纠纷", towns=("乙镇",))
    assert single.status == "answered"
    assert single.answer.startswith(f"乙镇化解矛盾纠纷30余件。\n{NOTE}")


def test_a_part_never_stands_in(ask):
    answer = ask("丙镇化解了多少矛盾纠纷", towns=("丙镇",))
    assert "按此计入" not in answer.answer
    assert not answer.answer.startswith("丙镇化解矛盾纠纷5件")
