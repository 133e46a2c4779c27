"""support8: everyday wording meets report words (synonyms with particles and gaps), the support
check on colloquial questions, and the parts of a report asked in other words."""

from __future__ import annotations

from bot.lang.synonyms import rewrite


def test_entry_matches_with_a_particle_between_its_parts():
    # 请律师 → 法律顾问 also when the question writes 请的/请了律师 (S7-P16, B6-P02).
    assert rewrite("宁河镇镇里请的律师是谁") == "宁河镇镇里法律顾问是谁"
    assert rewrite("镇里请了律师没有") == "镇里法律顾问没有"
    assert rewrite("连江口镇有几个案子被老百姓告到了法院？") == "连江口镇有几个案子被群众行政诉讼？"


def test_gapped_entry_keeps_the_words_between():
    # "看*合同": 看了多少份合同 → 合同审查 + 了多少份 (the count stays in the question).
    assert rewrite("李庄镇请的律师帮镇里看了多少份合同？") == "李庄镇法律顾问帮镇里合同审查了多少份？"
    assert rewrite("律师给镇里出了几次主意") == "律师给镇里法律咨询了几次"
    assert "入户" in rewrite("用什么办法到牧民家里讲法律")


def test_new_everyday_entries():
    assert rewrite("季家镇执法的人有没有犯过事") == "季家镇执法人员有没有违法违纪"
    assert rewrite("兴隆镇今年排出来多少起矛盾") == "兴隆镇今年排查多少起矛盾"
    assert "旁听庭审" in rewrite("渤海镇的干部有没有去法院听审判？")
    assert "旁听庭审" in rewrite("干部听过庭审吗")
    assert rewrite("老百姓有意见往哪里反映").endswith("往哪里诉求")


def test_a_gap_does_not_cross_punctuation():
    assert rewrite("看一下，合同") == "看一下，合同"
