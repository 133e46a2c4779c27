"""What every figure answer shares: the notes on years and approximate figures, the rows after its
table (missing reports, unclassified wordings, related figures) and assembling the Answer."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answers.combined import APART, combined_note
from bot.answers.model import Answer, CitedFigure, Passage, Row, Status
from bot.answers.render import NAMED_TOWNS, compose
from bot.answers.table import UNCLASSIFIED, Evidence, Labelled, passages_of
from bot.report import Report


def years_note(reports: Sequence[Report]) -> str:
    """Say so when the compared reports cover different years, instead of mixing them silently."""
    by_year: dict[int, dict[str, None]] = {}
    for r in reports:
        if r.year:
            by_year.setdefault(r.year, {})[r.township] = None
    if len(by_year) < 2:
        return ""
    years = sorted(by_year)
    if len({town for towns in by_year.values() for town in towns}) == 1:  # one town's several years
        return f"注意：以上出自同一乡镇{'、'.join(f'{y}年' for y in years)}的报告，分属不同年度。"
    if sum(len(towns) for towns in by_year.values()) > NAMED_TOWNS:
        parts = [f"{year}年{len(by_year[year])}个乡镇" for year in years]
        return f"注意：这些报告的年份不同（{'、'.join(parts)}），不是同一年度的情况。"
    parts = [f"{'、'.join(by_year[year])}为{year}年" for year in years]
    return f"注意：这些报告的年份不同（{'；'.join(parts)}），不是同一年度的情况。"


def approx_note(cited: Sequence[CitedFigure]) -> str:
    if any(c.figure.approximate for c in cited):
        return "带“余”“约”“不少于”等的数字是报告所述的约数，按所述数字比较。"
    return ""


def figure_rows(cited: Sequence[CitedFigure], prefix: str) -> list[Row]:
    return [Row(prefix, figure=c) for c in cited]


def worded_rows(cited: Sequence[CitedFigure], prefix: str = "- ") -> list[Row]:
    """Figures shown with the report's own wording first: "- “排查化解矛盾纠纷隐患”：…"."""
    return [Row(f"{prefix}“{c.figure.raw_metric}”：", figure=c) for c in cited]


def related_rows(related: Sequence[Labelled], header: str) -> list[Row]:
    """Figures of other metrics, shown beside the table; beyond NAMED_TOWNS rows the first ones
    (a word every report uses: ~1,450 at 1,500 reports), all kept in the answer's figures."""
    if not related:
        return []
    rows = [Row(header), *(Row(f"- {label}：", figure=c) for label, c in related[:NAMED_TOWNS])]
    if len(related) > NAMED_TOWNS:
        rows.append(Row("（其余相关数字未逐条列出，见“数字明细”表。）"))
    return rows


def unclassified_rows(evidence: Evidence, header: str) -> list[Row]:
    unclassified = evidence.table.unclassified
    if not unclassified:
        return []
    rows = [Row(header), *worded_rows(unclassified[:NAMED_TOWNS])]
    if len(unclassified) > NAMED_TOWNS:
        rows.append(Row("（其余相关表述未逐条列出，见“数字明细”表。）"))
    return rows


def others_rows(evidence: Evidence, use: str | None) -> list[Row]:
    """Unclassified wordings and related figures, saying how the answer used them: not at all
    (`use` None: "不能代替"), or "未参与排序", "未计入"."""
    checked = f"，{use}" if use else ""
    rows = unclassified_rows(evidence, f"{UNCLASSIFIED}（请对照原文核对{checked}）：")
    return rows + related_rows(evidence.related, f"相关数字（不同指标，{use or '不能代替'}）：")


def table_answer(
    question: str,
    lead: str,
    rows: Sequence[Row],
    cited: Sequence[CitedFigure],
    evidence: Evidence,
    *,
    use: str | None = None,
    missing: str | None = None,
    approximate: bool = True,
    sources: Sequence[Passage] = (),
) -> Answer:
    """A ranking, per-town or total answer: its own rows, then the shared tail — which reports do
    not state the figure (`missing`, default the table's note), the unclassified wordings and
    related figures, and the note on approximate figures."""
    note = evidence.table.missing_note() if missing is None else missing
    tail = [Row(note), *others_rows(evidence, use)]
    if approximate:
        tail.append(Row(approx_note(cited)))
    shown = [*cited, *evidence.table.unclassified, *(c for _, c in evidence.related)]
    choice = evidence.table.choice
    return figures_answer(
        question,
        "answered",
        lead,
        [*rows, *tail],
        shown,
        [note] if note else [],
        [choice.label, choice.asked],
        sources,
    )


def figures_answer(
    question: str,
    status: Status,
    lead: str,
    rows: Sequence[Row],
    cited: Sequence[CitedFigure],
    notes: Sequence[str],
    terms: Sequence[str],
    sources: Sequence[Passage] = (),
) -> Answer:
    """The Answer of a figure question: cited figures, their paragraphs (and `sources`, paragraphs
    shown without a figure) as passages, highlight terms that occur in those quotes."""
    note = combined_note(cited)
    if note is not None and not any(row.text.startswith(APART) for row in rows):  # already set apart
        rows = [*rows, note]
    quotes = " ".join([*(c.figure.quote for c in cited), *(p.paragraph.text for p in sources)])
    terms = [*terms, *(c.figure.raw_metric for c in cited), *(c.stated for c in cited)]
    # A term in its own figure's quote is in `quotes`: checked there first, since searching the
    # joined quotes of 1,500 reports for each of their terms cost ~0.1 s a question.
    own = set().union(*(c.quoted_terms for c in cited))
    passages = {(p.report.report_id, p.paragraph.index): p for p in sources}
    for passage in passages_of(cited):
        passages.setdefault((passage.report.report_id, passage.paragraph.index), passage)
    return compose(
        question,
        status,
        "figures",
        lead,
        rows,
        passages=tuple(passages.values()),
        figures=[(c.figure, c.report) for c in cited],
        notes=notes,
        terms=[t for t in dict.fromkeys(terms) if t and (t in own or t in quotes)],
    )


def no_rows_answer(question: str, evidence: Evidence) -> Answer:
    """No township states the figure: say so, with unclassified wordings and related figures to check."""
    table = evidence.table
    unclassified = list(table.unclassified)
    missing_note = table.missing_note()
    absent = "各镇报告均未直接给出" if unclassified else "各镇报告均未给出"
    rows = others_rows(evidence, None)
    return figures_answer(
        question,
        "answered" if unclassified else "not_found",
        f"{absent}{table.label}的数字。",
        rows,
        unclassified + [c for _, c in evidence.related],
        [missing_note] if missing_note else [],
        [table.label, table.choice.asked],
    )
