"""Branch extract8: figure extraction, follow-ups and lists, each on the failing wording of probe
batches 5/6 or seed_questions7 and on wordings of our own the fix must also carry."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.answer import answer
from bot.figures.extract import extract_figures
from bot.figures.zeros import stated_nones
from bot.ingest.parse import parse_report
from tests.checks import assert_sound
from tests.fakes.retriever import fake_context

BATCHES = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "probe_reports"


def _report(name: str, title: str, *lines: str):
    text = title + "\n一、主要工作成效\n" + "\n".join(lines) + "\n"
    return parse_report(text, report_id=name, source=name, sha256="0")


def _line(path: Path, words: str) -> str:
    """The line of a probe report that holds `words` (the report's own wording, not retyped)."""
    return next(line.strip() for line in path.read_text("utf-8").splitlines() if words in line)


# --- 1. a none stated in words is a figure of 0 (B5-F06) -------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "nouns"),
    [
        ("全年未发生行政复议、行政诉讼案件", ["行政复议案件", "行政诉讼案件"]),  # 茅坪鎮, simplified
        ("全年未发生行政复议和行政诉讼案件", ["行政复议案件", "行政诉讼案件"]),  # 后坪
        ("全年发生行政诉讼案件1件，未发生行政复议案件。", ["行政复议案件"]),  # 下营镇
        ("无一起行政复议和行政诉讼案件。", ["行政复议案件", "行政诉讼案件"]),
        ("办理行政复议应诉案件1件，行政诉讼案件未发生。", ["行政诉讼案件"]),
        ("全年无行政复议案件。", ["行政复议案件"]),
        ("实现行政诉讼案件零发生", ["行政诉讼案件"]),
        ("未发生执法人员违法违纪事件", ["执法人员违法违纪事件"]),
        ("全年未发生以镇政府为被告的行政诉讼案件。", ["行政诉讼案件"]),
    ],
)
def test_a_none_in_words_names_each_kind(sentence, nouns):
    assert [n.noun for n in stated_nones(sentence)] == nouns


@pytest.mark.parametrize(
    "sentence",
    [
        "宁河镇全年无一起行政诉讼败诉案件的发生",  # no lost suit is not no suit
        "未发生因执法不当引发的行政复议和行政诉讼",  # only those caused so
        "全镇未发生因矛盾纠纷激化引发的刑事案件",
        "全年镇政府未发生行政复议被纠错和行政诉讼败诉案件。",
        "均已依法办结，未发生败诉",
        "查处无证经营案件12件",  # 无 inside a noun
        "全年未发生安全生产事故和森林火灾",  # no head: not a count
    ],
)
def test_a_qualified_none_is_no_zero_of_the_kind(sentence):
    assert stated_nones(sentence) == []


def _maoping():
    path = next((BATCHES / "batch5" / "corpus").glob("*茅坪鎮*.txt"))
    title = "秭歸縣茅坪鎮2022年法治政府建設工作報告"
    return _report(path.name, title, _line(path, "未發生行政複議"))


def test_a_traditional_report_saying_none_happened_answers_zero_with_its_quote():
    reports = [_maoping()]
    (figure,) = [f for f in extract_figures(reports[0]) if f.metric == "行政复议案件"]
    assert (figure.value, figure.unit, figure.known_metric) == (0, "件", True)
    assert "未發生行政複議" in figure.quote  # the quote stays as written
    result = answer(fake_context("茅坪镇发生了几件行政复议案件？", reports))
    assert_sound(result, reports)
    assert result.status == "answered" and "0件" in result.lead
    assert "未發生行政複議" in result.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [("青石镇有多少件行政诉讼案件？", "0件"), ("哪个镇的行政复议案件最多？", "河口乡")],
)
def test_a_zero_answers_and_ranks_like_any_figure(question, expected):
    qingshi = "全年办理行政处罚案件47件，无一起行政复议和行政诉讼案件。"
    hekou = "全年发生行政复议案件2件，行政诉讼案件未发生。"
    reports = [
        _report("青石镇.txt", "青石镇2024年法治政府建设工作报告", qingshi),
        _report("河口乡.txt", "河口乡2024年法治政府建设工作报告", hekou),
    ]
    result = answer(fake_context(question, reports))
    assert_sound(result, reports)
    assert result.status == "answered" and expected in result.lead
