"""Body lines → paragraphs with section paths: headings tracked by level, wrapped lines rejoined, items split.

Choices worth knowing:
- A line opening with a heading marker (bot.ingest.headings) is a heading. When it carries body text
  after its first 。 ("（一）法治意识有待提高。部分干部…") the part before the 。 is the heading and the rest
  is a paragraph. When the part before the first 。 is too long to be a heading (商酒务镇 "（一）围绕全面
  履职职能，提高…水平。", 85 characters), the whole line is a paragraph and its first clause names the
  section.
- A body line that does not end a sentence continues into the next body line (兴隆镇 "…化解，让" /
  "群众诉求…"), even across blank lines.
- Inline items 一是/二是/三是… split a paragraph, following the ordinals in order only (河市镇 restarts
  "一是" inside "二是": that one stays inside). A lead-in that is a full sentence ("…责任观。一是…")
  is a paragraph of its own; a lead-in fragment ("法治政府建设工作主要成效，一是…") joins the first item.
- Hard-wrapped text (a PDF's text layer cuts every line at the page width) is recognised by its
  many equal-length lines: a full line always runs on, and a heading cut by the width is rejoined.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from bot.ingest.clean import clean_text
from bot.ingest.frame import LIST_INTRO_END, SENTENCE_END, Line, last_physical
from bot.ingest.headings import MAX_HEADING, Body, Heading, Marker, heading_marker, split_heading

_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Block:
    """One paragraph's span in the decoded text and the section it sits in."""

    section_path: tuple[str, ...]
    start: int
    end: int


# ---------------------------------------------------------------- hard-wrapped text (PDF)

_MIN_WRAPPED_LINES = 8


def wrap_width(lines: list[Line]) -> int | None:
    """The line width of hard-wrapped text (a PDF's text layer), or None for one-line paragraphs.

    Wrapped text has many lines of the same length (the page width); digits are narrower than
    Chinese characters, so a full line may hold a few more characters than the commonest length.
    """
    lengths = [len(line.clean) for line in lines if len(line.clean) >= 20]
    if len(lengths) < _MIN_WRAPPED_LINES:
        return None
    width, _ = Counter(lengths).most_common(1)[0]
    full = sum(1 for length in lengths if width - 2 <= length <= width + 4)
    return width if full >= 0.4 * len(lengths) else None


def _is_full(line: Line, width: int | None) -> bool:
    return width is not None and len(line.clean) >= width - 2


def join_wrapped_headings(lines: list[Line], text: str, width: int | None) -> list[Line]:
    """A heading cut by the page width continues on the next line: make them one logical line."""
    if width is None:
        return lines
    joined: list[Line] = []
    for line in lines:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and heading_marker(previous.text)
            and not heading_marker(line.text)
            and "。" not in previous.text
            and _is_full(last_physical(previous), width)
            and len(_LINE_BREAK_RE.findall(text, previous.end, line.start)) == 1
            and _may_join(text[previous.start : line.end])
        ):
            span = text[previous.start : line.end]
            joined[-1] = Line(previous.start, line.end, span, clean_text(span))
        else:
            joined.append(line)
    return joined


def _may_join(span: str) -> bool:
    """A top-level heading joins its next line only if the result is still heading-sized.

    "一、…有关情况" may fill a line by chance and be followed by body text. A full-width "（一）…" line
    that runs on is a numbered sentence, which split_heading keeps whole as a paragraph.
    """
    marker = heading_marker(span)
    if marker is None:
        return False
    head = clean_text(span[marker.end :].split("。", 1)[0])
    return marker.level > 1 or len(head) <= MAX_HEADING[marker.level]


# ---------------------------------------------------------------- body → blocks


def _blocks(
    text: str, body: tuple[Line, ...], width: int | None
) -> Iterator[tuple[tuple[str, ...], int, int]]:
    """(section_path, start, end) of each paragraph before inline-item splitting."""
    path: dict[int, str] = {}
    last_number: dict[int, int] = {}
    list_item: tuple[int, int] | None = None  # (level, number) of the last numbered line read as a list item
    current: list[int] | None = None  # [start, end] of the paragraph being built
    current_path: tuple[str, ...] = ()
    current_clean = ""
    current_full = False  # the paragraph's last line reached the page width of wrapped text

    def section() -> tuple[str, ...]:
        return tuple(path[level] for level in sorted(path))

    unnumbered = _unnumbered_top_heading(body)
    for i, line in enumerate(body):
        marker = _UNNUMBERED if i == unnumbered else heading_marker(line.text)
        unfinished = current is not None and not current_clean.endswith(SENTENCE_END)
        if marker and unfinished and current_full:
            marker = None  # "（一）" that a page-width wrap put at a line start is text
        if marker and marker.level >= 3:
            after_intro = current is not None and current_clean.endswith(LIST_INTRO_END)
            continues_list = list_item == (marker.level, marker.number - 1)
            if unfinished or after_intro or continues_list:
                # "…如下：1.…；2.…" and a line wrapped before "1." are text, not headings.
                if after_intro or continues_list:
                    list_item = (marker.level, marker.number)
                marker = None
        if marker and not _plausible_number(marker, last_number.get(marker.level)):
            marker = None
        if marker:
            heading, body_part, item = _heading_or_item(text, body, i, marker, list_item, unnumbered)
            if current is not None:
                yield current_path, current[0], current[1]
                current = None
            path = {level: title for level, title in path.items() if level < heading.level}
            # Also the numbers of items and untitled sentences, which are in no path.
            last_number = {level: number for level, number in last_number.items() if level < heading.level}
            if heading.title:
                path[heading.level] = heading.title
            last_number[heading.level] = heading.number
            list_item = (heading.level, heading.number) if item else None
            if body_part is None:
                continue
            start, end = body_part.start, body_part.end
        else:
            start, end = line.start, line.end
        # In wrapped text a full line goes on, even when the page width fell just after a 。
        if marker is None and current is not None and (unfinished or current_full):
            current[1] = end
        else:
            if current is not None:
                yield current_path, current[0], current[1]
            current = [start, end]
            current_path = section()
        current_clean = clean_text(line.text)
        current_full = _is_full(last_physical(line), width)
    if current is not None:
        yield current_path, current[0], current[1]


def _heading_or_item(
    text: str,
    body: tuple[Line, ...],
    i: int,
    marker: Marker,
    previous_item: tuple[int, int] | None,
    unnumbered: int | None,
) -> tuple[Heading, Body | None, bool]:
    """The heading a numbered line opens and its body on the line; for a list item, an untitled one."""
    line = body[i]
    if i != unnumbered and _is_list_item(text, body, i, marker, previous_item):
        # A list item closes the sections at and below its level, names none, and is one paragraph.
        return Heading(marker.level, marker.number, ""), Body(line.start, line.end), True
    heading, body_part = split_heading(text, line.start, line.end, marker)
    return heading, body_part, False


def _is_list_item(
    text: str, body: tuple[Line, ...], i: int, marker: Marker, previous_item: tuple[int, int] | None
) -> bool:
    """A numbered line that is one item of a list, not a heading: nothing is written under it.

    Problems and plans are often short numbered sentences, one a line (喜洲镇 "三、2024年工作计划" /
    "（一）持续加强理论学习，…学习计划；" / "（二）…"): heading-sized, but with no body of their own. Read as
    headings, their words were in no paragraph. A numbered line is an item when nothing follows it on its
    line and the next line is the next number at its level, an outer heading, or the end of the body; or
    when it continues a list of such items; or when its line runs on into the next item ("（一）…不强。
    （二）…落后。"). A heading with body text under it (on its line or below) stays a heading, and so does
    a numbered sentence too long to be a heading (split_heading keeps it whole) unless it continues a list.
    """
    line = body[i]
    continues = previous_item == (marker.level, marker.number - 1)
    _, own_body = split_heading(text, line.start, line.end, marker)
    if own_body is not None:
        if own_body.start == line.start:  # a numbered sentence, already a whole paragraph
            return continues or _runs_into_next(line.text, marker)
        following = heading_marker(text[own_body.start : own_body.end])
        return following is not None and _next_item(marker, following, outer=False)
    if continues or i + 1 == len(body):
        return True
    following = heading_marker(body[i + 1].text)
    return following is not None and _next_item(marker, following, outer=True)


_CLAUSE_END_RE = re.compile(r"[。；;]")


def _runs_into_next(line_text: str, marker: Marker) -> bool:
    """The first number after a clause end in the line is the next item ("（一）…；（二）…；（三）…。")."""
    for clause_end in _CLAUSE_END_RE.finditer(line_text, marker.end):
        following = heading_marker(line_text[clause_end.end() :])
        if following is not None:
            return _next_item(marker, following, outer=False)
    return False


def _next_item(marker: Marker, following: Marker, *, outer: bool) -> bool:
    """`following` is the next number at `marker`'s level, or (with `outer`) a heading above it."""
    if following.level == marker.level:
        return following.number == marker.number + 1
    return outer and following.level < marker.level


# A top heading printed without its "一、" (庙垭乡 "2025 年推进法治政府建设的主要举措和成效" above "（一）…").
_UNNUMBERED = Marker(level=1, number=1, end=0)


def _unnumbered_top_heading(body: tuple[Line, ...]) -> int | None:
    """The index of a short unpunctuated line right above the first "（一）" when no "一、" precedes it."""
    for i, line in enumerate(body[1:], start=1):
        marker = heading_marker(line.text)
        if marker is None:
            continue
        above = body[i - 1]
        is_title_like = len(above.clean) <= MAX_HEADING[1] and not above.clean.endswith(
            (*SENTENCE_END, "，", ",")
        )
        if marker.level == 2 and marker.number == 1 and is_title_like and heading_marker(above.text) is None:
            return i - 1
        return None  # the first heading decides
    return None


def _plausible_number(marker: Marker, last: int | None) -> bool:
    """Section numbers rise by one; a typo may repeat or skip one or two.

    A top-level restart ("一、" after "三、") is running text. A sub-level may open a section with any
    number, as some reports number （一）…（八） straight through their top-level sections.
    """
    if last is None:
        return marker.level > 1 or marker.number <= 3
    lowest = last if marker.level <= 2 else last + 1  # "1." repeated is a list, "（三）" twice a typo
    return lowest <= marker.number <= last + 3


# ---------------------------------------------------------------- inline items 一是/二是

# "二\n是": a PDF line may break between the ordinal and 是.
_ORDINAL_RES = tuple(re.compile(rf"{ordinal}\s*是") for ordinal in "一二三四五六七八九十")
_ITEM_BOUNDARY = "。；！？：，、;:,!?”’）)"


def _item_starts(text: str) -> list[int]:
    """Offsets of 一是, 二是, … taken strictly in order; an ordinal counts after punctuation only."""
    starts: list[int] = []
    search_from = 0
    for pattern in _ORDINAL_RES:
        for match in pattern.finditer(text, search_from):
            before = match.start()
            while before > 0 and text[before - 1].isspace():
                before -= 1
            if before == 0 or text[before - 1] in _ITEM_BOUNDARY:
                break
        else:
            break
        starts.append(match.start())
        search_from = match.end()
    return starts if len(starts) >= 2 else []


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    starts = _item_starts(text[start:end])
    if not starts:
        return [(start, end)]
    spans: list[tuple[int, int]] = []
    lead_start, lead_end = _trimmed(text, start, start + starts[0])
    first_item_start = start + starts[0]
    if lead_end > lead_start:
        if clean_text(text[lead_start:lead_end]).endswith(tuple("。！？；!?;")):
            spans.append((lead_start, lead_end))
        else:
            first_item_start = lead_start
    bounds = [first_item_start] + [start + offset for offset in starts[1:]] + [end]
    for item_start, item_end in itertools.pairwise(bounds):
        spans.append(_trimmed(text, item_start, item_end))
    return [span for span in spans if span[1] > span[0]]


def blocks(text: str, body: tuple[Line, ...], width: int | None, max_chars: int) -> list[Block]:
    """The paragraphs of the body, in order, with inline items 一是/二是 split out.

    A paragraph over `max_chars` (bot.ingest.limits.passage_chars) is cut into pieces of at most that.
    """
    found = []
    for section_path, block_start, block_end in _blocks(text, body, width):
        for item_start, item_end in _split_items(text, block_start, block_end):
            for start, end in bounded_spans(text, item_start, item_end, max_chars):
                found.append(Block(section_path, start, end))
    return found


# Where an over-long paragraph is cut, best first: after a sentence, else after a clause.
_CUT_MARKS = ("。！？；!?;", "，、：,:")


def bounded_spans(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """text[start:end] as trimmed spans of at most `max_chars`, cut after 。 or ， in the second half.

    A run without either mark (one 349,540-character "sentence") is cut every `max_chars` characters:
    each piece stays a slice of the text, so quotes from it are still verbatim.
    """
    spans: list[tuple[int, int]] = []
    while end - start > max_chars:
        window = text[start : start + max_chars]
        cut = start + max_chars
        for marks in _CUT_MARKS:
            last = max(window.rfind(mark) for mark in marks)
            if last >= max_chars // 2:
                cut = start + last + 1
                break
        spans.append(_trimmed(text, start, cut))
        start = cut
    spans.append(_trimmed(text, start, end))
    return [span for span in spans if span[1] > span[0]]
