"""Answers as the user sees them: a lead line, then verbatim quotes with memo-ready citations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.figures.figure import Figure
from bot.report import Paragraph, Report

Status = Literal["answered", "not_found"]


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
        return f"（来源：{self.report.township}{self.report.cited_title}{section}）"

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
    """What `ask` returns; `to_dict` is the CLI's JSON contract."""

    question: str
    status: Status
    answer: str  # the lead line(s); for figure answers also the ranked table as text
    passages: tuple[Passage, ...] = ()
    figures: tuple[tuple[Figure, Report], ...] = ()
    kind: str = "passages"  # "passages", "figures", "presence", "corpus", "abstain"
    notes: tuple[str, ...] = field(default=())  # e.g. townships whose reports do not state a figure
    terms: tuple[str, ...] = ()  # question words found in the quotes, for highlighting in the UI

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
