"""Follow-up questions in a chat: "那河市镇呢？" after "兴隆镇化解了多少矛盾纠纷" asks the same there."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.lang.asks import asks_for_number
from bot.lang.places import Mention, find_mentions
from bot.lang.scope import unknown_places

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
# A ranking's place as a question words it: "最多", "第二多", "倒数第一", "前三名".
_NUMERAL = r"[一二两三四五六七八九十\d]+"
_PLACE_IN_RANKING = re.compile(
    rf"最(?:多|少|高|低|大|小)|倒数第{_NUMERAL}(?:名|位)?|第{_NUMERAL}(?:多|少|高|低|大|小|名|位)?"
    rf"|前{_NUMERAL}(?:名|位|个)?(?:的(?:乡镇|镇|乡|街道))?"
)
# What may stand beside the place in an elliptical ranking follow-up ("第二多的是哪个街道？").
_RANK_GLUE = re.compile(r"^(?:的|是|呢|吗|哪个|哪些|哪几个|哪一个|乡镇|镇|乡|街道|分别|有|谁|排)*$")
_TOP_N = re.compile(rf"^前{_NUMERAL}(?:名|位|个)?")
_WHICH_UNIT = re.compile(r"(?:哪个|哪些|哪一个|哪几个)(乡镇|镇|乡|街道)?")
# "2023年呢", "去年呢": the year changes, the rest stays. 去年/前年 count back from the previous
# question's year (a report's year), so they are read only when that names one.
_YEAR_WORD = re.compile(r"(20\d{2})\s*年(?:度)?|(去年|前年|上一年|上年|次年|下一年|明年|今年|当年)")
_RELATIVE_YEAR = {"去年": -1, "上一年": -1, "上年": -1, "前年": -2, "次年": 1, "下一年": 1, "明年": 1}
# A question opening with a word that points back at the previous turn ("其中简易程序有多少件",
# "受众有多少人次", "它的法律顾问是谁") asks about the same township even though it names none.
_POINTS_BACK = re.compile(
    r"^(?:那么|那)?(?:其中|其|它的|它|他们|他的|他|她的|她|该镇|该乡|该街道|这个镇|这个乡|这个街道|这里|那里|当地|同年|同期"
    r"|受众|参与人数|参加人数|覆盖|涉及)"
)
# "X和它比谁多", "跟该镇相比哪个多": a named township compared with the previous turn's.
_COMPARED_BACK = re.compile(
    r"(?:和|跟|与|同)(?:它|他们|该镇|该乡|该街道|这个镇|这个乡|这个街道)(?:相)?比.{0,4}(?:谁|哪个|哪一个)?.{0,2}(?:多|少|高|低)"
)
# What is left of "和河市镇比哪个多？" / "跟河市镇相比呢" / "比河市镇多还是少" / "河市镇呢，谁多" once the
# townships and glue are cut out: a comparison with the previous turn's township. A direction asked
# alone ("河市镇多吗") compares nothing: it needs 比 or a which-word before it.
_DIRECTION = r"(?:是)?(?:的)?(?:更|较|要)?(?:多|少|高|低|大|小)(?:一些|些|点)?"
_COMPARED_WITH = re.compile(
    rf"(?:呢)?(?:相|对)?比(?:较|一下)?(?:的话)?(?:起来)?(?:哪个|哪一个|谁|哪家)?(?:{_DIRECTION}(?:还是{_DIRECTION})?)?"
    rf"|(?:呢)?(?:哪个|哪一个|谁|哪家){_DIRECTION}(?:还是{_DIRECTION})?"
)
_FIRST_DIRECTION = re.compile(r"多|少|高|低|大|小")
# "他审查了多少份文件" after "宁河镇聘请的法律顾问是谁": the person the previous turn asked for.
_PERSON = re.compile(r"^(?:那么|那)?(?:他的|他|她的|她)(?!们)")
_WHO_ASKED = re.compile(r"^(?P<who>.+?)(?:是谁|是哪位|是哪个人|叫什么名字|叫什么)[？?。！!]*$")
# The words of _POINTS_BACK that stand for the township itself, replaced by its name.
_PRONOUN = re.compile(r"^(?:那么|那)?(?:它的|它|该镇|该乡|该街道|这个镇|这个乡|这个街道|这里|那里|当地)")


def resolve_followup(question: str, previous: str | None, townships: Sequence[str]) -> str:
    """The question as it stands alone, filling in the township or topic the previous turn set.

    `previous` should be the previous turn's resolved question so that chains of follow-ups keep working.
    Questions that already stand alone come back unchanged.
    """
    if not previous or not previous.strip() or not question.strip():
        return question
    mentions = find_mentions(question, townships)
    previous_mentions = find_mentions(previous, townships)
    if not mentions:
        swapped = (
            _swap_ranking(question, previous)
            or _rank_of_each(question, previous)
            or _swap_year(question, previous)
            or _swap_presence_topic(question, previous)
        )
        if swapped:
            return swapped
        if previous_mentions and _POINTS_BACK.match(_PUNCTUATION.sub("", question)):
            return _pointing_back(question, previous, previous_mentions)
    if mentions and previous_mentions and _COMPARED_BACK.search(question):
        # "西兴街道和它比谁多？": the previous question, of the named and the previous townships, compared.
        towns = [m.township for m in mentions] + [m.township for m in previous_mentions]
        asked = _PUNCTUATION.sub("", _swap_townships(previous, previous_mentions, towns))
        return asked + ("，谁更少" if re.search(r"少|低", question) else "，谁更多")
    rest = _remainder(question, mentions) if mentions else ""
    if mentions and previous_mentions and _COMPARED_WITH.fullmatch(rest):
        # "和河市镇比哪个多？" after a 季家镇 figure: the previous question of both townships, compared.
        towns = [m.township for m in previous_mentions] + [m.township for m in mentions]
        asked = _PUNCTUATION.sub("", _swap_townships(previous, previous_mentions, towns))
        first = _FIRST_DIRECTION.search(rest)  # "多还是少" asks either way: the first word leads
        return asked + ("，谁更少" if first and first.group() in "少低小" else "，谁更多")
    if mentions and not rest:
        # "那河市镇呢？": only townships and glue words, so the topic comes from the previous turn.
        return _swap_townships(previous, previous_mentions, [m.township for m in mentions])
    if mentions and _YEAR_WORD.fullmatch(rest):
        # "那湖滨街道2023年呢？": another township and another year, the same topic.
        swapped = _swap_townships(previous, previous_mentions, [m.township for m in mentions])
        return _swap_year(rest, swapped) or question
    if not mentions and previous_mentions and _is_elliptical(question):
        # "那行政执法案件呢？": a new topic for the township(s) of the previous turn.
        topic = _strip_fillers(question)
        if (
            topic
            and not _ACROSS_TOWNSHIPS.search(topic)
            # "石马镇呢" is a place; "送法下乡呢" only ends like one (unknown_places knows 下乡 is no name)
            and not (_PLACE_NAME.match(topic) and unknown_places(topic, ()))
            and not _bare_place(topic)
        ):
            return _place(question, previous, previous_mentions) + topic + _ask_of(topic, previous)
    if not mentions and previous_mentions and _drops_subject(question, townships):
        # "出具了几份法律意见书？" or "调解成功率是多少？" after a 徐家湾街道 question: Chinese leaves out
        # the subject the previous turn set, so the question is that township's.
        return _place(question, previous, previous_mentions) + _PUNCTUATION.sub("", question)
    return question


# The words by which a topic asks something of its own.
_ASKS = re.compile(r"多少|几|是谁|谁|什么|怎么|怎样|如何|哪|吗|是否|有没有")


def _ask_of(topic: str, previous: str) -> str:
    """ "那矛盾纠纷呢？" after "季家镇调处了几起信访案件？" asks how many too: "季家镇矛盾纠纷有多少"
    (the unit stays with the old topic); a topic that asks something itself keeps its own question."""
    return "有多少" if asks_for_number(previous) and not _ASKS.search(topic) else ""


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


def _ranking_place(question: str) -> re.Match[str] | None:
    """The ranking place of a question that says nothing else ("第二多的是哪个街道？", "前三名呢")."""
    compact = _LEADING_FILLERS.sub("", _PUNCTUATION.sub("", question))
    place = _PLACE_IN_RANKING.search(compact)
    if not place or _RANK_GLUE.match(compact[: place.start()] + compact[place.end() :]) is None:
        return None
    return place


def _swap_ranking(question: str, previous: str) -> str | None:
    """ "第二多的是哪个街道？" / "前三名呢" after a ranking question: the same ranking at another place.
    Forms (bot.answers.intent reads them): "哪个镇办理行政执法案件第二多", "办理行政执法案件前三名的镇"."""
    place = _ranking_place(question)
    if place is None:
        return None
    old = _PLACE_IN_RANKING.search(previous)
    if not old:
        return None
    asked = place.group(0)
    if re.fullmatch(rf"第{_NUMERAL}", asked):  # "第二呢" after "…最少": the second least
        asked += old.group(0)[-1] if old.group(0).startswith("最") else "多"
    which = _WHICH_UNIT.search(previous) or _WHICH_UNIT.search(place.string)
    named_unit = re.search(r"(乡镇|镇|乡|街道)$", old.group(0))
    unit = (which.group(1) if which else None) or (named_unit.group(1) if named_unit else "乡镇")
    if _TOP_N.match(asked):
        topic = _PUNCTUATION.sub("", previous[: old.start()] + previous[old.end() :])
        topic = _WHICH_UNIT.sub("", topic).removesuffix("的")
        count = _TOP_N.match(asked).group(0).rstrip("名位个")
        return f"{topic}{count}名的{unit}"
    if not _WHICH_UNIT.search(previous):
        # "办理行政执法案件前三名的镇" → "哪个镇办理行政执法案件第二多"
        topic = _PUNCTUATION.sub("", previous[: old.start()]).removesuffix("的")
        return f"哪个{unit}{topic}{asked}"
    return _PUNCTUATION.sub("", previous[: old.start()]) + asked + previous[old.end() :].rstrip("？?。")


# "各镇发放普法宣传资料分别多少份": the words around what each town is asked for.
_EACH_FRAME = re.compile(
    r"各(?:个)?(乡镇|镇|乡|街道)|分别|各自|(?:的)?(?:数量|数字|情况)|(?:是)?(?:多少|几)[\u4e00-\u9fff]?$"
)


def _rank_of_each(question: str, previous: str) -> str | None:
    """ "前三名呢" / "最多的呢" after "各镇…分别多少": the same figure ranked."""
    place = _ranking_place(question)
    if place is None:
        return None
    each = re.search(r"各(?:个)?(乡镇|镇|乡|街道)", previous)
    if not each or _PLACE_IN_RANKING.search(previous):
        return None
    topic = _EACH_FRAME.sub("", _PUNCTUATION.sub("", previous))
    if not topic:
        return None
    asked = place.group(0)
    if top := _TOP_N.match(asked):
        return f"{topic}{top.group(0).rstrip('名位个')}名的{each.group(1)}"
    return f"哪个{each.group(1)}{topic}{asked}"


# "哪些乡镇提到了述法": a which-towns question whose topic a follow-up ("那枫桥经验呢") replaces.
_PRESENCE_QUESTION = re.compile(
    r"^(?P<frame>(?:哪些|哪几个)(?:乡镇|镇|乡|街道)?(?:的报告)?(?:中|里)?(?:提到|提及|写到|谈到|涉及)了?)(?P<topic>.+)$"
)


def _swap_presence_topic(question: str, previous: str) -> str | None:
    presence = _PRESENCE_QUESTION.match(_PUNCTUATION.sub("", previous))
    if not presence or not _is_elliptical(question):
        return None
    topic = _strip_fillers(question)
    if (
        not topic
        or _ACROSS_TOWNSHIPS.search(topic)
        or _YEAR_WORD.search(topic)
        or _PLACE_IN_RANKING.search(topic)
    ):
        return None
    return f"{presence['frame']}{topic}？"


def _swap_year(question: str, previous: str) -> str | None:
    """ "那2023年呢" / "去年呢": the previous question of another year."""
    compact = _LEADING_FILLERS.sub("", _PUNCTUATION.sub("", question))
    new = _YEAR_WORD.fullmatch(_TRAILING_FILLERS.sub("", compact))
    if not new:
        return None
    old = re.search(r"(20\d{2})\s*年(?:度)?", previous)
    if new.group(1):
        year = new.group(1)
    elif old and new.group(2) in _RELATIVE_YEAR:
        year = str(int(old.group(1)) + _RELATIVE_YEAR[new.group(2)])
    else:
        return None
    if old:
        return previous[: old.start()] + f"{year}年" + previous[old.end() :]
    mentions = re.search(r"(?:乡镇|街道|镇|乡)", previous)  # 乡镇 whole, not its 乡
    cut = mentions.end() if mentions else 0
    return previous[:cut] + f"{year}年" + previous[cut:]


def _pointing_back(question: str, previous: str, previous_mentions: list[Mention]) -> str:
    """ "它的法律顾问是谁" → "兴隆镇的法律顾问是谁"; "受众有多少人次" → "铁桥镇受众有多少人次", with the
    previous question's year when it named one."""
    place = _place(question, previous, previous_mentions)
    compact = _PUNCTUATION.sub("", question)
    person, who = _PERSON.match(compact), _WHO_ASKED.match(previous.strip())
    if person:  # the person asked for, or else the township ("他审查了…" → "宁河镇审查了…")
        subject = who["who"] if who else place
        return subject + ("的" if person.group(0).endswith("的") else "") + compact[person.end() :]
    pronoun = _PRONOUN.match(compact)
    if pronoun:
        rest = compact[pronoun.end() :]
        return place + ("的" if pronoun.group(0).endswith("的") else "") + rest
    return place + compact


# Words by which a question sets a scope of its own: the corpus, a county, a comparison over townships.
_OWN_SCOPE = re.compile(
    r"全县|全市|全区|全省|全旗|语料|报告|乡镇|街道|[\u4e00-\u9fff]{1,6}(?:县|市|区|旗|州|省)"
    r"|最(?:多|少|高|低|大|小)|排名|超过|低于|合计|总共|平均|对比|比较"
)
# Words ending like a county that name none: "社区法律顾问有几个" is still the previous township's.
_NOT_COUNTIES = re.compile(r"社区|辖区|城区|小区|园区|景区|片区|街区|牧区|山区|超市|城市|市场|县级|市级|区级")


def _drops_subject(question: str, townships: Sequence[str]) -> bool:
    """A question that asks something but names no township, place or wider scope: in a chat its subject
    is the previous turn's township (the page shows how it was read: "理解为：…")."""
    compact = _PUNCTUATION.sub("", question)
    return bool(
        _ASKS.search(compact)
        and not _ACROSS_TOWNSHIPS.search(compact)
        and not _OWN_SCOPE.search(_NOT_COUNTIES.sub("", compact))
        and not unknown_places(compact, townships)
    )


def _bare_place(topic: str) -> bool:
    """A year or ranking place alone ("去年", "第二多") is no topic: with nothing to swap it into,
    the question is left as asked."""
    return bool(_YEAR_WORD.fullmatch(topic) or _PLACE_IN_RANKING.fullmatch(topic))


def _place(question: str, previous: str, previous_mentions: list[Mention]) -> str:
    """The previous turn's township(s), and its year when it named one and the question names none."""
    towns = _join(_unique(m.township for m in previous_mentions))
    year = re.search(r"20\d{2}\s*年(?:度)?", previous)
    return towns + (year.group(0) if year and not _YEAR_WORD.search(question) else "")
