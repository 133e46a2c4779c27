"""The figures table: every quantity each report states, with the noun phrase it counts.

Built once at ingest (`extract_figures`) and stored with the index as JSON lines. A figure's
quote is its sentence, cut on 。！？； inside one paragraph, with offsets into the report's text
so that `quote == parsed.text[start:end]`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable
from functools import lru_cache

from bot.data import data_bytes
from bot.figures.figure import Figure
from bot.figures.numbers import Quantity, find_quantities
from bot.figures.vocabulary import MetricMatch, Vocabulary, load_vocabulary
from bot.figures.zeros import none_figures
from bot.lang.places import township_aliases
from bot.lang.script import aligned_simplified, to_simplified
from bot.lang.sentences import SENTENCE_END, sentence_spans
from bot.report import ParsedReport

# Bump when the extraction rules in this module, bot/metrics.py or bot/numbers.py change;
# bot/data/metrics.json and people.txt are hashed by `rules_fingerprint`.
FIGURES_VERSION = 7

_CLAUSE_END = "，,：:" + SENTENCE_END
# A clause that starts like this still speaks of the previous clause's number:
# "26名干部参加行政执法考试，均取得了行政执法证"; "摸排各类矛盾纠纷60余起，…均已化解".
# "其中…" (and "含…") before a number make it a part of a figure stated before it: never ranked or
# added as if it were the whole ("排查矛盾纠纷152件，其中婚姻家庭纠纷40件").
_PART = re.compile(r"其中|内含|包括")
_CONTINUATION = re.compile(r"^\s*(?:均|都|全部|并已|且已|已全部)")
_NEW_STATEMENT = re.compile(
    r"^\s*(?:全年|全镇|全乡|今年|共|合计|累计|总计|成功|已|另|[\u4e00-\u9fff]{0,2}(?:办理|查处|受理|开展|组织|举办|召开"
    r"|进行|参加|参与|接待|发放|完成|建成|设立|建立|审核|审查|出具|化解|调解|调处|排查|摸排|提供|处理|解答))"
)

# Words stripped from the ends of a noun phrase: they say when, who or how much, not what is counted.
_LEADING = re.compile(
    r"^(?:\s+|[、，,]|\d{1,2}[.．、](?!\d)|\d{4}\s*年度?(?:以来|来)?|今年(?:以来)?|本年度|全年|年内|一年来|截至目前|截至|目前|同时|此外|其中|另外"
    r"|[一二三四五六七八九十]+是|第[一二三四]季度|[上下]半年|每月|每年|我镇|本镇|全镇|镇村|镇(?![域内级])|共计|总计|累计|共|已|还|又|先后|积极|着力|集中|分别|"
    r"组织开展|开展了?|组织了?|举办了?|召开了?|进行了?|完成了?|实施了?|办理了?|参加了?|利用|"
    r"为|对|在|有|共有)"
)
_TRAILING = re.compile(r"(?:\s+|[：:]|共计|总计|累计|共有|共|已达|达到|均达|均为|达|人民币|的|了|有|等)$")
_SUBJECT_END = re.compile(r"共计|总计|累计|共(?![和同享建产治])|开展了?|组织了?|举办了?|进行了?")
# Verbs and adverbs that end the noun after a number: "26名干部参加…", "25个村广泛宣传…".
_RIGHT_STOP = re.compile(r"参加|参与|配备|广泛|开展|进行|实现|建立|完成|达到|用于|对|在|、")
# Classifiers that come before the noun they count ("23场法治宣传活动", "26名干部", "化解137件矛盾纠纷").
_PRE_NOMINAL = frozenset("个名位家所场本册项批支套台期件起宗")


# A combined count: several kinds named before one number ("党工委会议、法治工作专题会和社区书记例会共
# 12次", "普法活动和普法课堂7场次"). Coordinators between nouns; not the 和 of 和谐/和解, nor 及 of 及时/普及.
_COORDINATOR = re.compile(r"、|以及|(?<![平温调缓柔])和(?![谐解睦美])|(?<![普涉波危企以])及(?![时早格])")
# A sum word before the number says the kinds are added up; 各/均/都/分别 say each has the number.
_SUM_BEFORE = re.compile(r"(?:共计|合计|总计|累计|共)\s*$")
_EACH_BEFORE = re.compile(r"各|均|都|分别|每")
# The verb that opens the first kind: "召开党工委会议、…" lists meetings, not 召开.
_LEADING_VERB = re.compile(
    r"^.*(?:召开|开展|组织|举办|主持|进行|参加|参与|接待|发放|办理|完成|建成|设立|建立|审核|审查|受理|出具)"
)


def rules_fingerprint() -> str:
    """Identifies the rules a stored figures table was extracted with: an index whose fingerprint
    differs must re-extract, or it keeps answering from the old rules."""
    vocabulary = data_bytes("metrics.json") + data_bytes("people.txt")
    return f"figures{FIGURES_VERSION}-metrics{hashlib.sha1(vocabulary).hexdigest()[:10]}"


def _clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    left = max((i for i in range(start) if sentence[i] in _CLAUSE_END), default=-1) + 1
    if left > 0 and sentence[left - 1] in "：:" and not _strip(sentence[left:start], ()):
        # "1.办理行政执法案件：56件": a row's number is named by the label before its colon.
        left = max((i for i in range(left - 1) if sentence[i] in _CLAUSE_END), default=-1) + 1
    right = next((i for i in range(end, len(sentence)) if sentence[i] in _CLAUSE_END), len(sentence))
    return left, right


def _strip(phrase: str, township_names: tuple[str, ...]) -> str:
    previous = None
    while phrase != previous:
        previous = phrase
        for name in township_names:
            if name and phrase.startswith(name):
                phrase = phrase[len(name) :]
        phrase = _LEADING.sub("", phrase, count=1)
        phrase = _TRAILING.sub("", phrase, count=1)
    return phrase.strip()


def _left_phrase(text: str, township_names: tuple[str, ...]) -> str:
    """The noun phrase before a number: "共办理各类行政执法案件" → "行政执法案件"."""
    # An unclosed bracket opens the phrase: "（其中罚款人民币" → "罚款".
    for opener, closer in ("（", "）"), ("(", ")"):
        if opener in text and closer not in text[text.rindex(opener) :]:
            text = text[text.rindex(opener) + 1 :]
    # What precedes 共/累计 or a light verb is subject, time or place, not the thing counted:
    # "秦天（宁河）律所共提供…" → "提供…"; "到各村委会开展…法治讲座" → "…法治讲座".
    titles = [(m.start(), m.end()) for m in re.finditer(r"《[^》]*》", text)]
    cut = None
    for m in _SUBJECT_END.finditer(text):
        inside_title = any(s < m.start() < e for s, e in titles)
        if not inside_title and _strip(text[m.end() :], township_names):
            cut = m.end()
    if cut is not None:
        text = text[cut:]
    phrase = _strip(text, township_names)
    # "发放宪法、民法典…等各类宣传资料" counts 宣传资料: keep the verb, drop the enumerated list.
    listing = re.search(r"等(?:各类|各种|各项)?(?=[^等]+$)", phrase)
    if listing:
        verb = re.match(r"[\u4e00-\u9fff]{2}(?=[^、]*、)", phrase)
        head = phrase[listing.end() :]
        head = re.sub(r"^(?:各类|各种|各项)", "", head)
        phrase = (verb.group(0) if verb else "") + head
    phrase = re.sub(r"(?:各类|各种|各项)", "", phrase)
    # "学习《A》、《B》等" / "征订《A》《B》": the first title stands for the list.
    if "》" in phrase and phrase.endswith(("》", "》等")):
        phrase = phrase[: phrase.index("》") + 1]
    return _strip(phrase, township_names)


def _right_phrase(text: str) -> str:
    """The noun after a number: "村（社区）配备调解员" → "村（社区）"; "…的监控摄像头" → "监控摄像头"."""
    head = re.match(r"[^，。；：,;:（(]*(?:（[^）]{1,4}）)?", text)
    phrase = head.group(0) if head else ""
    stop = _RIGHT_STOP.search(phrase)
    if stop:
        phrase = phrase[: stop.start()]
    if "的" in phrase:
        phrase = phrase[phrase.rindex("的") + 1 :]
    return phrase.strip()


def _raw_metric(
    left: str, right: str, quantity: Quantity, township_names: tuple[str, ...], item: bool = False
) -> str:
    """`item`: the number follows an enumerated item of the same sentence ("6个内设机构、3个事业单位"),
    whose noun is the left text; a unit that precedes its noun then counts the noun after it. A bare
    count's noun is the one after it, whatever follows ("我镇47公职人员全部通过" → 公职人员)."""
    pre_nominal = quantity.unit in _PRE_NOMINAL or bool(quantity.counted)
    if quantity.counted:
        right = quantity.counted
    if item and pre_nominal:
        noun = _right_phrase(right.split("的", 1)[0])
        if noun:
            return noun
    left_phrase = _left_phrase(left, township_names)
    right_phrase = _right_phrase(right)
    if not left_phrase:
        return right_phrase
    if right_phrase and pre_nominal:
        return left_phrase + right_phrase
    return left_phrase


def _combined_kinds(before: str, unit: str, township_names: tuple[str, ...]) -> tuple[str, ...]:
    """The kinds a figure adds up when the words before its number coordinate several nouns: with a
    sum word (共/合计…) any nouns, without one only two that share their first words ("普法活动和普法
    课堂"). Not verbs or modifiers sharing one noun ("排查和化解矛盾纠纷", "扫黑除恶、反邪教、…宣传资料":
    an item under half the last one's length), nor items split by the number ("1个中心和21个站"),
    nor each-of wordings ("参考率和通过率都达到100%", "各出1名"), nor rates."""
    if unit == "%" or _EACH_BEFORE.search(before[-4:]):
        return ()
    phrase = _left_phrase(before, township_names)
    # A coordinator inside a title is the title's own: "《中华人民共和国民法典》".
    masked = re.sub(r"《[^》]*》", lambda m: "《" + "·" * (len(m.group(0)) - 2) + "》", phrase)
    cuts = [(m.start(), m.end()) for m in _COORDINATOR.finditer(masked)]
    starts = [0, *(end for _, end in cuts)]
    ends = [*(start for start, _ in cuts), len(phrase)]
    kinds = [phrase[a:b].strip() for a, b in zip(starts, ends, strict=True)]
    if len(kinds) < 2 or any(len(k) < 2 for k in kinds):
        return ()
    # What precedes the first kind's verb or 的 governs every kind: "召开党工委会议、…", "提交审查的决策、…".
    kinds[0] = _LEADING_VERB.sub("", kinds[0].rsplit("的", 1)[-1]) or kinds[0]
    if any(len(k) * 2 < len(kinds[-1]) for k in kinds[:-1]):
        return ()
    if _SUM_BEFORE.search(before):
        return tuple(kinds)
    if len(kinds) == 2 and kinds[0][:2] == kinds[1][:2] and kinds[0] != kinds[1]:
        return tuple(kinds)
    return ()


def _as_combined(
    figure: Figure, before: str, match: MetricMatch | None, named: str, names: tuple[str, ...]
) -> Figure:
    """The figure as a combined count when the words `before` its number name several kinds: no one
    curated metric's figure, named from its first kind. Unless the metric's wording (`named`) is not
    one kind's but governs them all ("提交合法性审查的重大行政决策、规范性文件和合同共23件", "审核各类
    合同、协议共计54份": counts of 合法性审查 and 合同审核, as other reports' are)."""
    combined = _combined_kinds(before, figure.unit, names)
    if not combined or (match is not None and not any(named and named in kind for kind in combined)):
        return figure
    raw = figure.raw_metric[max(figure.raw_metric.find(combined[0]), 0) :]
    return dataclasses.replace(figure, metric=raw, raw_metric=raw, known_metric=False, combined=combined)


def _window_end(sentence: str, quantity: Quantity, quantities: list[Quantity], clause_end: int) -> int:
    """Where the words naming a number end: its clause, or the next one when that only goes on
    about it ("…60余起，均已化解"); an enumeration item ends at 、 ("读本600余册、宣传折页3000余份")."""
    window_end = clause_end
    if _CONTINUATION.match(sentence[clause_end + 1 :]):
        next_end = _clause_bounds(sentence, clause_end + 1, clause_end + 1)[1]
        if not any(clause_end < q.start < next_end for q in quantities):
            window_end = next_end
    item_end = sentence.find("、", quantity.end, window_end)
    return item_end if item_end != -1 else window_end


def _continues_part(previous: Figure | None, before: str, figure: Figure) -> bool:
    """A 其中 list runs on across "，" while its items count the same kind in the same unit: in
    "其中占道经营案件88件，违规设置户外广告案件27件" both are parts. A clause opening with a verb or a
    sum word states something of its own ("，成功化解149件", "，全年共调解…")."""
    if previous is None or not previous.part or previous.unit != figure.unit or _NEW_STATEMENT.match(before):
        return False
    return len(figure.raw_metric) >= 2 and figure.raw_metric[-2:] == previous.raw_metric[-2:]


def _figures_in_sentence(
    sentence: str, offset: int, parsed: ParsedReport, section_path: tuple[str, ...], vocabulary: Vocabulary
) -> list[Figure]:
    report = parsed.report
    own_name = to_simplified(report.township) if report.script == "traditional" else report.township
    names = township_aliases(own_name)
    quantities = find_quantities(sentence)
    figures: list[Figure] = []
    previous_raw = ""
    for i, quantity in enumerate(quantities):
        clause_start, clause_end = _clause_bounds(sentence, quantity.start, quantity.end)
        window_end = _window_end(sentence, quantity, quantities, clause_end)
        window = sentence[clause_start:window_end]
        match = vocabulary.match(
            window, quantity.start - clause_start, quantity.end - clause_start, quantity.unit, sentence
        )
        named = window[match.start : match.end] if match else ""
        if match is None and previous_raw:
            match = _borrowed_match(
                vocabulary, previous_raw, window, quantity, clause_start, sentence, figures
            )
        left_start = clause_start
        item = False
        if i > 0 and quantities[i - 1].end > clause_start:
            left_start = quantities[i - 1].end
            item = sentence[left_start : quantity.start].rstrip().endswith("、")
        right_end = clause_end
        if i + 1 < len(quantities) and quantities[i + 1].start < clause_end:
            right_end = quantities[i + 1].start
        raw = _raw_metric(
            sentence[left_start : quantity.start],
            sentence[quantity.end : right_end],
            quantity,
            names,
            item,
        )
        if not raw:
            raw = previous_raw or (window[match.start : match.end] if match else "")
        previous_raw = raw
        figure = _figure(
            quantity, raw, match.metric.name if match else None, sentence, offset, report, section_path
        )
        clause = sentence[clause_start:window_end]
        before = sentence[clause_start : quantity.start]
        part = bool(_PART.search(before)) or _continues_part(figures[-1] if figures else None, before, figure)
        figure = _as_combined(figure, sentence[left_start : quantity.start], match, named, names)
        figures.append(dataclasses.replace(figure, clause=clause, part=part))
    nones = none_figures(sentence, offset, report, section_path, vocabulary)
    at = [q.start for q in quantities] + [start for start, _ in nones]
    ordered = sorted(zip(at, figures + [f for _, f in nones], strict=True), key=lambda pair: pair[0])
    return [f for _, f in ordered]


def _borrowed_match(
    vocabulary: Vocabulary,
    previous_raw: str,
    window: str,
    quantity: Quantity,
    clause_start: int,
    sentence: str,
    earlier: list[Figure],
) -> MetricMatch | None:
    """A clause that names no noun of its own speaks of the previous figure's: "排查各类矛盾纠纷152件，
    成功化解149件" resolved 149 disputes. Only the borrowed noun may decide (the match must lie in
    it), and only for a metric the sentence has not already stated: in "化解矛盾纠纷132起，调解成功
    128起" the 128 are a part of the 132, not another count of the same thing."""
    # The previous wording, and the same cut after each head noun in it: "接收矛盾纠纷线索118条，已化解
    # 116条" resolved 116 of the 矛盾纠纷 (leads), which "线索" would hide from the phrase.
    nouns = [previous_raw]
    for head in sorted({h for m in vocabulary.metrics for h in m.heads}, key=len, reverse=True):
        end = previous_raw.rfind(head)
        if end != -1 and end + len(head) < len(previous_raw):
            nouns.append(previous_raw[: end + len(head)])
    for noun in dict.fromkeys(nouns):
        shift = len(noun)
        match = vocabulary.match(
            noun + window,
            shift + quantity.start - clause_start,
            shift + quantity.end - clause_start,
            quantity.unit,
            sentence,
        )
        if match is not None and match.start < shift:
            return None if any(f.metric == match.metric.name for f in earlier) else match
    return None


def _figure(
    quantity: Quantity,
    raw: str,
    metric: str | None,
    sentence: str,
    offset: int,
    report,
    section_path: tuple[str, ...],
) -> Figure:
    return Figure(
        report_id=report.report_id,
        township=report.township,
        year=report.year,
        metric=metric or raw,
        raw_metric=raw,
        value=quantity.value,
        unit=quantity.unit,
        approximate=quantity.approximate,
        quote=sentence,
        start=offset,
        end=offset + len(sentence),
        section_path=section_path,
        known_metric=metric is not None,
    )


def extract_figures(parsed: ParsedReport, vocabulary: Vocabulary | None = None) -> list[Figure]:
    """Every stated quantity in every paragraph of a report, in reading order."""
    vocabulary = vocabulary or load_vocabulary()
    figures: list[Figure] = []
    traditional = parsed.report.script == "traditional"
    for paragraph in parsed.paragraphs:
        # Metrics are matched in simplified characters; a traditional report's quote stays as written.
        reading = aligned_simplified(paragraph.text) if traditional else paragraph.text
        for start, end in sentence_spans(reading):
            found = _figures_in_sentence(
                reading[start:end], paragraph.start + start, parsed, paragraph.section_path, vocabulary
            )
            if traditional:
                found = [dataclasses.replace(f, quote=paragraph.text[start:end]) for f in found]
            figures.extend(found)
    return figures


def stated_quantity(figure: Figure) -> Quantity | None:
    """The figure's quantity as its quote states it ("60 余起", "不少于4次"), for answers to show."""
    return _stated_in(figure.quote, figure.value, figure.unit)


# Rankings and totals cite every report's figure per question; re-reading each quote was ~0.3 s a
# question at 1,500 reports. One entry per figure of a snapshot.
@lru_cache(maxsize=1 << 18)
def _stated_in(quote: str, value: float, unit: str) -> Quantity | None:
    candidates = [q for q in find_quantities(quote) if q.value == value and q.unit == unit]
    return candidates[0] if candidates else None


def figures_to_jsonl(figures: Iterable[Figure]) -> str:
    """Plain JSON lines, one figure each (no pickle): what the index stores."""
    return "".join(json.dumps(dataclasses.asdict(f), ensure_ascii=False) + "\n" for f in figures)


def figures_from_jsonl(text: str) -> list[Figure]:
    """Inverse of `figures_to_jsonl`; raises ValueError on a damaged line."""
    figures = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            data["section_path"] = tuple(data["section_path"])
            data["combined"] = tuple(data.get("combined", ()))
            figures.append(Figure(**data))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"数字表第 {number} 行已损坏（{exc}），请重建索引。") from exc
    return figures
