"""Questions answered across reports from the figures table: rankings ("哪个镇…最多"), per-town
figures, totals, one town's figure, "哪些镇…" presence questions and questions about the corpus.

Rules and data only. Every number in an answer is a figure's value, a year, a rank or a total of
the figures shown, and every figure is quoted verbatim with its citation; a township whose
report does not state a figure is named as such and never gets another township's number.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal, Protocol

from bot.answers.model import Answer, Passage
from bot.figures.extract import sentence_spans, stated_quantity
from bot.figures.figure import Figure
from bot.figures.numbers import format_value, parse_chinese_numeral
from bot.figures.vocabulary import Metric, Vocabulary, load_vocabulary
from bot.report import Paragraph, ParsedReport, Report

if TYPE_CHECKING:
    from bot.lang.tokenizer import Tokenizer


class EvidenceSearch(Protocol):
    def best_in_report(self, query: str, report_id: str) -> tuple[Paragraph, float] | None: ...


IntentKind = Literal["corpus", "rank", "each", "total", "single", "presence"]


@dataclass(frozen=True)
class Intent:
    """What kind of cross-report question this is."""

    kind: IntentKind
    order: Literal["max", "min"] = "max"  # for rankings
    top_n: int | None = None  # "前三" → 3
    corpus_topic: Literal["towns", "years", "count"] = "towns"
    threshold: tuple[str, float, str] | None = None  # ("超过", 200, "件"): compare, value, unit as asked


# --- recognising the question ---------------------------------------------------------------

_CORPUS_SCAFFOLD = re.compile(
    r"语料库|资料库|知识库|数据库|库|系统|里面|里|中|现在|目前|一共|总共|共|都|有|包括|包含|收录|覆盖|是|"
    r"哪些|哪几个|哪几|哪个|哪一|几个|几份|几|多少个|多少份|多少|乡镇|镇|街道|地方|的|报告|文件|年份|年度|年|"
    r"吗|呢|了|啊|请问|请|列出|告诉我|[？?。！!，,\s]"
)
_RANK = re.compile(
    r"最(?:多|少|高|低|大|小)|前(?:[一二三四五六七八九十]|\d+)(?:名|位|个)?|排名|排序|排行|名次|从高到低|从多到少|从少到多|从低到高"
)
_WHICH_MORE = re.compile(r"(?:哪个|哪一个|哪|谁)[^，。？?]*?(?:较多|更多|多|较少|更少|少|高|低)")
_MIN = re.compile(r"最(?:少|低|小)|较少|更少|从少到多|从低到高|(?:哪个|谁)[^，。？?]*?(?:少|低)")
_EACH = re.compile(
    r"各(?:个)?(?:乡镇|镇|街道)|每(?:个|一个)(?:乡镇|镇)|分别|各自|列出|对比|比较|一览|各报告|每份报告"
)
_TOTAL = re.compile(r"一共|合计|总共|总计|加起来|共计|总数|加在一起|累计")
_QUANTITY = re.compile(
    r"多少|几(?=[件次个场份人起名条本册张项家户期位])|数量|数字|数目|次数|件数|人数|人次|占比|比例|金额|几成"
)
_PRESENCE = re.compile(
    r"哪些|哪几个|哪几|有没有|是否有|哪个(?:乡镇|镇|街道)?(?:的报告)?(?:中|里)?(?:提到|提及|写到|谈到|涉及)"
)
_THRESHOLD = re.compile(
    r"(?P<word>超过|多于|大于|高于|不少于|至少|不低于|少于|低于|不到|不足|小于)\s*(?P<value>\d+(?:\.\d+)?)"
    r"\s*(?P<unit>[件起次场份人名个%]|人次|场次)?"
    r"|(?P<value2>\d+(?:\.\d+)?)\s*(?P<unit2>[件起次场份人名个%]|人次|场次)?\s*(?P<word2>以上|以下)"
)
_AT_LEAST = {
    "超过": ">",
    "多于": ">",
    "大于": ">",
    "高于": ">",
    "不少于": ">=",
    "至少": ">=",
    "不低于": ">=",
    "以上": ">=",
}
_TOP_N = re.compile(r"前([一二两三四五六七八九十]|\d+)")


def classify(question: str, n_towns: int, townships: Sequence[str] = ()) -> Intent | None:
    """The kind of cross-report question, or None for an ordinary question (passage retrieval).

    `n_towns` is how many townships the question is restricted to (0 = all); `townships` are the
    corpus's township names, ignored when deciding whether a question is about the corpus
    ("商酒务镇是哪一年的报告").
    """
    bare = question
    for town in sorted(townships, key=len, reverse=True):
        bare = bare.replace(town, "")
    if not _CORPUS_SCAFFOLD.sub("", bare) and re.search(r"哪|几|多少|有", bare):
        if "年" in question:
            return Intent("corpus", corpus_topic="years")
        if re.search(r"几|多少", question):
            return Intent("corpus", corpus_topic="count")
        return Intent("corpus", corpus_topic="towns")
    limit = _THRESHOLD.search(question)
    if limit and n_towns != 1 and not _RANK.search(question):
        word = limit.group("word") or limit.group("word2")
        value = float(limit.group("value") or limit.group("value2"))
        return Intent("each", threshold=(word, value, limit.group("unit") or limit.group("unit2") or ""))
    without_how_many = question.replace("多少", "")
    if _RANK.search(question) or (n_towns != 1 and _WHICH_MORE.search(without_how_many)):
        top = _TOP_N.search(question)
        top_n = None
        if top:
            top_n = int(top.group(1)) if top.group(1).isdigit() else parse_chinese_numeral(top.group(1))
        order = "min" if _MIN.search(without_how_many) else "max"
        return Intent("rank", order=order, top_n=top_n)
    if _TOTAL.search(question) and n_towns != 1:
        return Intent("total")

    if _QUANTITY.search(question) or (_TOTAL.search(question) and n_towns == 1):
        if n_towns == 1:
            return Intent("single")
        return Intent("each")
    if _EACH.search(question) and re.search(r"数|多少|几", question):
        return Intent("each")
    evaluative = re.search(r"最|更|好|差|强|弱|优秀|突出", question)
    if (
        _PRESENCE.search(question)
        and re.search(r"乡镇|镇|街道|报告", question)
        and n_towns != 1
        and not evaluative
    ):
        return Intent("presence")
    return None


# --- shared helpers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cited:
    """A figure with its report and the paragraph its quote sits in."""

    figure: Figure
    parsed: ParsedReport
    paragraph: Paragraph

    @property
    def passage(self) -> Passage:
        return Passage(self.parsed.report, self.paragraph, 1.0)

    @property
    def stated(self) -> str:
        quantity = stated_quantity(self.figure)
        return quantity.display if quantity else self.figure.value_text

    def row(self, prefix: str = "") -> str:
        quote = _display(self.figure.quote)
        return f"{prefix}{_town_year(self.parsed.report)}{self.stated} —— “{quote}”{self.passage.citation}"


def _display(quote: str) -> str:
    """A quote as an answer line shows it: line breaks left by file conversion removed."""
    return re.sub(r"\s*\n\s*", "", quote)


def _town_year(report: Report) -> str:
    return f"{report.township}（{report.year}年）" if report.year else f"{report.township}（年份不详）"


def _paragraph_of(parsed: ParsedReport, figure: Figure) -> Paragraph | None:
    return next((p for p in parsed.paragraphs if p.start <= figure.start and figure.end <= p.end), None)


def _cite(figures: Sequence[Figure], by_id: dict[str, ParsedReport]) -> list[_Cited]:
    cited = []
    for figure in figures:
        parsed = by_id.get(figure.report_id)
        paragraph = _paragraph_of(parsed, figure) if parsed else None
        if parsed is not None and paragraph is not None:
            cited.append(_Cited(figure, parsed, paragraph))
    return cited


def _passages(cited: Sequence[_Cited]) -> tuple[Passage, ...]:
    seen: dict[tuple[str, int], Passage] = {}
    for c in cited:
        seen.setdefault((c.parsed.report.report_id, c.paragraph.index), c.passage)
    return tuple(seen.values())


def _names(reports: Sequence[ParsedReport]) -> str:
    return "、".join(dict.fromkeys(p.report.township for p in reports))


def _years_note(reports: Sequence[Report]) -> str | None:
    """Say so when the compared reports cover different years, instead of mixing them silently."""
    years = sorted({r.year for r in reports if r.year})
    if len(years) < 2:
        return None
    parts = []
    for year in years:
        towns = "、".join(dict.fromkeys(r.township for r in reports if r.year == year))
        parts.append(f"{towns}为{year}年")
    return f"注意：这些报告的年份不同（{'；'.join(parts)}），不是同一年度的情况。"


def _approx_note(cited: Sequence[_Cited]) -> str | None:
    if any(c.figure.approximate for c in cited):
        return "带“余”“约”“不少于”等的数字是报告所述的约数，按所述数字比较。"
    return None


def _select_metric(
    question: str, vocabulary: Vocabulary, figures: Sequence[Figure]
) -> tuple[str, str, Metric | None, str] | None:
    """(metric name, label, Metric or None, the question's word for it); unknown metrics match raw wording."""
    chosen = vocabulary.for_question(question)
    if chosen is not None:
        metric, word = chosen
        return metric.name, metric.label, metric, word
    # A quantity the vocabulary does not know: the raw noun phrase sharing the longest run with the question.
    best: tuple[int, str] | None = None
    for figure in figures:
        if figure.known_metric:
            continue
        overlap = _longest_common_run(question, figure.raw_metric)
        # Two shared characters are often just "开展" or "建设"; ask for three, or the whole phrase.
        enough = overlap >= 3 or (overlap >= 2 and overlap == len(figure.raw_metric))
        if enough and (best is None or overlap > best[0]):
            best = (overlap, figure.metric)
    if best is None:
        return None
    return best[1], best[1], None, best[1]


def _longest_common_run(a: str, b: str) -> int:
    longest = 0
    for i in range(len(a)):
        for j in range(i + longest + 1, len(a) + 1):
            if a[i:j] in b:
                longest = j - i
            else:
                break
    return longest


# --- figure answers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Table:
    """Figures of one metric for the reports in scope, grouped per report in corpus order."""

    name: str
    label: str
    metric: Metric | None
    asked: str  # the question's word for the metric, highlighted in quotes
    rows: tuple[tuple[ParsedReport, tuple[_Cited, ...]], ...]  # reports that state it
    missing: tuple[ParsedReport, ...]  # reports that do not
    # Unclassified figures of missing reports whose wording names what was asked (see `expressions`).
    unclassified: tuple[_Cited, ...] = ()

    def missing_note(self, suffix: str = "") -> str:
        """Which reports do not state the figure; those with an unclassified wording of it are not
        called silent, since that wording may be the very figure."""
        hinted_ids = {c.figure.report_id for c in self.unclassified}
        silent = [p for p in self.missing if p.report.report_id not in hinted_ids]
        hinted = [p for p in self.missing if p.report.report_id in hinted_ids]
        note = f"{_names(silent)}的报告未给出该数字{suffix}。" if silent else ""
        if hinted:
            note += f"{_names(hinted)}的报告未直接给出该数字，但有相关表述（见“{_UNCLASSIFIED}”）{suffix}。"
        return note

    def expressions(
        self,
        nouns: Sequence[str],
        vocabulary: Vocabulary,
        figures: Sequence[Figure],
        by_id: dict[str, ParsedReport],
    ) -> list[_Cited]:
        """Figures of the reports lacking this metric whose own wording names the asked noun, in a
        unit the metric compares: unclassified ones ("排查化解矛盾纠纷隐患137件") and related
        metrics' ("化解突出矛盾纠纷40余件"). Either may be what was asked, so answers show them
        rather than call the report silent."""
        if not nouns:
            return []
        ids = {p.report.report_id for p in self.missing}
        related = {m.name for m in vocabulary.related(self.name)}
        chosen = [
            f
            for f in figures
            if f.report_id in ids
            and f.metric != self.name
            and (not f.known_metric or f.metric in related)
            and (self.metric is None or f.unit in self.metric.units)
            and any(noun in f.raw_metric for noun in nouns)
        ]
        return _cite(chosen, by_id)

    def same_unit(
        self, question: str, figures: Sequence[Figure], by_id: dict[str, ParsedReport]
    ) -> list[_Cited]:
        """Unclassified figures of the reports lacking this metric, in a unit it compares, closest
        wording to the question first (at most five): the last place an unfamiliar wording of the
        figure can hide ("普法手册1500册" for 宣传资料)."""
        if self.metric is None:
            return []
        ids = {p.report.report_id for p in self.missing}
        chosen = [
            f for f in figures if f.report_id in ids and not f.known_metric and f.unit in self.metric.units
        ]
        chosen.sort(key=lambda f: -_longest_common_run(question, f.raw_metric))
        return _cite(chosen[:_MAX_SAME_UNIT], by_id)

    def related(
        self,
        vocabulary: Vocabulary,
        figures: Sequence[Figure],
        by_id: dict[str, ParsedReport],
        reports: Sequence[ParsedReport],
    ) -> list[tuple[str, _Cited]]:
        """Figures of related metrics in `reports`, labelled with the related metric's label."""
        if self.metric is None:
            return []
        ids = {p.report.report_id for p in reports}
        result = []
        for related in vocabulary.related(self.name):
            chosen = [f for f in figures if f.metric == related.name and f.report_id in ids]
            result.extend((related.label, c) for c in _cite(chosen, by_id))
        order = {p.report.report_id: i for i, p in enumerate(reports)}
        return sorted(result, key=lambda item: order[item[1].figure.report_id])

    def same_word(
        self,
        vocabulary: Vocabulary,
        figures: Sequence[Figure],
        by_id: dict[str, ParsedReport],
        reports: Sequence[ParsedReport],
    ) -> list[tuple[str, _Cited]]:
        """Related metrics that the question's own word also names, in every report: a question
        about 学法 gets 机关干部学法 beside 领导干部学法, labelled as a different metric."""
        if self.metric is None or len(self.asked) < 2:
            return []
        named = [m for m in vocabulary.related(self.name) if self.asked in m.name or self.asked in m.label]
        ids = {p.report.report_id for p in reports}
        result = []
        for related in named:
            chosen = [f for f in figures if f.metric == related.name and f.report_id in ids]
            result.extend((related.label, c) for c in _cite(chosen, by_id))
        order = {p.report.report_id: i for i, p in enumerate(reports)}
        return sorted(result, key=lambda item: order[item[1].figure.report_id])


def _table(
    name: str,
    label: str,
    metric: Metric | None,
    asked: str,
    reports: Sequence[ParsedReport],
    figures: Sequence[Figure],
    by_id: dict[str, ParsedReport],
) -> _Table:
    rows = []
    missing = []
    for parsed in reports:
        own = [f for f in figures if f.metric == name and f.report_id == parsed.report.report_id]
        cited = _cite(own, by_id)
        if cited:
            rows.append((parsed, tuple(cited)))
        else:
            missing.append(parsed)
    return _Table(name, label, metric, asked, tuple(rows), tuple(missing))


_UNCLASSIFIED = "报告中未归类的相关表述"
_MAX_SAME_UNIT = 5


def _key_nouns(question: str, metric: Metric | None, asked: str) -> tuple[str, ...]:
    """What a figure question is about: the metric's head nouns that the question names
    ("矛盾纠纷", "纠纷"), else every word of the metric that the question uses ("持证执法人员",
    "执法人员": a report's "行政执法人员9名，全部取得执法资格证" names the latter)."""
    if metric is None:
        return (asked,) if len(asked) >= 2 else ()
    named = tuple(head for head in metric.heads if head in question)
    if named:
        return named
    words = [w for w in metric.question_words if len(w) >= 2 and w in question]
    return tuple(dict.fromkeys([asked, *words] if len(asked) >= 2 else words))


def _source_passage(
    question: str, parsed: ParsedReport, nouns: Sequence[str], towns: Sequence[str], search: EvidenceSearch
) -> Passage | None:
    """The report's best paragraph for the question, if it names the asked noun: where an official
    checks a figure the answer could not give."""
    if not nouns:
        return None
    query = question
    for town in towns:
        query = query.replace(town, "")
    hit = search.best_in_report(query, parsed.report.report_id)
    if hit is None or not any(noun in hit[0].text for noun in nouns):
        return None
    return Passage(parsed.report, hit[0], hit[1])


def _unclassified_lines(table: _Table, header: str) -> list[str]:
    if not table.unclassified:
        return []
    return [header] + [f"- “{c.figure.raw_metric}”：{c.row()}" for c in table.unclassified]


def _best(cited: Sequence[_Cited], order: str) -> _Cited:
    return (max if order == "max" else min)(cited, key=lambda c: c.figure.value)


def _multi_note(parsed: ParsedReport, cited: Sequence[_Cited], order: str) -> str:
    values = "、".join(c.stated for c in cited)
    side = "最大" if order == "max" else "最小"
    return f"（{parsed.report.township}分项给出{values}，未给出合计，按{side}一项排序）"


def _related_lines(related: list[tuple[str, _Cited]], header: str) -> list[str]:
    if not related:
        return []
    return [header] + [f"- {label}：{c.row()}" for label, c in related]


def _figures_answer(
    question: str,
    status: str,
    lines: list[str],
    cited: Sequence[_Cited],
    notes: Sequence[str],
    terms: Sequence[str],
    sources: Sequence[Passage] = (),
) -> Answer:
    quotes = " ".join([*(c.figure.quote for c in cited), *(p.paragraph.text for p in sources)])
    terms = [*terms, *(c.figure.raw_metric for c in cited), *(c.stated for c in cited)]
    passages = {(p.report.report_id, p.paragraph.index): p for p in sources}
    for passage in _passages(cited):
        passages.setdefault((passage.report.report_id, passage.paragraph.index), passage)
    return Answer(
        question=question,
        status=status,  # type: ignore[arg-type]
        answer="\n".join(line for line in lines if line),
        passages=tuple(passages.values()),
        figures=tuple((c.figure, c.parsed.report) for c in cited),
        kind="figures",
        notes=tuple(notes),
        terms=tuple(t for t in dict.fromkeys(terms) if t and t in quotes),
    )


def _no_rows_answer(question: str, table: _Table, related: list[tuple[str, _Cited]]) -> Answer:
    """No township states the figure: say so, with unclassified wordings and related figures to check."""
    unclassified = list(table.unclassified)
    missing_note = table.missing_note()
    absent = "各镇报告均未直接给出" if unclassified else "各镇报告均未给出"
    lines = [f"{absent}{table.label}的数字。"]
    lines += _unclassified_lines(table, f"{_UNCLASSIFIED}（请对照原文核对）：")
    lines += _related_lines(related, "相关数字（不同指标，不能代替）：")
    return _figures_answer(
        question,
        "answered" if unclassified else "not_found",
        lines,
        unclassified + [c for _, c in related],
        [missing_note] if missing_note else [],
        [table.label, table.asked],
    )


def _rank_answer(question: str, intent: Intent, table: _Table, related: list[tuple[str, _Cited]]) -> Answer:
    label = table.label
    missing_note = table.missing_note()
    if not table.rows:
        return _no_rows_answer(question, table, related)
    ranked = sorted(
        ((parsed, _best(cited, intent.order), cited) for parsed, cited in table.rows),
        key=lambda row: row[1].figure.value,
        reverse=intent.order == "max",
    )
    ranks = []
    for i, (_, best, _) in enumerate(ranked):
        tied = i > 0 and best.figure.value == ranked[i - 1][1].figure.value
        ranks.append(ranks[-1] if tied else i + 1)
    shown = [
        (rank, row)
        for rank, row in zip(ranks, ranked, strict=True)
        if intent.top_n is None or rank <= intent.top_n
    ]
    winners = [row for rank, row in shown if rank == 1]
    word = "最多" if intent.order == "max" else "最少"
    if table.metric is not None and "%" in table.metric.units:
        word = "最高" if intent.order == "max" else "最低"
    winner_names = "、".join(parsed.report.township for parsed, _, _ in winners)
    tie = "并列" if len(winners) > 1 else ""
    lines = [f"{winner_names}{label}{tie}{word}：{winners[0][1].stated}。"]
    if len(ranked) == 1:
        lines.append(f"（只有{ranked[0][0].report.township}的报告给出该数字，无从比较。）")
    lines.append(_years_note([parsed.report for parsed, _, _ in ranked]) or "")
    lines.append("排名：")
    cited: list[_Cited] = []
    for rank, (parsed, best, all_cited) in shown:
        lines.append(best.row(f"{rank}. "))
        if len(all_cited) > 1:
            lines.append(f"   {_multi_note(parsed, all_cited, intent.order)}")
            lines.extend(f"   - {c.row()}" for c in all_cited if c is not best)
        cited.extend([best, *(c for c in all_cited if c is not best)])
    if len(shown) < len(ranked):
        lines.append(f"（只列出前{intent.top_n}名。）")
    lines.append(missing_note)
    lines += _unclassified_lines(table, f"{_UNCLASSIFIED}（请对照原文核对，未参与排序）：")
    lines += _related_lines(related, "相关数字（不同指标，未参与排序）：")
    lines.append(_approx_note(cited) or "")
    notes = [missing_note] if missing_note else []
    return _figures_answer(
        question,
        "answered",
        lines,
        cited + list(table.unclassified) + [c for _, c in related],
        notes,
        [label, table.asked],
    )


def _passes(value: float, word: str, limit: float) -> bool:
    compare = _AT_LEAST.get(word, "<=" if word == "以下" else "<")
    return {">": value > limit, ">=": value >= limit, "<": value < limit, "<=": value <= limit}[compare]


def _threshold_line(table: _Table, threshold: tuple[str, float, str]) -> str:
    word, limit, unit = threshold
    asked = (
        f"{word}{format_value(limit)}{unit}"
        if word != "以上" and word != "以下"
        else f"{format_value(limit)}{unit}{word}"
    )
    passing = [
        (parsed, [c for c in cited if _passes(c.figure.value, word, limit)]) for parsed, cited in table.rows
    ]
    passing = [(parsed, cited) for parsed, cited in passing if cited]
    if not passing:
        return f"没有乡镇的报告所给{table.label}的数字{asked}。"
    listed = "、".join(
        f"{parsed.report.township}（{'、'.join(c.stated for c in cited)}）" for parsed, cited in passing
    )
    return f"{table.label}{asked}的乡镇：{listed}。"


def _each_answer(
    question: str,
    table: _Table,
    related: list[tuple[str, _Cited]],
    threshold: tuple[str, float, str] | None = None,
) -> Answer:
    label = table.label
    missing_note = table.missing_note()
    if not table.rows:
        return _no_rows_answer(question, table, related)
    lines = [f"各镇{label}的数字（按报告原文）："]
    if threshold is not None:
        lines.insert(0, _threshold_line(table, threshold))
    cited: list[_Cited] = []
    for parsed, all_cited in table.rows:
        if len(all_cited) > 1:
            lines.append(f"- {parsed.report.township}分项给出，未给出合计：")
            lines.extend(f"  - {c.row()}" for c in all_cited)
        else:
            lines.append(all_cited[0].row("- "))
        cited.extend(all_cited)
    lines.append(_years_note([parsed.report for parsed, _ in table.rows]) or "")
    lines.append(missing_note)
    lines += _unclassified_lines(table, f"{_UNCLASSIFIED}（请对照原文核对）：")
    lines += _related_lines(related, "相关数字（不同指标，不能代替）：")
    lines.append(_approx_note(cited) or "")
    return _figures_answer(
        question,
        "answered",
        lines,
        cited + list(table.unclassified) + [c for _, c in related],
        [missing_note] if missing_note else [],
        [label, table.asked],
    )


def _total_answer(question: str, table: _Table, related: list[tuple[str, _Cited]]) -> Answer:
    label = table.label
    single = [(parsed, cited[0]) for parsed, cited in table.rows if len(cited) == 1]
    itemised = [parsed for parsed, cited in table.rows if len(cited) > 1]
    if not single:
        return _each_answer(question, table, related)
    total = sum(c.figure.value for _, c in single)
    units = list(dict.fromkeys(c.figure.unit for _, c in single))
    approximate = [c for _, c in single if c.figure.approximate]
    around = any(re.search(r"约|近|左右|上下", c.stated) for c in approximate)
    bound = "约" if around else ("至少" if approximate else "")
    towns = "、".join(parsed.report.township for parsed, _ in single)
    unit = units[0] if len(units) == 1 or table.metric is None else table.metric.units[0]
    lines = [f"{towns}的报告合计{label}{bound}{format_value(total)}{unit}。"]
    if len(units) > 1:
        lines.append(f"（{'、'.join(units)}按同一口径相加。）")
    if approximate:
        parts = "、".join(
            f"{parsed.report.township}“{c.stated}”" for parsed, c in single if c.figure.approximate
        )
        lines.append(f"其中{parts}为约数，按所述数字相加。")
    lines.append(_years_note([parsed.report for parsed, _ in single]) or "")
    lines.append("明细：")
    cited = [c for _, c in single]
    lines.extend(c.row("- ") for c in cited)
    for parsed, all_cited in table.rows:
        if parsed in itemised:
            lines.append(f"{parsed.report.township}分项给出、未给出合计，未计入：")
            lines.extend(f"  - {c.row()}" for c in all_cited)
            cited.extend(all_cited)
    notes = []
    if table.missing:
        notes.append(table.missing_note("，未计入合计"))
        lines.append(notes[-1])
    lines += _unclassified_lines(table, f"{_UNCLASSIFIED}（请对照原文核对，未计入）：")
    lines += _related_lines(related, "相关数字（不同指标，未计入）：")
    return _figures_answer(
        question,
        "answered",
        lines,
        cited + list(table.unclassified) + [c for _, c in related],
        notes,
        [label, table.asked],
    )


def _single_answer(
    question: str,
    table: _Table,
    related: list[tuple[str, _Cited]],
    expressions: Sequence[_Cited] = (),
    sources: Sequence[Passage] = (),
    nouns: Sequence[str] = (),
    same_unit: Sequence[_Cited] = (),
) -> Answer:
    """One town's figure; when its report does not state it under this metric, the report's own
    wordings of the asked noun (`expressions`) and its best paragraph (`sources`) come first, so
    that absence is claimed only when nothing in the report names the thing asked. Failing those,
    unclassified figures in a comparable unit (`same_unit`) are listed for checking and the
    answer says it found no clear figure rather than that the report gives none."""
    label = table.label
    if not table.rows:
        town = _names(table.missing)
        others = [(name, c) for name, c in related if all(c.figure is not e.figure for e in expressions)]
        if expressions:
            lines = [f"{town}的报告没有直接给出{label}的数字；报告中的相关表述如下，请对照原文核对："]
            lines += [f"- “{c.figure.raw_metric}”：{c.row()}" for c in expressions]
            note = f"{town}的报告没有直接给出{label}的数字，已列出报告中的相关表述。"
            status = "answered"
        elif same_unit:
            lines = [
                f"没有在{town}的报告中找到明确的{label}数字；以下数字单位相同、尚未归类，请对照原文核对是否即所问："
            ]
            lines += [f"- “{c.figure.raw_metric}”：{c.row()}" for c in same_unit]
            note = f"没有在{town}的报告中找到明确的{label}数字。"
            status = "not_found"
            expressions = same_unit
        else:
            lines = [f"{town}的报告未给出{label}的数字。"]
            note = f"{town}的报告未给出{label}的数字。"
            status = "not_found"
        lines += _related_lines(others, f"{town}报告中的相关数字（不同指标，不能代替）：")
        quoted = {(c.figure.report_id, c.paragraph.index) for c in [*expressions, *(c for _, c in others)]}
        lines += [
            f"相关段落：{p.citation}"
            for p in sources
            if (p.report.report_id, p.paragraph.index) not in quoted
        ]
        lines.append(f"如需比较其他乡镇，可以问“各镇{label}分别是多少”。")
        return _figures_answer(
            question,
            status,
            lines,
            [*expressions, *(c for _, c in others)],
            [note],
            [label, table.asked, *nouns],
            sources,
        )
    lines = []
    cited: list[_Cited] = []
    for parsed, all_cited in table.rows:
        town = parsed.report.township
        if len(all_cited) == 1:
            lines.append(f"{town}{label}{all_cited[0].stated}。")
        else:
            values = "、".join(c.stated for c in all_cited)
            lines.append(f"{town}的报告分项给出{label}：{values}（未给出合计）。")
        lines.extend(c.row("- ") for c in all_cited)
        cited.extend(all_cited)
    lines += _related_lines(related, "同一报告中的相关数字（不同指标）：")
    lines.append(_approx_note(cited) or "")
    return _figures_answer(
        question, "answered", lines, cited + [c for _, c in related], [], [label, table.asked]
    )


# --- presence answers -------------------------------------------------------------------------

# Question words around the thing asked about: "哪些镇的报告里提到了…吗".
_PRESENCE_FRAME = re.compile(
    r"^(?:请问)?(?:有)?(?:哪些|哪几个|哪几|哪个|有没有|是否有)(?:乡镇|镇|街道)?(?:的报告)?(?:中|里|里面)?"
    r"(?:提到|提及|写到|说到|谈到|涉及|有)?了?(?P<phrase>.+?)(?:的内容|的情况|的做法)?(?:吗|呢)?[？?。！!]*$"
)
# Words a presence question may carry that the reports need not repeat: "哪些镇建立了综治中心"
# asks whether 综治中心 is there, however the report words its setting up.
_WEAK_TERMS = frozenset(
    "建立 建设 开展 组织 实施 推进 落实 进行 做好 成立 设立 活动 工作 情况 方面 内容 相关 做法 "
    "哪几 几个 哪几个 乡镇 街道 提及 写到 说到 谈到 涉及 什么".split()
)
_WEAK_EDGES = re.compile(
    r"^(?:建立|建设|开展|组织|实施|推进|落实|进行|成立|设立)了?|(?:活动|工作|情况|制度建设)$"
)
_QUOTE_MARKS = re.compile(r"[“”‘’\"'「」『』\s]")


@lru_cache(maxsize=1)
def _own_tokenizer() -> Tokenizer:
    from bot.lang.tokenizer import Tokenizer

    return Tokenizer()


def presence_terms(
    question: str, towns: Sequence[str] = (), texts: Sequence[str] = (), tokenizer: Tokenizer | None = None
) -> list[str]:
    """The words a "哪些镇…" question asks about.

    The asked-about phrase itself when some report contains it ("民法典宣传月", "枫桥经验",
    quote marks ignored); otherwise its words, longest forms only ("聘请了法律顾问" → 聘请, 法律顾问).
    `texts` are the reports' texts, used to see whether the whole phrase occurs. `tokenizer` is
    the caller's (its jieba dictionary is already loaded); by default one is loaded on first use.
    """
    text = question.strip()
    for town in towns:
        text = text.replace(town, "")
    framed = _PRESENCE_FRAME.match(text)
    phrase = framed.group("phrase") if framed else text
    phrase = _WEAK_EDGES.sub("", _QUOTE_MARKS.sub("", phrase))
    normalised = [_QUOTE_MARKS.sub("", t) for t in texts]
    if len(phrase) >= 2 and any(phrase in t for t in normalised):
        return [phrase]
    words = [w for w in (tokenizer or _own_tokenizer()).terms(phrase) if w not in _WEAK_TERMS]
    words = [w for w in dict.fromkeys(words) if not any(w != o and w in o for o in words)]
    long_words = [w for w in words if len(w) > 1]
    return long_words or words


def _contains(text: str, term: str, vocabulary: Vocabulary) -> bool:
    return any(_QUOTE_MARKS.sub("", s) in text for s in vocabulary.synonyms_of(term))


@dataclass(frozen=True)
class _Evidence:
    parsed: ParsedReport
    paragraph: Paragraph
    quote: str
    score: float


def _evidence(
    parsed: ParsedReport, terms: list[str], query: str, search: EvidenceSearch, vocabulary: Vocabulary
) -> tuple[_Evidence | None, list[str]]:
    """The paragraph of one report that holds all terms, and the terms found anywhere in the report
    (to say what a report mentions when it falls short).

    The lexical check decides whether a report has evidence; retrieval only chooses among several
    paragraphs that pass it. It is asked only then, because each call costs a query encoding
    (~0.1-0.2 s with the bundled encoder) and a single candidate needs no choosing.
    """

    def term_count(text: str) -> int:
        text = _QUOTE_MARKS.sub("", text)
        return sum(_contains(text, t, vocabulary) for t in terms)

    candidates = [p for p in parsed.paragraphs if term_count(p.text) == len(terms)]
    whole = _QUOTE_MARKS.sub("", parsed.text)
    found = [t for t in terms if _contains(whole, t, vocabulary)]
    if not candidates:
        return None, found
    # The question's own words beat synonyms ("矛盾纠纷" over a bare "矛盾").
    exact = {p.index: sum(t in _QUOTE_MARKS.sub("", p.text) for t in terms) for p in candidates}
    candidates = [p for p in candidates if exact[p.index] == max(exact.values())]
    chosen, score = candidates[0], 0.0
    if len(candidates) > 1:
        hit = search.best_in_report(query, parsed.report.report_id)
        if hit is not None and any(hit[0].index == p.index for p in candidates):
            chosen, score = hit
        else:
            # No usable ranking: prefer a paragraph with all terms in one sentence.
            chosen = max(
                candidates,
                key=lambda p: max((term_count(p.text[a:b]) for a, b in sentence_spans(p.text)), default=0),
            )
    sentences = [chosen.text[a:b] for a, b in sentence_spans(chosen.text)]
    best = max(sentences, key=term_count, default=chosen.text.strip())
    return _Evidence(parsed, chosen, best, score), found


def _presence_answer(
    question: str,
    reports: Sequence[ParsedReport],
    towns: Sequence[str],
    search: EvidenceSearch,
    vocabulary: Vocabulary,
    tokenizer: Tokenizer | None,
) -> Answer | None:
    terms = presence_terms(question, towns, [p.text for p in reports], tokenizer)
    if not terms:
        return None
    query = question
    for town in towns:
        query = query.replace(town, "")
    shown_terms = "”“".join(terms)
    with_evidence: list[_Evidence] = []
    without: list[str] = []
    for parsed in reports:
        evidence, found = _evidence(parsed, terms, query, search, vocabulary)
        if evidence is not None:
            with_evidence.append(evidence)
            continue
        partly = "、".join(f"“{t}”" for t in found)
        missing = "、".join(f"“{t}”" for t in terms if t not in found)
        town = parsed.report.township
        without.append(f"{town}（报告提到{partly}，但未见{missing}）" if found else town)
    notes = []
    if not with_evidence:
        lines = [f"各镇报告中都没有找到同时提到“{shown_terms}”的段落。"]
        if without:
            lines.append(f"已查：{'、'.join(without)}。")
        return Answer(
            question=question,
            status="not_found",
            answer="\n".join(lines),
            kind="presence",
            notes=(lines[0],),
            terms=tuple(terms),
        )
    names = "、".join(e.parsed.report.township for e in with_evidence)
    lines = [f"报告中提到“{shown_terms}”的乡镇：{names}。"]
    for e in with_evidence:
        passage = Passage(e.parsed.report, e.paragraph, e.score)
        lines.append(f"- {_town_year(e.parsed.report)}：“{_display(e.quote)}”{passage.citation}")
    if without:
        notes.append(f"未提到的乡镇：{'、'.join(without)}。")
        lines.append(notes[-1])
    lines.append(_years_note([e.parsed.report for e in with_evidence]) or "")
    passages = tuple(Passage(e.parsed.report, e.paragraph, e.score) for e in with_evidence)
    matched = [
        s
        for t in terms
        for s in vocabulary.synonyms_of(t)
        if any(s in e.paragraph.text for e in with_evidence)
    ]
    return Answer(
        question=question,
        status="answered",
        answer="\n".join(line for line in lines if line),
        passages=passages,
        kind="presence",
        notes=tuple(notes),
        terms=tuple(dict.fromkeys(matched)),
    )


# --- corpus answers ---------------------------------------------------------------------------


def _corpus_answer(question: str, intent: Intent, reports: Sequence[ParsedReport]) -> Answer:
    if not reports:
        return Answer(question=question, status="not_found", answer="语料库中没有报告。", kind="corpus")
    listed = "、".join(f"{_town_year(p.report)}{p.report.cited_title}" for p in reports)
    if intent.corpus_topic == "years":
        years = sorted({p.report.year for p in reports if p.report.year})
        parts = []
        for year in years:
            towns = "、".join(p.report.township for p in reports if p.report.year == year)
            parts.append(f"{year}年（{towns}）")
        unknown = [p.report.township for p in reports if not p.report.year]
        if unknown:
            parts.append(f"年份不详（{'、'.join(unknown)}）")
        text = f"语料库中报告的年份：{'；'.join(parts)}。"
    elif intent.corpus_topic == "count":
        text = f"语料库中共有{len(reports)}份报告：{listed}。"
    else:
        text = f"语料库中有以下乡镇的报告：{listed}。"
    return Answer(question=question, status="answered", answer=text, kind="corpus")


# --- entry point ------------------------------------------------------------------------------


def answer_figures(
    question: str,
    *,
    reports: Sequence[ParsedReport],
    figures: Sequence[Figure],
    towns: Sequence[str] = (),
    year: int | None = None,
    search: EvidenceSearch,
    vocabulary: Vocabulary | None = None,
    tokenizer: Tokenizer | None = None,
) -> Answer | None:
    """Answer a cross-report question from the figures table, or None if it is not one.

    `reports`/`figures` are the whole corpus or already scoped; `towns`/`year` are the filters the
    caller resolved (from --town/--year or a township named in the question). `vocabulary`
    defaults to bot/data/metrics.json; pass the engine's `tokenizer` to avoid loading jieba twice.
    """
    vocabulary = vocabulary or load_vocabulary()
    question = question.strip()
    scoped = [
        p
        for p in reports
        if (not towns or p.report.township in towns) and (year is None or p.report.year == year)
    ]
    n_towns = len({p.report.township for p in scoped}) if towns else 0
    intent = classify(question, n_towns, [p.report.township for p in reports])
    if intent is None:
        return None
    if intent.kind == "corpus":
        return _corpus_answer(question, intent, scoped)
    if intent.kind == "presence":
        return _presence_answer(question, scoped, towns, search, vocabulary, tokenizer)
    by_id = {p.report.report_id: p for p in scoped}
    in_scope = [f for f in figures if f.report_id in by_id]
    selected = _select_metric(question, vocabulary, in_scope)
    if selected is None:
        return None
    name, label, metric, asked = selected
    table = _table(name, label, metric, asked, scoped, in_scope, by_id)
    nouns = _key_nouns(question, metric, asked)
    expressions = table.expressions(nouns, vocabulary, in_scope, by_id)
    table = dataclasses.replace(
        table, unclassified=tuple(c for c in expressions if not c.figure.known_metric)
    )
    related = table.related(vocabulary, in_scope, by_id, list(table.missing))
    for item in table.same_word(vocabulary, in_scope, by_id, scoped):
        if all(item[1].figure is not c.figure for _, c in related):
            related.append(item)
    if intent.kind == "single":
        sources = (
            [] if table.rows else [_source_passage(question, p, nouns, towns, search) for p in table.missing]
        )
        same_unit = [] if table.rows or expressions else table.same_unit(question, in_scope, by_id)
        return _single_answer(
            question, table, related, expressions, [s for s in sources if s is not None], nouns, same_unit
        )
    if intent.kind == "rank":
        return _rank_answer(question, intent, table, related)
    if intent.kind == "total":
        return _total_answer(question, table, related)
    return _each_answer(question, table, related, intent.threshold)
