"""Seed batch 8's question reading: "比X多还是少" follow-ups, corpus questions about years, scope words
("五个镇", "平均每镇") that name no place."""

from __future__ import annotations

import pytest

from bot.answers.intent import read_corpus_question
from bot.lang.followup import resolve_followup
from bot.lang.scope import unknown_places

TOWNS = ["兴隆镇", "河市镇", "商酒务镇", "宁河镇", "季家镇"]
PREVIOUS = "兴隆镇有多少人取得了执法证？"
BOTH = "兴隆镇和商酒务镇有多少人取得了执法证"


@pytest.mark.parametrize(
    ("question", "resolved"),
    [
        ("比商酒务镇多还是少？", BOTH + "，谁更多"),
        ("比商酒务镇少还是多？", BOTH + "，谁更少"),
        ("比商酒务镇多吗？", BOTH + "，谁更多"),
        ("比商酒务镇少吗", BOTH + "，谁更少"),
        ("商酒务镇呢，谁多？", BOTH + "，谁更多"),
        ("那商酒务镇呢？哪个少", BOTH + "，谁更少"),
        ("和商酒务镇比哪个多？", BOTH + "，谁更多"),
    ],
)
def test_a_comparison_with_another_township_in_any_wording_compares_the_previous_question(question, resolved):
    assert resolve_followup(question, PREVIOUS, TOWNS) == resolved


@pytest.mark.parametrize("question", ["商酒务镇多吗", "商酒务镇有多少", "商酒务镇比较突出的做法有哪些"])
def test_a_direction_without_comparing_words_is_no_comparison(question):
    assert "谁更" not in resolve_followup(question, PREVIOUS, TOWNS)


@pytest.mark.parametrize(
    "question",
    [
        "五个镇平均每镇发了多少宣传资料？",
        "三个乡一共化解了多少矛盾纠纷",
        "平均每个街道办理了多少案件",
        "5个镇的合计是多少",
        "二十个街道中哪个最多",
        "每乡有几名法律顾问",
    ],
)
def test_scope_words_over_townships_name_no_place(question):
    assert unknown_places(question, TOWNS) == ()


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("十八里镇有多少案件", ("十八里镇",)),  # a numeral inside a name is the name's
        ("三河镇和五里镇哪个多", ("三河镇", "五里镇")),
        ("平均每镇石马镇多少", ("石马镇",)),
        ("各街道北关镇排第几", ("北关镇",)),
    ],
)
def test_a_place_beside_scope_words_is_still_found(question, places):
    assert unknown_places(question, TOWNS) == places


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("这些报告都是哪几年的？", "years"),
        ("这些报告都是哪一年度的", "years"),
        ("这些报告是什么时间的", "years"),
        ("这些报告来自哪些县？", "districts"),
        ("你们有哪些镇的报告", "reports"),
    ],
)
def test_a_question_about_the_reports_pointed_at_is_about_the_corpus(question, topic):
    query = read_corpus_question(question, TOWNS)
    assert query is not None and query.topic == topic


@pytest.mark.parametrize(
    "question", ["哪几年开展了普法？", "这些报告里哪几年开展了普法", "这个镇开展了哪些普法活动"]
)
def test_a_content_question_with_the_same_words_is_not_about_the_corpus(question):
    assert read_corpus_question(question, TOWNS) is None


@pytest.mark.parametrize(
    ("question", "previous", "resolved"),
    [
        ("他审查了多少份文件？", "宁河镇聘请的法律顾问是谁？", "宁河镇聘请的法律顾问审查了多少份文件"),
        ("他的电话是多少？", "宁河镇的法律顾问叫什么名字？", "宁河镇的法律顾问的电话是多少"),
        # no person asked for: the pronoun stands for the township, as 它 does
        ("他审查了多少份文件？", "宁河镇化解了多少矛盾纠纷？", "宁河镇审查了多少份文件"),
    ],
)
def test_he_or_she_is_the_person_the_previous_turn_asked_for(question, previous, resolved):
    assert resolve_followup(question, previous, TOWNS) == resolved
