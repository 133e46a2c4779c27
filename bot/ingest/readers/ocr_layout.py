"""OCR text boxes → lines and paragraphs, from the boxes' geometry alone.

The OFD reader rebuilds paragraphs from exact glyph positions; OCR boxes are noisier (a stamp, a
page number or a skewed scan puts a box outside the text block), so each page's margin and right
edge are read robustly here: the leftmost start and rightmost end that at least two lines share.
- Boxes whose vertical centres fall inside a line's height are one line, read left to right.
- A line opens a paragraph when it starts indented (Chinese reports indent a paragraph's first line
  by two characters), when the line before it ends short of the right edge, or after a wide gap.
  On a page with no indented line at all (block style), a line ending in 。 also ends a paragraph.
- A page's first line continues the previous page's last paragraph unless one of these rules opens it.
- ASCII punctuation that OCR reads beside Chinese characters ("(一)", "：" as ":") becomes the
  full-width form the report was typed in, so headings and sentence ends are recognised.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """One recognised text box on a page, in pixels (y grows downwards)."""

    left: float
    top: float
    right: float
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class _Line:
    left: float
    top: float
    right: float
    bottom: float
    text: str


# Multiples of the page's character height (the median box height).
_INDENT = 0.8  # a first-line indent is two characters; half a character of skew is not one
_SHORT = 1.5  # a line ending this far before the right edge ends its paragraph
_GAP = 1.3  # a blank band this high between lines is a paragraph break
_WORD_GAP = 1.0  # boxes this far apart on one line are separated by a space
_SENTENCE_END = ("。", "！", "？", "：")

_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u3000-\u303f“”‘’]"
_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", ",": "，", "?": "？", "!": "！"})
_PUNCT_NEAR_CJK = re.compile(rf"(?<={_CJK})[():;,?!]|[():;,?!](?={_CJK})")


def page_text(pages: Sequence[Sequence[Box]]) -> str:
    """The text of all pages, one paragraph per line and a blank line between paragraphs."""
    paragraphs: list[str] = []
    previous_short = True
    for boxes in pages:
        lines = _lines(boxes)
        if not lines:
            continue
        for text, opens, short in _page_paragraph_lines(lines):
            if opens or previous_short or not paragraphs:
                paragraphs.append(text)
            else:
                paragraphs[-1] += text
            previous_short = short
    return "\n\n".join(full_width(paragraph) for paragraph in paragraphs)


def full_width(text: str) -> str:
    """ASCII punctuation next to a Chinese character as the full-width form Chinese text uses."""
    return _PUNCT_NEAR_CJK.sub(lambda match: match.group().translate(_FULL_WIDTH), text)


def _lines(boxes: Sequence[Box]) -> list[_Line]:
    """Boxes grouped into visual lines, top to bottom, each read left to right."""
    rows: list[list[Box]] = []
    for box in sorted((b for b in boxes if b.text.strip() and b.height > 0), key=lambda b: b.middle):
        row = rows[-1] if rows else None
        if row is not None and min(b.top for b in row) <= box.middle <= max(b.bottom for b in row):
            row.append(box)
        else:
            rows.append([box])
    return [_line(sorted(row, key=lambda b: b.left)) for row in rows]


def _line(row: list[Box]) -> _Line:
    height = statistics.median(b.height for b in row)
    text = row[0].text.strip()
    for before, box in itertools.pairwise(row):
        text += (" " if box.left - before.right > height * _WORD_GAP else "") + box.text.strip()
    return _Line(row[0].left, min(b.top for b in row), row[-1].right, max(b.bottom for b in row), text)


def _shared(values: list[float], tolerance: float, *, lowest: bool) -> float:
    """The lowest (or highest) value that another value lies within `tolerance` of; else the extreme."""
    ordered = sorted(values, reverse=not lowest)
    for value in ordered:
        if sum(1 for other in values if abs(other - value) <= tolerance) >= 2:
            return value
    return ordered[0]


def _page_paragraph_lines(lines: list[_Line]) -> list[tuple[str, bool, bool]]:
    """(text, opens a paragraph, ends short) of each line of one page."""
    height = statistics.median(line.bottom - line.top for line in lines)
    margin = _shared([line.left for line in lines], height / 2, lowest=True)
    edge = _shared([line.right for line in lines], height, lowest=False)
    indented = [line.left > margin + height * _INDENT for line in lines]
    block_style = not any(indented[1:])
    marked: list[tuple[str, bool, bool]] = []
    for i, line in enumerate(lines):
        gap = i > 0 and line.top - lines[i - 1].bottom > height * _GAP
        short = line.right < edge - height * _SHORT or (block_style and line.text.endswith(_SENTENCE_END))
        marked.append((line.text, indented[i] or gap, short))
    return marked


__all__ = ["Box", "full_width", "page_text"]
