"""Which part of a report a question asks for: its shortcomings, its plans for the next year, or
what it achieved ("主要举措和成效", "取得的成效"; "一年来取得了哪些成效").

Reports head these parts in their own words ("存在的不足和原因", "存在的问题及不足", "下一年度推进
法治政府建设的主要安排", "2025年法治建设工作思路", "初步安排"), and a question in others ("还有哪些短板",
"下一年度的主要安排是什么", "明年打算怎么做", "有什么没做好的"). A paragraph under such a heading
answers before one that merely shares a word with the question ("多次开会研究部署安排依法行政工作").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

Part = Literal["shortcomings", "plans", "achievements"]

_ASKED: dict[Part, re.Pattern[str]] = {
    "shortcomings": re.compile(
        r"不足|短板|差距|薄弱|欠缺|存在(?:的|哪些|什么|啥)?问题|(?:有|还有)(?:哪些|什么|啥)问题|问题(?:和|及|与)不足"
        r"|没(?:有)?(?:做|干|抓)(?:好|到位)|(?:做|干)得不(?:好|够|到位)|不到位"
    ),
    "plans": re.compile(
        r"下一步|下一年|下年度|明年|来年|今后|打算|展望|工作思路|(?:主要|工作|初步)(?:安排|计划)|什么(?:工作)?(?:安排|计划)|计划是什么"
        r"|接下来|(?:准备|要|将|想)(?:怎么|怎样|如何)(?:干|做|办|抓|推进)|准备(?:干|做|抓)(?:什么|哪些|啥)"
    ),
    "achievements": re.compile(
        r"成效|成绩|亮点|成果|取得了?(?:哪些|什么|啥)|(?:好|典型|特色)的?(?:经验|做法)"
    ),
}
_HEADED: dict[Part, re.Pattern[str]] = {
    "shortcomings": re.compile(r"不足|问题|短板|差距"),
    "plans": re.compile(r"下一步|下一年|安排|计划|打算|思路|展望|方向"),
    "achievements": re.compile(r"成效|成绩|亮点|成果|经验"),
}


def asked_part(question: str) -> Part | None:
    """The part of a report the question asks for, or None for an ordinary question."""
    return next((part for part, words in _ASKED.items() if words.search(question)), None)


def in_part(section_path: Sequence[str], part: Part) -> bool:
    """Whether a paragraph with these headings lies in that part of its report."""
    return any(_HEADED[part].search(heading) for heading in section_path)
