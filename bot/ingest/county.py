"""The county a report answers to, read from how its body names the governments above it.

Many titles give only the township ("东里镇2025年法治政府建设情况报告") and no 致送 line names the
county; the body still does, wherever it says whose lead or plan the township follows: "在雷州市委、
市政府领导下", "按照伊金霍洛旗法治政府建设的相关要求", "紧扣《华蓥市法治政府建设规划》",
"省、清远市和英德市的有关会议精神". A chain of authorities runs from higher to lower ("湛江市委、
廉江市委"), so its last name is the nearest; a 区/县/旗 outranks a 市, which may be the prefecture above.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Before the name: the start of a clause, a title mark, a list joiner, or a verb of following.
_BEFORE = (
    r"(?:^|(?<=[《<〈“、，,。；;：:（(\s和及与在])"
    r"|(?<=按照)|(?<=根据)|(?<=落实)|(?<=贯彻)|(?<=紧扣)|(?<=结合))"
)
# The name itself: no function word inside, and not begun by the verb or adverb before it.
_NOT_START = (
    "按照|根据|落实|贯彻|紧扣|结合|学习|严格|全面|推进|依法|中央|街道|办事处|[在和及与对全本我该各辖此每]"
)
_NAME = (
    rf"(?!{_NOT_START})"
    r"(?P<name>(?:(?![省市区县旗委的和及与在对将为是了])[\u4e00-\u9fff]){2,6}?(?P<level>新区|区|县|市|旗))"
)
# After it: that government's organs, its plans and documents, or its meetings' requirements.
_AFTER = r"(?=委|党工委|管委会|人民政府|政府|法治|依法治|关于|有关|的有关|相关|\d{4}\s*年|二[〇零○])"
_AUTHORITY_RE = re.compile(_BEFORE + _NAME + _AFTER, re.MULTILINE)
# Between two names of one chain: "、", "和", the first one's organs ("委、市政府和").
_CHAIN_GAP_RE = re.compile(r"^(?:委|党工委|管委会|人民政府|政府|[市区县旗]委|[市区县旗]政府|[、和及与]|\s)*$")
# Places and zones that end like a county without being one.
_NOT_COUNTY_ENDINGS = (
    "社区", "辖区", "园区", "景区", "小区", "片区", "山区", "库区", "矿区", "林区", "牧区", "街区",
    "示范区", "功能区", "地区", "责任区", "保护区", "试验区", "先行区", "老城区", "主城区", "中心城区",
)  # fmt: skip
# Municipalities directly under the central government: a province, never a township's county.
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_LEVEL_RANK = {"市": 0, "区": 1, "县": 1, "旗": 1, "新区": 1}


@dataclass(frozen=True)
class _Mention:
    name: str
    rank: int  # 1 for a 区/县/旗, 0 for a 市
    depth: int  # how many names of the same chain come before it


def county_from_authorities(text: str, township: str) -> str | None:
    """The county-level name the body follows the lead of, or None when it names none."""
    mentions: list[_Mention] = []
    previous_end, depth = -1, 0
    for match in _AUTHORITY_RE.finditer(text):
        name = match["name"]
        if name.endswith(_MUNICIPALITIES) or name.endswith(_NOT_COUNTY_ENDINGS) or township in name:
            continue
        chained = previous_end >= 0 and _CHAIN_GAP_RE.match(text[previous_end : match.start()])
        depth = depth + 1 if chained else 0
        previous_end = match.end()
        mentions.append(_Mention(name, _LEVEL_RANK[match["level"]], depth))
    if not mentions:
        return None
    counts = Counter(m.name for m in mentions)
    best = max(mentions, key=lambda m: (m.rank, m.depth, counts[m.name]))
    return best.name
