"""The answer invariants as a test assertion: run it on every answer a test produces."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answers.check import check_answer
from bot.answers.model import Answer
from bot.report import ParsedReport


def assert_sound(answer: Answer, bot_or_reports) -> None:
    """Fail with the problems `bot.answers.check.check_answer` finds (quotes not verbatim, a number
    without a source). `bot_or_reports` is a Bot or the parsed reports the answer was drawn from."""
    reports: Sequence[ParsedReport] = (
        getattr(bot_or_reports, "corpus", None) and bot_or_reports.corpus.reports
    )
    problems = check_answer(answer, reports or bot_or_reports)
    assert not problems, "\n".join(problems)
