"""A quantity a report states, as the figures table holds it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """A quantity a report states, e.g. 季家镇 "共办理各类行政执法案件728件" → 728 件 of 行政执法案件."""

    report_id: str
    township: str
    year: int | None
    metric: str  # canonical metric from bot/data/metrics.json, or the raw noun phrase when unknown
    raw_metric: str  # the noun phrase as the report words it, e.g. "排处矛盾纠纷"
    value: float
    unit: str  # e.g. "件", "次", "份", "人", "%", "元", "万元"
    approximate: bool  # "60余起", "两万余人次", "约…" are compared as stated and marked
    quote: str  # the sentence it came from, verbatim: source text[start:end]
    start: int
    end: int
    section_path: tuple[str, ...]
    known_metric: bool  # False when `metric` is only the raw noun phrase
    # The clause the number sits in ("开展专题学法10次"), what a question's words are matched against
    # beside `raw_metric`; and whether the clause makes it a part of a larger figure ("其中…").
    clause: str = ""
    part: bool = False
    # The kinds a combined count adds up, when the words before its number name several
    # ("普法活动和普法课堂7场次" → 普法活动, 普法课堂): not a figure of any one of them.
    combined: tuple[str, ...] = ()

    @property
    def value_text(self) -> str:
        """The value as an answer shows it, e.g. "728件", "60余起"."""
        number = f"{self.value:g}" if self.value != int(self.value) else str(int(self.value))
        return f"{number}{'余' if self.approximate else ''}{self.unit}"
