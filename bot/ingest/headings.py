"""Heading markers: every numbering style the reports use, and a heading line split from its body text.

Levels, outermost first: 1 "一、"; 2 "（一）" "(一)" "一）"; 3 "1." "1、" "1．"; 4 "（1）" "1）"; 5 "①".
The inline items 一是/二是 are not headings (bot.ingest.items splits them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.ingest.clean import _ARTIFACT, clean_text

_CN_NUMERAL = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_MARKER = (
    rf"(?P<l1>[{_CN_NUMERAL}]{{1,3}})\s*、"
    rf"|[（(]\s*(?P<l2>[{_CN_NUMERAL}]{{1,3}})\s*[)）]"
    rf"|(?P<l2b>[{_CN_NUMERAL}]{{1,3}})[)）]"
    r"|(?P<l3>[0-9０-９]{1,2})(?:[.．、](?![0-9０-９]))"
    r"|[（(](?P<l4>[0-9０-９]{1,2})[)）]"
    r"|(?P<l4b>[0-9０-９]{1,2})[)）]"
    rf"|(?P<l5>[{_CIRCLED}])"
)
_HEADING_RE = re.compile(rf"^(?P<lead>(?:{_ARTIFACT}|\s)*)(?P<marker>{_MARKER})", re.IGNORECASE)
_GROUP_LEVEL = {"l1": 1, "l2": 2, "l2b": 2, "l3": 3, "l4": 4, "l4b": 4, "l5": 5}
# Beyond these lengths the text before the first 。 is a sentence, not a heading.
MAX_HEADING = {1: 60, 2: 45, 3: 45, 4: 45, 5: 45}
_HEADING_TRIM = "；;。：:，, \t　"
# A whole report saved on one line: a heading marker after a space starts a new logical line.
_INLINE_MARKER_RE = re.compile(rf"\s+(?=(?:[{_CN_NUMERAL}]{{1,3}}、|[（(][{_CN_NUMERAL}]{{1,3}}[)）]))")
_INLINE_BREAK_RE = re.compile(r"(?<=[：:])\s+|(?<=报告)\s+(?=\S)")
_MIN_ONE_LINE_REPORT = 300


@dataclass(frozen=True)
class Marker:
    level: int
    number: int
    end: int  # offset within the line just after the marker


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
            number = _CIRCLED.index(value) + 1
        elif level >= 3:
            number = int(value.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        else:
            number = chinese_number(value)
        return Marker(level, number, match.end())
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


def split_heading(text: str, start: int, end: int, marker: Marker) -> tuple[Heading, Body | None]:
    """A heading line → its heading and the body text that follows it on the same line, if any."""
    line = text[start:end]
    rest = line[marker.end :]
    stop = rest.find("。")
    head_part = rest if stop < 0 else rest[:stop]
    body_offset = len(line) if stop < 0 else marker.end + stop + 1
    head_clean = clean_text(head_part)
    prefix = clean_text(line[: marker.end])
    if stop >= 0 and len(head_clean) > MAX_HEADING[marker.level]:
        # A numbered sentence: the whole line is the paragraph, its first clause names the section.
        # (Without any 。 a long line is still a heading: sentences end with one.)
        first_clause = re.split(r"[，,；;。]", head_clean, maxsplit=1)[0]
        return Heading(marker.level, marker.number, prefix + first_clause.strip(_HEADING_TRIM)), Body(
            start, end
        )
    heading = Heading(marker.level, marker.number, (prefix + head_clean).strip(_HEADING_TRIM))
    body_text = line[body_offset:]
    if not clean_text(body_text).strip("”’」』"):
        return heading, None
    lead = len(body_text) - len(body_text.lstrip())
    return heading, Body(start + body_offset + lead, end)
