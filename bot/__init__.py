"""镇报问答 core: report files → paragraphs → indexes → hits → answers.

`import bot` is cheap: it loads no model, index or UI. Call `bot.load_bot()` once to get a `Bot`.
"""

from __future__ import annotations

from bot.answers.model import Answer, Passage
from bot.errors import ZhenbaoError
from bot.report import Figure, Paragraph, ParsedReport, Report


def load_bot(*args, **kwargs):
    """Load or build the index and return a ready `bot.engine.Bot` (see `bot.engine.load_bot`)."""
    from bot.engine import load_bot as _load_bot

    return _load_bot(*args, **kwargs)


__all__ = ["Answer", "Figure", "Paragraph", "ParsedReport", "Passage", "Report", "ZhenbaoError", "load_bot"]
