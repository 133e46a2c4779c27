"""Per-town figures: "各镇化解矛盾纠纷的数量分别是多少", and thresholds ("哪些镇…超过200件")."""

from __future__ import annotations

import dataclasses

from bot.answers.figure_answer import figure_rows, no_rows_answer, table_answer, years_note
from bot.answers.intent import Threshold
from bot.answers.model import Answer, CitedFigure, Row
from bot.answers.render import render
from bot.answers.table import Evidence, FigureTable
from bot.figures.numbers import format_value


def each_answer(question: str, evidence: Evidence, threshold: Threshold | None = None) -> Answer:
    table = evidence.table
    if not table.rows:
        return no_rows_answer(question, evidence)
    rows = [Row(f"各镇{table.label}的数字（按报告原文）：")]
    cited: list[CitedFigure] = []
    for report, all_cited in table.rows:
        if len(all_cited) > 1:
            rows.append(Row(f"- {report.township}分项给出，未给出合计："))
            rows += figure_rows(all_cited, "  - ")
        else:
            rows += figure_rows(all_cited, "- ")
        cited.extend(all_cited)
    rows.append(Row(years_note([report for report, _ in table.rows])))
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
    passing = [
        (report, [c for c in cited if threshold.passes(c.figure.value)]) for report, cited in table.rows
    ]
    return [(report, cited) for report, cited in passing if cited]


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
        f"{report.township}（{'、'.join(c.stated for c in cited)}）" for report, cited in passing
    )
    return f"{table.label}{asked}的乡镇：{listed}。"
