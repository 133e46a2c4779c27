"""Decoded report text → ParsedReport: title, township, year, and citable paragraphs with section paths.

The parser works on lines of the decoded text and never edits it: every Paragraph is a [start, end)
slice of the exact string it was given, so quotes shown to users are verbatim.

Choices worth knowing:
- A line opening with a heading marker (一、 / （一） (一) / 1. 1、 1． / （1）) is a heading. When it
  carries body text after its first 。 ("（一）法治意识有待提高。部分干部…") the part before the 。 is
  the heading and the rest is a paragraph. When the part before the first 。 is too long to be a
  heading (商酒务镇 "（一）围绕全面履职职能，提高…水平。", 85 characters), the whole line is a
  paragraph and its first clause ("（一）围绕全面履职职能") names the section.
- A body line that does not end a sentence continues into the next body line (兴隆镇 "…化解，让" /
  "群众诉求…"), even across blank lines.
- Inline items 一是/二是/三是… split a paragraph, following the ordinals in order only (河市镇 restarts
  "一是" inside "二是": that one stays inside). A lead-in that is a full sentence ("…责任观。一是…")
  is a paragraph of its own; a lead-in fragment ("法治政府建设工作主要成效，一是…") joins the first item.
- Title lines, issuing bodies, the addressee ("县委、县政府："), signature and date lines are not
  paragraphs; the opening paragraph before the first heading is, with section_path ().
- Hard-wrapped text (a PDF's text layer cuts every line at the page width) is recognised by its
  many equal-length lines: a full line always runs on, and a heading cut by the width is rejoined.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from bot.errors import UnsupportedFile
from bot.report import Paragraph, ParsedReport, Report

# ---------------------------------------------------------------- artifacts and clean text

# Conversion debris that Word→text/pandoc exports leave in reports: "[bookmark: _GoBack]",
# "[]{#_Toc123 .anchor}", "{.underline}", footnote marks, stray HTML tags, zero-width characters.
_ARTIFACT = (
    r"\[(?:bookmark|anchor|comment|page ?break)\b[^\]\r\n]*\]"
    r"|\[\]\{[^}\r\n]*\}"
    r"|\{[#.][^}\r\n]*\}"
    r"|\[\^\d+\]"
    r"|</?(?:br|p|span|div|font|b|i|u|sup|sub)\b[^>\r\n]*>"
    r"|&nbsp;"
    r"|[\u200b-\u200d\u2060\ufeff\u00ad]"
)
_ARTIFACT_RE = re.compile(_ARTIFACT, re.IGNORECASE)
# pandoc keeps the text of a styled span: "[重点]{.mark}" → "重点".
_STYLED_SPAN_RE = re.compile(r"\[([^\[\]\r\n]*)\]\{[#.][^}\r\n]*\}")
_SPACE_RUN_RE = re.compile(r"(\s+)")
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


def strip_artifacts(text: str) -> str:
    """Remove Word/pandoc conversion artifacts, keeping all other characters."""
    return _ARTIFACT_RE.sub("", _STYLED_SPAN_RE.sub(r"\1", text))


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def clean_text(text: str) -> str:
    """Artifacts removed, whitespace runs collapsed; a space survives only between two ASCII words.

    Inside a paragraph a line break is where a PDF's page width cut the text, often mid-word or
    mid-number ("10\n0%", "L\nED"), so it never becomes a space.
    """
    pieces = _SPACE_RUN_RE.split(strip_artifacts(text).strip())
    out = pieces[0]
    for gap, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        if (
            out
            and piece
            and _ascii_word(out[-1])
            and _ascii_word(piece[0])
            and not _LINE_BREAK_RE.search(gap)
        ):
            out += " "
        out += piece
    return out


# ---------------------------------------------------------------- townships

_HAN = r"[\u4e00-\u9fff]"
# Province/city/county prefixes are optional; the innermost one is the report's district.
_ADMIN_CHAIN = (
    rf"(?:(?P<province>{_HAN}{{2,8}}?(?:省|自治区)))?"
    rf"(?:(?P<city>{_HAN}{{2,8}}?(?:市|自治州)))?"
    rf"(?:(?P<county>{_HAN}{{1,8}}?(?:区|县|市|旗)))?"
    rf"(?P<town>{_HAN}{{2,4}}?(?:镇|乡(?![镇村])|街道))"
)
_ADMIN_AT_START_RE = re.compile(rf"^(?:中共)?(?:关于)?{_ADMIN_CHAIN}")
_INSTITUTION = r"(?:党委|党工委|人民政府|政府|委员会|办事处|人大主席团|人民代表大会)"
_ISSUER_TOKEN_RE = re.compile(rf"^(?:中共)?{_ADMIN_CHAIN}{_INSTITUTION}$")
# Words that end in 镇/乡 without being a place: 乡镇, 城镇, 村镇, 集镇, 全镇, 我镇, 驻镇, 到镇…
_NOT_NAME_ENDINGS = frozenset("乡城村集小全本该我此每各两一驻到在于入出进回往赴离等和与及的个是为成")
# In running text 乡 is too common (乡村, 城乡, 下乡) to count unless an institution follows.
_BODY_TOWN_RE = re.compile(rf"(?=({_HAN}{{2,3}})(镇|街道|乡(?=党委|人民政府|政府)))")
# A county name cannot contain another level's suffix, so "重庆市大足区" yields "大足区". It must start
# the text or follow a non-Chinese character, 省/市, or a function word, else "在大足区" is taken whole.
_FUNCTION_CHARS = "在对于向到从和与及是的把将为"
_DISTRICT_PREFIX = (
    rf"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[省市{_FUNCTION_CHARS}]))(?![{_FUNCTION_CHARS}])"
    rf"(?P<county>(?:(?![省市区县旗]){_HAN}){{1,5}}(?:区|县|市|旗))"
)


def _valid_town(town: str) -> bool:
    name = town.removesuffix("街道").rstrip("镇乡")
    return len(name) >= 2 and name[-1] not in _NOT_NAME_ENDINGS and name[0] not in "全各本该我每"


def admin_name_at_start(line: str) -> tuple[str, str | None] | None:
    """(township, district) when a line opens with an administrative name, e.g. a title or issuer.

    "重庆市大足区季家镇人民政府" → ("季家镇", "大足区"); "中共兴隆镇党委" → ("兴隆镇", None);
    "宁河镇2024年度法治政府建设情况报告" → ("宁河镇", None).
    """
    match = _ADMIN_AT_START_RE.match(clean_text(line))
    if not match or not _valid_town(match["town"]):
        return None
    return match["town"], match["county"] or match["city"]


def most_frequent_township(text: str) -> str | None:
    """The "XX镇" (or XX街道, XX乡 before 党委/政府) named most often in running text, e.g. 河市镇."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for match in _BODY_TOWN_RE.finditer(text):
        town = match[1] + match[2]
        if _valid_town(town):
            counts[town] += 1
            first_seen.setdefault(town, match.start())
    if not counts:
        return None
    short = [town for town in counts if len(town.removesuffix("街道").rstrip("镇乡")) == 2]
    pool = short or list(counts)
    best = min(pool, key=lambda town: (-counts[town], first_seen[town]))
    # A three-character name (商酒务镇) also counts as its two-character tail (酒务镇); take the
    # longer one when it accounts for nearly every mention, not a chance "年河市镇".
    for town in counts:
        if town != best and town.endswith(best) and counts[town] >= max(2, 0.8 * counts[best]):
            return town
    return best


def district_before(text: str, town: str) -> str | None:
    """The county/district written right before a township in running text: "大足区季家镇" → "大足区"."""
    match = re.search(_DISTRICT_PREFIX + re.escape(town), text, re.MULTILINE)
    return match["county"] if match else None


def find_township(text: str) -> tuple[str, str | None] | None:
    """(township, district or None) that a report-like text is about.

    First an issuing-body or title line that opens with an administrative name ("重庆市大足区季家镇人民政府",
    "宁河镇2024年度…报告"), else the most frequent "XX镇/XX街道" in the text. To spot a township in a
    user's question, matching the corpus's known names is more reliable; this is the fallback.
    """
    for line in text.splitlines():
        clean = clean_text(line)
        if _is_issuer(line) or (len(clean) <= _MAX_TITLE_LINE and any(w in clean for w in _TITLE_WORDS)):
            found = admin_name_at_start(clean)
            if found:
                return found
    town = most_frequent_township(text)
    return (town, district_before(text, town)) if town else None


# ---------------------------------------------------------------- years

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年|(二[〇零○Ｏ][〇零○Ｏ一二三四五六七八九]{2})\s*年")


def find_years(text: str) -> list[int]:
    """Every year written as "2024年", "2024 年" or "二〇二四年", in order of appearance."""
    years = []
    for match in _YEAR_RE.finditer(text):
        if match[1]:
            years.append(int(match[1]))
        else:
            years.append(int("".join(str(_CN_DIGITS[ch]) for ch in match[2])))
    return years


def find_year(text: str) -> int | None:
    """The first year a text names, e.g. "关于 2024 年…的报告" → 2024."""
    years = find_years(text)
    return years[0] if years else None


# ---------------------------------------------------------------- lines

_SENTENCE_END = tuple("。！？；…”’」』!?;：:")
_LIST_INTRO_END = ("：", ":")


@dataclass(frozen=True)
class _Line:
    start: int  # first non-space character of the line in the full text
    end: int  # just after its last non-space character
    text: str  # full_text[start:end]
    clean: str


def _lines(text: str) -> Iterator[_Line]:
    """Non-blank lines with their offsets; "\\r\\n", "\\r" and "\\n" all end a line."""
    position = 0
    for match in re.finditer(r"\r\n|\r|\n|\Z", text):
        raw = text[position : match.start()]
        stripped = raw.strip()
        clean = clean_text(stripped)
        if clean:  # a line holding only "[bookmark: …]" counts as blank
            start = position + (len(raw) - len(raw.lstrip()))
            yield _Line(start, start + len(stripped), stripped, clean)
        position = match.end()
        if match.start() == len(text):
            break


# ---------------------------------------------------------------- title, issuer, addressee, dates

_DATE_RE = re.compile(
    r"^[（(]?(?:(?:19|20)\d{2}|二[〇零○][〇零○一二三四五六七八九]{2})年"
    r"[\d一二三四五六七八九十〇]{1,3}月(?:[\d一二三四五六七八九十〇]{1,3}日)?[)）]?$"
)
_TITLE_WORDS = ("报告", "总结", "汇报", "述职", "自查")
_MAX_TITLE_LINE = 50
_MAX_ADDRESSEE = 30


def _is_issuer(line_text: str) -> bool:
    """An issuing body such as "重庆市大足区季家镇人民政府" or "中共兴隆镇党委 兴隆镇人民政府"."""
    text = strip_artifacts(line_text)
    tokens = text.split()
    if tokens and all(_valid_issuer(token) for token in tokens):
        return True
    return len(tokens) > 1 and _valid_issuer(clean_text(text))  # "季 家 镇 人 民 政 府"


def _valid_issuer(token: str) -> bool:
    match = _ISSUER_TOKEN_RE.match(token)
    return bool(match) and _valid_town(match["town"])


def _is_date(clean: str) -> bool:
    return bool(_DATE_RE.match(clean.replace(" ", "")))


def _is_addressee(clean: str) -> bool:
    return len(clean) <= _MAX_ADDRESSEE and clean.endswith(_LIST_INTRO_END) and "。" not in clean


def _is_title_part(clean: str) -> bool:
    return len(clean) <= _MAX_TITLE_LINE and not clean.endswith((*_SENTENCE_END, "，", ","))


@dataclass(frozen=True)
class _Frame:
    """Lines around the body: title and issuer at the head, signature and date at the tail."""

    title_lines: tuple[_Line, ...]
    issuer_lines: tuple[_Line, ...]  # head issuers first, then tail signatures
    body: tuple[_Line, ...]


def _frame(lines: list[_Line]) -> _Frame:
    roles: dict[int, str] = {}  # head lines, contiguous from the first line
    title_done = False
    for i, line in enumerate(lines):
        if _heading_marker(line.text):
            break
        if _is_issuer(line.text):
            roles[i] = "issuer"
        elif _is_date(line.clean):
            roles[i] = "date"
        elif _is_addressee(line.clean):
            roles[i] = "addressee"
            break  # the body starts after "县委、县政府："
        elif _is_title_part(line.clean) and not title_done:
            roles[i] = "title"
            # A title ends with its 报告/总结; a short line after it is already body (wrapped PDF text).
            title_done = line.clean.endswith(_TITLE_WORDS)
        else:
            break
    title_indexes = [i for i, role in roles.items() if role == "title"]
    if title_indexes and not any(word in lines[i].clean for i in title_indexes for word in _TITLE_WORDS):
        # Short lines without 报告/总结 are not a title but the start of the body.
        roles = {i: role for i, role in roles.items() if i < title_indexes[0]}
    body_start = len(roles)

    tail_start = len(lines)
    while tail_start > body_start:
        candidate = lines[tail_start - 1]
        if not (_is_issuer(candidate.text) or _is_date(candidate.clean)):
            break
        tail_start -= 1
    tail_issuers = [line for line in lines[tail_start:] if _is_issuer(line.text)]

    return _Frame(
        title_lines=tuple(lines[i] for i in sorted(roles) if roles[i] == "title"),
        issuer_lines=tuple(lines[i] for i in sorted(roles) if roles[i] == "issuer") + tuple(tail_issuers),
        body=tuple(lines[body_start:tail_start]),
    )


# ---------------------------------------------------------------- headings

_CN_NUMERAL = "一二三四五六七八九十"
_HEADING_RE = re.compile(
    rf"^(?P<lead>(?:{_ARTIFACT}|\s)*)"
    rf"(?P<marker>(?P<l1>[{_CN_NUMERAL}]{{1,3}})、"
    rf"|[（(](?P<l2>[{_CN_NUMERAL}]{{1,3}})[)）]"
    r"|(?P<l3>[0-9０-９]{1,2})(?:[.．、](?![0-9０-９]))"
    r"|[（(](?P<l4>[0-9０-９]{1,2})[)）])",
    re.IGNORECASE,
)
# Beyond these lengths the text before the first 。 is a sentence, not a heading.
_MAX_HEADING = {1: 60, 2: 45, 3: 45, 4: 45}
_HEADING_TRIM = "；;。：:，, \t　"


@dataclass(frozen=True)
class _Marker:
    level: int
    number: int
    end: int  # offset within the line just after the marker


def _chinese_number(numeral: str) -> int:
    digits = {ch: i for i, ch in enumerate("一二三四五六七八九", start=1)}
    if "十" not in numeral:
        return digits.get(numeral, 0)
    tens, _, units = numeral.partition("十")
    return digits.get(tens, 1) * 10 + digits.get(units, 0)


def _heading_marker(line_text: str) -> _Marker | None:
    match = _HEADING_RE.match(line_text)
    if not match:
        return None
    for level in (1, 2, 3, 4):
        value = match[f"l{level}"]
        if value:
            number = int(value) if level >= 3 else _chinese_number(value)
            return _Marker(level, number, match.end())
    return None


@dataclass(frozen=True)
class _Heading:
    level: int
    number: int
    title: str


@dataclass(frozen=True)
class _Body:
    start: int
    end: int


def _split_heading(line: _Line, marker: _Marker) -> tuple[_Heading, _Body | None]:
    """A heading line → its heading and the body text that follows it on the same line, if any."""
    rest = line.text[marker.end :]
    stop = rest.find("。")
    head_part = rest if stop < 0 else rest[:stop]
    body_offset = len(line.text) if stop < 0 else marker.end + stop + 1
    head_clean = clean_text(head_part)
    prefix = clean_text(line.text[: marker.end])
    if stop >= 0 and len(head_clean) > _MAX_HEADING[marker.level]:
        # A numbered sentence: the whole line is the paragraph, its first clause names the section.
        # (Without any 。 a long line is still a heading: sentences end with one.)
        first_clause = re.split(r"[，,；;。]", head_clean, maxsplit=1)[0]
        return _Heading(marker.level, marker.number, prefix + first_clause.strip(_HEADING_TRIM)), _Body(
            line.start, line.end
        )
    heading = _Heading(marker.level, marker.number, (prefix + head_clean).strip(_HEADING_TRIM))
    body_text = line.text[body_offset:]
    if not clean_text(body_text).strip("”’」』"):
        return heading, None
    lead = len(body_text) - len(body_text.lstrip())
    return heading, _Body(line.start + body_offset + lead, line.end)


# ---------------------------------------------------------------- hard-wrapped text (PDF)

_MIN_WRAPPED_LINES = 8


def _wrap_width(lines: list[_Line]) -> int | None:
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


def _is_full(line: _Line, width: int | None) -> bool:
    return width is not None and len(line.clean) >= width - 2


def _join_wrapped_headings(lines: list[_Line], text: str, width: int | None) -> list[_Line]:
    """A heading cut by the page width continues on the next line: make them one logical line."""
    if width is None:
        return lines
    joined: list[_Line] = []
    for line in lines:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and _heading_marker(previous.text)
            and not _heading_marker(line.text)
            and "。" not in previous.text
            and _is_full(_last_physical(previous), width)
            and len(_LINE_BREAK_RE.findall(text, previous.end, line.start)) == 1
            and _may_join(text[previous.start : line.end])
        ):
            span = text[previous.start : line.end]
            joined[-1] = _Line(previous.start, line.end, span, clean_text(span))
        else:
            joined.append(line)
    return joined


def _may_join(span: str) -> bool:
    """A top-level heading joins its next line only if the result is still heading-sized.

    "一、…有关情况" may fill a line by chance and be followed by body text. A full-width "（一）…" line
    that runs on is a numbered sentence, which _split_heading keeps whole as a paragraph.
    """
    marker = _heading_marker(span)
    if marker is None:
        return False
    head = clean_text(span[marker.end :].split("。", 1)[0])
    return marker.level > 1 or len(head) <= _MAX_HEADING[marker.level]


def _last_physical(line: _Line) -> _Line:
    tail = _LINE_BREAK_RE.split(line.text)[-1]
    return _Line(line.end - len(tail), line.end, tail, clean_text(tail))


# ---------------------------------------------------------------- body → blocks


def _blocks(body: tuple[_Line, ...], width: int | None) -> Iterator[tuple[tuple[str, ...], int, int]]:
    """(section_path, start, end) of each paragraph before inline-item splitting."""
    path: dict[int, str] = {}
    last_number: dict[int, int] = {}
    list_item: tuple[int, int] | None = None  # (level, number) of a "1." list after a "…如下：" line
    current: list[int] | None = None  # [start, end] of the paragraph being built
    current_path: tuple[str, ...] = ()
    current_clean = ""
    current_full = False  # the paragraph's last line reached the page width of wrapped text

    def section() -> tuple[str, ...]:
        return tuple(path[level] for level in sorted(path))

    for line in body:
        marker = _heading_marker(line.text)
        unfinished = current is not None and not current_clean.endswith(_SENTENCE_END)
        if marker and unfinished and current_full:
            marker = None  # "（一）" that a page-width wrap put at a line start is text
        if marker and marker.level >= 3:
            after_intro = current is not None and current_clean.endswith(_LIST_INTRO_END)
            continues_list = list_item == (marker.level, marker.number - 1)
            if unfinished or after_intro or continues_list:
                # "…如下：1.…；2.…" and a line wrapped before "1." are text, not headings.
                if after_intro or continues_list:
                    list_item = (marker.level, marker.number)
                marker = None
        if marker and not _plausible_number(marker, last_number.get(marker.level)):
            marker = None
        if marker:
            heading, body_part = _split_heading(line, marker)
            if current is not None:
                yield current_path, current[0], current[1]
                current = None
            for level in [level for level in path if level >= heading.level]:
                del path[level]
                last_number.pop(level, None)
            path[heading.level] = heading.title
            last_number[heading.level] = heading.number
            list_item = None
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
        current_full = _is_full(_last_physical(line), width)
    if current is not None:
        yield current_path, current[0], current[1]


def _plausible_number(marker: _Marker, last: int | None) -> bool:
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


# ---------------------------------------------------------------- report


def parse_report(text: str, *, report_id: str, source: str, sha256: str) -> ParsedReport:
    """Parse decoded report text; raise UnsupportedFile when no township or no paragraph is found."""
    lines = list(_lines(text))
    width = _wrap_width(lines)
    frame = _frame(_join_wrapped_headings(lines, text, width))
    title = clean_text("".join(line.text for line in frame.title_lines)) or None

    paragraphs: list[Paragraph] = []
    first_heading: str | None = None
    for section_path, block_start, block_end in _blocks(frame.body, width):
        if first_heading is None and section_path:
            first_heading = section_path[0]
        for start, end in _split_items(text, block_start, block_end):
            body = text[start:end]
            paragraphs.append(
                Paragraph(
                    report_id=report_id,
                    index=len(paragraphs),
                    section_path=section_path,
                    start=start,
                    end=end,
                    text=body,
                    clean=clean_text(body),
                )
            )
    if not paragraphs:
        raise UnsupportedFile(source, "文件中没有找到正文段落（只有标题或落款）。请确认这是完整的报告")

    township = _report_township(frame, text)
    if township is None:
        raise UnsupportedFile(
            source,
            "无法识别乡镇名称：标题、落款和正文中都没有“××镇”“××乡”或“××街道”。"
            "请在标题中写明乡镇，例如“××镇2024年法治政府建设情况报告”",
        )
    report = Report(
        report_id=report_id,
        township=township[0],
        district=township[1],
        year=_report_year(title, paragraphs, first_heading, text),
        title=title,
        source=source,
        sha256=sha256,
    )
    return ParsedReport(report=report, text=text, paragraphs=tuple(paragraphs))


def _report_township(frame: _Frame, text: str) -> tuple[str, str | None] | None:
    named = [admin_name_at_start(line.clean) for line in (*frame.issuer_lines, *frame.title_lines)]
    named = [found for found in named if found]
    if named:
        town = named[0][0]
        # The district may be written on another line than the first one naming the township.
        district = next((d for t, d in named if t == town and d), None)
        return town, district
    town = most_frequent_township(text)
    return (town, district_before(text, town)) if town else None


def _report_year(
    title: str | None, paragraphs: list[Paragraph], first_heading: str | None, text: str
) -> int | None:
    """The title's year, else the opening's or first section's (2024, not a 2025 plan), else the commonest."""
    if title and find_year(title):
        return find_year(title)
    opening = " ".join(p.clean for p in paragraphs if not p.section_path)
    for candidate in (opening, first_heading or ""):
        if find_year(candidate):
            return find_year(candidate)
    years = Counter(find_years(text))
    return years.most_common(1)[0][0] if years else None
