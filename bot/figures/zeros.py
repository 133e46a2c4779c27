"""A count of none stated in words: "全年未发生行政复议、行政诉讼案件" is 0 行政复议案件 and 0 行政诉讼案件.

Reports state a review indicator that did not occur in words, not as "0件"; with no figure the
answer to "茅坪镇发生了几件行政复议案件" was that the report gives none, although it says none happened.
Only plain counts of cases and incidents are read: a qualified none ("未发生因执法不当引发的行政复议",
"无一起行政诉讼败诉案件") is not a zero of the whole kind, and is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.figures.figure import Figure
from bot.figures.vocabulary import Vocabulary
from bot.report import Report

# The counted thing a none is stated of, and the unit a question would count it in.
_HEADS = {"案件": "件", "行政复议": "件", "行政诉讼": "件", "事件": "起", "事故": "起"}
_HEAD = "|".join(_HEADS)
_CLAUSE_END = r"(?=[，,。；;！？!?）)]|$)"
# "未发生X" / "没有发生X" / "无一起X" before the clause ends (X ending in a head), or "X零发生" /
# "X未发生" ("行政诉讼案件未发生").
# A bare 无 only before a case noun: "全年无行政复议案件", not "无讼村居" or "无证经营案件12件".
_NONE = re.compile(
    rf"(?:未发生|没有发生|未出现|未有|无一起|无一例|无一件)(?:过|一起|一例|任何)?(?P<noun>[^，,。；;：:！？!?\d（）()]{{2,30}}?)"
    rf"(?:的发生|发生|的情况|情况)?{_CLAUSE_END}"
    rf"|(?<!有)无(?P<bare>[^，,。；;：:！？!?\d（）()无]{{2,16}}?案件){_CLAUSE_END}"
    rf"|(?P<before>[^，,。；;：:！？!?\d（）()]{{2,20}}?)(?:实现了?|保持)?(?:“?零发生”?|均?未发生){_CLAUSE_END}"
)
# A none of a narrower kind: caused by something, lost suits, serious incidents.
_QUALIFIED = re.compile(r"因|由于|引发|引起|导致|造成|激化|败诉|纠错|撤销|重大|较大|严重")
_TIME = re.compile(
    r"^(?:实现了?|保持|确保|全年|今年(?:以来)?|年内|本年度|一年来|\d{4}年度?|全镇|全乡|全街道|我镇|我乡|辖区内?)+"
)
_COORDINATOR = re.compile(
    r"、|以及|(?<![平温调缓柔])和(?![谐解睦美])|(?<![普涉波危企以])及(?![时早格])|与|或"
)


_CLAUSE_MARKS = "，,。；;！？!?"


@dataclass(frozen=True)
class StatedNone:
    """One kind a sentence says did not occur: its noun (the head distributed over a coordination,
    "行政复议、行政诉讼案件" → 行政复议案件, 行政诉讼案件), its unit, and the wording's span."""

    noun: str
    unit: str
    start: int
    end: int


def stated_nones(sentence: str) -> list[StatedNone]:
    """Every plain count of none the sentence states, in order."""
    found: list[StatedNone] = []
    for match in _NONE.finditer(sentence):
        group = next(g for g in ("noun", "bare", "before") if match.group(g))
        noun = _TIME.sub("", match.group(group).strip())
        if not noun or _QUALIFIED.search(noun):
            continue
        noun = noun.rsplit("的", 1)[-1]
        head = next((h for h in _HEADS if noun.endswith(h)), None)
        if head is None:
            continue
        for item in _items(noun, head):
            found.append(StatedNone(item, _HEADS[head], match.start(), match.end()))
    return found


def _items(noun: str, head: str) -> list[str]:
    """The kinds of a coordinated noun, each with the head it shares: "行政复议和行政诉讼案件"."""
    items = [i for i in _COORDINATOR.split(noun) if i]
    if any(len(i) < 2 for i in items):
        return [noun]
    # "行政复议、行政诉讼案件": 案件 is every item's; "行政复议和行政诉讼": each names its own kind.
    own = [i.endswith(head) or (head != "案件" and i.endswith(tuple(_HEADS))) for i in items]
    return [i if keep else i + head for i, keep in zip(items, own, strict=True)]


def none_figures(
    sentence: str, offset: int, report: Report, section_path: tuple[str, ...], vocabulary: Vocabulary
) -> list[tuple[int, Figure]]:
    """(position in the sentence, figure of 0) for each kind the sentence says did not occur; the
    curated metric is the one the noun alone names ("行政复议案件"), as if its number followed it."""
    found = []
    for none in stated_nones(sentence):
        n = len(none.noun)
        match = vocabulary.match(none.noun, n, n, none.unit, sentence)
        left = max((i + 1 for i in range(none.start) if sentence[i] in _CLAUSE_MARKS), default=0)
        ends = (i for i in range(none.end, len(sentence)) if sentence[i] in _CLAUSE_MARKS)
        right = next(ends, len(sentence))
        figure = Figure(
            report_id=report.report_id,
            township=report.township,
            year=report.year,
            metric=match.metric.name if match else none.noun,
            raw_metric=none.noun,
            value=0.0,
            unit=none.unit,
            approximate=False,
            quote=sentence,
            start=offset,
            end=offset + len(sentence),
            section_path=section_path,
            known_metric=match is not None,
            clause=sentence[left:right],
        )
        found.append((none.start, figure))
    return found
