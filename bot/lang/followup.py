"""Follow-up questions in a chat: "那河市镇呢？" after "兴隆镇化解了多少矛盾纠纷" asks the same there."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.lang.places import Mention, find_mentions

# Words that make a question elliptical ("那…呢") or are only glue around township names.
_LEADING_FILLERS = re.compile(r"^(?:那么|那|还有|另外|再看看?|换成|换到|看看)+")
_TRAILING_FILLERS = re.compile(r"(?:的情况|情况|怎么样|如何|又如何|呢|吗|的)+$")
_PUNCTUATION = re.compile(r"[\s，,。.？?！!、；;：:]+")
_CONNECTORS = re.compile(r"^(?:[\s、，,]|和|与|及|以及|跟|同)*$")
# A question asking across townships ("哪个镇…最多") is a new ranking question, never a follow-up
# that should inherit the previous township.
_ACROSS_TOWNSHIPS = re.compile(r"哪个|哪些|哪一|哪家|哪里|各镇|各乡|各个|所有|全部|每个")
_WHICH_TOWNSHIP = re.compile(r"(?:哪个|哪些|哪一个|各个?)(?:乡镇|镇|乡|街道)")
# "石马镇呢" names a place the corpus lacks: it is not a topic for the previous township.
_PLACE_NAME = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:镇|乡|街道)$")
_RANKING_TAIL = re.compile(r"(?:最多|最少|最高|最低|最大|最小|排名|排第几)[？?。！!]*$")


def resolve_followup(question: str, previous: str | None, townships: Sequence[str]) -> str:
    """The question as it stands alone, filling in the township or topic the previous turn set.

    `previous` should be the previous turn's resolved question so that chains of follow-ups keep working.
    Questions that already stand alone come back unchanged.
    """
    if not previous or not previous.strip() or not question.strip():
        return question
    mentions = find_mentions(question, townships)
    previous_mentions = find_mentions(previous, townships)
    if mentions and not _remainder(question, mentions):
        # "那河市镇呢？": only townships and glue words, so the topic comes from the previous turn.
        return _swap_townships(previous, previous_mentions, [m.township for m in mentions])
    if not mentions and previous_mentions and _is_elliptical(question):
        # "那行政执法案件呢？": a new topic for the township(s) of the previous turn.
        topic = _strip_fillers(question)
        if topic and not _ACROSS_TOWNSHIPS.search(topic) and not _PLACE_NAME.match(topic):
            return _join(_unique(m.township for m in previous_mentions)) + topic
    return question


def _remainder(question: str, mentions: list[Mention]) -> str:
    """What the question says besides township names and glue words."""
    rest = question
    for mention in reversed(mentions):
        rest = rest[: mention.start] + " " + rest[mention.end :]
    return _strip_fillers(re.sub(r"和|与|以及|及|跟|同", " ", rest))


def _strip_fillers(text: str) -> str:
    text = _PUNCTUATION.sub("", text)
    text = _LEADING_FILLERS.sub("", text)
    return _TRAILING_FILLERS.sub("", text)


def _is_elliptical(question: str) -> bool:
    compact = _PUNCTUATION.sub("", question)
    return bool(_LEADING_FILLERS.match(compact)) or compact.endswith("呢")


def _swap_townships(previous: str, previous_mentions: list[Mention], new: list[str]) -> str:
    """The previous question with its township(s) replaced by the new ones."""
    names = _join(_unique(new))
    if not previous_mentions:
        # "哪个镇办理行政执法案件最多" then "季家镇呢？": ask about that township's figure.
        if _WHICH_TOWNSHIP.search(previous):
            return _RANKING_TAIL.sub("的数量", _WHICH_TOWNSHIP.sub(names, previous, count=1))
        return names + _PUNCTUATION.sub("", previous)
    result, cursor = "", 0
    for start, end in _group_adjacent(previous, previous_mentions):
        result += previous[cursor:start] + names
        cursor = end
    return result + previous[cursor:]


def _group_adjacent(text: str, mentions: list[Mention]) -> list[tuple[int, int]]:
    """Spans of township mentions joined only by 和/、/与, so "兴隆镇和河市镇" is replaced as one."""
    groups = [(mentions[0].start, mentions[0].end)]
    for mention in mentions[1:]:
        start, end = groups[-1]
        if _CONNECTORS.match(text[end : mention.start]):
            groups[-1] = (start, mention.end)
        else:
            groups.append((mention.start, mention.end))
    return groups


def _unique(names) -> list[str]:
    return list(dict.fromkeys(names))


def _join(names: list[str]) -> str:
    return "和".join(names)
