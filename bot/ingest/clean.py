"""Conversion debris and page furniture: what a report file carries that is not the report."""

from __future__ import annotations

import re

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


# ---------------------------------------------------------------- page furniture

# Web pages saved as reports keep their furniture: breadcrumbs, metadata blocks (in bullet, bracket
# or pipe-table form), widget lines and publication stamps. None of it is a title or a paragraph.
_BREADCRUMB_RE = re.compile(r"^(?:您?当前(?:的)?位置|您的位置|所在位置|首页\s*[>＞»])|(?:[>＞»].*){2}")
_META_LABELS = (
    "索引号|发文字号|发文机构|发布机构|名称|标题|公文时效|发布日期|成文日期|成文时间|发文日期|发文时间"
    "|主题分类|组配分类|体裁分类|公开目录|公开形式|公开方式|关键词|生成日期|是否有效|有效性|效力状态|文号"
    "|信息来源|来源|发布时间|日期|作者|点击数|点击率|浏览次数|阅读次数|字体大小|字体|字号|分享到|分享|时间"
)
_META_RE = re.compile(rf"^[•·\-–—*|\[【\s]*(?P<label>{_META_LABELS})\s*[:：|\]】]\s*(?P<value>[^|\]【]*)")
# Any labelled field inside a metadata line, for reading 发布机构/来源 values out of it.
_META_FIELD_RE = re.compile(
    rf"(?P<label>{_META_LABELS})\s*[:：|\]】]+[\s|]*(?!(?:{_META_LABELS})[\s:：|\]】])(?P<value>[^|\[\]【】\s:：]*)"
)
_WIDGET_WORDS = (
    "设为首页|加入收藏|无障碍阅读|无障碍浏览|无障碍|适老化|长者版|关怀版|大中小|打印本页|打印|关闭窗口|关闭"
    "|字体|字号|默认|超大|分享到|分享|扫一扫.*|返回顶部|收藏|【|】|\\[|\\]|[•·:：|\\s]"
)
_WIDGET_RE = re.compile(rf"^(?:{_WIDGET_WORDS})+$")
_STAMP_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_MAX_STAMP_LINE = 40


def is_page_furniture(clean: str) -> bool:
    """A saved web page's breadcrumb, metadata, widget or date-stamp line (given as clean text)."""
    if not clean:
        return False
    if _BREADCRUMB_RE.search(clean) or _META_RE.match(clean) or _WIDGET_RE.match(clean):
        return True
    return bool(_STAMP_RE.search(clean)) and len(clean) <= _MAX_STAMP_LINE and not clean.endswith("。")


def metadata_fields(line: str) -> list[tuple[str, str]]:
    """(label, value) pairs of a metadata line as written (spaces kept, they separate fields):
    "发布机构： 河东区汤头街道 主题分类： 其他" → [("发布机构", "河东区汤头街道"), ("主题分类", "其他")]."""
    if not is_page_furniture(clean_text(line)):
        return []
    return [(m["label"], m["value"]) for m in _META_FIELD_RE.finditer(line) if m["value"]]


# A mirror site glosses characters with pinyin in brackets: "三角鎮(zhèn)", "梅江區(qū)".
_GLOSS_RE = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}[)）]")


def without_glosses(text: str) -> str:
    """Text with bracketed pinyin glosses removed, for reading names (never for quoting)."""
    return _GLOSS_RE.sub("", text)
