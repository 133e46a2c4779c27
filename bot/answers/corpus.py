"""Questions about the corpus itself: which townships, which years, how many reports."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answers.intent import Intent
from bot.answers.model import Answer
from bot.answers.render import compose, town_year
from bot.report import Report


def corpus_answer(question: str, intent: Intent, reports: Sequence[Report]) -> Answer:
    if not reports:
        return compose(question, "not_found", "corpus", "语料库中没有报告。")
    if intent.corpus_topic == "years":
        text = f"语料库中报告的年份：{_years(reports)}。"
    elif intent.corpus_topic == "count":
        text = f"语料库中共有{len(reports)}份报告：{_listed(reports)}。"
    else:
        text = f"语料库中有以下乡镇的报告：{_listed(reports)}。"
    return compose(question, "answered", "corpus", text)


def _listed(reports: Sequence[Report]) -> str:
    return "、".join(f"{town_year(r)}{r.cited_title}" for r in reports)


def _years(reports: Sequence[Report]) -> str:
    parts = []
    for year in sorted({r.year for r in reports if r.year}):
        parts.append(f"{year}年（{'、'.join(r.township for r in reports if r.year == year)}）")
    unknown = [r.township for r in reports if not r.year]
    if unknown:
        parts.append(f"年份不详（{'、'.join(unknown)}）")
    return "；".join(parts)


def corpus_listing(reports: Sequence[Report]) -> str:
    """Every report in one line, for answers that must say what the corpus does hold."""
    listed = "、".join(f"{r.township}（{r.year or '年份不详'}）" for r in reports)
    return f"目前收录的报告：{listed}。"


def greeting(question: str, townships: Sequence[str]) -> Answer:
    """The help text a greeting gets: what the bot answers, what it holds, two example questions."""
    text = (
        "您好！我是镇报问答，只回答与乡镇法治政府建设年度报告有关的问题，并逐字引用报告原文。"
        f"目前收录：{'、'.join(townships)}。可以问：“哪个镇办理行政执法案件最多？”"
        "或“河市镇化解了多少矛盾纠纷？”"
    )
    return compose(question, "not_found", "abstain", text)
