"""Everyday words rewritten to report words before BM25."""

from __future__ import annotations

from bot.lang.synonyms import rewrite


def test_everyday_words_become_report_terms():
    assert rewrite("季家镇城管队伍里有几个人？") == "季家镇综合执法队伍里有几个人？"
    assert rewrite("兴隆镇有多少人上访？") == "兴隆镇有多少人信访？"


def test_longest_everyday_word_wins():
    assert rewrite("宁河镇输过官司吗") == "宁河镇败诉吗"


def test_question_without_everyday_words_is_unchanged():
    question = "河市镇化解了多少矛盾纠纷"
    assert rewrite(question) is question


def test_everyday_phrasings_of_legal_aid_and_returned_duties():
    # The longer everyday word wins over 官司 → 行政诉讼: free lawsuits are 法律援助 (老百姓 are 群众).
    assert rewrite("宁安镇帮老百姓免费打官司了吗").startswith("宁安镇帮群众法律援助")
    assert rewrite("把不该镇里管的事退回去") == "把不适宜乡镇承担的事收回"
    assert rewrite("镇里的一把手上法庭了吗") == "镇里的第一责任人出庭应诉了吗"


def test_street_stalls_are_roadside_business():
    # probe batch 7: "新竹街道管了多少起在路边乱摆摊的？" — its report counts 占道经营类案件.
    assert rewrite("新竹街道管了多少起在路边乱摆摊的？") == "新竹街道管了多少起在路边占道经营的？"


def test_everyday_words_for_shortfalls_deciders_and_legal_helpers():
    # seed_questions8 (S8-P12, P14, P17): "缺人还是缺钱", "大事拍板", "懂法的带头人".
    assert rewrite("宁河镇执法是缺人还是缺钱？") == "宁河镇执法是人员力量不足还是经费不足？"
    assert rewrite("季家镇大事拍板前要先过谁那一关？") == "季家镇重大行政决策前要先过谁那一关？"
    assert rewrite("商酒务镇懂法的带头人派上了什么用场？") == "商酒务镇法律明白人派上了什么用场？"
    # a longer word is not cut into: "懂法的人才" and "法律明白人" stay as they are
    assert rewrite("商酒务镇为什么懂法的人才留不住？") == "商酒务镇为什么懂法的人才留不住？"
    assert rewrite("河市镇有多少名法律明白人") == "河市镇有多少名法律明白人"
