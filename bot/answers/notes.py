"""Lines added to an answer about the state of the index rather than about the reports."""

from __future__ import annotations

from dataclasses import replace

from bot.answers.model import Answer, Row
from bot.answers.render import render

# No count in it: every number an answer states comes from a report (bot.answers.check); the page
# shows x/y from Bot.indexing_progress.
DENSE_NOTE = "稠密检索尚未完成（句子向量仍在后台计算），部分段落本次仅按关键词检索。"


def with_dense_note(result: Answer) -> Answer:
    """The answer with one line saying dense search is incomplete, when passages were searched for it."""
    if result.kind not in ("passages", "presence", "abstain") or DENSE_NOTE in result.notes:
        return result
    rows = (*result.rows, Row(DENSE_NOTE))
    text = render(result.lead, rows) if result.lead else f"{result.answer}\n{DENSE_NOTE}"
    return replace(result, answer=text, rows=rows, notes=(*result.notes, DENSE_NOTE))
