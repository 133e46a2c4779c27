"""A question asking for a part of a report (its shortcomings, its plans) is answered from a paragraph
under that part's heading (bot.lang.parts, used by bot.search.retriever), on the real seeds."""

from __future__ import annotations

import pytest

from bot.lang.parts import asked_part, in_part


@pytest.mark.parametrize(
    ("question", "part"),
    [
        ("宁河镇下一年度的主要安排是什么？", "plans"),
        ("商酒务镇2024年打算怎么推进法治政府建设？", "plans"),
        ("季家镇的法治建设还有哪些短板？", "shortcomings"),
        ("河市镇存在什么问题？", "shortcomings"),
        ("宁河镇开展了多少场法治讲座？", None),
        ("河市镇制定了什么学习计划？", None),  # a plan it made, not its plans for next year
        # probe_reports QS02 (喜洲镇): the words of a plans question need not stand side by side
        ("喜洲镇2024年有什么工作计划？", "plans"),
        ("潭门镇2026年的工作安排有哪些？", "plans"),
        # seed_questions8 S8-R03 (季家鎮2025年準備怎麼幹？, read in simplified form): everyday words for plans
        ("季家镇2025年准备怎么干？", "plans"),
        ("接下来兴隆镇要怎么推进依法行政？", "plans"),
        ("宁河镇准备了多少份宣传材料？", None),  # what it prepared, not its plans
        ("兴隆镇怎么做的普法？", None),
    ],
)
def test_the_part_a_question_asks_for(question, part):
    assert asked_part(question) == part


def test_headings_of_each_part_as_the_seeds_write_them():
    assert in_part(("四、下一年度推进法治政府建设的主要安排",), "plans")
    assert in_part(("三、2025年法治建设工作思路",), "plans")
    assert in_part(("三、存在的问题及2025年工作安排", "（一）存在的问题"), "shortcomings")
    assert not in_part(("一、上一年度推进法治政府建设的主要举措和成效", "（一）强化组织领导"), "plans")


@pytest.mark.slow
def test_a_plans_question_is_answered_from_the_plans_section(seed_bot):
    # Before: "多次开会研究部署安排依法行政工作" (section 一) was first, for its three 安排.
    result = seed_bot.ask("宁河镇下一年度的主要安排是什么？")
    assert result.status == "answered"
    assert "下一年度推进法治政府建设的主要安排" in " ".join(result.passages[0].paragraph.section_path)
