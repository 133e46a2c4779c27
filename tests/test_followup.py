"""Follow-up questions keep the township or topic of the previous turn (bot.lang.followup)."""

from __future__ import annotations

import pytest

from bot.lang.followup import resolve_followup

TOWNSHIPS = ["兴隆镇", "河市镇", "商酒务镇", "宁河镇", "季家镇"]


@pytest.mark.parametrize(
    ("question", "previous", "expected"),
    [
        # The township changes, the metric stays.
        ("那河市镇呢？", "兴隆镇化解了多少矛盾纠纷", "河市镇化解了多少矛盾纠纷"),
        ("河市镇呢", "兴隆镇化解了多少矛盾纠纷", "河市镇化解了多少矛盾纠纷"),
        ("那宁河镇的情况呢？", "河市镇化解了多少矛盾纠纷", "宁河镇化解了多少矛盾纠纷"),
        ("那么季家镇怎么样？", "兴隆镇化解了多少矛盾纠纷", "季家镇化解了多少矛盾纠纷"),
        # Spoken short name without 镇.
        ("河市呢？", "兴隆镇化解了多少矛盾纠纷", "河市镇化解了多少矛盾纠纷"),
        # Several townships replace several townships as one group.
        ("宁河镇和季家镇呢", "兴隆镇和河市镇化解了多少矛盾纠纷", "宁河镇和季家镇化解了多少矛盾纠纷"),
        ("那宁河镇呢", "兴隆镇、河市镇化解了多少矛盾纠纷", "宁河镇化解了多少矛盾纠纷"),
        # After a ranking question, a township follow-up asks for that township's figure.
        ("那季家镇呢？", "哪个镇办理行政执法案件最多", "季家镇办理行政执法案件的数量"),
        # The topic changes, the township stays.
        ("那行政执法案件呢？", "兴隆镇化解了多少矛盾纠纷", "兴隆镇行政执法案件有多少"),
        ("普法活动呢", "季家镇化解了多少矛盾纠纷", "季家镇普法活动有多少"),
        ("那普法活动呢", "季家镇2024年化解了多少矛盾纠纷", "季家镇2024年普法活动有多少"),
        # A ranking at another place: the forms bot.answers.intent reads as rankings.
        ("第二多的是哪个镇？", "哪个镇办理行政执法案件最多？", "哪个镇办理行政执法案件第二多"),
        ("第二多呢", "哪个镇办理行政执法案件最多", "哪个镇办理行政执法案件第二多"),
        ("那最少的呢？", "哪个镇办理行政执法案件最多", "哪个镇办理行政执法案件最少"),
        ("前三名呢", "哪个镇办理行政执法案件最多", "办理行政执法案件前三名的镇"),
        ("第二多呢", "办理行政执法案件前三名的镇", "哪个镇办理行政执法案件第二多"),
        # Another year; 去年 counts back from the year the previous question names.
        ("那2023年呢", "兴隆镇2024年化解了多少矛盾纠纷", "兴隆镇2023年化解了多少矛盾纠纷"),
        ("去年呢？", "兴隆镇2024年化解了多少矛盾纠纷", "兴隆镇2023年化解了多少矛盾纠纷"),
        ("2023年的呢", "兴隆镇化解了多少矛盾纠纷", "兴隆镇2023年化解了多少矛盾纠纷"),
        # A word pointing back at the previous turn keeps its township (and year).
        ("它的法律顾问是谁", "兴隆镇化解了多少矛盾纠纷", "兴隆镇的法律顾问是谁"),
        ("该镇开展了几次普法", "兴隆镇2024年化解了多少矛盾纠纷", "兴隆镇2024年开展了几次普法"),
        ("受众有多少人次？", "河市镇组织法律顾问宣讲了多少场？", "河市镇受众有多少人次"),
        ("其中简易程序有多少件？", "季家镇2025年录入了多少件案件？", "季家镇2025年其中简易程序有多少件"),
    ],
)
def test_follow_up_fills_in_what_the_question_omits(question, previous, expected):
    assert resolve_followup(question, previous, TOWNSHIPS) == expected


@pytest.mark.parametrize(
    ("question", "previous"),
    [
        # Complete questions stand alone.
        ("季家镇开展了哪些普法活动", "兴隆镇化解了多少矛盾纠纷"),
        ("哪个镇办理行政执法案件最多", "兴隆镇化解了多少矛盾纠纷"),
        # A cross-township question is not narrowed to the previous township.
        ("那哪个镇最多呢", "兴隆镇化解了多少矛盾纠纷"),
        # Nothing to inherit.
        ("那河市镇呢？", None),
        ("那河市镇呢？", ""),
        ("那行政执法案件呢？", "哪个镇办理行政执法案件最多"),
        # 去年 needs a year to count back from; a ranking place needs a ranking before it.
        ("去年呢", "兴隆镇化解了多少矛盾纠纷"),
        ("第二多呢", "兴隆镇化解了多少矛盾纠纷"),
        # An empty question stays empty so the engine can reject it.
        ("", "兴隆镇化解了多少矛盾纠纷"),
    ],
)
def test_standalone_questions_are_unchanged(question, previous):
    assert resolve_followup(question, previous, TOWNSHIPS) == question


def test_chained_follow_ups_use_the_resolved_previous_question():
    first = "兴隆镇化解了多少矛盾纠纷"
    second = resolve_followup("那河市镇呢？", first, TOWNSHIPS)
    third = resolve_followup("宁河镇呢？", second, TOWNSHIPS)
    assert (second, third) == ("河市镇化解了多少矛盾纠纷", "宁河镇化解了多少矛盾纠纷")


def test_a_township_name_inside_another_is_not_mistaken():
    # 宁河镇 contains no other township, but the one-character stem "河" must never match it.
    assert resolve_followup("那宁河镇呢", "河市镇化解了多少矛盾纠纷", TOWNSHIPS) == "宁河镇化解了多少矛盾纠纷"
    # A township missing from the corpus is left for the engine to report, not glued to the previous one.
    assert resolve_followup("那石马镇呢", "兴隆镇化解了多少矛盾纠纷", TOWNSHIPS) == "那石马镇呢"


@pytest.mark.parametrize(
    ("question", "previous", "expected"),
    [
        # a ranking asked after "各镇…分别多少"
        ("前三名呢？", "各镇发放普法宣传资料分别多少份？", "发放普法宣传资料前三名的镇"),
        ("最少的呢？", "各镇发放普法宣传资料分别多少份？", "哪个镇发放普法宣传资料最少"),
        # a which-towns question with its topic swapped
        ("那枫桥经验呢？", "哪些乡镇提到了述法？", "哪些乡镇提到了枫桥经验？"),
        # the year goes after 乡镇 whole, not inside it
        ("那2023年呢？", "哪些乡镇提到了述法？", "哪些乡镇2023年提到了述法？"),
    ],
)
def test_follow_ups_of_each_and_presence_questions(question, previous, expected):
    assert resolve_followup(question, previous, []) == expected


# Turns of the probe set (徐家湾街道's, 东方山街道's and 杭州道街道's reports): a count asked straight after
# its verb, or a new figure named alone, leaves out the subject the previous turn set.
@pytest.mark.parametrize(
    ("question", "previous", "expected"),
    [
        (
            "出具了几份法律意见书？",
            "徐家湾街道法律顾问参与了几次重大事项讨论？",
            "徐家湾街道出具了几份法律意见书",
        ),
        ("化解了多少？", "东方山街道排查了多少件矛盾纠纷？", "东方山街道化解了多少"),
        ("报备了多少件？", "凤鸣镇2025年审查了多少件文件？", "凤鸣镇2025年报备了多少件"),
        # probe_reports QF03 (安海鎮's report): a new figure of the same township, its subject left out
        ("调解成功率是多少？", "安海镇2023年调解了多少件矛盾纠纷？", "安海镇2023年调解成功率是多少"),
        ("行政复议案件有多少", "凤鸣镇审查了多少件文件？", "凤鸣镇行政复议案件有多少"),
        ("社区法律顾问有几个？", "凤鸣镇审查了多少件文件？", "凤鸣镇社区法律顾问有几个"),
        ("检查了多少家超市？", "凤鸣镇审查了多少件文件？", "凤鸣镇检查了多少家超市"),
    ],
)
def test_a_question_without_a_subject_is_the_previous_townships(question, previous, expected):
    towns = ["徐家湾街道", "东方山街道", "凤鸣镇", "安海镇"]
    assert resolve_followup(question, previous, towns) == expected


@pytest.mark.parametrize(
    "question",
    [
        "一共有多少份报告？",
        "遂溪县那个镇有多少名执法人员？",
        "石马镇办理了几件案件？",
        "办理案件最多的是哪个镇？",
    ],
)
def test_a_count_question_with_a_scope_of_its_own_stands_alone(question):
    assert resolve_followup(question, "凤鸣镇审查了多少件文件？", ["凤鸣镇"]) == question
