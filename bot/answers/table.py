"""The figures of one metric for the reports in scope, and the other figures an answer shows beside
them: unclassified wordings of the asked noun, related metrics, the same unit."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answers.grouped import of_metric, of_reports
from bot.answers.metric import MetricChoice, longest_common_run
from bot.answers.model import CitedFigure, Passage
from bot.answers.render import some_town_names
from bot.figures.extract import stated_quantity
from bot.figures.figure import Figure
from bot.figures.vocabulary import Vocabulary
from bot.heap import forget_on_settle
from bot.report import Paragraph, ParsedReport, Report

UNCLASSIFIED = "报告中未归类的相关表述"
_MAX_SAME_UNIT = 5


def paragraph_of(parsed: ParsedReport, figure: Figure) -> Paragraph | None:
    """The paragraph a figure's quote sits in."""
    return next((p for p in parsed.paragraphs if p.start <= figure.start and figure.end <= p.end), None)


# id(figure) → (figure, its report, its citation or None). A figure's citation does not change while
# its report is the same; built per question, citing ~1,450 rows cost ~15 ms at 1,500 reports.
# Holding the figure keeps its id unique while the entry exists.
_CITED: dict[int, tuple[Figure, ParsedReport, CitedFigure | None]] = {}
_MAX_CITED = 1 << 18
forget_on_settle(_CITED.clear)


def cite(figures: Sequence[Figure], by_id: dict[str, ParsedReport]) -> list[CitedFigure]:
    """The figures whose report and paragraph are known, with them (others cannot be cited)."""
    cited = []
    for figure in figures:
        parsed = by_id.get(figure.report_id)
        if parsed is None:
            continue
        entry = _CITED.get(id(figure))
        if entry is None or entry[0] is not figure or entry[1] is not parsed:
            entry = (figure, parsed, _cite_one(figure, parsed))
            if len(_CITED) >= _MAX_CITED:
                _CITED.clear()
            _CITED[id(figure)] = entry
        if entry[2] is not None:
            cited.append(entry[2])
    return cited


def _cite_one(figure: Figure, parsed: ParsedReport) -> CitedFigure | None:
    paragraph = paragraph_of(parsed, figure)
    return CitedFigure(figure, parsed.report, paragraph, stated(figure)) if paragraph is not None else None


def stated(figure: Figure) -> str:
    """The quantity as the figure's quote states it ("60余起"), else the figure's own value text."""
    quantity = stated_quantity(figure)
    return quantity.display if quantity else figure.value_text


def passages_of(cited: Sequence[CitedFigure]) -> tuple[Passage, ...]:
    """One passage per paragraph the figures are quoted from, in order."""
    seen: dict[tuple[str, int], Passage] = {}
    for c in cited:
        seen.setdefault((c.report.report_id, c.paragraph.index), c.passage)
    return tuple(seen.values())


Labelled = tuple[str, CitedFigure]  # a figure of another metric, with that metric's label


@dataclass(frozen=True)
class FigureTable:
    """Figures of one metric for the reports in scope, grouped per report in corpus order."""

    choice: MetricChoice
    rows: tuple[tuple[Report, tuple[CitedFigure, ...]], ...]  # reports that state it
    missing: tuple[Report, ...]  # reports that do not
    # Unclassified figures of missing reports whose wording names what was asked (see `expressions`).
    unclassified: tuple[CitedFigure, ...] = ()
    # Figures of a narrower metric standing in for reports that state none of this one (in `rows`).
    stand_ins: tuple[CitedFigure, ...] = ()

    @property
    def label(self) -> str:
        return self.choice.label

    @property
    def cited(self) -> list[CitedFigure]:
        return [c for _, cited in self.rows for c in cited]

    def missing_note(self, suffix: str = "") -> str:
        """Which reports do not state the figure; those with an unclassified wording of it are not
        called silent, since that wording may be the very figure."""
        hinted_ids = {c.figure.report_id for c in self.unclassified}
        silent = [r for r in self.missing if r.report_id not in hinted_ids]
        hinted = [r for r in self.missing if r.report_id in hinted_ids]
        note = f"{some_town_names(silent)}的报告未给出该数字{suffix}。" if silent else ""
        if hinted:
            related = f"但有相关表述（见“{UNCLASSIFIED}”）"
            note += f"{some_town_names(hinted)}的报告未直接给出该数字，{related}{suffix}。"
        return note

    def stand_in_note(self) -> str:
        """ "宁河镇的报告只给出“化解突出矛盾纠纷”的数字（40余件），按此计入。" per standing-in report."""
        by_report: dict[str, list[CitedFigure]] = {}
        for c in self.stand_ins:
            by_report.setdefault(c.report.report_id, []).append(c)
        notes = []
        for own in by_report.values():
            words = "、".join(dict.fromkeys(f"“{c.figure.raw_metric}”" for c in own))
            values = "、".join(c.stated for c in own)
            notes.append(f"{own[0].report.township}的报告只给出{words}的数字（{values}），按此计入。")
        return "".join(notes)


def with_stand_ins(
    table: FigureTable, vocabulary: Vocabulary, figures: Sequence[Figure], by_id: dict[str, ParsedReport]
) -> FigureTable:
    """The table with a narrower metric's figures in the place of reports that state none of the
    asked one, where metrics.json says that metric stands in for it. A 其中 part or a combined
    count never stands in; a report that states the asked metric keeps its own figure."""
    narrower = vocabulary.stand_ins(table.choice.name)
    if not narrower or not table.missing:
        return table
    names = {m.name for m in narrower}
    ids = {r.report_id for r in table.missing}
    chosen = [
        f
        for f in of_reports(figures, ids)
        if f.metric in names and f.known_metric and not f.part and not f.combined
    ]
    stand_ins = cite(chosen, by_id)
    if not stand_ins:
        return table
    per_report: dict[str, list[CitedFigure]] = {}
    for c in stand_ins:
        per_report.setdefault(c.report.report_id, []).append(c)
    rows = dict((report.report_id, (report, cited)) for report, cited in table.rows)
    rows.update(
        (r.report_id, (r, tuple(per_report[r.report_id]))) for r in table.missing if r.report_id in per_report
    )
    order = [p.report.report_id for p in by_id.values()]
    return dataclasses.replace(
        table,
        rows=tuple(rows[i] for i in order if i in rows),
        missing=tuple(r for r in table.missing if r.report_id not in per_report),
        stand_ins=tuple(stand_ins),
    )


def build_table(
    choice: MetricChoice,
    reports: Sequence[ParsedReport],
    figures: Sequence[Figure],
    chosen: dict[str, tuple[Figure, ...]] | None = None,
    by_id: dict[str, ParsedReport] | None = None,
) -> FigureTable:
    """The table of the figures `chosen` per report (bot.answers.phrases), else of the metric."""
    by_id = by_id if by_id is not None else {p.report.report_id: p for p in reports}
    rows, missing = [], []
    # Grouped once: a scan of all figures per report cost reports × figures (~1 s at 1,500 reports).
    by_report: dict[str, list[Figure]] = {}
    for figure in of_metric(figures, choice.name) if chosen is None else ():
        by_report.setdefault(figure.report_id, []).append(figure)
    for parsed in reports:
        report_id = parsed.report.report_id
        own = list(chosen.get(report_id, ())) if chosen is not None else by_report.get(report_id, [])
        cited = cite(own, by_id)
        if cited:
            rows.append((parsed.report, tuple(cited)))
        else:
            missing.append(parsed.report)
    return FigureTable(choice, tuple(rows), tuple(missing))


@dataclass(frozen=True)
class Evidence:
    """Everything a figure answer may cite, gathered once for the question."""

    table: FigureTable
    nouns: tuple[str, ...]  # what the question is about (metric.key_nouns)
    expressions: tuple[CitedFigure, ...]  # missing reports' own wordings of the asked noun
    related: tuple[Labelled, ...]  # related metrics' figures: shown, never counted


def gather(
    choice: MetricChoice,
    nouns: Sequence[str],
    reports: Sequence[ParsedReport],
    figures: Sequence[Figure],
    vocabulary: Vocabulary,
    chosen: dict[str, tuple[Figure, ...]] | None = None,
) -> Evidence:
    """The table of the chosen figures (or metric) and the figures shown beside it."""
    by_id = {p.report.report_id: p for p in reports}
    table = with_stand_ins(build_table(choice, reports, figures, chosen, by_id), vocabulary, figures, by_id)
    expressions = _expressions(table, nouns, vocabulary, figures, by_id)
    unclassified = tuple(c for c in expressions if not c.figure.known_metric)
    table = dataclasses.replace(table, unclassified=unclassified)
    related = _related(table, vocabulary, figures, by_id, table.missing)
    listed = {id(c.figure) for _, c in related}
    for item in _same_word(table, vocabulary, figures, by_id, [p.report for p in reports]):
        if id(item[1].figure) not in listed:
            related.append(item)
            listed.add(id(item[1].figure))
    if related:
        beside = {c.figure.report_id for _, c in related}
        in_table = {
            (c.figure.report_id, c.figure.start, c.figure.value)
            for report, cited in table.rows
            if report.report_id in beside
            for c in cited
        }
        related = [
            (label, c)
            for label, c in related
            if (c.figure.report_id, c.figure.start, c.figure.value) not in in_table
        ]
    return Evidence(table, tuple(nouns), tuple(expressions), tuple(related))


def _expressions(
    table: FigureTable,
    nouns: Sequence[str],
    vocabulary: Vocabulary,
    figures: Sequence[Figure],
    by_id: dict[str, ParsedReport],
) -> list[CitedFigure]:
    """Figures of the reports lacking this metric whose own wording names the asked noun, in a
    unit the metric compares: unclassified ones ("排查化解矛盾纠纷隐患137件") and related
    metrics' ("化解突出矛盾纠纷40余件"). Either may be what was asked, so answers show them
    rather than call the report silent."""
    if not nouns:
        return []
    metric = table.choice.metric
    ids = {r.report_id for r in table.missing}
    related = {m.name for m in vocabulary.related(table.choice.name)}
    # Only missing reports' figures: none of them is in the table (a report in it is not missing).
    chosen = [
        f
        for f in of_reports(figures, ids)
        if f.metric != table.choice.name
        and (not f.known_metric or f.metric in related)
        and (metric is None or f.unit in metric.units)
        and any(noun in f.raw_metric for noun in nouns)
    ]
    return cite(chosen, by_id)


def same_unit(
    table: FigureTable, question: str, figures: Sequence[Figure], reports: Sequence[ParsedReport]
) -> list[CitedFigure]:
    """Unclassified figures of the reports lacking this metric, in a unit it compares, closest
    wording to the question first (at most five): the last place an unfamiliar wording of the
    figure can hide ("普法手册1500册" for 宣传资料)."""
    metric = table.choice.metric
    if metric is None:
        return []
    ids = {r.report_id for r in table.missing}
    chosen = [f for f in of_reports(figures, ids) if not f.known_metric and f.unit in metric.units]
    chosen.sort(key=lambda f: -longest_common_run(question, f.raw_metric))
    return cite(chosen[:_MAX_SAME_UNIT], {p.report.report_id: p for p in reports})


def _labelled(
    metrics: Sequence, figures: Sequence[Figure], by_id: dict[str, ParsedReport], reports: Sequence[Report]
) -> list[Labelled]:
    """Figures of the given metrics in `reports`, labelled with their metric's label, in report order."""
    ids = {r.report_id for r in reports}
    result = []
    for related in metrics:
        chosen = [f for f in of_metric(figures, related.name) if f.report_id in ids]
        result.extend((related.label, c) for c in cite(chosen, by_id))
    order = {r.report_id: i for i, r in enumerate(reports)}
    return sorted(result, key=lambda item: order[item[1].figure.report_id])


def _related(
    table: FigureTable,
    vocabulary: Vocabulary,
    figures: Sequence[Figure],
    by_id: dict[str, ParsedReport],
    reports: Sequence[Report],
) -> list[Labelled]:
    """Figures of related metrics in `reports`."""
    if table.choice.metric is None:
        return []
    return _labelled(vocabulary.related(table.choice.name), figures, by_id, reports)


def _same_word(
    table: FigureTable,
    vocabulary: Vocabulary,
    figures: Sequence[Figure],
    by_id: dict[str, ParsedReport],
    reports: Sequence[Report],
) -> list[Labelled]:
    """Related metrics that the question's own word also names, in every report: a question
    about 学法 gets 机关干部学法 beside 领导干部学法, labelled as a different metric."""
    asked = table.choice.asked
    if table.choice.metric is None or len(asked) < 2:
        return []
    named = [m for m in vocabulary.related(table.choice.name) if asked in m.name or asked in m.label]
    return _labelled(named, figures, by_id, reports)
