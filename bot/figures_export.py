"""`zhenbao figures`: the index's figures table (SQLite, bot.index.figures_db) queried from the command
line and exported as CSV for Excel — a metric ranked per unit with its total, or one township's list.

Every row is a figure as a report states it, with its sentence and source file: nothing is computed
but the totals, which say how many reports they add up.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from bot.figures.figure import Figure
from bot.figures.numbers import format_value
from bot.index.figures_db import FiguresDb
from bot.paths import shown_path
from bot.report import Report

CSV_COLUMNS = (
    "乡镇",
    "年份",
    "指标",
    "报告原文的说法",
    "数值",
    "单位",
    "约数",
    "原句",
    "来源文件",
    "起",
    "止",
)


def select(db: FiguresDb, *, metric: str | None, town: str | None, year: int | None) -> list[Figure]:
    """A metric's figures largest first within each unit (most-reported unit first), or a town's in
    report order; both narrowed by the other filters."""
    if metric is None:
        return db.figures(township=town, year=year)
    rows: list[Figure] = []
    for total in db.totals(metric, year=year):
        rows += [f for f in db.ranking(metric, total.unit, year=year) if town in (None, f.township)]
    return rows


def source_names(reports: Sequence[Report], corpus_dir: Path) -> dict[str, str]:
    """Each report's file as the page names it: relative to the report folder (issue 13)."""
    return {report.report_id: shown_path(report.source, corpus_dir) for report in reports}


def text_lines(rows: Sequence[Figure], sources: dict[str, str], metric: str | None) -> list[str]:
    """The rows as the terminal shows them, each with its sentence and source file."""
    if metric is None:
        return [_line(f"{f.township}（{_year(f)}）{f.raw_metric}：{f.value_text}", f, sources) for f in rows]
    lines: list[str] = []
    unit, rank = None, 0
    for figure in rows:
        if figure.unit != unit:
            unit, rank = figure.unit, 0
            lines.append(_unit_heading(metric, unit, rows))
        rank += 1
        head = f"{rank}. {figure.township}（{_year(figure)}）{figure.value_text}"
        lines.append(_line(head, figure, sources))
    return lines


def _unit_heading(metric: str, unit: str, rows: Sequence[Figure]) -> str:
    of_unit = [f for f in rows if f.unit == unit]
    reports = len({f.report_id for f in of_unit})
    if reports == 1:
        return f"{metric}（{unit}）：1份报告给出"
    approximate = "（含约数）" if any(f.approximate for f in of_unit) else ""
    total = format_value(sum(f.value for f in of_unit))
    return f"{metric}（{unit}）：{reports}份报告给出，合计{total}{unit}{approximate}"


def _line(head: str, figure: Figure, sources: dict[str, str]) -> str:
    return f"{head} —— “{figure.quote}”（来源：{sources.get(figure.report_id, figure.report_id)}）"


def _year(figure: Figure) -> str:
    return f"{figure.year}年" if figure.year else "年份不详"  # as answers say it (render.town_year)


def write_csv(path: Path, rows: Sequence[Figure], sources: dict[str, str]) -> None:
    """UTF-8 with a BOM, so Excel on Windows opens the Chinese text as written."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for f in rows:
            source = sources.get(f.report_id, f.report_id)
            approximate = "是" if f.approximate else ""
            value = (format_value(f.value), f.unit, approximate)
            writer.writerow(
                (f.township, f.year or "", f.metric, f.raw_metric, *value, f.quote, source, f.start, f.end)
            )
