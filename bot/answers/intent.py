"""Reading a question once: is it a cross-report question (ranking, per-town figures, total, one
town's figure, "哪些镇…" presence, the corpus itself), or one for passage retrieval."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.figures.numbers import parse_chinese_numeral

IntentKind = Literal["corpus", "rank", "each", "total", "single", "presence"]
# How a threshold word compares: "超过200件" is value > 200, "5000份以上" value >= 5000.
_COMPARE = {
    "超过": ">",
    "多于": ">",
    "大于": ">",
    "高于": ">",
    "不少于": ">=",
    "至少": ">=",
    "不低于": ">=",
    "以上": ">=",
    "以下": "<=",
}


@dataclass(frozen=True)
class Threshold:
    """A limit the question sets ("超过200件"): the word, the value and the unit as asked."""

    word: str
    value: float
    unit: str

    def passes(self, value: float) -> bool:
        compare = _COMPARE.get(self.word, "<")
        limit = self.value
        return {">": value > limit, ">=": value >= limit, "<": value < limit, "<=": value <= limit}[compare]


@dataclass(frozen=True)
class Intent:
    """What kind of cross-report question this is."""

    kind: IntentKind
    order: Literal["max", "min"] = "max"  # for rankings
    top_n: int | None = None  # "前三" → 3
    corpus_topic: Literal["towns", "years", "count"] = "towns"
    threshold: Threshold | None = None  # "哪些镇…超过200件"


# --- recognising the question ---------------------------------------------------------------

_CORPUS_SCAFFOLD = re.compile(
    r"语料库|资料库|知识库|数据库|库|系统|里面|里|中|现在|目前|一共|总共|共|都|有|包括|包含|收录|覆盖|是|"
    r"哪些|哪几个|哪几|哪个|哪一|几个|几份|几|多少个|多少份|多少|乡镇|镇|街道|地方|的|报告|文件|年份|年度|年|"
    r"吗|呢|了|啊|请问|请|列出|告诉我|[？?。！!，,\s]"
)
_RANK = re.compile(
    r"最(?:多|少|高|低|大|小)|前(?:[一二三四五六七八九十]|\d+)(?:名|位|个)?|排名|排序|排行|名次|从高到低|从多到少|从少到多|从低到高"
)
_WHICH_MORE = re.compile(r"(?:哪个|哪一个|哪|谁)[^，。？?]*?(?:较多|更多|多|较少|更少|少|高|低)")
_MIN = re.compile(r"最(?:少|低|小)|较少|更少|从少到多|从低到高|(?:哪个|谁)[^，。？?]*?(?:少|低)")
_EACH = re.compile(
    r"各(?:个)?(?:乡镇|镇|街道)|每(?:个|一个)(?:乡镇|镇)|分别|各自|列出|对比|比较|一览|各报告|每份报告"
)
_TOTAL = re.compile(r"一共|合计|总共|总计|加起来|共计|总数|加在一起|累计")
_QUANTITY = re.compile(
    r"多少|几(?=[件次个场份人起名条本册张项家户期位])|数量|数字|数目|次数|件数|人数|人次|占比|比例|金额|几成"
)
_PRESENCE = re.compile(
    r"哪些|哪几个|哪几|有没有|是否有|哪个(?:乡镇|镇|街道)?(?:的报告)?(?:中|里)?(?:提到|提及|写到|谈到|涉及)"
)
_THRESHOLD = re.compile(
    r"(?P<word>超过|多于|大于|高于|不少于|至少|不低于|少于|低于|不到|不足|小于)\s*(?P<value>\d+(?:\.\d+)?)"
    r"\s*(?P<unit>[件起次场份人名个%]|人次|场次)?"
    r"|(?P<value2>\d+(?:\.\d+)?)\s*(?P<unit2>[件起次场份人名个%]|人次|场次)?\s*(?P<word2>以上|以下)"
)
_TOP_N = re.compile(r"前([一二两三四五六七八九十]|\d+)")


def classify(question: str, n_towns: int, townships: Sequence[str] = ()) -> Intent | None:
    """The kind of cross-report question, or None for an ordinary question (passage retrieval).

    `n_towns` is how many townships the question is restricted to (0 = all); `townships` are the
    corpus's township names, ignored when deciding whether a question is about the corpus
    ("商酒务镇是哪一年的报告").
    """
    corpus = _corpus_intent(question, townships)
    if corpus is not None:
        return corpus
    limit = _THRESHOLD.search(question)
    if limit and n_towns != 1 and not _RANK.search(question):
        return Intent("each", threshold=_threshold(limit))
    without_how_many = question.replace("多少", "")
    if _RANK.search(question) or (n_towns != 1 and _WHICH_MORE.search(without_how_many)):
        order = "min" if _MIN.search(without_how_many) else "max"
        return Intent("rank", order=order, top_n=_top_n(question))
    if _TOTAL.search(question) and n_towns != 1:
        return Intent("total")
    if _QUANTITY.search(question) or (_TOTAL.search(question) and n_towns == 1):
        return Intent("single") if n_towns == 1 else Intent("each")
    if _EACH.search(question) and re.search(r"数|多少|几", question):
        return Intent("each")
    evaluative = re.search(r"最|更|好|差|强|弱|优秀|突出", question)
    if (
        _PRESENCE.search(question)
        and re.search(r"乡镇|镇|街道|报告", question)
        and n_towns != 1
        and not evaluative
    ):
        return Intent("presence")
    return None


def _corpus_intent(question: str, townships: Sequence[str]) -> Intent | None:
    """A question about the corpus itself: nothing left but question scaffolding once names are removed."""
    bare = question
    for town in sorted(townships, key=len, reverse=True):
        bare = bare.replace(town, "")
    if _CORPUS_SCAFFOLD.sub("", bare) or not re.search(r"哪|几|多少|有", bare):
        return None
    if "年" in question:
        return Intent("corpus", corpus_topic="years")
    if re.search(r"几|多少", question):
        return Intent("corpus", corpus_topic="count")
    return Intent("corpus", corpus_topic="towns")


def _threshold(limit: re.Match[str]) -> Threshold:
    word = limit.group("word") or limit.group("word2")
    value = float(limit.group("value") or limit.group("value2"))
    return Threshold(word, value, limit.group("unit") or limit.group("unit2") or "")


def _top_n(question: str) -> int | None:
    top = _TOP_N.search(question)
    if not top:
        return None
    return int(top.group(1)) if top.group(1).isdigit() else parse_chinese_numeral(top.group(1))
