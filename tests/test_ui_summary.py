"""The corpus summary shows file names as literal text and paths relative to the report folder (13.6)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from bot.ingest.scan import SkippedFile
from bot.report import Report
from ui.app import _corpus_summary

HOSTILE = '<img src=x onerror="alert(1)">*报告*_[链接](javascript:x)`.txt'


@dataclass
class _Corpus:
    """What _corpus_summary reads of a Bot."""

    reports: list[Report]
    skipped: list[SkippedFile]
    corpus_dir: Path


def _shown_text(markdown: str) -> tuple[str, str]:
    """The HTML a Markdown renderer makes of the summary, and what a browser displays of it."""
    rendered = MarkdownIt("commonmark").render(markdown)
    return rendered, html.unescape(re.sub(r"<[^>]+>", "", rendered))


def test_skipped_file_names_stay_text_and_paths_are_relative(tmp_path):
    folder = tmp_path / "reports"
    report = Report(
        report_id="a.txt", township="<b>石马镇</b>", district=None, year=2024, title="", source="", sha256="0"
    )
    skipped = [
        SkippedFile(str(folder / "2024" / HOSTILE), "没有任何中文"),
        SkippedFile(str(tmp_path / "elsewhere" / "旧报告.pdf"), "扫描件"),
    ]
    rendered, visible = _shown_text(_corpus_summary(_Corpus([report], skipped, folder)))
    assert (
        "<img" not in rendered and "<b>" not in rendered and "<a " not in rendered and "<em>" not in rendered
    )
    assert f"2024/{HOSTILE}（没有任何中文）" in visible
    assert "<b>石马镇</b>（2024）" in visible
    # Outside the report folder only the name is shown, never the absolute path.
    assert "旧报告.pdf（扫描件）" in visible and str(tmp_path) not in visible
