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
