"""Answers as data: a lead line, rows of cited figures or quotes, notes, passages and figures.

`bot.answers.render` turns the parts into the Chinese text of `Answer.answer`; nothing else does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from bot.figures.figure import Figure
from bot.report import Paragraph, Report

Status = Literal["answered", "not_found"]
Kind = Literal["passages", "figures", "presence", "corpus", "abstain"]


@dataclass(frozen=True)
class Passage:
    """One quoted paragraph in an answer, with everything a citation needs."""

    report: Report
    paragraph: Paragraph
    score: float

    @property
    def citation(self) -> str:
        """（来源：季家镇《2024年法治政府建设情况报告》一、… > （四）… > 2. …）"""
        section = self.paragraph.section or "正文开头"
        return f"（来源：{self.report.township}{self.report.cited_title}{section}）{self.report.scan_mark}"

    @property
    def memo_text(self) -> str:
        """Quote plus source line, ready to paste into a memo."""
        return f"“{self.paragraph.text.strip()}”{self.citation}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "township": self.report.township,
            "year": self.report.year,
            "section": self.paragraph.section,
            "text": self.paragraph.text,
            "source": self.report.source,
            "start": self.paragraph.start,
            "end": self.paragraph.end,
            "score": round(float(self.score), 4),
        }


@dataclass(frozen=True)
class CitedFigure:
    """A figure with its report and the paragraph its quote sits in: all a cited row needs."""

    figure: Figure
    report: Report
    paragraph: Paragraph
    stated: str  # the quantity as the quote states it ("60余起"), what answers show

    @cached_property  # one object per citation: answers list thousands of rows at 1,500 reports
    def passage(self) -> Passage:
        return Passage(self.report, self.paragraph, 1.0)

    @cached_property
    def quoted_terms(self) -> frozenset[str]:
        """The figure's wording and stated quantity where its own quote holds them (highlight terms)."""
        return frozenset(t for t in (self.figure.raw_metric, self.stated) if t in self.figure.quote)


@dataclass(frozen=True)
class Row:
    """One line below an answer's lead: a remark, a cited figure, a quoted sentence or a pointer.

    `text` is the remark itself, or for the other kinds what precedes the cited item ("1. ",
    "- 行政处罚案件："). A row with `quote` shows that sentence of `passage`; a row with only
    `passage` points to the paragraph by its citation.
    """

    text: str = ""
    figure: CitedFigure | None = None
    quote: str | None = None
    passage: Passage | None = None


def figure_to_dict(figure: Figure, report: Report) -> dict[str, Any]:
    return {
        "township": figure.township,
        "year": figure.year,
        "metric": figure.metric,
        "value": figure.value,
        "unit": figure.unit,
        "approximate": figure.approximate,
        "quote": figure.quote,
        "source": report.source,
        "start": figure.start,
        "end": figure.end,
    }


@dataclass(frozen=True)
class Answer:
    """What `ask` returns; `to_dict` is the CLI's JSON contract.

    `answer` is the text `bot.answers.render` made of `lead` and `rows` (answers built by hand, as
    the page's tests do, may give the text alone).
    """

    question: str
    status: Status
    answer: str  # the lead line, then the rows as text
    passages: tuple[Passage, ...] = ()
    figures: tuple[tuple[Figure, Report], ...] = ()
    kind: Kind = "passages"
    notes: tuple[str, ...] = field(default=())  # e.g. townships whose reports do not state a figure
    terms: tuple[str, ...] = ()  # question words found in the quotes, for highlighting in the UI
    lead: str = ""
    rows: tuple[Row, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "question": self.question,
            "status": self.status,
            "answer": self.answer,
            "passages": [p.to_dict() for p in self.passages],
        }
        if self.figures:
            data["figures"] = [figure_to_dict(f, r) for f, r in self.figures]
        return data
