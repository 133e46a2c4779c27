"""The conversation with its citations as Markdown and Word files, for pasting into memos."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from ui.render import Turn

TITLE = "镇报问答 对话记录"
# Word shows CJK text in the East Asian font slot; without it, Latin-only fonts fall back unpredictably.
_EAST_ASIAN_FONT = "宋体"


def conversation_markdown(turns: Sequence[Turn], exported_at: datetime) -> str:
    lines = [f"# {TITLE}", "", f"导出时间：{exported_at:%Y-%m-%d %H:%M}", ""]
    for number, turn in enumerate(turns, 1):
        lines += [f"## {number}. 问：{turn.question}", ""]
        if turn.resolved != turn.question:
            lines += [f"（理解为：{turn.resolved}）", ""]
        lines += ["**答：**", "", turn.answer.answer.strip(), ""]
        lines += [f"- {note}" for note in turn.answer.notes]
        if turn.answer.notes:
            lines.append("")
        for passage in turn.answer.passages:
            quote = passage.paragraph.text.strip()
            lines += [*(f"> {line}" if line else ">" for line in quote.splitlines()), ""]
            lines += [passage.citation, ""]
    return "\n".join(lines)


def conversation_docx(turns: Sequence[Turn], path: Path, exported_at: datetime) -> Path:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), _EAST_ASIAN_FONT)
    document.add_heading(TITLE, level=0)
    document.add_paragraph(f"导出时间：{exported_at:%Y-%m-%d %H:%M}")
    for number, turn in enumerate(turns, 1):
        document.add_heading(f"{number}. 问：{turn.question}", level=2)
        if turn.resolved != turn.question:
            document.add_paragraph(f"（理解为：{turn.resolved}）")
        document.add_paragraph(turn.answer.answer.strip())
        for note in turn.answer.notes:
            document.add_paragraph(note, style="List Bullet")
        for passage in turn.answer.passages:
            document.add_paragraph(passage.paragraph.text.strip(), style="Quote")
            source = document.add_paragraph().add_run(passage.citation)
            source.font.size = Pt(9)
            source.font.color.rgb = RGBColor(0x4B, 0x55, 0x63)
    document.save(str(path))
    return path


def write_exports(turns: Sequence[Turn], directory: Path, exported_at: datetime) -> tuple[Path, Path]:
    """Both files in `directory`, named by time so downloads of successive exports don't collide."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"镇报问答对话-{exported_at:%Y%m%d-%H%M%S}"
    markdown = directory / f"{stem}.md"
    markdown.write_text(conversation_markdown(turns, exported_at), encoding="utf-8")
    return markdown, conversation_docx(turns, directory / f"{stem}.docx", exported_at)
