"""Numbers as the reports write them: Arabic or Chinese numerals, 余/多/约, 万, units and percentages.

`find_quantities` finds the counted quantities in a stretch of text ("60 余起", "两万余人次",
"10余万元", "52%") and leaves out what only looks like a number: years and dates ("2024年"),
document numbers ("〔2024〕47号"), ordinals ("第一"), set phrases ("二十大", "三重一大", "八五普法",
"一人一档"), list markers ("1.") and day names ("3.15"). A number counts as a quantity only when a
counting unit follows it, which is what separates "开展学法4次" from "二十届三中全会".

万 and 亿 are multipliers, never part of the unit: "10余万元" is 100000 元 (approximate) and
"两万余人次" is 20000 人次, so that money and counts compare like with like across reports.

A count of people may also be written with no unit at all, the noun straight after the number:
"我镇47公职人员全部通过" is 47 人 (`bot/data/people.txt` lists the nouns). Only Arabic numbers of
up to four digits that no other number, letter, sign or 第 touches, not a year ("2024干部学法计划";
hotlines such as 12345 have five digits), and not a numbered group ("3村民小组").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot.data import word_list

_CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}
_CHINESE_CHARS = "".join(_CHINESE_DIGITS) + "".join(_SMALL_UNITS) + "".join(_LARGE_UNITS)

# Counting units, longest first so that "人次" wins over "人" and "场次" over "场".
# Deliberately absent: 年 月 日 号 届 级 等 大 中 (years, dates, document numbers, "二十大", "三等奖").
# 宗 is how Guangdong reports count cases and disputes ("调处矛盾纠纷138宗"); 件次/户次/批次 count
# letters, households and groups of visitors handled more than once; 轮 counts rounds of screening;
# 学时/课时 are study hours.
UNITS = (
    "人次", "场次", "件次", "户次", "批次", "册份", "小时", "学时", "课时",
    "件", "起", "宗", "次", "场", "份", "册", "本", "张", "条", "人", "名", "个", "家", "户", "所",
    "项", "篇", "期", "天", "处", "批", "套", "台", "幅", "支", "位", "块", "轮", "元", "%", "％",
)  # fmt: skip

# Units that the reports use interchangeably for the same thing; the quote keeps the original.
UNIT_ALIASES = {"册份": "份", "％": "%"}

# Qualifiers before a number that make it a bound or an estimate rather than an exact count.
_APPROX_PREFIXES = ("不少于", "不低于", "至少", "超过", "约", "近", "逾", "大约")
# What follows a Chinese numeral-unit pair in political set phrases: "四个意识", "两个维护",
# "三项制度", "四个全面", "一人一档".
_SET_PHRASE_AFTER = ("意识", "自信", "维护", "确立", "制度", "全面", "一")
# Characters that, right before a numeral, make it part of a set phrase or an ordinal:
# 第一 (ordinal), 无一起 (none), 人手一册 / 每一 / 逐一 / 唯一 / 统一 / 之一 / 万一.
_BLOCKING_BEFORE = frozenset("第无手每逐唯统之万")

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CHINESE = f"[{_CHINESE_CHARS}]+"
_UNIT_PATTERN = "|".join(re.escape(u) for u in UNITS)
# Between a number and its unit: spaces, and the empty quote pairs a PDF's text layer leaves where a
# quoted word's marks were moved out of place ("开展普法活动58 “ ”场次", batch 7's LibreOffice PDF; the
# dev set's real PDFs do it too).
_GAP = r"(?:[ \u3000]|“[ \u3000]*”)*"
_EMPTY_QUOTES = re.compile(r"“[ \u3000]*”")
_QUANTITY = re.compile(
    rf"(?P<prefix>{'|'.join(_APPROX_PREFIXES)})?"
    rf"(?:(?P<arabic>{_ARABIC})|(?P<chinese>{_CHINESE}))"
    rf"{_GAP}(?P<more>[余多])?{_GAP}(?P<multiplier>[万亿])?(?P<more2>[余多])?{_GAP}"
    rf"(?P<unit>{_UNIT_PATTERN})(?P<suffix>以上|左右|上下|有余)?"
)
_PERCENT_WORDS = re.compile(
    rf"(?P<prefix>{'|'.join(_APPROX_PREFIXES)})?百分之(?P<number>{_ARABIC}|{_CHINESE})"
)
# Spans where a numeral is a name, not a count: titles 《…》 always; quoted slogans “…” for
# Chinese numerals ("“四个意识”", "“三项制度”", "“宪法进万家”").
_TITLE = re.compile(r"《[^《》]*》")
# What follows a people noun when the number names a group or a body instead: "3村民小组",
# "2党员活动室", "5职工之家", "3村民代表会议" ("32村民代表参加" still counts people).
_GROUP_AFTER = (
    "小组", "组", "委员会", "会议", "大会", "代表大会", "代表会议", "活动", "之家", "队伍", "中心",
)  # fmt: skip
_QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"")


@dataclass(frozen=True)
class Quantity:
    """One stated quantity: value in base units (万 applied), unit, and where it sits in the text."""

    value: float
    unit: str  # normalised: "册份" → "份", "％" → "%"
    approximate: bool  # 余/多/约/近/不少于…: a bound or estimate, compared as stated
    start: int  # span of the stated quantity in the searched text, qualifier included
    end: int
    stated: str  # the quantity as written, e.g. "60 余起", "不少于4次", "10余万元"
    stated_unit: str  # the unit as written, e.g. "册份"; "" for a bare count of people
    counted: str = ""  # a bare count's people noun, standing where its unit would be ("公职人员")

    @property
    def display(self) -> str:
        """The quantity as an answer shows it: the stated form without stray spaces ("60余起"), a bare
        count with its noun ("47公职人员")."""
        return re.sub(r"[ \u3000]+", "", _EMPTY_QUOTES.sub("", self.stated)) + self.counted


def parse_chinese_numeral(text: str) -> int:
    """Value of a Chinese numeral: "十二" → 12, "三百" → 300, "两万" → 20000, "三千五" → 3500.

    Raises ValueError for anything that is not a well-formed numeral.
    """
    if not text or any(ch not in _CHINESE_CHARS for ch in text):
        raise ValueError(f"不是中文数字：{text!r}")
    if len(text) > 1 and all(ch in _CHINESE_DIGITS for ch in text):
        # Digit-by-digit numerals such as "二〇二四" (dates, but parse them honestly).
        return int("".join(str(_CHINESE_DIGITS[ch]) for ch in text))
    total = 0  # completed 万/亿 sections
    section = 0  # value below the current 万/亿
    digit: int | None = None
    last_unit = 1
    for ch in text:
        if ch in _CHINESE_DIGITS:
            if digit is not None:
                raise ValueError(f"不是中文数字：{text!r}")
            if _CHINESE_DIGITS[ch] == 0:
                last_unit = 10  # after 零 a trailing digit is a ones digit: "一百零五" → 105
            else:
                digit = _CHINESE_DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit, last_unit = None, _SMALL_UNITS[ch]
        else:
            unit = _LARGE_UNITS[ch]
            section += digit or 0
            if unit == 100_000_000:
                total = (total + (section or 1)) * unit
            else:
                total += (section or 1) * unit
            section, digit, last_unit = 0, None, unit
    if digit is not None:
        # A bare digit after a unit is colloquial shorthand: "三千五" = 3500, "两万五" = 25000.
        section += digit * max(last_unit // 10, 1)
    return total + section


def parse_number(text: str) -> float:
    """Value of an Arabic or Chinese number as written: "1,200" → 1200, "3.5" → 3.5, "三百" → 300."""
    text = text.strip()
    if re.fullmatch(_ARABIC, text):
        return float(text.replace(",", ""))
    return float(parse_chinese_numeral(text))


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < position < end for start, end in spans)


def _is_quantity_numeral(match: re.Match[str], text: str) -> bool:
    """Reject numerals that are ordinals, parts of set phrases, years or list markers."""
    number_start = match.start("arabic") if match.group("arabic") else match.start("chinese")
    before = text[number_start - 1] if number_start > 0 else ""
    chinese = match.group("chinese")
    if before in "〔[（(" and text[match.end() :].startswith(("〕", "]")):
        return False
    if chinese:
        if before in _BLOCKING_BEFORE:
            return False
        if text[match.end() :].startswith(_SET_PHRASE_AFTER):
            return False
        # A bare 一 with a unit is nearly always wording, not a statistic: "一起研究" (together),
        # "一次性", "一张蓝图", "一批批"; reports write a count of one as "1次".
        if chinese == "一" and not (match.group("more") or match.group("more2")):
            return False
        # A bare 十/百/千/万 is "many" ("宪法进万家", "千家万户") unless 余/多/近/约 makes it a round
        # count ("百余人", "近百起", "千余份", "近千人次", "万余人次").
        if not any(ch in _CHINESE_DIGITS for ch in chinese):
            if chinese[0] == "亿":
                return False
            if not (match.group("more") or match.group("more2") or match.group("prefix")):
                return False
    elif before and (before.isdigit() or before in ".．"):
        return False  # the tail of "3.15" or of a longer number the pattern did not take whole
    return True


_YEAR = re.compile(r"(?:19|20)\d\d")


@cache
def _bare_count() -> re.Pattern[str]:
    nouns = sorted(word_list("people.txt"), key=len, reverse=True)
    return re.compile(
        r"(?<![\d.．+＋\-－~～×*/:：A-Za-zＡ-Ｚａ-ｚ第])(?P<number>[1-9]\d{0,3})(?![\d.．])"
        rf"(?P<noun>{'|'.join(map(re.escape, nouns))})(?!{'|'.join(_GROUP_AFTER)})"
    )


def _bare_counts(text: str, titles: list[tuple[int, int]], taken: list[Quantity]) -> list[Quantity]:
    """Counts of people written without a unit ("47公职人员"), where no other quantity sits."""
    found = []
    for match in _bare_count().finditer(text):
        number = match.group("number")
        if _YEAR.fullmatch(number) or _inside(match.start(), titles):
            continue
        if any(q.start <= match.start() < q.end for q in taken):
            continue
        end = match.end("number")
        found.append(
            Quantity(float(number), "人", False, match.start(), end, number, "", match.group("noun"))
        )
    return found


def find_quantities(text: str) -> list[Quantity]:
    """Every counted quantity stated in `text`, in order, with spans into `text`."""
    titles = _spans(_TITLE, text)
    quoted = _spans(_QUOTED, text)
    found: list[Quantity] = []
    for match in _QUANTITY.finditer(text):
        if _inside(match.start(), titles):
            continue
        if match.group("chinese") and _inside(match.start(), quoted):
            continue
        if not _is_quantity_numeral(match, text):
            continue
        try:
            value = parse_number(match.group("arabic") or match.group("chinese"))
        except ValueError:
            continue
        if match.group("multiplier"):
            value *= _LARGE_UNITS[match.group("multiplier")]
        stated_unit = match.group("unit")
        approximate = any(match.group(g) for g in ("prefix", "more", "more2", "suffix"))
        found.append(
            Quantity(
                value=value,
                unit=UNIT_ALIASES.get(stated_unit, stated_unit),
                approximate=approximate,
                start=match.start(),
                end=match.end(),
                stated=match.group(0),
                stated_unit=stated_unit,
            )
        )
    for match in _PERCENT_WORDS.finditer(text):
        if _inside(match.start(), titles):
            continue
        try:
            value = parse_number(match.group("number"))
        except ValueError:
            continue
        found.append(
            Quantity(value, "%", bool(match.group("prefix")), match.start(), match.end(), match.group(0), "%")
        )
    found += _bare_counts(text, titles, found)
    return sorted(found, key=lambda q: q.start)


def format_value(value: float) -> str:
    """A value without a spurious ".0": 728.0 → "728", 3.5 → "3.5"."""
    return str(int(value)) if value == int(value) else f"{value:g}"


def average_value(values: list[float]) -> float:
    """A mean as answers state it (two decimals at most); bot/answers/check.py allows exactly this."""
    return round(sum(values) / len(values), 2)
