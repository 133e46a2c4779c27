"""Ordinary questions: the best paragraphs, led by the sentence that answers — or an abstention."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answers.context import AnswerContext
from bot.answers.corpus import corpus_listing
from bot.answers.model import Answer, Passage, Row
from bot.answers.phrases import answering_kinds, states_kind
from bot.answers.render import compose, render
from bot.lang.places import TOWNSHIP_SUFFIXES

NO_PASSAGE = (
    "没有在报告中找到能回答这个问题的段落。可以换个说法、写明乡镇名称，"
    "或确认这个问题属于法治政府建设年度报告的内容。"
)


def unknown_place_answer(ctx: AnswerContext) -> Answer | None:
    """A question about a place no report covers, naming no township of the corpus: say so and list
    what the corpus holds, rather than answer from another township's report."""
    scope = ctx.scope
    if not scope.unknown_places or scope.towns:
        return None
    places = "、".join(scope.unknown_places)
    listing = corpus_listing([p.report for p in ctx.corpus.reports])
    return compose(ctx.question, "not_found", "abstain", f"语料库中没有{places}的报告。{listing}")


def note_unknown_townships(ctx: AnswerContext, result: Answer) -> Answer:
    """An answer about the named towns of the corpus, saying which other named townships it has no
    report of ("北关镇和河市镇哪个…多": only 河市镇 can be answered). A county or city named beside a
    known town ("北京市的河市镇") is taken as that town's place, not as a report the corpus lacks."""
    places = ctx.scope.unknown_places
    missing = [p for p in places if p.endswith(TOWNSHIP_SUFFIXES) and _listed(ctx.question, p)]
    if not missing or not ctx.scope.towns:
        return result
    note = f"语料库中没有{'、'.join(missing)}的报告，以上只就{'、'.join(ctx.scope.towns)}作答。"
    rows = (*result.rows, Row(note))
    return replace(result, answer=render(result.lead, rows), rows=rows, notes=(*result.notes, note))


def note_other_year(ctx: AnswerContext, result: Answer) -> Answer:
    """Say which year's report an answer quotes when the question named a year its townships have
    no report of ("垡头街道…2022年度…" answered from the 2023 report)."""
    year = ctx.scope.other_year
    if year is None or not ctx.scope.towns:
        return result
    held = sorted({f"{p.report.year}年" for p in ctx.reports if p.report.year})
    towns, years = "、".join(ctx.scope.towns), "、".join(held)
    # Quoting nothing of that year ("垡头街道…审议了2022年度…" quotes it), the answer is not about it:
    # it says so first, and what the other year's report says comes after as the closest there is.
    quoted = [p.paragraph.text for p in result.passages] + [f.quote for f, _ in result.figures]
    if any(str(year) in text for text in quoted):
        note = f"语料库中没有{towns}{year}年的报告，以上出自其{years}的报告。"
        rows = (*result.rows, Row(note))
        notes = (*result.notes, note)
        return replace(result, answer=render(result.lead, rows), rows=rows, notes=notes)
    note = f"语料库中没有{towns}{year}年的报告，无从回答{year}年的情况。以下仅供参考，出自其{years}的报告："
    rows = (Row(result.lead), *result.rows) if result.lead else result.rows
    notes = (*result.notes, note)
    answer = render(note, rows)
    return replace(result, status="not_found", lead=note, answer=answer, rows=rows, notes=notes)


def _listed(question: str, place: str) -> bool:
    """Whether the place stands in a list of towns ("北关镇和河市镇"): a run of words the place
    pattern takes for a name ("请律师给街道", "次送法下乡") is not noted as a missing report."""
    escaped = re.escape(place)
    return bool(re.search(f"{escaped}(?:{_LIST_JOINER})|(?:{_LIST_JOINER}){escaped}", question))


_LIST_JOINER = "和|与|及|、|跟|同|以及"
# How many of the best passages the support check looks at before abstaining.
_SUPPORT_DEPTH = 3


def passage_answer(ctx: AnswerContext) -> Answer:
    """The retrieved passages, led by the top passage's best sentence, when it bears on the question.

    A question naming several towns gets each town's best passage; one naming a town whose report
    holds no passage that bears on it is told so and shown that report's closest passage.
    """
    if len(ctx.scope.towns) > 1:
        return _per_town_answer(ctx)
    retriever, question, scope = ctx.retriever, ctx.question, ctx.scope
    passages = tuple(retriever.search(question, scope, max(ctx.top_k, _SUPPORT_DEPTH)))
    if not passages:
        return compose(question, "not_found", "abstain", NO_PASSAGE)
    # The fused ranking may put a paragraph that only resembles the question first and the one that
    # answers it second: the first passage that passes the support check leads.
    top = next((p for p in passages if retriever.supported(question, p, scope)), None)
    kinds = answering_kinds(question)
    if top is not None and kinds and not states_kind(top.paragraph.text, kinds):
        # "汤头街道的普法课有多少人来听": among the best, the first that states such a quantity
        # ("受众5000人次") answers it better than one that only speaks of 普法.
        stating = (p for p in passages[:_SUPPORT_DEPTH] if states_kind(p.paragraph.text, kinds))
        top = next((p for p in stating if retriever.supported(question, p, scope)), top)
    if top is None:
        if scope.towns:
            return _closest_answer(ctx, passages[: ctx.top_k])
        return compose(question, "not_found", "abstain", NO_PASSAGE)
    passages = (top, *(p for p in passages if p is not top))[: ctx.top_k]
    lead = retriever.lead_sentence(question, top, scope)
    return compose(
        question,
        "answered",
        "passages",
        f"最相关的原文出自{top.report.township}{top.report.cited_title}：“{lead}”",
        passages=passages,
        terms=retriever.matched_terms(question, passages, scope),
    )


def _closest_answer(ctx: AnswerContext, passages: tuple[Passage, ...]) -> Answer:
    """The named town's report has no passage that clearly answers: say so (not_found) and show its
    closest passages, so that the official can check what the report does say."""
    towns = "、".join(ctx.scope.towns)
    lead = (
        f"{towns}的报告中没有找到明确回答这个问题的内容。"
        "以下是该报告中最接近的段落，可能并不包含所问内容，请对照原文核对。"
    )
    terms = ctx.retriever.matched_terms(ctx.question, passages, ctx.scope)
    return compose(ctx.question, "not_found", "passages", lead, passages=passages, terms=terms)


def _per_town_answer(ctx: AnswerContext) -> Answer:
    """ "兴隆镇和宁河镇的法律顾问分别是谁": the best passage of each named town, each led by its
    answering sentence, or a line saying that town's report has none that bears on the question."""
    retriever, question = ctx.retriever, ctx.question
    rows: list[Row] = []
    passages: list[Passage] = []
    answered = False
    for town in ctx.scope.towns:
        scope = replace(ctx.scope, towns=(town,))
        found = retriever.search(question, scope, 1)
        if not found:
            rows.append(Row(f"{town}：语料库中没有符合条件的报告。"))
            continue
        best = found[0]
        passages.append(best)
        if retriever.supported(question, best, scope):
            answered = True
            sentence = retriever.lead_sentence(question, best, scope)
            rows.append(Row(f"{town}：", passage=best, quote=sentence))
        else:
            rows.append(Row(f"{town}：报告中没有找到明确回答这个问题的内容，最接近的段落", passage=best))
    status = "answered" if answered else "not_found"
    lead = f"按乡镇分别列出最相关的原文（{'、'.join(ctx.scope.towns)}）："
    terms = retriever.matched_terms(question, passages, ctx.scope)
    return compose(question, status, "passages", lead, rows, passages=passages, terms=terms)
