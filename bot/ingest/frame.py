"""Decoded text → lines with offsets, and the frame around the body: title, issuer, addressee, furniture.

Nothing here edits the text: every `Line` is a [start, end) slice of the decoded string, so offsets
found later still index the original. The head of a report is read line by line until the body
starts (a heading, the 致送 line "县委、县政府：", or the first line that is neither title, issuer,
date, document number nor page furniture); its tail is the 落款 (issuer and date lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.ingest.clean import clean_text, is_page_furniture, strip_artifacts
from bot.ingest.headings import heading_marker, inline_heading_starts

SENTENCE_END = tuple("。！？；…”’」』!?;：:")
LIST_INTRO_END = ("：", ":")
TITLE_WORDS = ("报告", "总结", "汇报", "述职", "自查")
MAX_TITLE_LINE = 60
_MAX_ADDRESSEE = 30

_HAN = r"[\u4e00-\u9fff]"
_TOWN_KIND = r"(?:镇|乡|街道|街道办事处|苏木|鎮|鄉)"
_ISSUER_RE = re.compile(
    rf"^(?:中共)?{_HAN}{{2,24}}?{_TOWN_KIND}"
    r"(?:党委|党工委|人民政府|政府|委员会|办事处|人大主席团|人民代表大会|管委会|党工委、管委会)$"
)
_DATE_RE = re.compile(
    r"^[（(]?(?:(?:19|20)\d{2}|二[〇零○][〇零○一二三四五六七八九]{2})年"
    r"[\d一二三四五六七八九十〇]{1,3}月(?:[\d一二三四五六七八九十〇]{1,3}日)?[)）]?$"
)
# "雷东府〔2025〕26号", "开州委法〔2025〕9号": a document number printed above the title.
_DOC_NUMBER_RE = re.compile(r"^\S{1,12}[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,4}\s*号$")
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Line:
    start: int  # first non-space character of the line in the full text
    end: int  # just after its last non-space character
    text: str  # full_text[start:end]
    clean: str


def make_line(text: str, start: int, end: int) -> Line:
    """The Line for text[start:end] with surrounding whitespace trimmed off its offsets."""
    raw = text[start:end]
    start += len(raw) - len(raw.lstrip())
    stripped = raw.strip()
    return Line(start, start + len(stripped), stripped, clean_text(stripped))


def split_lines(text: str) -> Iterator[Line]:
    """Non-blank lines with their offsets; "\\r\\n", "\\r" and "\\n" all end a line.

    A report saved as one long line (黄湾镇: title, 致送 line and every heading on one line) is cut
    where a heading marker follows a space, so its headings are found as on their own lines.
    """
    position = 0
    for match in re.finditer(r"\r\n|\r|\n|\Z", text):
        cuts = [position, *(position + cut for cut in inline_heading_starts(text[position : match.start()]))]
        for start, end in zip(cuts, [*cuts[1:], match.start()], strict=True):
            line = make_line(text, start, end)
            if line.clean:  # a line holding only "[bookmark: …]" counts as blank
                yield line
        position = match.end()
        if match.start() == len(text):
            break


def last_physical(line: Line) -> Line:
    """The last physical line of a logical line that several wrapped lines were joined into."""
    tail = _LINE_BREAK_RE.split(line.text)[-1]
    return Line(line.end - len(tail), line.end, tail, clean_text(tail))


def is_issuer(line_text: str) -> bool:
    """An issuing body such as "重庆市大足区季家镇人民政府" or "中共兴隆镇党委 兴隆镇人民政府"."""
    text = strip_artifacts(line_text)
    tokens = text.split()
    if tokens and all(_ISSUER_RE.match(token) for token in tokens):
        return True
    return len(tokens) > 1 and bool(_ISSUER_RE.match(clean_text(text)))  # "季 家 镇 人 民 政 府"


def is_date(clean: str) -> bool:
    return bool(_DATE_RE.match(clean.replace(" ", "")))


def is_addressee(clean: str) -> bool:
    return len(clean) <= _MAX_ADDRESSEE and clean.endswith(LIST_INTRO_END) and "。" not in clean


def _is_title_part(clean: str) -> bool:
    return len(clean) <= MAX_TITLE_LINE and not clean.endswith((*SENTENCE_END, "，", ","))


def _is_title_end(clean: str) -> bool:
    return clean.endswith(TITLE_WORDS)


@dataclass(frozen=True)
class Frame:
    """Lines around the body: title and issuer at the head, signature and date at the tail."""

    title_lines: tuple[Line, ...]  # one title, possibly broken over lines; a repeated title is dropped
    head_issuers: tuple[Line, ...]
    tail_issuers: tuple[Line, ...]
    addressee: Line | None  # the 致送 line "中共蒙城县委、蒙城县人民政府："
    furniture: tuple[Line, ...]  # a saved web page's breadcrumbs, metadata and widget lines
    dates: tuple[Line, ...]
    body: tuple[Line, ...]


def _head_roles(lines: list[Line]) -> dict[int, str]:
    """Role of each line of the head, contiguous from the first line."""
    roles: dict[int, str] = {}
    title: list[str] = []
    title_done = False
    for i, line in enumerate(lines):
        cuts_title = is_page_furniture(line.clean) or is_issuer(line.text)
        if title and not title_done and _is_title_part(line.clean) and cuts_title:
            # Short lines cut off from the title by furniture or an issuer line are a site's banner
            # ("蒙城县许疃镇", "国家各网站", "政策文件"), not the start of the title.
            roles.update({j: "furniture" for j, role in roles.items() if role == "title"})
            title.clear()
        if is_page_furniture(line.clean):
            roles[i] = "furniture"
        elif heading_marker(line.text):
            break
        elif is_issuer(line.text):
            roles[i] = "issuer"
        elif is_date(line.clean) or _DOC_NUMBER_RE.match(line.clean):
            roles[i] = "date"
        elif is_addressee(line.clean):
            roles[i] = "addressee"
            break  # the body starts after "县委、县政府："
        elif title_done and _is_title_part(line.clean) and _is_title_end(line.clean):
            roles[i] = "repeat"  # the title printed twice, or a second wording of it
        elif _is_title_part(line.clean) and not title_done:
            roles[i] = "title"
            title.append(line.clean)
            # A title ends with its 报告/总结; a short line after it is already body (wrapped PDF text).
            title_done = _is_title_end(line.clean)
        else:
            break
    title_indexes = [i for i, role in roles.items() if role == "title"]
    if title_indexes and not any(word in "".join(title) for word in TITLE_WORDS):
        # Short lines without 报告/总结 are not a title but the start of the body.
        roles = {i: role for i, role in roles.items() if i < title_indexes[0]}
    return roles


def frame(lines: list[Line]) -> Frame:
    """Split lines into the head, the body and the tail (落款)."""
    roles = _head_roles(lines)
    body_start = len(roles)
    tail_start = len(lines)
    while tail_start > body_start:
        candidate = lines[tail_start - 1]
        if not (is_issuer(candidate.text) or is_date(candidate.clean) or is_page_furniture(candidate.clean)):
            break
        tail_start -= 1
    tail = lines[tail_start:]

    def head(role: str) -> tuple[Line, ...]:
        return tuple(lines[i] for i in sorted(roles) if roles[i] == role)

    body = tuple(line for line in lines[body_start:tail_start] if not is_page_furniture(line.clean))
    furniture = head("furniture") + tuple(
        line for line in lines[body_start:] if is_page_furniture(line.clean)
    )
    addressee = head("addressee")
    return Frame(
        title_lines=head("title"),
        head_issuers=head("issuer"),
        tail_issuers=tuple(line for line in tail if is_issuer(line.text)),
        addressee=addressee[0] if addressee else None,
        furniture=furniture,
        dates=head("date") + tuple(line for line in tail if is_date(line.clean)),
        body=body,
    )
