"""Township names: the one rule for what a township's name is and how text may mention it.

Every stage that meets a township name uses this module: ingestion (finding the name a report gives
itself), figures (keeping the town's own name out of a figure's noun phrase), question scope and
follow-ups (spotting a known township in a question, with or without its 镇/乡/街道).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.lang.script import simplified_name

# The one table of kinds of township: a name's ending (simplified and traditional) → the kind it
# makes. Longest first: "街道办事处" must be tried before "街道", "民族乡" before "乡". Tianjin names
# its 街道 "万兴街": a bare 街 ends a name but is no suffix a question drops (see TOWNSHIP_SUFFIXES).
KIND_ENDINGS: tuple[tuple[str, str], ...] = (
    ("街道办事处", "街道"),
    ("街道辦事處", "街道"),
    ("街道", "街道"),
    ("民族乡", "乡"),
    ("民族鄉", "乡"),
    ("镇", "镇"),
    ("鎮", "镇"),
    ("乡", "乡"),
    ("鄉", "乡"),
    ("苏木", "苏木"),
    ("街", "街道"),
)
TOWNSHIP_SUFFIXES = tuple(ending for ending, _ in KIND_ENDINGS if ending != "街")
# A stem shorter than this ("河" of 河镇) would match inside ordinary words.
MIN_STEM = 2


def township_stem(name: str) -> str:
    """ "季家镇" → "季家", "满族屯满族乡" → "满族屯满族", so that a question may drop the suffix."""
    for suffix in TOWNSHIP_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= MIN_STEM:
            return name[: -len(suffix)]
    return name


def kind_ending(name: str) -> str:
    """The ending that makes the name a township ("宜城街道" → "街道", "万兴街" → "街"), or ""."""
    return next((ending for ending, _ in KIND_ENDINGS if name.endswith(ending)), "")


def without_kind(name: str) -> str:
    """The name without its kind: "宜城街道" → "宜城", "万兴街" → "万兴", "三角鎮" → "三角"."""
    return name[: len(name) - len(kind_ending(name))]


def township_kinds(name: str) -> frozenset[str]:
    """The kinds of township a name makes: "罗子山瑶族乡" → 乡 and 民族乡, "万兴街" → 街道.
    A 民族乡 is named for its people (瑶族乡, 满族乡) and is also a 乡."""
    ending = kind_ending(name)
    kinds = {dict(KIND_ENDINGS)[ending]} if ending else set()
    if simplified_name(name).endswith("族乡"):
        kinds.add("民族乡")
    return frozenset(kinds)


def township_aliases(name: str) -> tuple[str, ...]:
    """The ways text names a township: its full name, then its stem when that is long enough.

    A township written in traditional script ("三角鎮") is also named in simplified form ("三角镇"),
    as questions are read (bot.lang.scope.check_question); a 民族乡 also by its place name alone
    ("八岔赫哲族乡" → "八岔乡", "八岔").
    """
    aliases: list[str] = []
    for form in dict.fromkeys((name, simplified_name(name))):
        stem = township_stem(form)
        aliases.extend((form,) if stem == form else (form, stem))
        if place := _without_peoples(form):
            aliases.extend((place + "乡", place))
    return tuple(dict.fromkeys(aliases))


# The 55 peoples a 民族乡 may be named for, longest first ("土家" is tried before "土").
_PEOPLES = tuple(
    sorted(
        (
            "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳"
            " 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南"
            " 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔"
            " 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
        ).split(),
        key=len,
        reverse=True,
    )
)


def _without_peoples(name: str) -> str | None:
    """The place part of a 民族乡's name ("后坪苗族土家族乡" → "后坪", "南伊珞巴民族乡" → "南伊"), or
    None for any other name, or when too little would be left ("东乡族乡")."""
    if not name.endswith("乡"):
        return None
    rest, found = name[:-1], False
    if rest.endswith("民族"):  # "珞巴民族乡": the people named without 族
        rest = rest[:-2]
        people = next((p for p in _PEOPLES if rest.endswith(p)), "")
        rest, found = rest[: len(rest) - len(people)], bool(people)
    while people := next((p for p in _PEOPLES if rest.endswith(p + "族")), None):
        rest, found = rest[: -len(people) - 1], True
    return rest if found and len(rest) >= MIN_STEM else None


@dataclass(frozen=True)
class Mention:
    township: str  # the township's full name as the corpus lists it
    start: int
    end: int


def find_mentions(text: str, townships: Sequence[str]) -> list[Mention]:
    """Known townships named in `text` by full name or stem, longest alias first, never overlapping,
    in the order they appear."""
    taken: list[Mention] = []
    for alias, town in _aliases_longest_first(tuple(townships)):
        start = text.find(alias)
        while start >= 0:
            end = start + len(alias)
            free = not any(m.start < end and start < m.end for m in taken)
            if free and not _other_kind_follows(text, end, alias, town):
                taken.append(Mention(town, start, end))
            start = text.find(alias, end)
    return sorted(taken, key=lambda m: m.start)


def _other_kind_follows(text: str, end: int, alias: str, town: str) -> bool:
    """Whether a stem is followed by another kind of township: "河头乡" is not 河头镇, "宁安街道" not
    宁安镇 — a near-miss name is another place (unknown to the corpus), not this township."""
    if alias in (town, simplified_name(town)):
        return False
    ending = next((e for e in TOWNSHIP_SUFFIXES if text.startswith(e, end)), "")
    return bool(ending) and dict(KIND_ENDINGS)[ending] not in township_kinds(town)


@lru_cache(maxsize=8)
def _aliases_longest_first(townships: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(alias, township) pairs, longest alias first. Cached: every question resolves its scope
    against the same township list, and rebuilding it cost ~1 ms per 100 townships per call."""
    pairs = ((alias, town) for town in townships for alias in township_aliases(town))
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def named_townships(text: str, townships: Sequence[str]) -> tuple[str, ...]:
    """Known townships the text names, each once, in the corpus's order."""
    named = {m.township for m in find_mentions(text, townships)}
    return tuple(t for t in townships if t in named)


def without_townships(text: str, townships: Sequence[str]) -> str:
    """The text with every mention of the given townships cut out ("季家镇办理了…" → "办理了…")."""
    out, position = [], 0
    for mention in find_mentions(text, townships):
        out.append(text[position : mention.start])
        position = mention.end
    out.append(text[position:])
    return "".join(out)
