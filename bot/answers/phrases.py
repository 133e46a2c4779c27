"""Which stated quantities a figure question asks for, read from the figures' own noun phrases.

The curated metrics (bot/data/metrics.json) were fitted on a few reports; every new report words its
figures its own way ("中心组集中学习13次", "合法性审查意见40余条", "执法培训15次"). So a question is
matched to every figure by what the figure counts: the question's content words found in the
figure's noun phrase (full weight) or in its clause (half weight), its head noun (the last content
word: the thing counted) in the phrase, and the same kind of quantity (a rate, money, people,
person-times, a duration, a count). The curated metric the question names adds a boost to the
figures extraction gave it; it never gates.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.answers.phrase_score import compact_text, credit, head_near, names, names_an_act, per_unit
from bot.figures.figure import Figure
from bot.figures.numbers import find_quantities
from bot.heap import forget_on_settle
from bot.lang.asks import asks_for_number
from bot.lang.equivalents import equivalents, listed_words
from bot.lang.places import without_townships
from bot.lang.scope import unknown_places
from bot.lang.tokenizer import STOPWORDS, Tokenizer

# A figure qualifies when this share of the question's words is found in its phrase or clause.
MIN_SCORE = 0.5
# ...and at least this share of the best figure's score: weaker wordings say something else.
RELATIVE_SCORE = 0.55
# What the curated metric adds to the figures it classified.
METRIC_BOOST = 0.25
_CLAUSE_WEIGHT = 0.5
# The head noun is what is counted: it weighs as much again as the words that qualify it.
_HEAD_WEIGHT = 2.0
_HEAD_FOUND = 0.8

_KIND_OF_UNIT = {"%": "rate", "元": "money", "人": "people", "名": "people", "位": "people", "人次": "visits"}
_KIND_OF_UNIT |= dict.fromkeys(("小时", "学时", "课时", "天"), "duration")

# The question's own scaffolding: which town, how many, most/least, totals. Not what is counted.
_SCAFFOLD = re.compile(
    r"\d{4}\s*年度?|(?:\d+(?:\.\d+)?|多少|几)\s*(?:人次|场次|[次场件起个名人份条项期位家%])"
    r"|\d+(?:\.\d+)?|有(?:多少|几)(?:人次|场次|[个名人位件起次场份条项家])?|所有"
    r"|(?<![减缺至很许增众诸])[多少](?=[？?！!。]?$)"  # "哪个村多？": the comparative, not a word's 多
    r"|(?:哪个|哪一个|哪些|哪几个|哪几|哪)(?:乡镇|镇街|镇|乡|街道)?(?:（街道）|\(街道\))?"
    r"|乡镇（街道）|乡镇\(街道\)|乡镇|镇街|(?:各|每)(?:个|家)?(?:乡镇|镇|街道)?|每家|平均|合计|一共|总共|总计|加起来"
    r"|分别|多少|几|最多|最少|最高|最低|更多|较多|更少|较少|第[一二两三四五六七八九十\d]+(?:多|少|名|位)|排?前[一二两三四五六七八九十\d]+(?:名|位|个)?"
    r"|排名|排序|排在|次数|人数|数量|数字|数目|件数|场次|比例|占比|报告|全年|一年|今年|给出|超过|低于|多于|少于|以上|以下"
    r"|是谁|是|谁|呢|吗|和|与|及|或者|或|[？?，,。！!、；;：:\s]"
    r"|(?:镇|乡|街道)(?:上|里)"  # "河头镇镇上有多少干部…": the town again, not what is counted
)
# Function characters around a piece; 中 and 里 only at its end ("工作中", not 中心组's 中).
_PIECE_ENDS = re.compile(r"^[的了在给对有做]+|[的了在给对里中有做]+$")
# Light verbs say that something was done, not what: "开展…培训", "召开…会议".
_LIGHT = frozenset(
    {"开展", "组织", "举办", "召开", "进行", "完成", "实施", "办理", "参加", "面向", "设立", "出具"}
)
# The measure words a question names after 多少/几 ("多少起" → 起, "多少家" → 家).
_MEASURES = "件起宗次场份册本张条名位项期家户处所封篇幅"
_ASKED_UNIT = re.compile(rf"(?:多少|几)(人次|场次|[{_MEASURES}])")
# A total also reads 个 ("多少个"): there it only picks the measure added up, while a one-town question's
# 个 would make the report's 个-counted wordings win over its own.
_ASKED_UNIT_OR_GE = re.compile(rf"(?:多少|几)(人次|场次|[{_MEASURES}个])")


def named_unit(question: str, *, ge: bool = False) -> str:
    """The unit a question names after 多少/几, "" when it names none; `ge`: 个 counts too."""
    named = (_ASKED_UNIT_OR_GE if ge else _ASKED_UNIT).search(question)
    return named.group(1) if named else ""


_ASKS_RATE = re.compile(r"率(?!先)|比例|占比|比重|百分比|百分之几")
_ASKS_MONEY = re.compile(r"金额|多少钱|资金|经费|费用|多少元|多少万元")
# "多少干部参加了学法": the people counted are named right after 多少, whatever the last word is.
_ASKS_PEOPLE = re.compile(
    r"人数|多少人(?!次)|几人|多少名|几名|多少位|几位"
    r"|(?:多少|几)个?(?:干部|人员|职工|群众|居民|村民|党员|律师|学生|公职人员|执法人员)"
)
_PEOPLE_HEAD = re.compile(r"(?:人员|干部|律师|顾问|队员|员|职工|群众)$")
_ASKS_TIMES = re.compile(r"次数|场次|(?:多少|几)(?:次|场|期|回|堂|趟|遍|轮|节课)")


def unit_kind(unit: str) -> str:
    """The kind of quantity a unit measures; figures of different kinds never compare."""
    return _KIND_OF_UNIT.get(unit, "count")


@dataclass(frozen=True)
class Asked:
    """What a figure question counts, as its own words say it."""

    words: tuple[str, ...]  # content words, in order
    head: str  # the thing counted: the last content word ("培训", "意见", "会议")
    kind: str | None  # rate, money, people, visits, duration or count when the question says
    topic: str  # the question's wording of it, for answers ("法治建设专题会议")
    unit: str = ""  # the unit the question names ("多少起" → 起, "多少家" → 家), preferred within a report
    # The head alone says what is counted (quoted, or three characters or more: “法律明白人”, 矛盾纠纷),
    # so the question's other words (often its verb: 培养, 排出来) give credit and do not gate.
    specific: bool = False
    each: bool = False  # the question asks for a per-unit figure ("每个村有几名…")


def read_asked(question: str, townships: Sequence[str], tokenizer: Tokenizer) -> Asked | None:
    """The question's words for what it counts, or None when nothing is left once the scaffolding
    (towns, 哪个, 最多, 多少, totals) is cut out."""
    bare = without_townships(question, townships)
    for place in unknown_places(bare, ()):  # "北关镇和水口镇…": a town outside the corpus, not a word
        bare = bare.replace(place, " ")
    pieces = [p for p in (_PIECE_ENDS.sub("", p) for p in _SCAFFOLD.sub(" ", bare).split()) if p]
    said = [
        [
            w
            for w in _cut(tokenizer, p)
            if len(w) >= 2 and w not in STOPWORDS and w not in _LIGHT and not w.isdigit()
        ]
        for p in pieces
    ]
    words = [w for own in said for w in own]
    if not words and pieces and _ONE_CHARACTER_NOUN.fullmatch(pieces[-1]):
        words = said[-1] = [pieces[-1]]  # "哪个村多": a one-character noun is all it counts
    if not words:
        return None
    head = words[-1]
    unit = named_unit(question)
    # Answers name a piece a later one says again once ("在给出了调解数量的报告里，哪个乡镇调解的矛盾纠纷最少"
    # → 调解的矛盾纠纷, not 调解调解的…); its words still count for matching.
    later = [set().union(*said[i + 1 :]) for i in range(len(said))]
    topic = "".join(p for i, p in enumerate(pieces) if not (said[i] and set(said[i]) <= later[i]))
    specific = len(head) >= 3 or any(f"{o}{head}{c}" in question for o, c in _QUOTES)
    kind = _asked_kind(question, head)
    each = _ASKS_EACH.search(question) is not None
    return Asked(tuple(dict.fromkeys(words)), head, kind, topic, unit, specific, each)


_QUOTES = ("“”", '""', "「」", "‘’")
# 每 of some unit other than a town ("每个乡镇" asks for every town's figure).
_ASKS_EACH = re.compile(r"每(?!(?:一|个|一个)?(?:乡镇|镇|乡|街道|家|年))(?:一个|一|个)?[\u4e00-\u9fff]")


_ONE_CHARACTER_NOUN = re.compile(r"[村户组站校]")


def _cut(tokenizer: Tokenizer, text: str) -> list[str]:
    """The text cut greedily into its longest words: search mode also yields each word's pieces
    ("执法", "法人", "人员" of 执法人员), which would count one word three times; `_credit` gives a
    long word part credit instead."""
    # The list's words are kept whole: "依申请公开" is one thing, not 申请 and 公开.
    known = set(tokenizer.words(text)) | {w for w in listed_words() if w in text}
    words, i = [], 0
    while i < len(text):
        word = max((w for w in known if text.startswith(w, i)), key=len, default="")
        if word:
            words.append(word)
        i += len(word) or 1
    return words


# Colloquially "多少人来听" is answered by attendance in 人次, and "多少人次" by a head count.
_ANSWERING_KINDS = {"people": {"people", "visits"}, "visits": {"visits", "people"}}


def answering_kinds(question: str) -> frozenset[str]:
    """The kinds of quantity that answer a how-many question ("多少人来听" → people or person-times),
    empty when the question asks no quantity or does not say of what kind."""
    if not asks_for_number(question):
        return frozenset()
    kind = _asked_kind(question, "")
    if kind is None:
        return frozenset()
    return frozenset(_ANSWERING_KINDS.get(kind, {kind}))


def states_kind(text: str, kinds: frozenset[str]) -> bool:
    """The text states a quantity of one of these kinds (people, a rate, a count …)."""
    return any(unit_kind(q.unit) in kinds for q in find_quantities(text))


def _asked_kind(question: str, head: str) -> str | None:
    if _ASKS_RATE.search(question):
        return "rate"
    if _ASKS_MONEY.search(question):
        return "money"
    if "人次" in question:
        return "visits"
    if _ASKS_PEOPLE.search(question) or (_PEOPLE_HEAD.search(head) and not _ASKS_TIMES.search(question)):
        return "people"
    if re.search(r"小时|时长|天数", question):
        return "duration"
    if _ASKS_TIMES.search(question):
        return "count"
    return None


def score(asked: Asked, figure: Figure, weights: Weights, boosted: bool = False) -> float:
    """How well the figure's phrase and clause say what the question counts, each word weighted
    by how rare it is among the figures' phrases (0 when the head noun is not next to the number
    or the kind of quantity differs)."""
    if not head_near(asked.head, figure, compact_text(figure.raw_metric)):
        return 0.0
    return _score(asked, figure, _word_weights(asked, weights), boosted)


def _word_weights(asked: Asked, weights: Weights) -> dict[str, float]:
    """The question's words and their weights, the head's doubled: the same for every figure, so
    reckoned once a question (per figure, ~1,700 times at 1,500 reports)."""
    head = weights.of(asked.head)
    # A specific head says what is counted; a rarer verb beside it ("培养") weighs no more than it.
    cap = head if asked.specific else math.inf
    return {w: head * _HEAD_WEIGHT if w == asked.head else min(weights.of(w), cap) for w in asked.words}


def _score(asked: Asked, figure: Figure, weight: dict[str, float], boosted: bool) -> float:
    """`score` of a figure whose number counts the head noun (`_head_near`)."""
    kind = unit_kind(figure.unit)
    if (asked.kind is not None and kind != asked.kind) or (asked.kind is None and kind == "rate"):
        return 0.0  # another kind of quantity; a rate answers only a question that asks for one
    phrase = compact_text(figure.raw_metric)
    clause = compact_text(figure.clause or figure.quote)
    head = asked.head
    qualifiers = [w for w in asked.words if w != head]
    # "专题学习4次" is some study, not the 中心组学习 asked: a qualifier must be there too, unless the
    # curated metric says this wording is the one asked ("排处矛盾纠纷" for 化解矛盾纠纷), or the head
    # alone says what is counted and the phrase names no other act ("“法律明白人”达到130余名" for
    # 培养的“法律明白人”; not "排查矛盾纠纷380余件" for 化解的).
    unnamed = not boosted and qualifiers and not any(names(w, head, phrase, clause) for w in qualifiers)
    if unnamed and (not asked.specific or names_an_act(phrase)):
        return 0.0
    total = 0.0
    for w, weighs in weight.items():
        found = max(credit(w, phrase), _CLAUSE_WEIGHT * credit(w, clause, equivalent=False))
        # The head was found next to the number (maybe cut short: "党委会" for 会议): it is named.
        total += weighs * (max(found, _HEAD_FOUND) if w == head else found)
    return total / sum(weight.values()) + (METRIC_BOOST if boosted else 0.0)


@dataclass(frozen=True)
class Weights:
    """Word weights: log(1 + N/df), df the figures whose phrase holds the word ("学习" is in many
    phrases and says little; "中心组" in few)."""

    phrases: tuple[str, ...]
    # Per snapshot, word → weight. Kept on the instance: an lru_cache keyed by the Weights hashed
    # its whole phrases tuple on every call (~1 s a question at 1,500 reports).
    _known: dict[str, float] = field(default_factory=dict, compare=False, hash=False, repr=False)
    # The figures the phrases are of (weights_for's snapshot), for `near`; empty when not known.
    snapshot: tuple[Figure, ...] = field(default=(), compare=False, hash=False, repr=False)
    _holding: dict[str, tuple[Figure, ...]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def near(self, figures: Sequence[Figure], char: str) -> Sequence[Figure]:
        """Those of `figures` (the snapshot's, or some of them in its order) whose phrase holds the
        character, in order; computed once per character for the whole snapshot."""
        if not self.snapshot:
            return figures
        held = self._holding.get(char)
        if held is None:
            held = tuple(f for f, p in zip(self.snapshot, self.phrases, strict=True) if char in p)
            self._holding[char] = held
        return self._among(figures, held)

    def counting(self, figures: Sequence[Figure], head: str) -> Sequence[Figure]:
        """Those of `figures` whose number counts the head noun (`_head_near`), in order; computed
        once per head noun for the whole snapshot (a figure's words do not change between questions)."""
        if not self.snapshot:
            return [f for f in figures if head_near(head, f, compact_text(f.raw_metric))]
        key = "counting:" + head  # beside `near`'s one-character keys
        held = self._holding.get(key)
        if held is None:
            # A key's next-to-last character (its only one: 村) is needed in the phrase.
            chars = {k[-2:][0] for k in (head, *equivalents(head))}
            counts = self.near(self.snapshot, next(iter(chars)))
            if len(chars) > 1:
                near = {id(f) for c in chars for f in self.near(self.snapshot, c)}
                counts = [f for f in self.snapshot if id(f) in near]
            held = tuple(f for f in counts if head_near(head, f, compact_text(f.raw_metric)))
            self._holding[key] = held
        return self._among(figures, held)

    def _among(self, figures: Sequence[Figure], held: tuple[Figure, ...]) -> Sequence[Figure]:
        if len(figures) == len(self.snapshot):  # all of the snapshot's: no pass over them
            return held
        ids = {id(f) for f in figures}
        return [f for f in held if id(f) in ids]

    def of(self, word: str) -> float:
        weight = self._known.get(word)
        if weight is None:
            df = sum(word in p for p in self.phrases)
            weight = self._known[word] = math.log(1 + (len(self.phrases) + 1) / (df + 1))
        return weight


_WEIGHTS: dict[int, tuple[Sequence[Figure], Weights]] = {}
forget_on_settle(_WEIGHTS.clear)


def weights_for(figures: Sequence[Figure]) -> Weights:
    """The weights of one corpus snapshot's figures, computed once per snapshot."""
    key = id(figures)
    cached = _WEIGHTS.get(key)
    if cached is None or cached[0] is not figures:
        _WEIGHTS.clear()
        phrases = tuple(compact_text(f.raw_metric) for f in figures)
        cached = (figures, Weights(phrases, snapshot=tuple(figures)))
        _WEIGHTS[key] = cached
    return cached[1]


@dataclass(frozen=True)
class Matched:
    """The figures that say what the question counts, per report (best wording only), and their kind."""

    by_report: dict[str, tuple[Figure, ...]]
    kind: str | None
    best: float


def match_figures(
    asked: Asked,
    figures: Sequence[Figure],
    metric_name: str | None,
    weights: Weights,
    prefer_unit: bool = False,
) -> Matched:
    """Per report, the figures that best say what was asked; all of one kind of quantity (the
    question's, else the best figure's), a "其中" part dropped when its report states a whole."""
    # A figure scores only when its number counts the head noun (_head_near): known per snapshot
    # and head noun, scoring only those is ~10× fewer figures, and the same answer.
    figures = weights.counting(figures, asked.head)
    weight = _word_weights(asked, weights)
    boosted = [_boosted(f, metric_name) for f in figures]
    scored = [(_score(asked, f, weight, b), f, b) for f, b in zip(figures, boosted, strict=True)]
    # "每村…不少于5名" is a quota, not the town's count, unless the question asks for one each.
    scored = [item for item in scored if item[0] >= MIN_SCORE and (asked.each or not per_unit(item[1]))]
    if not scored:
        return Matched({}, asked.kind, 0.0)
    best, top, _ = max(scored, key=lambda item: item[0])
    # The boost orders the curated metric's figures first; it does not raise the bar for the rest.
    bar = RELATIVE_SCORE * max(s - (METRIC_BOOST if b else 0.0) for s, _, b in scored)
    scored = [(s, f) for s, f, _ in scored if s >= bar]
    kind = asked.kind or unit_kind(top.unit)
    per_report: dict[str, list[tuple[float, Figure]]] = {}
    for s, f in scored:
        if unit_kind(f.unit) == kind:
            per_report.setdefault(f.report_id, []).append((s, f))
    by_report = {}
    for report_id, items in per_report.items():
        high = max(s for s, _ in items)
        # Asking one town, a unit the question names picks among the report's wordings
        # ("控烟吸烟检查362起" for "…检查做了多少起", not "吸烟执法检查296次"); across towns it
        # would drop the items of a report that itemises ("5场…6次").
        in_unit = [(s, f) for s, f in items if prefer_unit and asked.unit and f.unit == asked.unit]
        if in_unit:
            items, high = in_unit, max(s for s, _ in in_unit)
        chosen = [f for s, f in items if s >= high - 1e-9]
        wholes = [f for f in chosen if not f.part]
        chosen = _distinct(wholes or chosen)
        by_report[report_id] = tuple(chosen)
    return Matched(by_report, kind, best)


def _boosted(figure: Figure, metric_name: str | None) -> bool:
    return figure.known_metric and figure.metric == metric_name


def _distinct(figures: Sequence[Figure]) -> list[Figure]:
    """One figure per stated value and sentence (a sentence read twice gives the same figure)."""
    seen: dict[tuple[int, float], Figure] = {}
    for f in figures:
        seen.setdefault((f.start, f.value), f)
    return list(seen.values())
