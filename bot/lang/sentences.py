"""Sentences of a paragraph: the one splitting rule for figures, dense chunks and lead lines."""

from __future__ import annotations

import re

from bot.lang.markers import LEVEL_2, LEVEL_3, LEVEL_4

SENTENCE_END = "。！？；!?;"
# A line that opens with a row number ("2.持证执法人员：16名"): the line before it ended a row, even
# without a full stop. Other line breaks are wraps inside a sentence (PDF, hard-wrapped text).
_NEXT_ROW = re.compile(rf"\s*(?:{LEVEL_3}|{LEVEL_4}|{LEVEL_2})")
# A full stop typed half-width, for sentences and run-in headings alike: "." after Chinese text, a closing
# quote or bracket, 》 or % (永庆乡 writes "(一)加强组织领导.乡党委…", "营造了良好的法治环境.现将…"; also
# "“谁执法谁普法”.", "《行政处罚法》.", "达100%.") — never the "." of "1.5万" or "3.15" (a digit before
# it), "www.gov.cn" (Latin) or an ellipsis "...". A digit after it opens the next sentence ("…环境.2024年").
_HALF_WIDTH_STOP = re.compile(r"(?<=[\u4e00-\u9fff”’」』）)》】%％])\.(?!\.)")
_FULL_STOP = re.compile("。|" + _HALF_WIDTH_STOP.pattern)


def first_full_stop(text: str) -> int:
    """Where the first full stop of `text` is (。 or a half-width one), or -1."""
    match = _FULL_STOP.search(text)
    return match.start() if match else -1


def _ends_sentence(text: str, i: int) -> bool:
    """。！？；, a half-width full stop, or a line break before a numbered row."""
    ch = text[i]
    if ch in SENTENCE_END:
        return True
    if ch == "\n":
        return _NEXT_ROW.match(text, i + 1) is not None
    return ch == "." and _HALF_WIDTH_STOP.match(text, i) is not None


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of `text` as (start, end), cut after 。！？； (or a full stop typed ".", or the end of
    a numbered row's line), surrounding whitespace left out."""
    spans = []
    start = 0
    for i in range(len(text)):
        if _ends_sentence(text, i) or i == len(text) - 1:
            spans.append((start, i + 1))
            start = i + 1
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            result.append((s, e))
    return result


def sentences(text: str) -> list[str]:
    """The sentence texts of `sentence_spans`."""
    return [text[s:e] for s, e in sentence_spans(text)]
