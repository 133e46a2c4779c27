"""Decoded report text → ParsedReport: identity, and citable paragraphs with section paths.

The stages, each in its own module:
- bot.lang.script: a traditional report is read through its simplified form (same length, so every
  offset is shared); quotes and section titles stay in the script the file was written in;
- bot.ingest.frame: lines with offsets, and the frame around the body (title, issuer, 致送 line,
  page furniture, 落款);
- bot.ingest.layout: body lines → paragraphs with section paths;
- bot.ingest.identity: township, county, year and title, each with its source and confidence.

The parser never edits the text: every Paragraph is a [start, end) slice of the exact string it was
given, so quotes shown to users are verbatim. A report is refused only when it has no paragraph; a
report whose township cannot be read is still indexed under its file name and marked doubtful.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from bot.errors import UnsupportedFile
from bot.ingest.clean import clean_text
from bot.ingest.frame import Frame, frame, split_lines
from bot.ingest.identity import Identity, read_identity
from bot.ingest.layout import Block, blocks, join_wrapped_headings, wrap_width
from bot.ingest.limits import Deadline, current, over_limit
from bot.lang.script import aligned_simplified, is_traditional
from bot.report import Paragraph, ParsedReport, Report

NO_PARAGRAPHS = "文件中没有找到正文段落（只有标题或落款）。请确认这是完整的报告"


def parse_report(
    text: str, *, report_id: str, source: str, sha256: str, deadline: Deadline | None = None
) -> ParsedReport:
    """Parse decoded report text; raise UnsupportedFile when it holds no paragraph or is over a limit.

    `deadline` is the file's parse-time limit (bot.ingest.limits), checked between the stages.
    """
    deadline = deadline or Deadline(source)
    traditional = is_traditional(text)
    # Rules read simplified characters; `reading` has the same length as `text`, so offsets agree.
    reading = aligned_simplified(text) if traditional else text
    lines = list(split_lines(reading))
    if len(lines) > current().report_paragraphs:
        # Every later stage works line by line: more lines than a report has paragraphs is refused now.
        raise over_limit(source, "report_paragraphs", len(lines))
    width = wrap_width(lines)
    deadline.check()
    framed = frame(join_wrapped_headings(lines, reading, width))
    deadline.check()
    # Section titles are cut from the original text: they are cited as the file writes them.
    found = blocks(text, framed.body, width, current().passage_chars)
    if not found:
        raise UnsupportedFile(source, NO_PARAGRAPHS)
    if len(found) > current().report_paragraphs:
        raise over_limit(source, "report_paragraphs", len(found))
    deadline.check()
    paragraphs = tuple(_paragraph(report_id, i, block, text, reading) for i, block in enumerate(found))
    identity = read_identity(
        framed,
        reading,
        report_id=report_id,
        opening=" ".join(p.clean for p in paragraphs if not p.section_path),
        first_heading=next((p.section_path[0] for p in paragraphs if p.section_path), ""),
        original=text,
    )
    script = "traditional" if traditional else "simplified"
    report = _report(identity, framed, text, report_id=report_id, source=source, sha256=sha256, script=script)
    return ParsedReport(report=report, text=text, paragraphs=paragraphs)


def _paragraph(report_id: str, index: int, block: Block, text: str, reading: str) -> Paragraph:
    return Paragraph(
        report_id=report_id,
        index=index,
        section_path=block.section_path,
        start=block.start,
        end=block.end,
        text=text[block.start : block.end],
        clean=clean_text(reading[block.start : block.end]),  # simplified: what search compares
    )


def _report(identity: Identity, framed: Frame, text: str, **fields: str) -> Report:
    township, sources = identity.township, identity.sources
    if township is None:
        # Never lose a readable report: it is indexed under its file name until the user names it
        # in 报告信息.csv (bot.ingest.report_info).
        township = PurePosixPath(fields["report_id"]).stem
    title = _original_title(framed, text) if identity.title else None
    return Report(
        township=township,
        district=identity.county,
        year=identity.year,
        title=title or identity.title,
        doubtful=identity.doubtful,
        sources=sources,
        **fields,
    )


def _original_title(framed: Frame, text: str) -> str | None:
    # The title as the file writes it (traditional stays traditional); identity read it simplified.
    if framed.title_lines:
        return clean_text("".join(text[line.start : line.end] for line in framed.title_lines))
    return None


__all__ = ["NO_PARAGRAPHS", "parse_report"]
