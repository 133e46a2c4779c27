"""Whether a question asks for a number: one rule for the search's lead sentence, the answer's kind of
quantity and a follow-up's implied "有多少"."""

from __future__ import annotations

import re

# "多少/几" with or without a measure word after it ("几位", "多少人次"), or the words that name a
# quantity ("数量", "比例", "百分之几").
_ASKS_FOR_NUMBER = re.compile(r"多少|几|数量|数字|规模|比例|占比|百分之")


def asks_for_number(question: str) -> bool:
    return bool(_ASKS_FOR_NUMBER.search(question))
