"""One town's figure: "河市镇化解了多少矛盾纠纷". A report that does not state it under the metric
is called silent only when nothing in it names the thing asked."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answers.context import AnswerContext
from bot.answers.figure_answer import approx_note, figure_rows, figures_answer, related_rows, worded_rows
from bot.answers.model import Answer, CitedFigure, Passage, Row
from bot.answers.render import town_names
from bot.answers.table import Evidence, same_unit
from bot.lang.script import to_simplified
from bot.report import Report


def single_answer(ctx: AnswerContext, evidence: Evidence) -> Answer:
    if not evidence.table.rows:
        return _unstated(ctx, evidence)
    table = evidence.table
    rows: list[Row] = []
    for report, all_cited in table.rows:
        rows += [Row(_stated_line(report.township, table.label, all_cited)), *figure_rows(all_cited, "- ")]
    lead, rows = rows[0].text, [Row(table.stand_in_note()), *rows[1:]]  # the first town's line leads
    rows += related_rows(evidence.related, "同一报告中的相关数字（不同指标）：")
    rows.append(Row(approx_note(table.cited)))
    shown = [*table.cited, *(c for _, c in evidence.related)]
    terms = [table.label, table.choice.asked]
    return figures_answer(ctx.question, "answered", lead, rows, shown, [], terms)


def _stated_line(town: str, label: str, cited: Sequence[CitedFigure]) -> str:
    label = _without_unit(label, cited)
    if len(cited) == 1:
        return f"{town}{label}{cited[0].stated}。"
    values = "、".join(c.stated for c in cited)
    return f"{town}的报告分项给出{label}：{values}（未给出合计）。"


def _without_unit(label: str, cited: Sequence[CitedFigure]) -> str:
    """The label without the measure word the question put before its noun: "有多少起矛盾" is
    labelled 起矛盾, and "兴隆镇起矛盾60余起" repeats the unit the figure states."""
    for unit in sorted({c.figure.unit for c in cited}, key=len, reverse=True):
        if unit and label.startswith(unit) and len(label) - len(unit) >= 2:
            return label[len(unit) :]
    return label


def _unstated(ctx: AnswerContext, evidence: Evidence) -> Answer:
    """The report does not state the figure under this metric. Its own wordings of the asked noun
    (`expressions`) and its best paragraph (`sources`) come first, so that absence is claimed only
    when nothing in the report names the thing asked. Failing those, unclassified figures in a
    comparable unit are listed for checking and the answer says it found no clear figure rather
    than that the report gives none."""
    table, label = evidence.table, evidence.table.label
    town = town_names(table.missing)
    expressions = list(evidence.expressions)
    others = [(name, c) for name, c in evidence.related if all(c.figure is not e.figure for e in expressions)]
    status = "not_found"
    if expressions:
        lead = f"{town}的报告没有直接给出{label}的数字；报告中的相关表述如下，请对照原文核对："
        note = f"{town}的报告没有直接给出{label}的数字，已列出报告中的相关表述。"
        status = "answered"
    elif unfamiliar := same_unit(table, ctx.question, ctx.figures, ctx.reports):
        lead = (
            f"没有在{town}的报告中找到明确的{label}数字；"
            "以下数字单位相同、尚未归类，请对照原文核对是否即所问："
        )
        note = f"没有在{town}的报告中找到明确的{label}数字。"
        expressions = unfamiliar
    else:
        lead = note = f"{town}的报告未给出{label}的数字。"
    rows = worded_rows(expressions)
    rows += related_rows(others, f"{town}报告中的相关数字（不同指标，不能代替）：")
    shown = [*expressions, *(c for _, c in others)]
    sources = [s for s in (_source(ctx, r, evidence.nouns) for r in table.missing) if s is not None]
    rows += _pointers(sources, shown)
    if not sources and not shown:
        # Nothing in the report names the thing asked: its closest paragraph still lets the official
        # see what it does say ("那河市镇呢？" after a ranking of 行政执法案件).
        closest = [p for p in (_closest(ctx, r) for r in table.missing) if p is not None]
        rows += [Row("最接近的段落（其中没有该数字）：", passage=p) for p in closest]
        sources = closest
    rows.append(Row(f"如需比较其他乡镇，可以问“各镇{label}分别是多少”。"))
    terms = [label, table.choice.asked, *evidence.nouns]
    return figures_answer(ctx.question, status, lead, rows, shown, [note], terms, sources)


def _pointers(sources: Sequence[Passage], shown: Sequence[CitedFigure]) -> list[Row]:
    """ "相关段落：" rows for the source paragraphs no cited figure already quotes."""
    quoted = {(c.figure.report_id, c.paragraph.index) for c in shown}
    return [
        Row("相关段落：", passage=p) for p in sources if (p.report.report_id, p.paragraph.index) not in quoted
    ]


def _closest(ctx: AnswerContext, report: Report) -> Passage | None:
    return ctx.retriever.best_in_report(ctx.query, report.report_id)


def _source(ctx: AnswerContext, report: Report, nouns: Sequence[str]) -> Passage | None:
    """The report's best paragraph for the question, if it names the asked noun: where an official
    checks a figure the answer could not give."""
    if not nouns:
        return None
    hit = _closest(ctx, report)
    # A traditional-script report is read against the question's simplified nouns (行政複議 is 行政复议).
    if hit is None:
        return None
    text = hit.paragraph.text
    if not any(noun in text for noun in nouns) and not any(noun in to_simplified(text) for noun in nouns):
        return None
    return hit
