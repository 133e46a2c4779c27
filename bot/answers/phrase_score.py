"""How a figure's own words say a question's words: credit for a word found in a phrase (or a word
the question may say for it, `bot.lang.equivalents`), and whether the figure's number counts the
question's head noun. The question side (what is asked, the weights, the matching) is
`bot.answers.phrases`."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.figures.figure import Figure
from bot.figures.numbers import find_quantities
from bot.lang.equivalents import acts, equivalents

# What a word said in other words is credited: less than the question's own word, so a report that
# states both ("调解…40件", "化解…30件") answers with the one worded as asked.
_EQUIVALENT_CREDIT = 0.9


# Every question compacts every figure's phrase and clause: cached, since a snapshot's figures keep
# their strings (and a str caches its hash), ~140,000 figures at 1,500 reports.
@lru_cache(maxsize=1 << 19)
def compact_text(text: str) -> str:
    return _SPACES.sub("", text)


_SPACES = re.compile(r"\s+")


def credit(word: str, text: str, equivalent: bool = True) -> float:
    """1 when the word is in the text, 0.9 for a word said for it ("培育" for 培养) unless not
    `equivalent`; for a long word, a part for each two-character piece found ("理论学习中心组" in
    "中心组集中学习")."""
    said = says(word, text) if equivalent else float(word in text)
    if said or len(word) < 4:
        return said
    pieces = [word[i : i + 2] for i in range(0, len(word) - 1, 2)]
    return 0.8 * sum(p in text for p in pieces) / len(pieces)


def says(word: str, text: str) -> float:
    """1 when the word is in the text, 0.9 for a word said for it, else 0."""
    if word in text:
        return 1.0
    return _EQUIVALENT_CREDIT if any(other in text for other in equivalents(word)) else 0.0


def names(word: str, head: str, phrase: str, clause: str) -> bool:
    """The figure names a qualifier: the word, or a two-character piece of it that is not the head
    ("执法" of 行政执法 in "执法人员"; not "学习" of 理论学习中心组 when 学习 is the head), in its phrase or
    clause; a word said for it in its phrase only ("审核…合同19份", not "征求意见59件" after it)."""
    text = phrase + clause
    if word in text or any(other in phrase for other in equivalents(word)):
        return True
    pieces = [word[i : i + 2] for i in range(0, len(word) - 1, 2)] if len(word) >= 4 else []
    return any(p in text and p not in head for p in pieces)


def names_an_act(phrase: str) -> bool:
    """The phrase names one of the listed acts ("排查矛盾纠纷380余件" counts what was 排查ed)."""
    return any(act in phrase for act in acts())


def per_unit(figure: Figure) -> bool:
    """A quota for each of some unit, not a town's total: "每村培养“法律明白人”不少于5名"."""
    return compact_text(figure.raw_metric).startswith("每")


# A noun coordinated after the head, both counted by one number: "审查合同及协议61份".
_COORDINATED_TAIL = re.compile(r"(?:以及|及|和|与|、)[\u4e00-\u9fff]{1,6}$")


def head_near(head: str, figure: Figure, phrase: str) -> bool:
    """The head noun (its last two characters, or a word said for it) is what the number counts: it
    ends the words before the number ("执法培训15次", "法律意见建议25条", "合同及协议61份") or begins those
    after it ("31名执法人员"). In "排查化解矛盾纠纷隐患137件" the number counts 隐患, and in
    "干部集中学习各类法律法规20余次" study sessions, whatever the clause names earlier."""
    keys = {head, head[-2:], *equivalents(head)}
    sides = _sides(figure.clause or figure.quote, figure.value, figure.unit)
    if sides is None:
        return any(k in phrase for k in keys)
    before, after = sides
    # 会议 is often cut to 会 ("法治专题党委会", "联席会"); not any noun ("履职清单" is no 事业单位).
    if head.endswith("会议") and before.endswith("会") and "会" in phrase:
        return True
    if any(after.startswith(k) for k in keys):
        return True  # "3个事业单位": the noun right after the number, whatever the phrase took
    if not any(k in phrase for k in keys):
        return False
    # A combined count's kinds are `bot.answers.combined`'s: said to be combined, ranked apart.
    short = before if figure.combined else _COORDINATED_TAIL.sub("", before)
    ends = (before, short) if short != before else (before,)
    if any(b.endswith(k) for b in ends for k in keys):
        return True
    return any(after[: len(k) + 2].find(k) != -1 for k in keys)


# Between the thing counted and its number: "矛盾纠纷共计137件", "“法律明白人”64名", "持证执法人员：16名".
_BEFORE_NUMBER = re.compile(
    r"(?:共计|总计|累计|合计|共|达到|达|为|计|了|有|等|建议|数|[”’」』\"：:]|（[^（）]*）|\([^()]*\))+$"
)


@lru_cache(maxsize=1 << 18)  # one entry per figure clause: 4,096 thrashed at 1,500 reports
def _sides(clause: str, value: float, unit: str) -> tuple[str, str] | None:
    """The words right before and right after the figure's number in its clause."""
    compact = compact_text(clause)
    for quantity in find_quantities(compact):
        if quantity.value == value and quantity.unit == unit:
            before = _BEFORE_NUMBER.sub("", compact[: quantity.start])
            after = re.sub(r"^(?:的|各类|各项)", "", compact[quantity.end :])
            return before, after
    return None
