"""镇报问答 core: report files → paragraphs → indexes → hits → answers.

`import bot` is cheap: it loads no model, index or UI. Call `bot.load_bot()` once to get a `Bot`.
This module is the public API that the CLI and the page use: loading, asking, refreshing, adding
reports, and the errors to show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot._startup import restore_interrupt  # first: Ctrl-C while the program starts, see there
from bot.answers.model import Answer, Passage
from bot.cli import ChineseArgumentParser
from bot.errors import TOP_K_RANGE, ZhenbaoError, check_top_k
from bot.figures.figure import Figure
from bot.ingest.formats import SUPPORTED_SUFFIXES, describe_supported
from bot.ingest.report_info import TABLE_NAME
from bot.ingest.upload import MAX_UPLOAD_BYTES
from bot.paths import data_dir, reports_dir, set_samples, shown_path
from bot.report import FIELD_LABELS, Paragraph, ParsedReport, Report

if TYPE_CHECKING:
    from bot.engine import Bot


def load_bot(*args, **kwargs) -> Bot:
    """Load or build the index and return a ready `bot.engine.Bot` (see `bot.engine.load_bot`)."""
    from bot.engine import load_bot as _load_bot

    return _load_bot(*args, **kwargs)


__all__ = [
    "FIELD_LABELS",
    "MAX_UPLOAD_BYTES",
    "SUPPORTED_SUFFIXES",
    "TABLE_NAME",
    "TOP_K_RANGE",
    "Answer",
    "Bot",
    "ChineseArgumentParser",
    "Figure",
    "Paragraph",
    "ParsedReport",
    "Passage",
    "Report",
    "ZhenbaoError",
    "check_top_k",
    "data_dir",
    "describe_supported",
    "load_bot",
    "reports_dir",
    "restore_interrupt",
    "set_samples",
    "shown_path",
]


def __getattr__(name: str):
    # `bot.Bot` without importing the engine (numpy, jieba) at `import bot`.
    if name == "Bot":
        from bot.engine import Bot

        return Bot
    raise AttributeError(name)
