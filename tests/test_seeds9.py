"""Seed batch 8's question reading: "比X多还是少" follow-ups, corpus questions about years, scope words
("五个镇", "平均每镇") that name no place."""

from __future__ import annotations

import pytest

from bot.lang.followup import resolve_followup

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
