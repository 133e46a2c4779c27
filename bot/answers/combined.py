"""Combined counts: one number for several kinds ("党工委会议、法治工作专题会和社区书记例会共12次",
"普法活动和普法课堂7场次", `Figure.combined`). Such a figure answers a question about any of its kinds,
said to be combined; a ranking compares like with like and a total adds like with like, so it is ranked
or added only when the question names the combination, else it is listed apart."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answers.model import CitedFigure, Row
from bot.answers.people import best_per_report
from bot.answers.phrases import Asked, Matched, Weights, compact_text, unit_kind
from bot.figures.figure import Figure
from bot.report import Report

ReportRow = tuple[Report, tuple[CitedFigure, ...]]  # a report and its figures, as Table.rows holds them

APART = "几类合计的数字"  # the header of combined counts set apart, a ranking's or a total's
RANKED_APART = f"{APART}（未与单类的数字一起排序）："
ADDED_APART = f"{APART}（未计入合计）："


def combined_naming(asked: Asked, figures: Sequence[Figure], weights: Weights) -> Matched | None:
    """Per report, the combined figures one of whose kinds is what the question counts (its head noun
    ends a kind: 普法活动 of "普法活动和普法课堂"), the question's other words weighted as in
    `bot.answers.phrases`; None when there are none. The head next to the number is the last kind's
    only, so `phrases.match_figures` finds the others' questions nothing."""
    found = (
        (figure, compact_text(figure.clause or figure.quote))
        for figure in figures
        if figure.combined
        and any(kind.endswith(asked.head) for kind in figure.combined)
        and (asked.kind is None or unit_kind(figure.unit) == asked.kind)
    )
    return best_per_report(asked, found, weights, asked.kind)


def asks_combination(question: str, figure: Figure) -> bool:
    """The question names two or more of the figure's kinds: it asks for them together."""
    return sum(kind in question for kind in figure.combined) >= 2


def set_apart(question: str, cited: Sequence[CitedFigure]) -> tuple[list[CitedFigure], list[CitedFigure]]:
    """A ranking's (or total's) figures, split into those it compares and combined counts listed apart,
    unless the question asks for the combination or nothing else is left to compare."""
    apart = [c for c in cited if c.figure.combined and not asks_combination(question, c.figure)]
    ids = {id(c) for c in apart}
    kept = [c for c in cited if id(c) not in ids]
    return (kept, apart) if kept else (list(cited), [])


def set_apart_rows(question: str, rows: Sequence[ReportRow]) -> tuple[list[ReportRow], list[CitedFigure]]:
    """`set_apart` over each report's figures: the rows with the figures compared (a report left with
    none is dropped) and the combined counts listed apart."""
    compared, apart = set_apart(question, [c for _, cited in rows for c in cited])
    kept = {id(c) for c in compared}
    own = [(report, tuple(c for c in cited if id(c) in kept)) for report, cited in rows]
    return [(report, cited) for report, cited in own if cited], apart


def combined_note(cited: Sequence[CitedFigure]) -> Row | None:
    """A remark naming the combined counts an answer states, so none is read as one kind's figure."""
    named = [f"“{c.figure.raw_metric}”{c.stated}" for c in cited if c.figure.combined]
    if not named:
        return None
    return Row(f"注：{'、'.join(dict.fromkeys(named))}是几类合计的数字，不是其中某一类的数字。")
