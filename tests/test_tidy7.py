"""Clean-ups of session 7 (helper tidy7): one rule where there were two, each pinned on its corner cases."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.answers.answer import _over_streets, answer
from bot.answers.phrases import read_asked
from bot.ingest.headings import heading_marker, split_heading
from bot.ingest.parse import parse_report
from bot.lang.sentences import first_full_stop, sentences
from bot.lang.tokenizer import Tokenizer
from tests.checks import assert_sound
from tests.fakes.retriever import fake_context

PROBE_SRC = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "probe_reports" / "src"

# One half-width full stop for sentences (bot.lang.sentences) and run-in headings (bot.ingest.headings):
# (text, its sentences). The first three have no full stop inside.
HALF_WIDTH = [
    ("全年罚款共3.5万元,同比下降3.15%.", ["全年罚款共3.5万元,同比下降3.15%."]),
    ("调解成功率达100%.全年罚款1.5万元.", ["调解成功率达100%.", "全年罚款1.5万元."]),
    ("详见www.gov.cn网站.", ["详见www.gov.cn网站."]),
    ("开展普法宣传、法律咨询等...全年共办理案件12件.", ["开展普法宣传、法律咨询等...全年共办理案件12件."]),
    ("落实“谁执法谁普法”.全年开展普法活动8场.", ["落实“谁执法谁普法”.", "全年开展普法活动8场."]),
    ("制定《实施方案》.召开会议3次.", ["制定《实施方案》.", "召开会议3次."]),
    ("修订制度（试行）.召开会议3次.", ["修订制度（试行）.", "召开会议3次."]),
    (
        "营造了良好的法治环境.2024年以来,共办理案件12件.",
        ["营造了良好的法治环境.", "2024年以来,共办理案件12件."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), HALF_WIDTH)
def test_a_half_width_full_stop_ends_a_sentence(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(("text", "expected"), HALF_WIDTH)
def test_the_same_full_stop_ends_a_run_in_heading(text, expected):
    line = "（一）" + text
    heading, body = split_heading(line, 0, len(line), heading_marker(line))
    body_text = None if body is None else line[body.start : body.end]
    if len(expected) == 1:  # no full stop before the end: the whole line is the heading
        assert (heading.title, body_text) == (line[:-1], None)
    else:
        assert (heading.title, body_text) == ("（一）" + expected[0].rstrip("."), "".join(expected[1:]))


def test_the_first_full_stop_is_either_form():
    assert first_full_stop("共3.5万元。其后") == 6
    assert first_full_stop("加强学习.其后。") == 4
    assert first_full_stop("共3.5万元") == -1


# The row markers a line break ends a sentence before are the heading parser's (bot.lang.markers).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.持证执法人员：16名\n2.行政执法案件：12件", ["1.持证执法人员：16名", "2.行政执法案件：12件"]),
        ("罚没款共计\n1.5万元", ["罚没款共计\n1.5万元"]),  # a wrapped decimal, not a row
        ("（1）法律顾问：1名\n（2）调解员：8名", ["（1）法律顾问：1名", "（2）调解员：8名"]),
        ("学法4次\n（二）执法规范", ["学法4次", "（二）执法规范"]),
        ("学法4次\n( 二 )执法规范", ["学法4次", "( 二 )执法规范"]),  # spaced as a heading may be
    ],
)
def test_a_line_break_before_a_numbered_row_ends_a_sentence(text, expected):
    assert sentences(text) == expected
    assert all(heading_marker(row) for row in expected[1:])


class _UnreadCorpus:
    @property
    def townships(self):
        raise AssertionError("the township list was read for a question that does not name 街道")


@pytest.mark.parametrize("question", ["哪个镇办理行政执法案件最多", "哪些乡镇提到了“八五”普法"])
def test_a_question_without_streets_does_not_read_the_township_list(question):
    ctx = SimpleNamespace(question=question, scope=SimpleNamespace(towns=()), corpus=_UnreadCorpus())
    assert _over_streets(ctx) is ctx


# A ranking lead names the thing counted once, though a qualifying clause says it first (probe QA03:
# "南伊珞巴民族乡调解调解的矛盾纠纷最少"). The clause's words still count for matching.
@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("在给出了调解数量的报告里，哪个乡镇调解的矛盾纠纷最少？", "调解的矛盾纠纷"),
        ("在给出了执法培训次数的报告里，哪个镇开展的执法培训最多？", "开展的执法培训"),
        ("在给出了法律意见书数量的报告中哪个镇出具的法律意见书最多", "出具的法律意见书"),
        ("只看有调解数字的乡镇：哪个镇调解矛盾纠纷最多？", "调解矛盾纠纷"),
        (
            "东方山街道全年排查了多少件矛盾纠纷，化解率是多少？",
            "排查矛盾纠纷化解率",
        ),  # a clause that adds words stays
    ],
)
def test_the_thing_asked_is_worded_once(question, topic):
    asked = read_asked(question, [], Tokenizer())
    assert asked.topic == topic


def _line(source: str, words: str) -> str:
    return next(
        line.strip() for line in (PROBE_SRC / source).read_text("utf-8").splitlines() if words in line
    )


def test_a_ranking_lead_after_a_qualifying_clause_does_not_repeat_its_verb():
    texts = {
        "南伊珞巴民族乡.txt": (
            "南伊珞巴民族乡2023年度法治政府建设工作报告",
            _line("p09.txt", "调解矛盾纠纷19件"),
        ),
        "喜洲镇.txt": (
            "喜洲镇2023年度法治政府建设情况报告",
            "全年排查调解各类矛盾纠纷310件，调解成功301件。",
        ),
    }
    reports = [
        parse_report(f"{title}\n一、主要举措\n{line}\n", report_id=name, source=name, sha256="0")
        for name, (title, line) in texts.items()
    ]
    result = answer(fake_context("在给出了调解数量的报告里，哪个乡镇调解的矛盾纠纷最少？", reports))
    assert_sound(result, reports)
    assert result.lead.startswith("南伊珞巴民族乡") and "19件" in result.lead
    assert "调解调解" not in result.lead
