"""Reading a question before retrieval: is it usable, which townships and years does it name."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from bot.errors import BadQuestion, UnknownTownship, UnknownYear
from bot.lang.parts import asked_part
from bot.lang.places import find_mentions, named_townships, township_kinds, township_stem
from bot.lang.script import is_traditional, to_simplified
from bot.report import Report

MAX_QUESTION_CHARS = 200
_SURROGATE = re.compile("[\ud800-\udfff]")
_YEAR = re.compile(r"(20\d{2})\s*年")
_GREETING = re.compile(
    r"^(你好|您好|嗨|哈喽|hello|hi|hey|早上好|晚上好|下午好|谢谢|多谢|感谢|再见|拜拜|在吗|你是谁|你叫什么)"
    r"[呀啊吗呢！!。.？?～~，, ]*$",
    re.IGNORECASE,
)
# Place names that end in an administrative unit; used to notice a question about a place that
# is not in the corpus ("北京市2024年的GDP是多少"). Common words that merely end in 市/区/县
# (城市, 市场, 社区, 园区…) are excluded below.
# 旗/盟/苏木 are Inner Mongolia's county, prefecture and township. A one-character county (沛县, 丰县)
# counts only where a place name can start: the question's start or after a separator ("赴县参加" is not).
_PLACE = re.compile(
    r"((?!家)[^\s\d的了是在和与及有几个份些类种所哪什么多少，。？！、赴到给往把被请送]{2,6}?"
    r"(?:省|自治区|市|县|区|镇|乡|街道|旗|盟|苏木)"
    r"|(?:^|(?<=[，、和与及 ]))[\u4e00-\u9fff]县)"
    r"(?!场|域|民|级|容|委|帜|城)"
)
_NOT_PLACES = frozenset(
    """
    城市 都市 超市 市场 城区 社区 园区 地区 山区 景区 辖区 片区 小区 校区 误区 盲区
    街区 农村 乡镇 城乡 乡村 村镇 城镇 集镇 各镇 全镇 本镇 我镇 该镇 哪个镇 哪些镇
    各乡镇 全区 全市 全县 各区 各县 哪个乡 哪些乡 哪个区 哪个县 每个镇
    民族乡 民族镇 少数民族乡 瑶族乡 满族乡 回族乡 彝族乡 苗族乡 土家族乡 街道办
    该县 本县 我县 此县 每县 郡县 市县 区县 外县 邻县 全旗 本旗 该旗 各旗 哪个旗 全盟
    """.split()
)
# Words that end in 旗/盟 without being a banner or league: no place when the place ends with them,
# but a place's name may begin with one (红旗乡, 联盟镇, 红旗街道 are townships).
_NOT_PLACE_ENDS = ("国旗", "红旗", "党旗", "团旗", "队旗", "锦旗", "彩旗", "联盟", "同盟", "加盟", "结盟")


# Words of what a question asks that no place name holds: a run of them before 县/镇/街道 ("哪个镇组织
# 干部赴县参加培训", "请律师给街道") is no place. Characters never in a place name are kept out of _PLACE.
_NOT_IN_NAMES = (
    "干部", "组织", "律师", "下乡", "开展", "参加", "举办", "召开", "培训", "学习", "检查",
    "列出", "全部", "所有", "列举", "统计",
)  # fmt: skip
# Words that set a question's scope over townships and name none: "五个镇", "三个街道", "每镇", "各乡",
# "全镇", "平均每个街道". Cut out before places are looked for, else "五个镇平均每镇" reads as a place
# "镇平均每镇". A numeral without 个 counts only where a name cannot go on before it ("十八里镇" is one).
_SCOPE_WORDS = re.compile(
    r"(?:[一二两三四五六七八九十百\d]+个|(?<![\u4e00-\u9fff])[一二两三四五六七八九十百\d]+|(?:平均)?(?:每|各|全|本|该|我|此)个?)"
    r"(?:乡镇|镇街|镇|乡|街道|县|区|市|旗)"
)


@dataclass(frozen=True)
class Scope:
    """Which reports a question is about, after reading both the question and the explicit filters."""

    towns: tuple[str, ...]  # empty: every township
    year: int | None
    named_towns: tuple[str, ...]  # townships the question itself names (for follow-ups and answers)
    unknown_places: tuple[str, ...]  # places the question names that no report in the corpus covers
    asks_plans: bool = False  # names the year after a report's year: its next-year plan section answers
    # A year the question names that no report of its townships covers ("垡头街道…审议了2022年度…报告"
    # of a 2023 report): it does not filter, and answers say which year they quote instead.
    other_year: int | None = None

    def covers(self, report: Report) -> bool:
        """Whether a report is among those the question is about."""
        return (not self.towns or report.township in self.towns) and (
            self.year is None or report.year == self.year
        )


def check_question(question: str) -> str:
    """The question stripped and in simplified script, or BadQuestion with a message saying how to ask."""
    if not isinstance(question, str):
        raise BadQuestion("问题必须是文字。请输入一个问题，例如：“季家镇办理了多少件行政执法案件？”")
    text = question.strip()
    if _SURROGATE.search(text):
        # A lone surrogate (bytes that were not valid UTF-8) cannot be encoded or searched.
        raise BadQuestion("问题中有无法识别的字符（可能是编码错误）。请重新输入，或把问题另存为 UTF-8 文本")
    if not text:
        raise BadQuestion("问题为空。请输入一个问题，例如：“季家镇办理了多少件行政执法案件？”")
    if len(text) > MAX_QUESTION_CHARS:
        raise BadQuestion(
            f"问题太长（{len(text)} 字，上限 {MAX_QUESTION_CHARS} 字）。请只问一件事，例如："
            "“河市镇化解了多少矛盾纠纷？”"
        )
    if not re.search(r"[\u4e00-\u9fffA-Za-z0-9]", text):
        raise BadQuestion("问题里没有文字。请用中文提问，例如：“哪个镇办理行政执法案件最多？”")
    # Word lists, figures and the index's search text are simplified; a question in traditional
    # script is read in simplified form (quotes are still shown as each report writes them).
    return to_simplified(text) if is_traditional(text) else text


def is_greeting(question: str) -> bool:
    return bool(_GREETING.match(question.strip()))


def find_townships(question: str, townships: Sequence[str]) -> tuple[str, ...]:
    """Townships of the corpus named in the question, by full name or by stem, in corpus order."""
    return named_townships(question, townships)


def resolve_town_filter(towns: Sequence[str], townships: Sequence[str]) -> tuple[str, ...]:
    """Explicit --town values matched to corpus names ("季家" → "季家镇"); unknown → UnknownTownship."""
    resolved = []
    for raw in towns:
        name = raw.strip()
        if not name:
            continue
        match = next((t for t in townships if name in (t, township_stem(t))), None)
        if match is None:
            raise UnknownTownship(name, list(townships))
        if match not in resolved:
            resolved.append(match)
    return tuple(resolved)


def resolve_scope(
    question: str,
    *,
    townships: Sequence[str],
    years: Sequence[int],
    districts: Sequence[str] = (),
    district_towns: Mapping[str, Sequence[str]] | None = None,
    towns: Sequence[str] = (),
    year: int | None = None,
    town_years: Collection[tuple[str, int | None]] = (),
) -> Scope:
    """Combine explicit filters with townships and years named in the question.

    Explicit filters win. A year in the question narrows the search only when some report
    covers that year: "2025年的工作安排" is found inside 2024 reports. `town_years` are the corpus's
    (township, year) pairs: a question's year that no report of its townships covers is what the
    report talks about (a plan, an earlier report), not a filter.
    """
    explicit = resolve_town_filter(towns, townships)
    if year is not None and year not in years:
        raise UnknownYear(year, sorted(years))
    named = find_townships(question, townships)
    named_years = [int(y) for y in _YEAR.findall(question)]
    question_years = [y for y in named_years if y in years]
    chosen_year = year if year is not None else (question_years[0] if len(set(question_years)) == 1 else None)
    unknown = unknown_places(question, [*townships, *districts])
    # A county narrows to its townships unless a town the corpus lacks is named too ("松阳县竹源镇").
    chosen_towns = explicit or named or (() if unknown else county_towns(question, district_towns or {}))
    other_year = None
    covered = any((town, chosen_year) in town_years for town in chosen_towns)
    if year is None and chosen_year is not None and chosen_towns and town_years and not covered:
        chosen_year, other_year = None, chosen_year
    # A year no report covers and no report's plan looks ahead to ("东方山街道2019年…"): the towns'
    # reports are of other years, and answers say so.
    unheld = [y for y in named_years if y not in years and y - 1 not in years]
    if year is None and chosen_year is None and other_year is None and chosen_towns and unheld:
        other_year = unheld[0]
    plans_ahead = other_year is not None and any((t, other_year - 1) in town_years for t in chosen_towns)
    if plans_ahead and asked_part(question) == "plans":
        # "喜洲镇2024年有什么工作计划" of its 2023 report: the plans it states for 2024 answer, no note.
        other_year = None
    return Scope(
        towns=chosen_towns,
        year=chosen_year,
        named_towns=named,
        unknown_places=unknown,
        asks_plans=any(y not in years and y - 1 in years for y in named_years) or plans_ahead,
        other_year=other_year,
    )


def county_towns(question: str, district_towns: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """The townships of the counties a question names instead of a town ("遂溪县那个镇…" → 河头镇):
    a county official names the county when its township's name escapes him."""
    towns = (t for district, ts in district_towns.items() if district in question for t in ts)
    return tuple(dict.fromkeys(towns))


# "哪个街道…最多", "各街道…": a question over the 街道 alone. 镇 and 乡 are not read so: "哪个镇…最多" is
# how officials ask over every kind of township.
_WHICH_STREETS = re.compile(r"(?:哪个|哪一个|哪些|哪几个|各个?|每个|所有)街道")


def street_towns(question: str, townships: Sequence[str]) -> tuple[str, ...]:
    """The 街道 among `townships` when the question asks over 街道 alone; () when it does not, or when
    there are none (the word was loose: every township is meant)."""
    if not _WHICH_STREETS.search(question):
        return ()
    return tuple(t for t in townships if "街道" in township_kinds(t))


def unknown_places(question: str, known: Sequence[str]) -> tuple[str, ...]:
    """Place names in the question that match no township or district of the corpus."""
    found = []
    for match in _PLACE.finditer(_SCOPE_WORDS.sub("，", question)):
        place = match.group(1)
        if not re.fullmatch(r"[\u4e00-\u9fff]+", place):
            continue
        if (
            place in _NOT_PLACES
            or any(word in place for word in _NOT_PLACES)
            or place.endswith(_NOT_PLACE_ENDS)
        ):
            continue
        if any(word in place for word in _NOT_IN_NAMES):
            continue
        if find_mentions(place, known):  # a known name (a near-miss kind, 河头乡 of 河头镇, is not)
            continue
        found.append(place)
    return tuple(found)
