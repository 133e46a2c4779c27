"""Per-town figures: "各镇化解矛盾纠纷的数量分别是多少", and thresholds ("哪些镇…超过200件")."""

from __future__ import annotations

import dataclasses

from bot.answers.figure_answer import figure_rows, no_rows_answer, table_answer, years_note
from bot.answers.intent import Threshold
from bot.answers.model import Answer, CitedFigure, Row
from bot.answers.phrases import unit_kind
from bot.answers.render import NAMED_TOWNS, render
from bot.answers.table import Evidence, FigureTable
from bot.figures.numbers import format_value

# Per-town lists of more reports than this list the first ones (a county's 20–55 are listed whole).
LISTED = NAMED_TOWNS

# Measure words that count the same thing: "培训5场" and "培训3场次" add up, "5件" and "91条" do not.
_SAME_MEASURE = (
    frozenset({"场", "场次", "次"}),
    frozenset({"件", "起", "宗"}),
    frozenset({"人", "名", "位"}),
    frozenset({"份", "册", "本"}),
)


def same_measure(unit: str, other: str) -> bool:
    """The two units count the same thing, so their figures add or compare."""
    if unit == other:
        return True
    return any(unit in measure and other in measure for measure in _SAME_MEASURE)


def each_answer(question: str, evidence: Evidence, threshold: Threshold | None = None) -> Answer:
    table = evidence.table
    if not table.rows:
        return no_rows_answer(question, evidence)
    rows = [Row(f"各镇{table.label}的数字（按报告原文）：")]
    cited: list[CitedFigure] = []
    # A city's ~1,450 towns are listed in part, as rankings are; every figure stays in the answer's
    # figures (the page's 数字明细 table, the JSON), which is where the rest are read.
    for report, all_cited in table.rows[:LISTED]:
        if len(all_cited) > 1:
            rows.append(Row(f"- {report.township}分项给出，未给出合计："))
            rows += figure_rows(all_cited, "  - ")
        else:
            rows += figure_rows(all_cited, "- ")
    for _, all_cited in table.rows:
        cited.extend(all_cited)
    if (unlisted := len(table.rows) - LISTED) > 0:
        more = f"或问“前{len(table.rows)}名”逐条列出"
        rows.append(Row(f"（只列出前{LISTED}个乡镇；其余{unlisted}个乡镇的数字见“数字明细”表，{more}。）"))
    rows.append(Row(years_note([report for report, _ in table.rows])))
    rows.append(Row(table.stand_in_note()))
    if threshold is None:
        lead, rows = rows[0].text, rows[1:]
    else:
        lead = _threshold_line(table, threshold)
    return table_answer(question, lead, rows, cited, evidence)


def count_answer(question: str, evidence: Evidence, threshold: Threshold) -> Answer:
    """ "有几个乡镇全年召开了4次…": how many reports state a figure that passes, and which."""
    table = evidence.table
    if not table.rows:
        return no_rows_answer(question, evidence)
    answer = each_answer(question, evidence, threshold)
    passing = _passing(table, threshold)
    if not passing:
        return answer
    lead = f"共{len(passing)}个乡镇。{answer.lead}"
    return dataclasses.replace(answer, lead=lead, answer=render(lead, answer.rows))


def _passing(table: FigureTable, threshold: Threshold):
    # "超过5件" is passed by a count in 件 (or 起, 宗), not by "主动公开政府信息91条" beside it.
    unit = threshold.unit if table.choice.metric is None else ""
    passing = [
        (report, [c for c in cited if threshold.passes(c.figure.value) and _in_measure(c, unit)])
        for report, cited in table.rows
    ]
    return [(report, cited) for report, cited in passing if cited]


def _in_measure(cited: CitedFigure, unit: str) -> bool:
    if not unit or unit_kind(unit) != "count" or unit_kind(cited.figure.unit) != "count":
        return True
    return same_measure(unit, cited.figure.unit)


def _threshold_line(table: FigureTable, threshold: Threshold) -> str:
    word, unit = threshold.word, threshold.unit
    limit = format_value(threshold.value)
    if word == "等于":
        asked = f"为{limit}{unit}"
    else:
        asked = f"{limit}{unit}{word}" if word in ("以上", "以下") else f"{word}{limit}{unit}"
    passing = _passing(table, threshold)
    if not passing:
        return f"没有乡镇的报告所给{table.label}的数字{asked}。"
    listed = "、".join(
        f"{report.township}（{'、'.join(c.stated for c in cited)}）" for report, cited in passing[:LISTED]
    )
    if len(passing) > LISTED:  # hundreds of towns above a low threshold: the first ones and the count
        listed = f"{listed}等{len(passing)}个乡镇"
    return f"{table.label}{asked}的乡镇：{listed}。"
