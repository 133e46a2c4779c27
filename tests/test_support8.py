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


def test_parts_asked_in_other_words():
    from bot.lang.parts import asked_part, in_part

    assert asked_part("河市镇在普法上有什么没做好的") == "shortcomings"
    assert asked_part("河市镇普法工作哪些地方做得不够") == "shortcomings"
    assert asked_part("商酒务镇一年来取得了哪些成效") == "achievements"
    assert asked_part("宁河镇有什么好的经验做法") == "achievements"
    assert asked_part("宁河镇聘请了几名法律顾问") is None
    assert in_part(("二、2023年度推进法治政府建设的主要举措和成效",), "achievements")
    assert not in_part(("三、存在的不足",), "achievements")


def _top(bot, question):
    answer = bot.ask(question)
    return answer, (answer.passages[0].paragraph.text if answer.passages else "")


def test_colloquial_questions_reach_the_paragraph(seed_bot):
    # S7-P16: 请的律师 is 法律顾问, not the 律师 of "整合律师、公证…" in the 矛盾纠纷 paragraph.
    for question in ("宁河镇镇里请的律师是谁", "宁河镇聘的律师是哪个律所的"):
        answer, top = _top(seed_bot, question)
        assert answer.status == "answered" and "宋建岩" in top, question
    # S7-P18: 犯过事 is 违法违纪.
    for question in ("季家镇执法的人有没有犯过事", "季家镇的执法人员犯过事吗"):
        answer, _ = _top(seed_bot, question)
        assert "违法违纪" in answer.answer, question
    # S7-S03: "没做好的" asks for the shortcomings part.
    for question in ("河市镇在普法上有什么没做好的", "河市镇普法工作哪些地方做得不够"):
        answer, top = _top(seed_bot, question)
        assert "普法效果不明显" in top, question


def test_a_rare_word_asked_and_absent_is_not_supported(seed_bot):
    # B5-N01: only 商酒务镇's report speaks of 法律明白人; another town's closest paragraph is no answer.
    answer = seed_bot.ask("宁河镇培养了多少名“法律明白人”？")
    assert answer.status != "answered"
