"""Questions about the corpus itself: how many reports, which ones, of which years, kinds of township,
counties and script. Every answer states its count and lists the reports it counted, so each number
can be checked against the list."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.answers.intent import CorpusQuery, Intent
from bot.answers.model import Answer, Row
from bot.answers.render import compose, town_year
from bot.lang.places import township_kinds
from bot.lang.script import simplified_name
from bot.report import Report

_KIND_ORDER = ("镇", "乡", "街道", "苏木")
_SCRIPT_WORDS = {"traditional": "用繁体字写的", "simplified": "用简体字写的"}
_SCRIPT_NAMES = {"traditional": "繁体字", "simplified": "简体字"}
NO_DISTRICT = "原文未写明县区"
_END_OF_YEARS = re.compile(r"最早|最晚|最新|最近")
_MOST = re.compile(r"最多|最少")


def corpus_answer(question: str, intent: Intent, reports: Sequence[Report]) -> Answer:
    """The answer to a question about the corpus, from the reports the question's scope covers."""
    query = intent.corpus
    districts = _named_districts(query.places, reports)
    what = _description(query, districts)
    if not reports:
        return compose(question, "answered", "corpus", f"语料库中没有{what}报告。")
    counted = sorted(
        (r for r in reports if _counted(r, query, districts)), key=lambda r: (r.year is None, r.year or 0)
    )
    if not counted:
        there, rows = _overview(query, districts, reports)
        return compose(question, "answered", "corpus", f"语料库中没有{what}报告。{there}", rows)
    most = _MOST.search(question)
    if most:  # "哪个年份的报告最多": the groups with the most (fewest) reports, then every group
        return compose(question, "answered", "corpus", *_most(what, query, counted, most.group()))
    if query.topic == "years":  # the townships are named beside their years
        what = _description(query, districts, with_towns=False)
        lead = f"语料库中{what}报告的年份：{_years(counted)}。"
        end = _END_OF_YEARS.search(question)
        dated = [r for r in counted if r.year]
        if end and dated:  # "最早的报告是哪一年的": that end first, then every year
            year = (min if end.group() == "最早" else max)(r.year for r in dated)
            those = _years([r for r in dated if r.year == year])
            lead = f"语料库中{what}报告{end.group()}的是{those}。" + lead
        return compose(question, "answered", "corpus", lead)
    if query.topic == "districts":
        return compose(question, "answered", "corpus", *_by_district(what, counted))
    towns = len({r.township for r in counted})
    # "一共有多少个乡镇" counts townships, "有几份报告" reports: say both when they differ or are asked.
    asks_towns = re.search(r"(?:几|多少)(?:个|家)", question) is not None
    of_towns = f"（{towns}个乡镇）" if towns != len(counted) or asks_towns else ""
    lead = f"语料库中共有{len(counted)}份{what}报告{of_towns}："
    rows = [Row(f"- {town_year(r)}{r.listed_title}") for r in counted]
    return compose(question, "answered", "corpus", lead, rows)


def _is_kind(report: Report, kind: str) -> bool:
    """Whether a report's township is of a kind as asked; "瑶族乡" is matched by the name's ending."""
    name = simplified_name(report.township)
    return kind in township_kinds(name) or (kind.endswith("族乡") and name.endswith(kind))


def _named_districts(places: Sequence[str], reports: Sequence[Report]) -> dict[str, set[str]]:
    """Per county/district of the reports, the question's names for it: as written, or with another
    last character ("武隆县" for 武隆区, renamed)."""
    named: dict[str, set[str]] = {}
    for district in {r.district for r in reports if r.district}:
        for place in places:
            if place == district or (len(place) > 2 and place[:-1] == district[:-1]):
                named.setdefault(district, set()).add(place)
    return named


def _counted(report: Report, query: CorpusQuery, districts: dict[str, set[str]]) -> bool:
    return (
        (not query.years or report.year in query.years)
        and (not query.kinds or any(_is_kind(report, k) for k in query.kinds))
        and (not query.places or report.district in districts)
        and (query.script is None or report.script == query.script)
    )


def _description(query: CorpusQuery, districts: dict[str, set[str]], *, with_towns: bool = True) -> str:
    """The reports counted, as the lead names them: "武隆区2025年街道的", "用繁体字写的", or ""."""
    years = "、".join(f"{y}年" for y in query.years)
    asked = set().union(*districts.values())  # a place no report's county matches is named as asked
    places = [*districts, *(p for p in query.places if p not in asked), *(query.towns if with_towns else ())]
    named = "、".join(places) + years + "、".join(query.kinds)
    script = _SCRIPT_WORDS.get(query.script or "", "")
    return (f"{named}的" if named else "") + script


def _overview(
    query: CorpusQuery, districts: dict[str, set[str]], reports: Sequence[Report]
) -> tuple[str, list[Row]]:
    """What the corpus does hold when no report passes every filter: the reports that pass all but
    one, grouped along that one ("现有的5份2021年的报告按乡镇类型：" and a row per kind)."""
    groupings: tuple[tuple[str, str, Callable[[Report], str]], ...] = (
        ("kinds", "乡镇类型", _main_kind),
        ("places", "县区", lambda r: r.district or NO_DISTRICT),
        ("script", "字体", lambda r: _SCRIPT_NAMES.get(r.script, r.script)),
        ("years", "年份", _year_name),
    )
    for field, name, key in groupings:
        if not getattr(query, field):
            continue
        wider = replace(query, **{field: None if field == "script" else ()})
        base = [r for r in reports if _counted(r, wider, districts)]
        if base:
            return f"现有的{len(base)}份{_description(wider, districts)}报告按{name}：", _grouped(base, key)
    # `reports` are those the question's scope covers: its townships, and its year when the corpus has it.
    years = {r.year for r in reports}
    scope = CorpusQuery(
        towns=query.towns, years=tuple(years) if len(years) == 1 and years <= set(query.years) else ()
    )
    return f"现有的{len(reports)}份{_description(scope, {})}报告按年份：", _grouped(reports, _year_name)


def _year_name(report: Report) -> str:
    return f"{report.year}年" if report.year else "年份不详"


def _main_kind(report: Report) -> str:
    kinds = township_kinds(report.township)
    return next((k for k in _KIND_ORDER if k in kinds), "其他")


def _grouped(reports: Sequence[Report], key: Callable[[Report], str]) -> list[Row]:
    """A row per value of `key`, most reports first, with its count and its reports."""
    groups: dict[str, list[Report]] = {}
    for report in reports:
        groups.setdefault(key(report), []).append(report)
    ordered = sorted(groups.items(), key=lambda item: (item[0] == NO_DISTRICT, -len(item[1])))
    return [Row(f"- {value}（{len(rs)}份）：{'、'.join(town_year(r) for r in rs)}") for value, rs in ordered]


def _by_district(what: str, reports: Sequence[Report]) -> tuple[str, list[Row]]:
    named = {r.district for r in reports if r.district}
    lead = f"语料库中{what}报告共{len(reports)}份，涉及{len(named)}个县区："
    if not named:  # "宁安镇的报告是哪个县的": say so rather than "涉及0个县区"
        lead = f"语料库中{what}报告共{len(reports)}份，原文都没有写明所属县区："
    return lead, _grouped(reports, lambda r: r.district or NO_DISTRICT)


def _most(what: str, query: CorpusQuery, reports: Sequence[Report], end: str) -> tuple[str, list[Row]]:
    """Which year, county or township has the most (or fewest) of the reports, ties named together;
    reports of no stated county are left out of a county ranking (they may be of many)."""
    name, key = {
        "years": ("年份", _year_name),
        "districts": ("县区", lambda r: r.district or NO_DISTRICT),
    }.get(query.topic, ("乡镇", lambda r: r.township))
    counts = Counter(map(key, reports))  # first-seen order, as the rows below
    counts.pop(NO_DISTRICT, None)
    if not counts:
        return f"语料库中{what}报告都没有写明所属{name}。", []
    best = (max if end == "最多" else min)(counts.values())
    tied = [value for value, n in counts.items() if n == best]
    if len(tied) == len(counts) > 1:  # every group alike: no ranking to give, and no long tie line
        lead = f"语料库中{what}报告在各{name}一样多：{len(counts)}个{name}各{best}份。"
    elif len(tied) > 1:
        lead = f"语料库中{what}报告{end}的{name}是{'、'.join(tied)}（并列，各{best}份）。"
    else:
        lead = f"语料库中{what}报告{end}的{name}是{tied[0]}（{best}份）。"
    rows = _grouped(reports, key)
    return lead + f"共{len(reports)}份报告按{name}：", rows


def _years(reports: Sequence[Report]) -> str:
    parts = []
    for year in sorted({r.year for r in reports if r.year}):
        parts.append(f"{year}年（{'、'.join(r.township for r in reports if r.year == year)}）")
    unknown = [r.township for r in reports if not r.year]
    if unknown:
        parts.append(f"年份不详（{'、'.join(unknown)}）")
    return "；".join(parts)


def corpus_listing(reports: Sequence[Report]) -> str:
    """Every report in one line, for answers that must say what the corpus does hold."""
    listed = "、".join(f"{r.township}（{r.year or '年份不详'}）" for r in reports)
    return f"目前收录的报告：{listed}。"


def greeting(question: str, townships: Sequence[str]) -> Answer:
    """The help text a greeting gets: what the bot answers, what it holds, two example questions."""
    text = (
        "您好！我是镇报问答，只回答与乡镇法治政府建设年度报告有关的问题，并逐字引用报告原文。"
        f"目前收录：{'、'.join(townships)}。可以问：“哪个镇办理行政执法案件最多？”"
        "或“河市镇化解了多少矛盾纠纷？”"
    )
    return compose(question, "not_found", "abstain", text)
