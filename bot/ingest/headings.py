"""Heading markers: every numbering style the reports use, and a heading line split from its body text.

The marker patterns and their levels are in bot.lang.markers (the sentence splitter reads them too).
The inline items 一是/二是 are not headings (bot.ingest.items splits them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.ingest.clean import _ARTIFACT, clean_text
from bot.lang.markers import (
    CIRCLED,
    LEVEL_1,
    LEVEL_2,
    LEVEL_2_CLOSED,
    LEVEL_3,
    LEVEL_4,
    LEVEL_4_CLOSED,
    LEVEL_5,
)
from bot.lang.sentences import first_full_stop

_MARKER = "|".join((LEVEL_1, LEVEL_2, LEVEL_2_CLOSED, LEVEL_3, LEVEL_4, LEVEL_4_CLOSED, LEVEL_5))
# A PDF's text layer may move an empty quote pair to the start of a line: "“ ”（二）强化依法执政…".
_HEADING_RE = re.compile(rf"^(?P<lead>(?:{_ARTIFACT}|\s|“\s*”)*)(?P<marker>{_MARKER})", re.IGNORECASE)
_GROUP_LEVEL = {"l1": 1, "l2": 2, "l2b": 2, "l3": 3, "l4": 4, "l4b": 4, "l5": 5}
# Beyond these lengths the text before the first 。 is a sentence, not a heading.
MAX_HEADING = {1: 60, 2: 45, 3: 45, 4: 45, 5: 45}
# A colon ends a run-in heading only when the heading before it is short and real text follows.
_MAX_COLON_HEADING = 20
_HEADING_TRIM = "；;。：:，, \t　"
# A whole report saved on one line: a heading marker after a space starts a new logical line.
# Matched only from the start of a whitespace run: tried at every space, a run of 150,000 spaces cost
# hours of backtracking; only the run's end can precede a marker, so the matches are the same.
_INLINE_MARKER_RE = re.compile(rf"(?<!\s)\s+(?={LEVEL_1}|{LEVEL_2})")
_INLINE_BREAK_RE = re.compile(r"(?<=[：:])\s+|(?<=报告)\s+(?=\S)")
_MIN_ONE_LINE_REPORT = 300


@dataclass(frozen=True)
class Marker:
    level: int
    number: int
    end: int  # offset within the line just after the marker
    start: int = 0  # offset within the line where the marker begins (after artifacts, stray quotes)


@dataclass(frozen=True)
class Heading:
    level: int
    number: int
    title: str


@dataclass(frozen=True)
class Body:
    start: int
    end: int


def chinese_number(numeral: str) -> int:
    digits = {ch: i for i, ch in enumerate("一二三四五六七八九", start=1)}
    if "十" not in numeral:
        return digits.get(numeral, 0)
    tens, _, units = numeral.partition("十")
    return digits.get(tens, 1) * 10 + digits.get(units, 0)


def heading_marker(line_text: str) -> Marker | None:
    """The numbering marker a line opens with, or None."""
    match = _HEADING_RE.match(line_text)
    if not match:
        return None
    for group, level in _GROUP_LEVEL.items():
        value = match[group]
        if not value:
            continue
        if group == "l5":
            number = CIRCLED.index(value) + 1
        elif level >= 3:
            number = int(value.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        else:
            number = chinese_number(value)
        return Marker(level, number, match.end(), match.start("marker"))
    return None


def inline_heading_starts(line: str) -> list[int]:
    """Where a report written on one long line starts its title, 致送 line, body and headings."""
    if len(line) < _MIN_ONE_LINE_REPORT:
        return []
    markers = [match.end() for match in _INLINE_MARKER_RE.finditer(line)]
    if len(markers) < 2:
        return []
    breaks = [match.end() for match in _INLINE_BREAK_RE.finditer(line, 0, markers[0])]
    return sorted(set(breaks + markers))


def _run_in_colon(head_part: str) -> int | None:
    """Where a short heading ends in a colon followed by its body text on the same line, else None."""
    colon = min((i for i in (head_part.find("："), head_part.find(":")) if i >= 0), default=-1)
    if colon < 0 or len(clean_text(head_part[:colon])) > _MAX_COLON_HEADING:
        return None
    return colon if len(clean_text(head_part[colon + 1 :])) >= _MAX_COLON_HEADING else None


def split_heading(text: str, start: int, end: int, marker: Marker) -> tuple[Heading, Body | None]:
    """A heading line → its heading and the body text that follows it on the same line, if any."""
    line = text[start:end]
    rest = line[marker.end :]
    stop = first_full_stop(rest)
    colon = _run_in_colon(rest if stop < 0 else rest[:stop])
    if colon is not None:
        stop = colon  # "1.城市综合执法工作：街综合执法大队…": the heading ends at its colon
    head_part = rest if stop < 0 else rest[:stop]
    body_offset = len(line) if stop < 0 else marker.end + stop + 1
    head_clean = clean_text(head_part)
    prefix = clean_text(line[marker.start : marker.end])
    if stop >= 0 and len(head_clean) > MAX_HEADING[marker.level]:
        # A numbered sentence: the whole line is the paragraph. At the outer levels its first clause
        # names the section (商酒务镇 "（一）围绕全面履职职能，…"); a "1." or "（1）" sentence is one item of
        # a list under the current section and names none (title "").
        # (Without any 。 a long line is still a heading: sentences end with one.)
        first_clause = re.split(r"[，,；;。]", head_clean, maxsplit=1)[0]
        title = prefix + first_clause.strip(_HEADING_TRIM) if marker.level <= 2 else ""
        return Heading(marker.level, marker.number, title), Body(start, end)
    heading = Heading(marker.level, marker.number, (prefix + head_clean).strip(_HEADING_TRIM))
    body_text = line[body_offset:]
    if not clean_text(body_text).strip("”’」』"):
        return heading, None
    lead = len(body_text) - len(body_text.lstrip())
    return heading, Body(start + body_offset + lead, end)
