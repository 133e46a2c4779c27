"""The one dispatch: a question read once into an intent, then exactly one answerer runs.

Order: a place the corpus does not cover → a question about the corpus → "哪些镇…" presence →
figures (ranking, per town, total, one town) → quoted passages, or an abstention.
"""

from __future__ import annotations

from dataclasses import replace

from bot.answers.context import AnswerContext
from bot.answers.corpus import corpus_answer
from bot.answers.figures import figure_answer
from bot.answers.intent import classify
from bot.answers.model import Answer
from bot.answers.passages import (
    note_other_year,
    note_unknown_townships,
    passage_answer,
    unknown_place_answer,
)
from bot.answers.presence import presence_answer
from bot.lang.scope import street_towns


def answer(ctx: AnswerContext) -> Answer:
    """The answer to one question; every number in it is quoted from a report (see check.py)."""
    result = unknown_place_answer(ctx) or cross_report_answer(ctx) or passage_answer(ctx)
    return note_other_year(ctx, note_unknown_townships(ctx, result))


def cross_report_answer(ctx: AnswerContext) -> Answer | None:
    """The answer from the figures table or the reports as a whole, or None for passage retrieval."""
    intent = classify(ctx.question, ctx.n_towns, [p.report.township for p in ctx.reports])
    if intent is None:
        return None
    if intent.kind == "corpus":
        return corpus_answer(ctx.question, intent, [p.report for p in ctx.reports])
    ctx = _over_streets(ctx)
    if intent.kind == "presence":
        return presence_answer(ctx)
    return figure_answer(ctx, intent)


def _over_streets(ctx: AnswerContext) -> AnswerContext:
    """ "哪个街道…最多", "哪些街道提到了…": a comparison over the corpus's 街道 alone. Only here, not in the
    scope: a passage question over 28 街道 is still one question, not 28 named towns."""
    # The word first: the township list is a walk over every report (~0.1 ms at 1,500), and only a
    # question naming 街道 can ask over them (street_towns).
    if ctx.scope.towns or "街道" not in ctx.question:
        return ctx
    streets = street_towns(ctx.question, ctx.corpus.townships)
    return replace(ctx, scope=replace(ctx.scope, towns=streets)) if streets else ctx
