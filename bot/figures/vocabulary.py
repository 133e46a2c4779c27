"""The metric vocabulary (bot/data/metrics.json): which noun phrase a number counts, and which
question asks for it. Data, not code, so that a new metric is one JSON entry."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.data import data_text
from bot.errors import ZhenbaoError


@dataclass(frozen=True)
class MetricPattern:
    """A wording of a metric; `requires` (if set) must also occur somewhere in the sentence."""

    pattern: re.Pattern[str]
    requires: re.Pattern[str] | None = None


@dataclass(frozen=True)
class MetricPhrase:
    """A head noun next to the number, with one of the verbs elsewhere in the clause.

    Reports put anything between the verb and the noun ("排查化解邻里矛盾纠纷137件", "成功调解婚姻家庭、
    邻里纠纷等各类矛盾纠纷96起") and the number on either side of the noun ("化解137件矛盾纠纷"), so a
    phrase asks only that the head sit next to the number and a verb come before it (or between it
    and the number: "矛盾纠纷调处137件"). `excluded` modifiers between verb and head make the figure
    another metric ("化解突出矛盾纠纷" is a subset, not all disputes resolved).
    """

    heads: tuple[str, ...]  # longest first
    verbs: re.Pattern[str] | None
    excluded: re.Pattern[str] | None = None
    requires: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Metric:
    name: str  # canonical, e.g. "矛盾纠纷化解"
    label: str  # how an answer words it after a township, e.g. "化解矛盾纠纷"
    units: tuple[str, ...]  # units that compare directly; figures in other units never get this metric
    patterns: tuple[MetricPattern, ...]
    related: tuple[str, ...]  # shown beside this metric, never ranked with it
    question_words: tuple[str, ...]
    phrases: tuple[MetricPhrase, ...] = ()
    # The broader metric this one's figure takes the place of in a report that states none of that
    # one ("化解突出矛盾纠纷40余件" for 矛盾纠纷化解), said so in the answer; "" when it never does.
    stands_in_for: str = ""

    @property
    def heads(self) -> tuple[str, ...]:
        """The nouns this metric counts (from its phrases), longest first: "矛盾纠纷", "纠纷", "矛盾"."""
        heads = dict.fromkeys(h for phrase in self.phrases for h in phrase.heads)
        return tuple(sorted(heads, key=len, reverse=True))


@dataclass(frozen=True)
class MetricMatch:
    """Where a metric's wording sits relative to a quantity in the same clause."""

    metric: Metric
    start: int
    end: int
    distance: int  # characters between the wording and the number; 0 when adjacent


@dataclass(frozen=True)
class Vocabulary:
    metrics: tuple[Metric, ...]
    synonyms: tuple[tuple[str, ...], ...]

    def get(self, name: str) -> Metric | None:
        return next((m for m in self.metrics if m.name == name), None)

    def related(self, name: str) -> tuple[Metric, ...]:
        metric = self.get(name)
        if metric is None:
            return ()
        return tuple(m for m in (self.get(n) for n in metric.related) if m is not None)

    def stand_ins(self, name: str) -> tuple[Metric, ...]:
        """The narrower metrics whose figure stands in for `name` in a report that states none of it."""
        return tuple(m for m in self.metrics if m.stands_in_for == name)

    def match(
        self, window: str, number_start: int, number_end: int, unit: str, sentence: str
    ) -> MetricMatch | None:
        """The metric whose wording is nearest the number in `window` and whose units include `unit`.

        `window` is the number's clause; `number_start`/`number_end` its span there; `sentence` is
        searched for a pattern's `requires`. Whitespace is ignored ("矛盾 纠纷 64 件" from PDF text).
        Ties go to the longer wording, then to file order.
        """
        text, positions = _compact(window)
        sentence = _compact(sentence)[0]
        start = len(_compact(window[:number_start])[0])
        end = start + len(_compact(window[number_start:number_end])[0])
        best: tuple[int, int, int] | None = None
        found: tuple[Metric, int, int, int] | None = None
        for order, metric in enumerate(self.metrics):
            if unit not in metric.units:
                continue
            spans: list[tuple[int, int, int]] = []
            for wording in metric.patterns:
                if wording.requires is not None and not wording.requires.search(sentence):
                    continue
                for m in wording.pattern.finditer(text):
                    distance = _distance(m.start(), m.end(), start, end)
                    if distance is not None:
                        spans.append((m.start(), m.end(), distance))
            for phrase in metric.phrases:
                if phrase.requires is None or phrase.requires.search(sentence):
                    spans.extend(_phrase_spans(phrase, text, start, end))
            for span_start, span_end, distance in spans:
                key = (distance, -(span_end - span_start), order)
                if best is None or key < best:
                    best, found = key, (metric, span_start, span_end, distance)
        if found is None:
            return None
        metric, span_start, span_end, distance = found
        return MetricMatch(metric, positions[span_start], positions[span_end - 1] + 1, distance)

    def for_question(self, question: str) -> tuple[Metric, str] | None:
        """The metric a question asks about and the question word that chose it.

        The metric whose question words cover most characters of the question wins ("普法受众" is
        受众, not 普法); a four-character word also counts, at half weight, when its two halves
        appear apart ("审查了多少份文件" has 审查文件). A unit alone chooses none: "解答了多少人次的
        法律问题" asks for consultations, not for 普法受众 because it says 人次. Ties go to a metric
        whose unit the question names ("多少份"), then to file order.

        A question asking for a rate ("办理行政执法案件的准确率是多少") asks for a percentage: the
        words before the rate only say what it is the rate of, so only a rate metric may answer it,
        even when a count covers more of the question (None when no rate metric matches).
        """
        asks_rate = bool(_ASKS_RATE.search(question))
        best: tuple[int, int, int] | None = None
        chosen: tuple[Metric, str] | None = None
        for order, metric in enumerate(self.metrics):
            covered: set[int] = set()  # characters matched by a whole question word
            apart: set[int] = set()  # characters matched only as halves of one
            longest = ""
            for word in metric.question_words:
                if word in metric.units:
                    continue  # a bare unit ("多少人次") says what kind of quantity, not what is counted
                spans = [(m.start(), m.end()) for m in re.finditer(re.escape(word), question)]
                for start, end in spans:
                    covered.update(range(start, end))
                if not spans and len(word) == 4:
                    split = re.search(f"({re.escape(word[:2])}).{{1,6}}?({re.escape(word[2:])})", question)
                    if split:
                        spans = [split.span(1), split.span(2)]
                        apart.update(i for start, end in spans for i in range(start, end))
                if spans:
                    longest = max(longest, word, key=len)
            if not covered and not apart:
                continue
            names_unit = any(
                (len(unit) > 1 and unit in question)
                or re.search(f"(?:多少|几)[个]?{re.escape(unit)}", question)
                for unit in metric.units
            )
            if asks_rate and "%" not in metric.units:
                continue
            key = (-(2 * len(covered) + len(apart - covered)), -int(names_unit), order)
            if best is None or key < best:
                best, chosen = key, (metric, longest)
        return chosen

    def synonyms_of(self, term: str) -> tuple[str, ...]:
        """The term and every word the vocabulary treats as interchangeable with it."""
        for group in self.synonyms:
            if term in group:
                return (term, *(w for w in group if w != term))
        return (term,)


# A question naming a rate or share; "率先" (to take the lead) is not one.
_ASKS_RATE = re.compile(r"率(?!先)|比例|占比|比重|百分比|百分之几")


def _compact(text: str) -> tuple[str, list[int]]:
    """`text` without whitespace, and for each kept character its position in `text`."""
    positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(text[i] for i in positions), positions


def _distance(start: int, end: int, number_start: int, number_end: int) -> int | None:
    """Characters between a wording and the number, or None when the wording overlaps the number."""
    if end <= number_start:
        return number_start - end
    if start >= number_end:
        return start - number_end
    return None


# Words between a head noun (or its verb) and the number: "矛盾纠纷共计137件", "纠纷达到137件".
_FILLER = re.compile(r"(?:共计|总计|累计|合计|共|达到|达|为|计|了|有)*")
# What may stand between a number and the head noun after it: "化解137件邻里矛盾纠纷".
_AFTER_NUMBER = re.compile(r"[^\d，。；：,;:、（）()]{0,6}")


def _phrase_spans(phrase: MetricPhrase, text: str, number_start: int, number_end: int):
    """(start, end, distance) of each place where `phrase` names the number at `number_start`."""
    before = text[:number_start]
    gap_pattern = _gap_pattern(phrase.verbs.pattern if phrase.verbs else None)
    for head in phrase.heads:
        for m in re.finditer(re.escape(head), text):
            if m.end() <= number_start:
                gap = gap_pattern.fullmatch(text[m.end() : number_start])
                if gap is None:
                    continue
                verb_end = _last_verb_end(phrase, text[: m.start()])
                if phrase.verbs is not None and verb_end is None and gap.group("verb") is None:
                    continue
                modifiers = text[verb_end or 0 : m.start()] if verb_end is not None else ""
                distance = number_start - m.end()
            elif m.start() >= number_end:
                gap = text[number_end : m.start()]
                if not _AFTER_NUMBER.fullmatch(gap):
                    continue
                verb_end = _last_verb_end(phrase, before)
                if phrase.verbs is not None and verb_end is None:
                    continue
                modifiers = (before[verb_end:] if verb_end is not None else "") + gap
                distance = m.start() - number_end
            else:
                continue
            if phrase.excluded is not None and phrase.excluded.search(modifiers):
                continue
            yield m.start(), m.end(), distance


@lru_cache(maxsize=64)
def _gap_pattern(verbs: str | None) -> re.Pattern[str]:
    """What may stand between a head noun and the number after it: "矛盾纠纷共计137件",
    "矛盾纠纷调处137件", and, when the noun came from an earlier clause, "（矛盾纠纷）成功化解149件"."""
    verb = f"(?P<verb>{verbs})?" if verbs else "(?P<verb>(?!))?"
    return re.compile(rf"(?:成功|已经|已|共|累计)*{verb}(?:成功|完成)?{_FILLER.pattern}")


def _last_verb_end(phrase: MetricPhrase, text: str) -> int | None:
    if phrase.verbs is None:
        return None
    ends = [m.end() for m in phrase.verbs.finditer(text)]
    return ends[-1] if ends else None


class VocabularyError(ZhenbaoError):
    """metrics.json is malformed; the message names the entry to fix."""


def _compile(text: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as exc:
        raise VocabularyError(f"指标词表 {where} 的正则表达式有误（{exc}）：{text}") from exc


def _pattern(entry: Any, where: str) -> MetricPattern:
    if isinstance(entry, str):
        return MetricPattern(_compile(entry, where))
    if isinstance(entry, dict) and isinstance(entry.get("pattern"), str):
        requires = entry.get("requires")
        return MetricPattern(
            _compile(entry["pattern"], where),
            _compile(requires, where) if isinstance(requires, str) else None,
        )
    raise VocabularyError(f"指标词表 {where} 的 patterns 项应为字符串或 {{pattern, requires}}：{entry!r}")


def _phrase(entry: Any, where: str) -> MetricPhrase:
    heads = entry.get("heads") if isinstance(entry, dict) else None
    if not heads or not all(isinstance(h, str) and h for h in heads):
        raise VocabularyError(f"指标词表 {where} 的 phrases 项需要非空的 heads 列表：{entry!r}")

    def optional(key: str) -> re.Pattern[str] | None:
        value = entry.get(key)
        return _compile(value, where) if isinstance(value, str) else None

    return MetricPhrase(
        heads=tuple(sorted(heads, key=len, reverse=True)),
        verbs=optional("verbs"),
        excluded=optional("except"),
        requires=optional("requires"),
    )


def parse_vocabulary(data: dict[str, Any]) -> Vocabulary:
    """Build and check a Vocabulary from the JSON structure of metrics.json."""
    metrics = []
    for i, entry in enumerate(data.get("metrics", [])):
        where = f"metrics[{i}]"
        try:
            name = entry["name"]
            metric = Metric(
                name=name,
                label=entry.get("label", name),
                units=tuple(entry["units"]),
                patterns=tuple(_pattern(p, f"{where}（{name}）") for p in entry.get("patterns", ())),
                related=tuple(entry.get("related", ())),
                question_words=tuple(entry.get("question_words", ())),
                phrases=tuple(_phrase(p, f"{where}（{name}）") for p in entry.get("phrases", ())),
                stands_in_for=entry.get("stands_in_for", ""),
            )
        except (KeyError, TypeError) as exc:
            raise VocabularyError(
                f"指标词表 {where} 缺少字段或格式不对：{exc}。每项需要 name、units、patterns。"
            ) from exc
        if not metric.units or not (metric.patterns or metric.phrases):
            raise VocabularyError(
                f"指标词表 {where}（{name}）的 units 不能为空，patterns 和 phrases 不能都为空。"
            )
        metrics.append(metric)
    names = [m.name for m in metrics]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise VocabularyError(f"指标词表中有重名的指标：{'、'.join(duplicated)}。请合并或改名。")
    for metric in metrics:
        unknown = [n for n in metric.related if n not in names]
        if unknown:
            raise VocabularyError(f"指标“{metric.name}”的 related 中有未定义的指标：{'、'.join(unknown)}。")
        if metric.stands_in_for and metric.stands_in_for not in names:
            raise VocabularyError(
                f"指标“{metric.name}”的 stands_in_for 是未定义的指标：{metric.stands_in_for}。"
            )
    synonyms = tuple(tuple(group) for group in data.get("synonyms", ()))
    return Vocabulary(tuple(metrics), synonyms)


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """The vocabulary from `path`, or the bundled bot/data/metrics.json (read once)."""
    if path is None:
        return _bundled()
    return parse_vocabulary(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _bundled() -> Vocabulary:
    text = data_text("metrics.json")
    return parse_vocabulary(json.loads(text))
