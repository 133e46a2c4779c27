"""Which report a text is: township, county/district, year and title, each with its source and confidence.

A person placing a report reads its title and header block (发布机构/标题 metadata, issuer lines), its
落款, the 致送 line, the body's self-references and, when the text is silent, the file and folder
names. Each source yields candidates; the first source that names a township wins and agreement with
the others raises its confidence. Identity never refuses a report: a field nobody states is kept with
confidence 0 and marked doubtful, so the report is still indexed and the user can set it in
报告信息.csv (bot.ingest.report_info).

All rules read the simplified form of the text (bot.lang.script); a traditional report's township is
then given back in its own script ("三角鎮").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath

from bot.ingest.clean import clean_text, metadata_fields, without_glosses
from bot.ingest.county import county_from_authorities
from bot.ingest.frame import MAX_TITLE_LINE, TITLE_WORDS, Frame, is_issuer
from bot.lang.places import without_kind
from bot.lang.script import in_original_script
from bot.report import DOUBTFUL_BELOW, FieldSource

_HAN = r"[\u4e00-\u9fff]"
# 街 alone only where a year or the end follows ("万兴街2023年度…"): 街 ends many street names.
_KIND = r"(?:街道办事处|街道|苏木|镇|乡|街(?=\s*(?:[0-9二]|关于|$)))"
_ADMIN_CHAIN = (
    rf"(?:(?P<province>{_HAN}{{2,8}}?(?:省|自治区)))?"
    rf"(?:(?P<city>{_HAN}{{2,8}}?(?:市|自治州|盟|地区)))?"
    rf"(?:(?P<county>{_HAN}{{1,8}}?(?:新区|区|县|市|旗)))?"
)
_NAME_AT_START_RE = re.compile(rf"^(?:中共)?(?:关于)?{_ADMIN_CHAIN}(?P<town>{_HAN}{{2,8}}?{_KIND})")
# Words that end in 镇/乡 without being a place: 乡镇, 城镇, 村镇, 集镇, 全镇, 我镇, 驻镇, 到镇…
_NOT_NAME_ENDINGS = frozenset("乡城村集小全本该我此每各两一驻到在于入出进回往赴离等和与及的个是为成将")
# Opening a title, issuer or file name, a name ending in 城/村/集 is a place (古城镇, 杏花村镇, 王集镇,
# common in 河南/安徽/山西): only running text says 新型城镇化, 中心集镇.
_NOT_NAME_ENDINGS_AT_START = _NOT_NAME_ENDINGS - frozenset("城村集")
# Before 街道 a name never ends in a function word: "健全以街道…", "现将街道…", "制定街道…".
_NOT_STREET_ENDINGS = frozenset("全本该我此每各两一以在于到和与及的个是为成将定对从向由把被")
# Nor begins with a determiner ("全镇", "本街道", "现将街道…"); in running text not with a preposition or
# verb either ("将兴隆镇打造成…", "对河市镇…"). At the start of a title, issuer or file name a name may
# (将台堡镇, 宁夏西吉县).
_NOT_NAME_STARTS = frozenset("全各本该我每现")
_NOT_NAME_STARTS_IN_TEXT = _NOT_NAME_STARTS | frozenset("将在对为经据由按")
# In running text 乡 is too common (乡村, 城乡, 下乡) to count unless an institution follows.
_BODY_TOWN_RE = re.compile(rf"(?=({_HAN}{{2,3}})(镇|街道|乡(?=党委|人民政府|政府)))")
_FUNCTION_CHARS = "在对于向到从和与及是的把将为"
_DISTRICT_PREFIX = (
    rf"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[省市{_FUNCTION_CHARS}]))(?![{_FUNCTION_CHARS}])"
    rf"(?P<county>(?:(?![省市区县旗]){_HAN}){{1,5}}(?:新区|区|县|市|旗))"
)
# The 致送 line names the county that receives the report: "中共蒙城县委、蒙城县人民政府：".
# A township reports to its county-level government, which may be a county-level 市 ("中共海宁市委").
_ADDRESSEE_COUNTY_RE = re.compile(
    r"(?P<county>(?:(?![省市区县旗委])[\u4e00-\u9fff]){1,5}(?:区|县|旗|市))(?:委|人民政府|政府)"
)

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
# "2024年", "2024 年", "2024年度", "2025度" (东方山街道's title), "二〇二四年"; a full date is when a
# report was written, not the year it reports on.
_YEAR_RE = re.compile(
    r"(?<!\d)(?:((?:19|20)\d{2})\s*(?:年|度)|(二[〇零○Ｏ][〇零○Ｏ一二三四五六七八九]{2})\s*年)"
    r"(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
)
_META_TOWN_LABELS = ("发布机构", "发文机构", "信息来源", "来源")
_META_TITLE_LABELS = ("标题", "名称")


@dataclass(frozen=True)
class Identity:
    township: str | None
    county: str | None
    year: int | None
    title: str | None
    sources: tuple[FieldSource, ...]  # township, county, year, title, in that order

    @property
    def doubtful(self) -> tuple[str, ...]:
        """Fields a person should check: township and year below the doubt threshold."""
        return tuple(
            s.field for s in self.sources if s.field in ("township", "year") and s.confidence < DOUBTFUL_BELOW
        )


@dataclass(frozen=True)
class _Name:
    town: str
    county: str | None
    source: str


def _stem(town: str) -> str:
    """The name without its kind: "宜城街道" → "宜城", "万兴街" → "万兴"."""
    return without_kind(town)


def _valid_town(town: str, *, at_start: bool = False) -> bool:
    stem = _stem(town)
    # 城/村/集 end ordinary words only before 镇/乡 (城镇, 村镇); 宜城街道 and 建筑新村街道 are names.
    endings = _NOT_STREET_ENDINGS
    if town.endswith(("镇", "乡")):
        endings = _NOT_NAME_ENDINGS_AT_START if at_start else _NOT_NAME_ENDINGS
    starts = _NOT_NAME_STARTS if at_start else _NOT_NAME_STARTS_IN_TEXT
    return len(stem) >= 2 and stem[-1] not in endings and stem[0] not in starts


def _normal(town: str) -> str:
    # Truth and users say "果园街道", reports also "果园街道办事处".
    return town.removesuffix("办事处") if town.endswith("街道办事处") else town


def name_at_start(text: str) -> tuple[str, str | None] | None:
    """(township, county) when a text opens with an administrative name, e.g. a title, issuer or file name.

    "重庆市大足区季家镇人民政府" → ("季家镇", "大足区"); "中共兴隆镇党委" → ("兴隆镇", None).
    """
    text = without_glosses(clean_text(text))
    match = _NAME_AT_START_RE.match(text)
    if not match or not _valid_town(match["town"], at_start=True) or text[match.end() :].startswith("化"):
        return None  # "新型城镇化…" is no 新型城镇
    return _normal(match["town"]), match["county"] or match["city"]


def find_years(text: str) -> list[int]:
    """Every year written as "2024年", "2024 年", "2024年度" or "二〇二四年", in order; dates left out."""
    years = []
    for match in _YEAR_RE.finditer(text):
        digits = match[1] or "".join(str(_CN_DIGITS[ch]) for ch in match[2])
        years.append(int(digits))
    return years


def find_year(text: str) -> int | None:
    """The first year a text names, e.g. "关于 2024 年…的报告" → 2024."""
    years = find_years(text)
    return years[0] if years else None


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
    """(township, county or None) a report-like text is about: a title or issuer line, else the body's
    commonest name."""
    for line in text.splitlines():
        clean = clean_text(line)
        if is_issuer(line) or (len(clean) <= MAX_TITLE_LINE and any(word in clean for word in TITLE_WORDS)):
            found = name_at_start(clean)
            if found:
                return found
    town = most_frequent_township(text)
    return (town, district_before(text, town)) if town else None


def _header_names(frame: Frame) -> list[_Name]:
    """Names the head states: issuer lines, title lines, metadata values (发布机构, 标题)."""
    found: list[_Name] = []
    for line in frame.head_issuers:
        for token in line.clean.split() or [line.clean]:
            if name := name_at_start(token):
                found.append(_Name(*name, "issuer"))
        if name := name_at_start(line.clean):
            found.append(_Name(*name, "issuer"))
    if frame.title_lines and (name := name_at_start("".join(line.clean for line in frame.title_lines))):
        found.append(_Name(*name, "title"))
    for line in frame.furniture:
        for label, value in metadata_fields(line.text):
            if label in (*_META_TOWN_LABELS, *_META_TITLE_LABELS) and (name := name_at_start(value)):
                found.append(_Name(*name, "metadata"))
    for line in frame.tail_issuers:
        if name := name_at_start(line.clean):
            found.append(_Name(*name, "signature"))
    return found


def _path_names(report_id: str) -> list[_Name]:
    """Names in the file name, then in the folder names above it (innermost first)."""
    path = PurePosixPath(report_id)
    parts = [(path.stem, "file_name")] + [(part, "folder") for part in reversed(path.parent.parts)]
    return [_Name(*name, source) for part, source in parts if (name := name_at_start(part))]


def _mentions(town: str, text: str) -> int:
    return text.count(town) or text.count(_stem(town))


def _township(frame: Frame, text: str, report_id: str) -> tuple[_Name | None, float]:
    header, path = _header_names(frame), _path_names(report_id)
    sources = header + path
    if sources:
        best = sources[0]
        agree = sum(1 for name in sources if name.town == best.town)
        confidence = 0.9 if best.source in ("title", "issuer", "metadata", "signature") else 0.7
        if agree > 1 or _mentions(best.town, text) > 1:
            confidence = min(1.0, confidence + 0.1)
        county = next((name.county for name in sources if name.town == best.town and name.county), None)
        return _Name(best.town, county, best.source), confidence
    town = most_frequent_township(text)
    if town is None:
        return None, 0.0
    return _Name(town, None, "body"), 0.7 if text.count(town) >= 3 else 0.5


def _county(name: _Name | None, frame: Frame, text: str) -> tuple[str | None, str, float]:
    if name is None:
        return None, "none", 0.0
    if name.county:
        return name.county, name.source, 0.9
    if county := district_before(text, name.town):
        return county, "body", 0.7
    if frame.addressee and (match := _ADDRESSEE_COUNTY_RE.search(_addressee_text(frame.addressee.clean))):
        return match["county"], "addressee", 0.6
    if county := county_from_authorities(text, name.town):
        return county, "body", 0.5
    return None, "none", 0.0


def _addressee_text(clean: str) -> str:
    return without_glosses(clean).replace("中共", "、")


def _title(frame: Frame) -> tuple[str | None, str]:
    if frame.title_lines:
        return clean_text("".join(line.text for line in frame.title_lines)), "title"
    for line in frame.furniture:
        for label, value in metadata_fields(line.text):
            if label in _META_TITLE_LABELS and any(word in value for word in TITLE_WORDS):
                return clean_text(value), "metadata"
    return None, "none"


def _year(title: str | None, opening: str, first_heading: str, report_id: str, body: str) -> tuple:
    """The title's year, else the opening's or first section's (2024, not a 2025 plan), else the commonest."""
    for candidate, source, confidence in (
        (title or "", "title", 0.95),
        (opening, "opening", 0.8),
        (first_heading, "heading", 0.8),
        (PurePosixPath(report_id).name, "file_name", 0.7),
    ):
        if (year := find_year(candidate)) is not None:
            return year, source, confidence
    years = Counter(find_years(body))
    if years:
        return years.most_common(1)[0][0], "body", 0.5
    return None, "none", 0.0


def read_identity(
    frame: Frame, text: str, *, report_id: str, opening: str, first_heading: str, original: str
) -> Identity:
    """Identity of a report from its frame and (simplified) text; `original` is the text as written."""
    name, town_confidence = _township(frame, text, report_id)
    county, county_source, county_confidence = _county(name, frame, text)
    title, title_source = _title(frame)
    body = "".join(line.clean for line in frame.body)
    year, year_source, year_confidence = _year(title, opening, first_heading, report_id, body)
    township = in_original_script(name.town, original) if name else None
    county = in_original_script(county, original) if county else None
    sources = (
        FieldSource("township", name.source if name else "none", town_confidence),
        FieldSource("county", county_source, county_confidence),
        FieldSource("year", year_source, year_confidence),
        FieldSource("title", title_source, 0.9 if title else 0.0),
    )
    return Identity(township, county, year, title, sources)
