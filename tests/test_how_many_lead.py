"""A how-many question is led by a paragraph that states such a quantity (bot.answers.passages),
and the words of what a figure question counts keep their own characters (bot.answers.phrases)."""

from __future__ import annotations

from bot.answers.answer import answer
from bot.answers.phrases import answering_kinds, read_asked
from bot.ingest.parse import parse_report
from bot.lang.tokenizer import Tokenizer
from tests.checks import assert_sound
from tests.fakes.retriever import fake_context

# Modelled on 汤头街道's report (tests/data/realworld): the paragraph that speaks most of 普法
# states no number; the next one states the audience in 人次.
REPORT = """汤头街道2024年度法治政府建设情况报告
一、主要举措
一是广泛开展普法宣传，利用普法阵地和普法课堂开展普法宣传，普法宣传深入人心，居民的法律意识不断提高。
二是常态化开展法治宣传教育，全年组织普法活动和普法课堂7场次，受众5000人次。
"""


def _ask(question: str):
    reports = [parse_report(REPORT, report_id="汤头街道.txt", source="汤头街道.txt", sha256="0")]
    result = answer(fake_context(question, reports))
    assert_sound(result, reports)
    return result


def test_a_how_many_question_is_led_by_the_paragraph_stating_the_quantity():
    result = _ask("汤头街道的普法课堂有多少人来听？")
    assert result.kind == "passages" and result.status == "answered"
    assert "受众5000人次" in result.passages[0].paragraph.text
    assert "受众5000人次" in result.lead


def test_a_question_asking_no_quantity_keeps_the_best_matching_paragraph():
    result = _ask("汤头街道怎样开展普法宣传？")
    assert "普法宣传深入人心" in result.passages[0].paragraph.text


def test_the_kinds_that_answer_a_how_many_question():
    assert answering_kinds("普法课有多少人来听") == {"people", "visits"}
    assert answering_kinds("执法案件的准确率是多少") == {"rate"}
    assert answering_kinds("开了几次会") == {"count"}
    assert answering_kinds("怎样开展普法") == frozenset()


def test_what_is_counted_keeps_its_own_characters():
    asked = read_asked("哪个乡镇中心组法治专题学习次数最多？", [], Tokenizer())
    assert asked is not None and asked.topic.startswith("中心组")
    asked = read_asked("河头镇镇上有多少干部参加了学法？", ["河头镇"], Tokenizer())
    assert asked is not None and "镇上" not in asked.words


def test_a_coverage_rate_is_the_review_rate_only_where_review_is_spoken_of():
    from bot.figures.extract import extract_figures

    text = (
        "黄湾镇2024年度法治政府建设报告\n一、主要措施\n"
        "全镇11个村社聘请了律师担任法律顾问，覆盖率达100%。\n"
        "重大行政决策合法性审查实现100%覆盖。\n"
    )
    parsed = parse_report(text, report_id="黄湾镇.txt", source="黄湾镇.txt", sha256="0")
    rates = {f.quote: f.metric for f in extract_figures(parsed) if f.unit == "%"}
    assert rates["全镇11个村社聘请了律师担任法律顾问，覆盖率达100%。"] != "合法性审查覆盖率"
    assert rates["重大行政决策合法性审查实现100%覆盖。"] == "合法性审查覆盖率"


def test_colloquial_measure_words_ask_for_a_count():
    assert answering_kinds("庙垭乡全年研究法治建设开了几回会") == {"count"}
    assert answering_kinds("三角镇给党员上了多少堂纪律课") == {"count"}


def test_which_towns_and_how_many_towns_are_told_apart():
    from bot.answers.intent import classify

    assert classify("一共有多少个乡镇开展了述法？", 0).kind == "presence"
    assert classify("哪几个乡镇提到了枫桥经验", 0).kind == "presence"
    assert classify("面向群众开展普法宣传活动场次排前三的是哪几个乡镇（街道）？", 0).kind == "rank"
    assert classify("有几个乡镇全年召开了4次法治专题会议？", 0).kind == "count"
