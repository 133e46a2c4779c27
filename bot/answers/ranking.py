"""Rankings across reports: "哪个镇办理行政执法案件最多", "前三", "最少"."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answers.combined import RANKED_APART, set_apart_rows
from bot.answers.figure_answer import figure_rows, no_rows_answer, table_answer, years_note
from bot.answers.intent import Intent
from bot.answers.model import Answer, CitedFigure, Passage, Row
from bot.answers.render import NAMED_TOWNS, some_town_names, town_names
from bot.answers.table import Evidence
from bot.report import Report

# Rankings of more reports than this list the leading ones only (a county's 20–55 are listed whole).
LISTED = NAMED_TOWNS

Ranked = tuple[
    Report, CitedFigure, tuple[CitedFigure, ...]
]  # report, the figure it ranks by, all its figures


def rank_answer(question: str, intent: Intent, evidence: Evidence, closest: Sequence[Passage] = ()) -> Answer:
    """A ranking; for a comparison of named towns ("A和B哪个多") the lead says which is larger, and
    `closest` holds the best paragraph of each named town whose report lacks the figure."""
    table = evidence.table
    if not table.rows:
        return no_rows_answer(question, evidence)
    ranked_rows, apart = set_apart_rows(question, table.rows)
    ranked = sorted(
        ((report, _best(cited, intent.order), cited) for report, cited in ranked_rows),
        key=lambda row: row[1].figure.value,
        reverse=intent.order == "max",
    )
    ranks = zip(_ranks(ranked), ranked, strict=True)
    last = intent.nth or intent.top_n
    shown = [(rank, row) for rank, row in ranks if last is None or rank <= last]
    rows = []
    if len(ranked) == 1 and intent.kind != "compare":
        rows.append(Row(f"（只有{ranked[0][0].township}的报告给出该数字，无从比较。）"))
    rows += [Row(table.stand_in_note()), Row(years_note([report for report, _, _ in ranked])), Row("排名：")]
    cited: list[CitedFigure] = []
    # A ranking of a city's ~1,450 towns lists the leading ones; all stay in the answer's figures
    # (the page's 数字明细 table, the JSON), which is where the rest are read.
    fold = last is None and len(shown) > LISTED
    for rank, (report, best, all_cited) in shown:
        others = [c for c in all_cited if c is not best]
        cited += [best, *others]
        if fold and rank > LISTED:
            continue
        rows += figure_rows([best], f"{rank}. ")
        if len(all_cited) > 1:
            rows.append(Row(f"   {_multi_note(report, all_cited, intent.order)}"))
            rows += figure_rows(others, "   - ")
    if apart:
        rows += [Row(RANKED_APART), *figure_rows(apart, "- ")]
        cited += apart
    if len(shown) < len(ranked):
        rows.append(Row(f"（只列出前{last}名。）"))
    elif fold and (unlisted := sum(rank > LISTED for rank, _ in shown)):
        more = f"或问“前{len(shown)}名”逐条列出"
        rows.append(Row(f"（只列出前{LISTED}名；其余{unlisted}个乡镇的数字见“数字明细”表，{more}。）"))
    rows += [Row("最接近的段落（其中没有该数字）：", passage=p) for p in closest]
    if intent.kind == "compare":
        lead = _compare_lead(ranked, intent, evidence)
    else:
        place = intent.nth or 1
        winners = [row for rank, row in shown if rank == place]
        lead = _lead(winners, intent, evidence, place) if winners else _no_such_place(place, len(ranked))
    return table_answer(question, lead, rows, cited, evidence, use="未参与排序", sources=closest)


_CHINESE_ORDINALS = dict(enumerate("一二三四五六七八九十", start=1))


def _no_such_place(place: int, count: int) -> str:
    return f"只有{count}个乡镇的报告给出该数字，没有第{_CHINESE_ORDINALS.get(place, str(place))}名。"


def _compare_lead(ranked: Sequence[Ranked], intent: Intent, evidence: Evidence) -> str:
    """ "河头镇执法人员31名，果园街道26名：河头镇更多。" — both figures, then which is larger."""
    label = evidence.table.label
    if len(ranked) == 1:
        lacking = town_names(evidence.table.missing)
        return (
            f"只有{ranked[0][0].township}的报告给出{label}的数字：{ranked[0][1].stated}；"
            f"{lacking}的报告未给出，无从比较。"
        )
    metric = evidence.table.choice.metric
    rate = metric is not None and "%" in metric.units
    word = ("更高" if rate else "更多") if intent.order == "max" else ("更低" if rate else "更少")
    (first, best, _), rest = ranked[0], ranked[1:]
    others = "，".join(f"{report.township}{c.stated}" for report, c, _ in rest)
    if all(c.figure.value == best.figure.value for _, c, _ in rest):
        return f"{first.township}{label}{best.stated}，{others}：一样多。"
    return f"{first.township}{label}{best.stated}，{others}：{first.township}{word}。"


def _lead(winners: Sequence[Ranked], intent: Intent, evidence: Evidence, place: int = 1) -> str:
    word = "最多" if intent.order == "max" else "最少"
    metric = evidence.table.choice.metric
    if metric is not None and "%" in metric.units:
        word = "最高" if intent.order == "max" else "最低"
    if place > 1:
        word = f"第{_CHINESE_ORDINALS.get(place, str(place))}{word[1]}"
    names = "、".join(report.township for report, _, _ in winners)
    if len(winners) > NAMED_TOWNS:  # hundreds of towns tied at "60余起"
        names = some_town_names(report for report, _, _ in winners)
    tie = "并列" if len(winners) > 1 else ""
    return f"{names}{evidence.table.label}{tie}{word}：{winners[0][1].stated}。"


def _ranks(ranked: Sequence[Ranked]) -> list[int]:
    """Competition ranks: equal values share a rank (1, 1, 3)."""
    ranks: list[int] = []
    for i, (_, best, _) in enumerate(ranked):
        tied = i > 0 and best.figure.value == ranked[i - 1][1].figure.value
        ranks.append(ranks[-1] if tied else i + 1)
    return ranks


def _best(cited: Sequence[CitedFigure], order: str) -> CitedFigure:
    return (max if order == "max" else min)(cited, key=lambda c: c.figure.value)


def _multi_note(report: Report, cited: Sequence[CitedFigure], order: str) -> str:
    values = "、".join(c.stated for c in cited)
    side = "最大" if order == "max" else "最小"
    return f"（{report.township}分项给出{values}，未给出合计，按{side}一项排序）"
