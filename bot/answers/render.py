"""The one renderer: an answer's parts (lead, rows) → the Chinese text the CLI, page and export show.

Row formats live here and only here: a cited figure is "河市镇（2024年）217件 —— “quote”（来源：…）",
a quoted sentence "河市镇（2024年）：“sentence”（来源：…）", a pointer the paragraph's citation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.answers.model import Answer, CitedFigure, Kind, Passage, Row, Status
from bot.figures.figure import Figure
from bot.heap import forget_on_settle
from bot.report import Report


def display(quote: str) -> str:
    """A quote as an answer line shows it: line breaks left by file conversion removed."""
    return re.sub(r"\s*\n\s*", "", quote)


def town_year(report: Report) -> str:
    return f"{report.township}（{report.year}年）" if report.year else f"{report.township}（年份不详）"


def town_names(reports: Iterable[Report]) -> str:
    """Townships once each, in the given order: "兴隆镇、河市镇"."""
    return "、".join(dict.fromkeys(r.township for r in reports))


# Beyond this many towns a remark counts them instead of naming them all (a city's ~1,450 names
# in one line are read by no one); a county's 20–55 are always named.
NAMED_TOWNS = 100
_NAMED_FIRST = 10


def some_town_names(reports: Iterable[Report]) -> str:
    """`town_names`, or beyond NAMED_TOWNS the first ten and the count: "兴隆镇、河市镇…等632个乡镇"."""
    return some_names(list(dict.fromkeys(r.township for r in reports)), "个乡镇")


def some_names(names: Sequence[str], counted: str) -> str:
    """`names` joined, or beyond NAMED_TOWNS the first ten and how many `counted` ("个乡镇", "份报告")."""
    if len(names) <= NAMED_TOWNS:
        return "、".join(names)
    return f"{'、'.join(names[:_NAMED_FIRST])}等{len(names)}{counted}"


def row_text(row: Row) -> str:
    if row.figure is not None:
        return row.text + figure_line(row.figure)
    if row.passage is not None and row.quote is not None:
        return f"{row.text}{town_year(row.passage.report)}：“{display(row.quote)}”{row.passage.citation}"
    if row.passage is not None:
        return f"{row.text}{row.passage.citation}"
    return row.text


# id(cited) → (cited, its line). A cited figure's line is the same in every answer that lists it
# (bot.answers.table keeps one CitedFigure per figure); ~1,450 lines an answer at 1,500 reports.
_LINES: dict[int, tuple[CitedFigure, str]] = {}
_MAX_LINES = 1 << 18
forget_on_settle(_LINES.clear)


def figure_line(cited: CitedFigure) -> str:
    """ "河市镇（2024年）217件 —— “quote”（来源：…）": a cited figure's row after its prefix."""
    entry = _LINES.get(id(cited))
    if entry is None or entry[0] is not cited:
        quote = display(cited.figure.quote)
        entry = (cited, f"{town_year(cited.report)}{cited.stated} —— “{quote}”{cited.passage.citation}")
        if len(_LINES) >= _MAX_LINES:
            _LINES.clear()
        _LINES[id(cited)] = entry
    return entry[1]


def render(lead: str, rows: Sequence[Row]) -> str:
    """The answer text: the lead, then each row on its own line; empty remarks leave no blank line."""
    return "\n".join(line for line in [lead, *(row_text(r) for r in rows)] if line)


def compose(
    question: str,
    status: Status,
    kind: Kind,
    lead: str,
    rows: Sequence[Row] = (),
    *,
    passages: Sequence[Passage] = (),
    figures: Sequence[tuple[Figure, Report]] = (),
    notes: Sequence[str] = (),
    terms: Sequence[str] = (),
) -> Answer:
    """An Answer whose text is rendered from its parts (every answerer builds its answer here)."""
    rows = tuple(r for r in rows if r.text or r.figure or r.passage)
    return Answer(
        question=question,
        status=status,
        answer=render(lead, rows),
        passages=tuple(passages),
        figures=tuple(figures),
        kind=kind,
        notes=tuple(notes),
        terms=tuple(terms),
        lead=lead,
        rows=rows,
    )
