"""The figure answers' dispatch: which figures the question asks for, then one answerer per kind
(ranking, per town, total or average, comparison of named towns, one town's figure)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answers.combined import combined_naming
from bot.answers.context import AnswerContext
from bot.answers.each import count_answer, each_answer
from bot.answers.grouped import of_metric
from bot.answers.intent import Intent
from bot.answers.metric import MetricChoice, key_nouns, select_metric
from bot.answers.model import Answer, Passage
from bot.answers.people import people_doing, things_done
from bot.answers.phrases import Asked, Matched, match_figures, read_asked, unit_kind, weights_for
from bot.answers.ranking import rank_answer
from bot.answers.single import single_answer
from bot.answers.table import Evidence, gather
from bot.answers.total import total_answer
from bot.figures.figure import Figure

# A one-town question that names no curated metric is answered from a figure only when the
# figure's wording says clearly what was asked; else passage retrieval answers it.
_SINGLE_WITHOUT_METRIC = 0.75


def figure_answer(ctx: AnswerContext, intent: Intent) -> Answer | None:
    """A ranking, per-town, total or one-town answer; None when no figure says what was asked."""
    evidence = figure_evidence(ctx, intent)
    if evidence is None:
        return None
    if intent.kind == "single":
        return single_answer(ctx, evidence)
    if intent.kind == "rank":
        return rank_answer(ctx.question, intent, evidence)
    if intent.kind == "compare":
        return rank_answer(ctx.question, intent, evidence, _closest(ctx, evidence))
    if intent.kind in ("total", "average"):
        return total_answer(ctx.question, evidence, average=intent.kind == "average")
    if intent.kind == "count" and intent.threshold is not None:
        return count_answer(ctx.question, evidence, intent.threshold)
    return each_answer(ctx.question, evidence, intent.threshold)


def _closest(ctx: AnswerContext, evidence: Evidence) -> list[Passage]:
    """Each compared town whose report lacks the figure: its paragraph closest to the question."""
    found = (ctx.retriever.best_in_report(ctx.query, r.report_id) for r in evidence.table.missing)
    return [p for p in found if p is not None]


def figure_evidence(ctx: AnswerContext, intent: Intent) -> Evidence | None:
    """The figures the question asks for: those whose own wording says it (bot.answers.phrases),
    the curated metric the question names counting as a boost."""
    choice = select_metric(ctx.question, ctx.vocabulary, ctx.figures)
    asked = read_asked(ctx.question, ctx.corpus.townships, ctx.tokenizer)
    single = intent.kind == "single"
    if _other_kind(choice, asked):
        choice = None  # "哪个…干部更多" asks for people, not the 参考率 its words also name
    metric_name = choice.name if choice is not None and choice.metric is not None else None
    matched: Matched | None = None
    if asked is not None:
        weights = weights_for(ctx.corpus.figures)
        matched = match_figures(asked, ctx.figures, metric_name, weights, single)
        if matched is None or not matched.by_report:
            found = people_doing(asked, ctx.figures, weights) or things_done(asked, ctx.figures, weights)
            matched = found or matched
        matched = _with_combined(matched, combined_naming(asked, ctx.figures, weights))
    if matched is None or not matched.by_report:
        if choice is None:
            return None
        return gather(choice, key_nouns(ctx.question, choice), ctx.reports, ctx.figures, ctx.vocabulary)
    if intent.kind == "single" and metric_name is None and matched.best < _SINGLE_WITHOUT_METRIC:
        return None
    chosen = _with_curated(choice, matched, ctx.figures, ctx.corpus.figures, asked.unit if single else "")
    choice = _labelled(choice, chosen, asked.topic)
    nouns = key_nouns(ctx.question, choice) if choice.metric is not None else (asked.head,)
    return gather(choice, nouns, ctx.reports, ctx.figures, ctx.vocabulary, chosen)


def _with_combined(matched: Matched | None, combined: Matched | None) -> Matched | None:
    """The reports no figure states the asked kind alone for, given their combined counts of it
    ("普法活动和普法课堂7场次" for 普法活动): said to be combined, and ranked apart (bot.answers.combined)."""
    if combined is None:
        return matched
    if matched is None or not matched.by_report:
        return combined
    extra = {r: found for r, found in combined.by_report.items() if r not in matched.by_report}
    if not extra or any(unit_kind(f.unit) != matched.kind for found in extra.values() for f in found):
        return matched
    return Matched({**matched.by_report, **extra}, matched.kind, matched.best)


def _other_kind(choice: MetricChoice | None, asked: Asked | None) -> bool:
    """The curated metric measures another kind of quantity than the question asks for."""
    if choice is None or choice.metric is None or asked is None or asked.kind is None:
        return False
    return asked.kind not in {unit_kind(u) for u in choice.metric.units}


def _with_curated(
    choice: MetricChoice | None,
    matched: Matched,
    figures: Sequence[Figure],
    corpus: Sequence[Figure],
    unit: str = "",
) -> dict[str, tuple[Figure, ...]]:
    """Where the curated metric the question names has a report's figure, that figure: the metric
    was drawn with care ("化解突出矛盾纠纷" is a part, "参与纠纷调解120余次" another count). A report
    it misses gets its own wordings that say what was asked, of the metric's kind of quantity;
    figures the metric placed elsewhere are left there."""
    metric = choice.metric if choice is not None else None
    if metric is None:
        return matched.by_report
    curated: dict[str, tuple[Figure, ...]] = {}
    for f in of_metric(figures, metric.name):
        if f.known_metric:
            curated[f.report_id] = (*curated.get(f.report_id, ()), f)
    if not curated:
        if not any(f.known_metric for f in of_metric(corpus, metric.name)):
            return matched.by_report  # a metric this corpus never states draws no boundaries
        # The metric is stated elsewhere in the corpus: figures it put under another metric
        # ("化解突出矛盾纠纷" is a part of all disputes resolved) stay there.
        return {
            report_id: kept
            for report_id, found in matched.by_report.items()
            if (kept := tuple(f for f in found if not f.known_metric))
        }
    for report_id, own in curated.items():
        # Of a report's several figures under the metric, those whose wording says what was asked
        # ("专题讲座3场", not the "集体学习2次" extraction put beside it).
        found = matched.by_report.get(report_id, ())
        said = tuple(f for f in own if f in found)
        if unit and not any(f.unit == unit for f in own) and any(f.unit == unit for f in found):
            said = found  # the question names the unit of the report's own wording, not the metric's
        # None of the metric's figures says the question's words, an unclassified one does: the question
        # is more specific than the metric ("垃圾分类检查149次", not the 行政检查 "吸烟执法检查296次").
        curated[report_id] = said or tuple(f for f in found if not f.known_metric) or own
    kinds = {unit_kind(u) for u in metric.units}
    for report_id, found in matched.by_report.items():
        own = tuple(f for f in found if not f.known_metric and unit_kind(f.unit) in kinds)
        if own and report_id not in curated:
            curated[report_id] = own
    return curated


def _labelled(choice: MetricChoice | None, chosen: dict[str, tuple[Figure, ...]], topic: str) -> MetricChoice:
    """The curated metric when most chosen figures are its own, else the question's own words."""
    figures = [f for found in chosen.values() for f in found]
    if choice is not None and choice.metric is not None:
        own = sum(f.metric == choice.name for f in figures)
        if own * 2 >= len(figures):
            return choice
    name = topic or (figures[0].raw_metric if figures else "")
    return MetricChoice(name, name, None, name)
