"""bot.lang.asks: the one rule for "does this question ask for a number"."""

import pytest

from bot.lang.asks import asks_for_number


@pytest.mark.parametrize(
    "question",
    ["季家镇有几位法律顾问", "受众多少人次", "复议纠错的比例是多少", "持证率占比", "执法人员数量"],
)
def test_questions_asking_for_a_number(question):
    assert asks_for_number(question)


@pytest.mark.parametrize("question", ["兴隆镇的法律顾问是谁", "季家镇怎样开展学法", "存在哪些不足"])
def test_questions_asking_for_no_number(question):
    assert not asks_for_number(question)
