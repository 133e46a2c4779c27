"""Totals across reports: "五个镇一共化解了多少矛盾纠纷" — only single stated figures are added."""

from __future__ import annotations

import re

from bot.answers.combined import ADDED_APART, set_apart_rows
from bot.answers.each import each_answer, same_measure
from bot.answers.figure_answer import figure_rows, table_answer, years_note
from bot.answers.model import Answer, CitedFigure, Row
from bot.answers.phrases import named_unit
from bot.answers.table import Evidence
from bot.figures.numbers import average_value, format_value
from bot.figures.vocabulary import Metric
from bot.report import Report


def total_answer(question: str, evidence: Evidence, average: bool = False) -> Answer:
    """The sum of the single stated figures (or, `average`, their mean per report that states one)."""
    table = evidence.table
    single_rows = [(report, cited) for report, cited in table.rows if len(cited) == 1]
    if not single_rows:
        return each_answer(question, evidence)
    # A combined count of several kinds is not added to single kinds' figures (bot.answers.combined).
    added, apart = set_apart_rows(question, single_rows)
    added, unlike = _like_with_like(question, added, table.choice.metric)
    single = [(report, own[0]) for report, own in added]
    cited = [c for _, c in single]
    rows = [Row(table.stand_in_note()), *_sum_remarks(cited)]
    rows += [Row(years_note([report for report, _ in single])), Row("明细："), *figure_rows(cited, "- ")]
    for report, all_cited in table.rows:
        if len(all_cited) > 1:
            # An itemised report gives no total of its own; adding its items would invent one.
            rows.append(Row(f"{report.township}分项给出、未给出合计，未计入："))
            rows += figure_rows(all_cited, "  - ")
            cited.extend(all_cited)
    if apart:
        rows += [Row(ADDED_APART), *figure_rows(apart, "- ")]
        cited.extend(apart)
    if unlike:
        rows += [Row(_UNLIKE), *figure_rows(unlike, "- ")]
        cited.extend(unlike)
    missing = table.missing_note("，未计入合计") if table.missing else ""
    lead = _lead([c for _, c in single], table.label, table.choice.metric, average)
    return table_answer(
        question, lead, rows, cited, evidence, use="未计入", missing=missing, approximate=False
    )


_UNLIKE = "单位不同、所计不是同一种数，未计入合计："


def _like_with_like(question: str, rows: list, metric: Metric | None) -> tuple[list, list[CitedFigure]]:
    """The rows whose figure counts in the measure the question asks ("多少件": 件, 起, 宗), else in
    the one most reports use; the rest are set apart. A curated metric's units compare by design;
    the question's own wording may gather "依申请公开5件" and "主动公开政府信息91条", which are not
    one count."""
    if metric is not None or not rows:
        return rows, []
    units = [own[0].figure.unit for _, own in rows]
    asked = named_unit(question, ge=True) or max(units, key=lambda u: sum(same_measure(u, o) for o in units))
    if not any(same_measure(asked, u) for u in units):
        return rows, []
    kept = [row for row in rows if same_measure(asked, row[1][0].figure.unit)]
    return kept, [own[0] for _, own in rows if not same_measure(asked, own[0].figure.unit)]


def _lead(single: list[CitedFigure], label: str, metric: Metric | None, average: bool = False) -> str:
    total = sum(c.figure.value for c in single)
    units = list(dict.fromkeys(c.figure.unit for c in single))
    approximate = [c for c in single if c.figure.approximate]
    around = any(re.search(r"约|近|左右|上下", c.stated) for c in approximate)
    bound = "约" if around else ("至少" if approximate else "")
    towns = _whose([c.report for c in single])
    # Units taken as one measure ("场", "场次"): the one most reports use names the sum.
    unit = max(units, key=[c.figure.unit for c in single].count)
    if average:
        mean = format_value(average_value([c.figure.value for c in single]))
        one_town = len({c.report.township for c in single}) == 1
        each, counted = ("每年", "年") if one_town else ("每个乡镇", "个乡镇")
        return (
            f"{towns}的报告平均{each}{label}{bound}{mean}{unit}"
            f"（{len(single)}{counted}合计{format_value(total)}{unit}）。"
        )
    return f"{towns}的报告合计{label}{bound}{format_value(total)}{unit}。"


def _sum_remarks(single: list[CitedFigure]) -> list[Row]:
    """How the sum was made: units taken as one measure, approximate figures added as stated."""
    rows = []
    units = list(dict.fromkeys(c.figure.unit for c in single))
    if len(units) > 1:
        rows.append(Row(f"（{'、'.join(units)}按同一口径相加。）"))
    if any(c.figure.approximate for c in single):
        parts = "、".join(f"{c.report.township}“{c.stated}”" for c in single if c.figure.approximate)
        rows.append(Row(f"其中{parts}为约数，按所述数字相加。"))
    return rows


def _whose(reports: list[Report]) -> str:
    """Whose reports are added: "兴隆镇、河市镇", or one town's several years "育才街道2023年、2024年"."""
    towns = list(dict.fromkeys(r.township for r in reports))
    if len(towns) == 1 and len(reports) > 1:
        return towns[0] + "、".join(f"{r.year}年" for r in sorted(reports, key=lambda r: r.year or 0))
    return "、".join(towns)
