"""Ordinary questions: the best paragraphs, led by the sentence that answers — or an abstention."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answers.context import AnswerContext
from bot.answers.corpus import corpus_listing
from bot.answers.model import Answer, Row
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


def _listed(question: str, place: str) -> bool:
    """Whether the place stands in a list of towns ("北关镇和河市镇"): a run of words the place
    pattern takes for a name ("请律师给街道", "次送法下乡") is not noted as a missing report."""
    escaped = re.escape(place)
    return bool(re.search(f"{escaped}(?:{_LIST_JOINER})|(?:{_LIST_JOINER}){escaped}", question))


_LIST_JOINER = "和|与|及|、|跟|同|以及"


def passage_answer(ctx: AnswerContext) -> Answer:
    """The retrieved passages, led by the top passage's best sentence, when it bears on the question."""
    retriever, question, scope = ctx.retriever, ctx.question, ctx.scope
    passages = tuple(retriever.search(question, scope, ctx.top_k))
    if not passages or not retriever.supported(question, passages[0], scope):
        return compose(question, "not_found", "abstain", NO_PASSAGE)
    top = passages[0]
    lead = retriever.lead_sentence(question, top, scope)
    return compose(
        question,
        "answered",
        "passages",
        f"最相关的原文出自{top.report.township}{top.report.cited_title}：“{lead}”",
        passages=passages,
        terms=retriever.matched_terms(question, passages, scope),
    )
