"""Reading questions: validation, township/year scope, places outside the corpus."""

from __future__ import annotations

import pytest

from bot.errors import BadQuestion, UnknownTownship, UnknownYear
from bot.lang.scope import check_question, find_townships, is_greeting, resolve_scope, unknown_places

TOWNS = ["兴隆镇", "河市镇", "商酒务镇", "宁河镇", "季家镇"]
YEARS = [2023, 2024]


def scope(question, **kwargs):
    return resolve_scope(question, townships=TOWNS, years=YEARS, districts=["大足区"], **kwargs)


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_empty_question_is_refused_with_an_example(question):
    with pytest.raises(BadQuestion, match="问题为空"):
        check_question(question)


def test_overlong_question_is_refused_with_its_length():
    with pytest.raises(BadQuestion, match="问题太长（201 字"):
        check_question("问" * 201)


def test_punctuation_only_question_is_refused():
    with pytest.raises(BadQuestion, match="没有文字"):
        check_question("？？！")


def test_question_is_stripped():
    assert check_question("  河市镇化解了多少矛盾纠纷？ \n") == "河市镇化解了多少矛盾纠纷？"


@pytest.mark.parametrize("text", ["你好", "您好！", "hello", "谢谢", "你是谁？"])
def test_greetings(text):
    assert is_greeting(text)


@pytest.mark.parametrize("text", ["你好，河市镇化解了多少矛盾纠纷", "哪个镇办理行政执法案件最多"])
def test_questions_are_not_greetings(text):
    assert not is_greeting(text)


def test_township_named_in_question_narrows_the_search():
    s = scope("河市镇化解了多少矛盾纠纷")
    assert s.towns == ("河市镇",)
    assert s.named_towns == ("河市镇",)


def test_township_without_suffix_is_recognised():
    assert scope("季家化解了多少矛盾纠纷").towns == ("季家镇",)
    assert find_townships("商酒务和宁河哪个学法多", TOWNS) == ("商酒务镇", "宁河镇")


def test_explicit_town_filter_wins_and_accepts_a_stem():
    s = scope("化解了多少矛盾纠纷", towns=["季家"])
    assert s.towns == ("季家镇",)


def test_unknown_town_lists_the_townships_of_the_corpus():
    with pytest.raises(UnknownTownship) as error:
        scope("化解了多少矛盾纠纷", towns=["北京镇"])
    message = str(error.value)
    assert "北京镇" in message
    for town in TOWNS:
        assert town in message


def test_unknown_year_lists_the_years():
    with pytest.raises(UnknownYear, match="2023、2024"):
        scope("化解了多少矛盾纠纷", year=2019)


def test_year_in_question_filters_only_when_a_report_covers_it():
    assert scope("2023年开展了多少次学法").year == 2023
    assert scope("2025年有哪些工作安排").year is None


def test_places_outside_the_corpus_are_noticed():
    assert unknown_places("北京市2024年的GDP是多少", TOWNS) == ("北京市",)
    assert unknown_places("大足区季家镇有多少案件", [*TOWNS, "大足区"]) == ()
    assert unknown_places("农贸市场周边的治安怎么样", TOWNS) == ()
    assert unknown_places("各乡镇的法律顾问", TOWNS) == ()


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("正镶白旗化解了多少矛盾纠纷", "正镶白旗"),
        ("锡林郭勒盟哪个镇执法案件最多", "锡林郭勒盟"),
        ("东乌苏木化解了多少矛盾纠纷", "东乌苏木"),
        ("沛县化解了多少矛盾纠纷", "沛县"),
        ("丰县和沛县哪个执法案件多", "丰县"),
        ("王家镇化解了多少矛盾纠纷", "王家镇"),
        ("李家湾街道的法律顾问是谁", "李家湾街道"),
    ],
)
def test_banners_leagues_sumu_and_one_character_counties_are_places(question, place):
    assert place in unknown_places(question, TOWNS)


@pytest.mark.parametrize(
    "question",
    [
        "有几家街道的报告",
        "哪几家乡镇开展了普法",
        "哪个镇开展了升国旗活动",
        "全县化解了多少矛盾纠纷",
        "旗帜鲜明讲法治的是哪个镇",
        "法律服务联盟有哪些",
        # A run of what is asked before 县/街道 is no place name.
        "哪个镇组织干部赴县参加培训",
        "请律师给街道的合同把关了几份",
        "哪些镇开展了送法下乡",
        "干部到县里参加培训了几次",
    ],
)
def test_words_ending_in_a_unit_are_not_places(question):
    assert unknown_places(question, TOWNS) == ()


def test_a_known_banner_is_not_unknown():
    assert unknown_places("伊金霍洛旗化解了多少矛盾纠纷", [*TOWNS, "伊金霍洛旗"]) == ()


def test_year_after_a_report_year_asks_for_plans():
    assert scope("宁河镇在2025年有什么打算").asks_plans
    assert not scope("宁河镇2024年开展了什么工作").asks_plans
    assert not scope("2030年的规划").asks_plans


def test_traditional_question_is_read_in_simplified_and_finds_a_traditional_township():
    question = check_question("三角鎮各級黨組織開展紀律教育黨課共多少次？")
    assert question == "三角镇各级党组织开展纪律教育党课共多少次？"
    assert find_townships(question, ["三角鎮", "季家镇"]) == ("三角鎮",)
    assert find_townships("三角鎮怎样学习？", ["三角鎮"]) == ("三角鎮",)
    assert check_question("季家镇办理了多少案件？") == "季家镇办理了多少案件？"  # simplified stays as typed


def test_kinds_of_township_are_not_unknown_places():
    towns = ["满族屯满族乡", "季家镇"]
    assert unknown_places("哪些是民族乡的报告？", towns) == ()
    assert unknown_places("有几份街道的报告？", towns) == ()
    assert unknown_places("白马镇2024年开展了多少次党委中心组专题学习？", towns) == ("白马镇",)


def test_one_rule_for_kinds_of_township():
    from bot.lang.places import kind_ending, township_kinds, township_stem, without_kind

    stems = [without_kind(name) for name in ("宜城街道", "万兴街", "三角鎮")]
    assert stems == ["宜城", "万兴", "三角"]
    assert kind_ending("西翥街道办事处") == "街道办事处" and kind_ending("河市") == ""
    assert township_kinds("满族屯满族乡") == {"乡", "民族乡"} and township_kinds("某某苏木") == {"苏木"}
    # A bare 街 marks a 街道 but is no suffix a question drops: "万兴" alone names nothing.
    assert township_kinds("万兴街") == {"街道"} and township_stem("万兴街") == "万兴街"
