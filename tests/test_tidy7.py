"""Clean-ups of session 7 (helper tidy7): one rule where there were two, each pinned on its corner cases."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.answers.answer import _over_streets
from bot.ingest.headings import heading_marker, split_heading
from bot.lang.sentences import first_full_stop, sentences

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
