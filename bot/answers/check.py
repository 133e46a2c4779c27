"""The invariants every answer keeps, as a function the tests run on every answer they produce:
quotes are the source text itself, and no number is invented."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from bot.answers.model import Answer, Passage
from bot.figures.figure import Figure
from bot.figures.numbers import average_value, format_value
from bot.report import ParsedReport, Report

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def check_answer(answer: Answer, reports: Sequence[ParsedReport]) -> list[str]:
    """What is wrong with an answer (empty: nothing).

    Every passage is its report's text[start:end]; every figure quote is text[figure.start:figure.end]
    and lies in the paragraph its row cites; every Arabic number in the answer's text and notes is in
    the question, a cited figure or passage, a report's year or title, or is a rank, a report count
    or the total (or mean) of the single figures per report that a total (average) answer adds.
    """
    by_id = {p.report.report_id: p for p in reports}
    problems = [*_passage_problems(_passages(answer), by_id), *_figure_problems(answer, by_id)]
    allowed = _allowed_numbers(answer, [p.report for p in reports])
    for text in (answer.answer, *answer.notes):
        problems += [
            f"数字“{n}”没有出处：{answer.question}" for n in _NUMBER.findall(text) if n not in allowed
        ]
    return problems


def _passages(answer: Answer) -> list[Passage]:
    rows = [r.passage for r in answer.rows if r.passage is not None]
    return [*answer.passages, *rows, *(r.figure.passage for r in answer.rows if r.figure is not None)]


def _passage_problems(passages: Iterable[Passage], by_id: dict[str, ParsedReport]) -> list[str]:
    problems = []
    for passage in passages:
        parsed = by_id.get(passage.report.report_id)
        paragraph = passage.paragraph
        if parsed is None:
            problems.append(f"段落出自未知的报告：{passage.report.report_id}")
        elif parsed.text[paragraph.start : paragraph.end] != paragraph.text:
            problems.append(f"段落不是原文：{passage.report.report_id}[{paragraph.start}:{paragraph.end}]")
    return problems


def _figure_problems(answer: Answer, by_id: dict[str, ParsedReport]) -> list[str]:
    problems = []
    for figure, report in answer.figures:
        parsed = by_id.get(figure.report_id)
        if parsed is None or report.report_id != figure.report_id:
            problems.append(f"数字出自未知的报告：{figure.report_id}")
        elif parsed.text[figure.start : figure.end] != figure.quote:
            problems.append(f"数字的引文不是原文：{figure.report_id}[{figure.start}:{figure.end}]")
    for row in answer.rows:
        cited = row.figure
        if (
            cited is not None
            and not cited.paragraph.start <= cited.figure.start <= cited.figure.end <= cited.paragraph.end
        ):
            problems.append(f"数字的引文不在所注段落中：{cited.figure.quote}")
    return problems


def _allowed_numbers(answer: Answer, reports: Sequence[Report]) -> set[str]:
    allowed = set(_NUMBER.findall(answer.question))
    for report in reports:
        allowed |= {str(report.year)} if report.year else set()
        allowed |= set(_NUMBER.findall(report.listed_title))
    allowed |= {str(i) for i in range(1, len(reports) + 1)}  # ranks and the report count
    for passage in _passages(answer):
        allowed |= set(_NUMBER.findall(passage.paragraph.text)) | set(_NUMBER.findall(passage.citation))
    figures = [f for f, _ in answer.figures]
    for figure in figures:
        allowed |= set(_NUMBER.findall(figure.quote)) | {format_value(figure.value)}
    allowed |= {format_value(total) for total in _totals(figures)}
    allowed |= _averages(figures)
    allowed |= _prefix_sums(figures)
    return allowed


def _prefix_sums(figures: Sequence[Figure]) -> set[str]:
    """Sums and means of the answer's first figures: a total or average answer lists the figures it
    adds first (one per report, whatever each report calls it), then those it shows beside them."""
    allowed: set[str] = set()
    values: list[float] = []
    for figure in figures:
        values.append(figure.value)
        allowed |= {format_value(sum(values)), format_value(average_value(values))}
    return allowed


def _averages(figures: Sequence[Figure]) -> set[str]:
    """Per metric, the mean of the single figures per report (what an average answer states)."""
    per_report = Counter((f.metric, f.report_id) for f in figures)
    values: dict[str, list[float]] = defaultdict(list)
    for figure in figures:
        if per_report[(figure.metric, figure.report_id)] == 1:
            values[figure.metric].append(figure.value)
    return {format_value(average_value(v)) for v in values.values() if v}


def _totals(figures: Sequence[Figure]) -> list[float]:
    """Per metric, the sum of the figures of reports that state it once (what a total answer adds)."""
    per_report = Counter((f.metric, f.report_id) for f in figures)
    totals: dict[str, float] = defaultdict(float)
    for figure in figures:
        if per_report[(figure.metric, figure.report_id)] == 1:
            totals[figure.metric] += figure.value
    return list(totals.values())
