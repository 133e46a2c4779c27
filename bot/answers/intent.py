"""Reading a question once: is it a cross-report question (ranking, per-town figures, total, one
town's figure, "哪些镇…" presence, the corpus itself), or one for passage retrieval."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.figures.numbers import parse_chinese_numeral
from bot.lang.places import named_townships, without_townships
from bot.lang.scope import unknown_places

IntentKind = Literal["corpus", "rank", "each", "total", "average", "compare", "count", "single", "presence"]
CorpusTopic = Literal["reports", "years", "districts"]
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
    "等于": "==",
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
        return {
            ">": value > limit,
            ">=": value >= limit,
            "<": value < limit,
            "<=": value <= limit,
            "==": value == limit,
        }[compare]


@dataclass(frozen=True)
class CorpusQuery:
    """A question about the corpus itself, read: what it asks for and which reports it counts.

    Filters of one kind are alternatives ("2023年和2024年"), filters of different kinds all apply.
    """

    topic: CorpusTopic = "reports"  # the reports themselves, their years, or their counties
    towns: tuple[str, ...] = ()  # corpus townships the question names
    years: tuple[int, ...] = ()
    kinds: tuple[str, ...] = ()  # kinds of township: "镇", "乡", "民族乡", "瑶族乡", "街道", "苏木"
    places: tuple[str, ...] = ()  # county/district names as asked ("武隆区"), for Report.district
    script: Literal["traditional", "simplified"] | None = None


@dataclass(frozen=True)
class Intent:
    """What kind of cross-report question this is."""

    kind: IntentKind
    order: Literal["max", "min"] = "max"  # for rankings
    top_n: int | None = None  # "前三" → 3
    corpus: CorpusQuery = CorpusQuery()  # for a question about the corpus itself
    threshold: Threshold | None = None  # "哪些镇…超过200件"; "有几个镇…召开了4次" (等于)
    nth: int | None = None  # "第二多" → 2


# --- recognising the question ---------------------------------------------------------------

_RANK = re.compile(
    r"最(?:多|少|高|低|大|小)|第(?:[一二两三四五六七八九十]|\d+)(?:多|少|高|低|名|位)|前(?:[一二三四五六七八九十]|\d+)(?:名|位|个)?|排名|排序|排行|名次|从高到低|从多到少|从少到多|从低到高"
)
_WHICH_MORE = re.compile(r"(?:哪个|哪一个|哪|谁)[^，。？?]*?(?:较多|更多|多|较少|更少|少|高|低)")
_MIN = re.compile(r"最(?:少|低|小)|较少|更少|从少到多|从低到高|(?:哪个|谁)[^，。？?]*?(?:少|低)")
_EACH = re.compile(
    r"各(?:个)?(?:乡镇|镇|街道)|每(?:个|一个)(?:乡镇|镇)|分别|各自|列出|对比|比较|一览|各报告|每份报告"
)
_TOTAL = re.compile(r"一共|合计|总共|总计|加起来|共计|总数|加在一起|累计")
_QUANTITY = re.compile(
    r"多少|(?<!哪)几(?=[件次个场份人起名条本册张项家户期位])|数量|数字|数目|次数|件数|人数|人次|占比|比例|金额|几成"
)
_PRESENCE = re.compile(
    r"哪些|哪几个|哪几|有没有|是否有|哪个(?:乡镇|镇|街道)?(?:的报告)?(?:中|里)?(?:提到|提及|写到|谈到|涉及)"
)
_THRESHOLD = re.compile(
    r"(?P<word>超过|多于|大于|高于|不少于|至少|不低于|少于|低于|不到|不足|小于)了?\s*(?P<value>\d+(?:\.\d+)?)"
    r"\s*(?P<unit>[件起次场份人名个%]|人次|场次)?"
    r"|(?P<value2>\d+(?:\.\d+)?)\s*(?P<unit2>[件起次场份人名个%]|人次|场次)?\s*(?P<word2>以上|以下)"
)
_TOP_N = re.compile(r"前([一二两三四五六七八九十]|\d+)")
_NTH = re.compile(r"第([一二两三四五六七八九十]|\d+)(?:多|少|高|低|名|位)")
_AVERAGE = re.compile(r"平均")
# "有几个乡镇全年召开了4次…": how many towns state exactly that figure.
HOW_MANY_TOWNS = re.compile(r"(?<!哪)(?:有)?(?:几个|多少个)(?:乡镇|镇|街道|乡)")
_EXACT = re.compile(r"(?<![\d.])(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>人次|场次|[件起次场份人名个项条期])")


_SEVERAL_YEARS = re.compile(
    r"20\d{2}\s*年(?:度)?(?:和|与|及|、|至|到|-|—)20\d{2}|两年|历年|这几年|近几年|每年"
)


def classify(question: str, n_towns: int, townships: Sequence[str] = ()) -> Intent | None:
    """The kind of cross-report question, or None for an ordinary question (passage retrieval).

    `n_towns` is how many townships the question is restricted to (0 = all); `townships` are the
    townships of the reports it is asked of, one per report (a town of two years twice), ignored when
    deciding whether a question is about the corpus ("商酒务镇是哪一年的报告").
    """
    corpus = read_corpus_question(question, townships)
    if corpus is not None:
        return Intent("corpus", corpus=corpus)
    limit = _THRESHOLD.search(question)
    exact = _EXACT.search(question)
    how_many_towns = n_towns != 1 and HOW_MANY_TOWNS.search(question)
    if how_many_towns and (limit or exact):
        threshold = _threshold(limit) if limit else Threshold("等于", float(exact["value"]), exact["unit"])
        return Intent("count", threshold=threshold)
    if (
        how_many_towns
        and not _RANK.search(question)
        and not _QUANTITY.search(HOW_MANY_TOWNS.sub("", question))
    ):
        return Intent("presence")  # "一共有多少个乡镇开展了述法": the towns whose reports say so, counted
    if limit and n_towns != 1 and not _RANK.search(question):
        return Intent("each", threshold=_threshold(limit))
    without_how_many = question.replace("多少", "")
    if n_towns == 1 and _WHICH_MORE.search(without_how_many) and not _RANK.search(question):
        # "北关镇和河市镇哪个…多" with only 河市镇 in the corpus: that town's figure, and the
        # answer says the other is not in the corpus.
        return Intent("single")
    if _RANK.search(question) or (n_towns != 1 and _WHICH_MORE.search(without_how_many)):
        order = "min" if _MIN.search(without_how_many) else "max"
        if n_towns >= 2 and not _RANK.search(question):
            return Intent("compare", order=order)
        return Intent("rank", order=order, top_n=_top_n(question), nth=_nth(question))
    # "育才街道2023年和2024年…合计多少件": one town's reports of several years are added like towns'.
    several = n_towns != 1 or (len(townships) > 1 and _SEVERAL_YEARS.search(question) is not None)
    if _AVERAGE.search(question) and several:
        return Intent("average")
    if _TOTAL.search(question) and several:
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


def _threshold(limit: re.Match[str]) -> Threshold:
    word = limit.group("word") or limit.group("word2")
    value = float(limit.group("value") or limit.group("value2"))
    return Threshold(word, value, limit.group("unit") or limit.group("unit2") or "")


def _nth(question: str) -> int | None:
    nth = _NTH.search(question)
    if not nth:
        return None
    return int(nth.group(1)) if nth.group(1).isdigit() else parse_chinese_numeral(nth.group(1))


def _top_n(question: str) -> int | None:
    top = _TOP_N.search(question)
    if not top:
        return None
    return int(top.group(1)) if top.group(1).isdigit() else parse_chinese_numeral(top.group(1))


# --- questions about the corpus itself ------------------------------------------------------

# What is left of a corpus question once its filters are cut out: only these words.
_CORPUS_SCAFFOLD = re.compile(
    r"语料库|语料|资料库|知识库|数据库|库|系统|里面|里|中|现在|目前|一共|总共|共计|共|都|有|包括|包含|收录|覆盖|"
    r"涉及|来自|属于|所属|位于|分布|分别|各|是|哪些|哪几个|哪几|哪个|哪一个|哪一|哪份|哪|几个|几份|几|多少个|"
    r"多少份|多少|什么|乡镇|镇街|镇|乡|街道|苏木|县区|区县|县|区|市|旗|地方|单位|的|和|与|及|或|、|"
    r"年度报告|工作报告|情况报告|报告|文件|材料|份|篇|年份|年度|年|用|写成|写|字|名称|名字|叫|"
    r"吗|呢|了|啊|请问|请|列出|列举|告诉我|统计|所有|全部|标题|题目|清单|目录|[？?。！!，,\s]"
    # what every report is ("多少份法治政府建设报告"), and which end of the years ("最早的报告")
    r"|法治政府建设|法治建设|法治政府|最早|最晚|最新|最近|一级"
    # the reports pointed at, or the bot asked ("这些报告都是哪几年的", "你们有哪些镇的报告")
    r"|这些|那些|这批|这|你们|你|您|时间|时候"
    # which year/county/township has the most reports ("哪个年份的报告最多")
    r"|最多|最少"
)
_CORPUS_ASKS = re.compile(r"哪|几|多少|有|列出|列举|统计|什么")
_CORPUS_YEAR = re.compile(r"(20\d{2})\s*(?:年度|年)?")
_SCRIPTS: dict[str, re.Pattern[str]] = {
    "traditional": re.compile(r"繁体字?|正体字?"),
    "simplified": re.compile(r"简体字?"),
}
# A kind of township named as a filter ("街道的报告", "几个乡", "民族乡"); after "哪个" it only asks
# which township ("武隆区的报告是哪个镇的") and filters nothing. 乡镇/镇街 mean every kind.
_KIND = re.compile(
    r"(?<!哪个)(?<!哪一个)(?<!哪)"
    r"(街道办事处|街道办|街道|苏木|乡镇|镇街|(?:少数)?民族乡|[^\W\d是的有几份个哪些和与及或、]{1,3}?族乡|镇|乡)"
)


def read_corpus_question(question: str, townships: Sequence[str] = ()) -> CorpusQuery | None:
    """The question read as one about the corpus itself, or None when it asks about the reports'
    contents: once townships, years, kinds of township, counties and script are cut out, nothing
    but question scaffolding may be left ("有几个镇提到了嘎查" keeps 提到了嘎查)."""
    towns = named_townships(question, townships)
    bare = without_townships(question, townships)
    years = tuple(dict.fromkeys(int(y) for y in _CORPUS_YEAR.findall(bare)))
    bare = _CORPUS_YEAR.sub("", bare)
    places = unknown_places(bare, ())
    for place in places:
        bare = bare.replace(place, "")
    script = next((name for name, words in _SCRIPTS.items() if words.search(bare)), None)
    for words in _SCRIPTS.values():
        bare = words.sub("", bare)
    kinds = tuple(dict.fromkeys(k for k in map(_kind, _KIND.findall(bare)) if k))
    bare = _KIND.sub("", bare)
    if _CORPUS_SCAFFOLD.sub("", bare) or not _CORPUS_ASKS.search(bare):
        return None
    asked = bare.replace("年度报告", "")
    topic: CorpusTopic = "reports"
    if re.search(r"年|时间|时候", asked):  # the years asked about were cut out: what is left asks which year
        topic = "years"
    elif re.search(r"县|区|旗", asked):
        topic = "districts"
    return CorpusQuery(topic, towns, years, kinds, places, script)


def _kind(word: str) -> str | None:
    """A kind of township as the question names it, in the form answers use; None for every kind."""
    if word in ("乡镇", "镇街"):
        return None
    if word.startswith("街道"):
        return "街道"
    return "民族乡" if word.endswith("民族乡") else word
