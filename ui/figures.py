"""Figure answers at a glance: a table (township, year, value, quote, source) and a bar chart.

Both are read from `Answer.figures` ((Figure, Report) pairs, the same data as the JSON contract), so
every number and quote shown comes from a report. Gradio's own Dataframe/BarPlot components render
them in the browser; no chart service or CDN.
"""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr
import pandas as pd

from bot import Answer

COLUMNS = ["乡镇", "年份", "指标", "数值", "原文", "来源"]
# Amounts whose bars cannot stand beside counts.
_AMOUNT_UNITS = frozenset({"%", "元", "万元", "亿元"})
# The chart's axes; the value column holds plain numbers so the bars are to scale.
BAR_X, BAR_Y = "乡镇", "数量"


@dataclass(frozen=True)
class FigureView:
    table: gr.Dataframe
    chart: gr.BarPlot


def figure_view() -> FigureView:
    """The (initially hidden) table and chart below the conversation."""
    chart = gr.BarPlot(
        value=pd.DataFrame({BAR_X: [], BAR_Y: []}),
        x=BAR_X,
        y=BAR_Y,
        sort="-y",
        label="各镇对比",
        visible=False,
        elem_id="zb-chart",
    )
    table = gr.Dataframe(
        value=pd.DataFrame(columns=COLUMNS),
        label="数字明细（均摘自报告原文）",
        interactive=False,
        wrap=True,
        visible=False,
        elem_id="zb-figures",
        column_widths=["10%", "8%", "12%", "9%", "38%", "23%"],
    )
    return FigureView(table, chart)


def figure_table(answer: Answer | None) -> pd.DataFrame:
    """One row per cited figure, in the answer's order (a ranking stays ranked)."""
    rows = []
    for figure, report in answer.figures if answer else ():
        section = " > ".join(figure.section_path) or "正文开头"
        rows.append(
            [
                figure.township,
                f"{figure.year}年" if figure.year else "年份不详",
                figure.metric,
                figure.value_text,
                figure.quote.strip(),
                f"{report.township}{report.cited_title}{section}",
            ]
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def bar_data(answer: Answer | None) -> pd.DataFrame | None:
    """Bars for a ranking or a per-town answer: the figures of the answer's own metric (the first
    figure's; the "相关数字" of other metrics are left out), two or more of them.

    None when a chart would mislead: a single figure, or amounts (%, 元) mixed with other units.
    Counting words (件, 起, 次) differ between reports and are compared as the answer compares them.
    """
    figures = [figure for figure, _ in answer.figures] if answer else []
    figures = [f for f in figures if f.metric == figures[0].metric] if figures else []
    units = {f.unit for f in figures}
    if len(figures) < 2 or (units & _AMOUNT_UNITS and len(units) > 1):
        return None
    several_years = len({f.year for f in figures}) > 1
    labels = [f"{f.township}{f' {f.year}' if several_years and f.year else ''}" for f in figures]
    if len(set(labels)) != len(labels):  # two figures of one town and year: bars would be summed
        return None
    return pd.DataFrame({BAR_X: labels, BAR_Y: [f.value for f in figures]})


def figure_updates(answer: Answer | None) -> tuple[gr.Dataframe, gr.BarPlot]:
    """Updates for the table and chart: shown for a figure answer, hidden otherwise."""
    table = figure_table(answer)
    bars = bar_data(answer)
    first = answer.figures[0][0] if answer and answer.figures else None
    return (
        gr.Dataframe(value=table, visible=not table.empty),
        gr.BarPlot(
            value=bars if bars is not None else pd.DataFrame({BAR_X: [], BAR_Y: []}),
            visible=bars is not None,
            y_title=f"{first.metric}（{first.unit}）" if first else BAR_Y,
        ),
    )
