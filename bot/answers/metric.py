"""Which metric a figure question asks about, and the nouns that name the thing asked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.figures.figure import Figure
from bot.figures.vocabulary import Metric, Vocabulary


@dataclass(frozen=True)
class MetricChoice:
    """The metric asked about: a vocabulary metric, or the raw wording of figures it does not know."""

    name: str  # the figures' `metric` to select
    label: str  # how answers name it
    metric: Metric | None  # None for a raw wording
    asked: str  # the question's word for it, highlighted in quotes


def select_metric(question: str, vocabulary: Vocabulary, figures: Sequence[Figure]) -> MetricChoice | None:
    """The vocabulary's metric for the question; a metric it does not know matches the raw wording."""
    chosen = vocabulary.for_question(question)
    if chosen is not None:
        metric, word = chosen
        return MetricChoice(metric.name, metric.label, metric, word)
    # A quantity the vocabulary does not know: the raw noun phrase sharing the longest run with the question.
    best: tuple[int, str] | None = None
    for figure in figures:
        if figure.known_metric:
            continue
        overlap = longest_common_run(question, figure.raw_metric)
        # Two shared characters are often just "开展" or "建设"; ask for three, or the whole phrase.
        enough = overlap >= 3 or (overlap >= 2 and overlap == len(figure.raw_metric))
        if enough and (best is None or overlap > best[0]):
            best = (overlap, figure.metric)
    if best is None:
        return None
    return MetricChoice(best[1], best[1], None, best[1])


def longest_common_run(a: str, b: str) -> int:
    """Length of the longest run of characters of `a` that also occurs in `b`."""
    longest = 0
    for i in range(len(a)):
        for j in range(i + longest + 1, len(a) + 1):
            if a[i:j] in b:
                longest = j - i
            else:
                break
    return longest


def key_nouns(question: str, choice: MetricChoice) -> tuple[str, ...]:
    """What a figure question is about: the metric's head nouns that the question names
    ("矛盾纠纷", "纠纷"), else every word of the metric that the question uses ("持证执法人员",
    "执法人员": a report's "行政执法人员9名，全部取得执法资格证" names the latter)."""
    metric, asked = choice.metric, choice.asked
    if metric is None:
        return (asked,) if len(asked) >= 2 else ()
    named = tuple(head for head in metric.heads if head in question)
    if named:
        return named
    words = [w for w in metric.question_words if len(w) >= 2 and w in question]
    return tuple(dict.fromkeys([asked, *words] if len(asked) >= 2 else words))
