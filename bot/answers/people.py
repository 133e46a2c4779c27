"""Quantities counted by what was done, when no figure's number counts the question's head noun.

People by what they did: "参加学法考试人数最多的是哪个乡镇" asks for people, but its last word (考试) is an
activity, and no number counts an exam: "组织街道121名干部职工参加…法治理论知识学习考试". Such a question is
matched to the figures of people whose clause names that activity, its other words weighted as in
`bot.answers.phrases`. A clause that only says the people did it names the activity in the clause before:
"全镇开展学法考试，我镇47公职人员全部通过".

Things by what was done to them: "报备了多少件？" names only the act and the unit; the number counts the
thing acted on ("向县司法局报备疑似规范性文件35件"), so its figure is one in that unit whose own phrase
names the act before the thing counted."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.answers.phrase_score import says
from bot.answers.phrases import MIN_SCORE, Asked, Matched, Weights, compact_text, unit_kind
from bot.figures.figure import Figure

_CLAUSE_MARKS = "，,；;：:"


def people_doing(asked: Asked, figures: Sequence[Figure], weights: Weights) -> Matched | None:
    """Per report, the people figures whose clause best names what the question says they did;
    None when the question does not ask for people or no such clause names its head noun."""
    if asked.kind != "people":
        return None
    found = []
    for figure in figures:
        if unit_kind(figure.unit) != "people":
            continue
        clause = compact_text(figure.clause or figure.quote)
        if asked.head not in clause:
            clause = compact_text(_with_clause_before(figure))
            if asked.head not in clause:
                continue
        found.append((figure, clause))
    return best_per_report(asked, found, weights, "people")


def things_done(asked: Asked, figures: Sequence[Figure], weights: Weights) -> Matched | None:
    """Per report, the figures in the unit the question names whose phrase names its head word as the
    act done to what the number counts ("报备疑似规范性文件" for "报备了多少件"); None when the question
    names no unit, asks for people or another kind, or no such phrase names the act."""
    if not asked.unit or asked.kind not in (None, "count"):
        return None
    found = []
    for figure in figures:
        phrase = compact_text(figure.raw_metric)
        at = phrase.find(asked.head)
        if figure.unit != asked.unit or at == -1 or at + len(asked.head) == len(phrase):
            continue  # another unit, no such act, or the head is the thing counted (phrases' case)
        found.append((figure, phrase + compact_text(figure.clause or figure.quote)))
    return best_per_report(asked, found, weights, unit_kind(asked.unit))


def best_per_report(
    asked: Asked, found: Iterable[tuple[Figure, str]], weights: Weights, kind: str | None
) -> Matched | None:
    """Of (figure, the text its question words are looked for in), each report's best-scoring ones
    (wholes before "其中" parts), or None when none scores MIN_SCORE."""
    weight = {w: weights.of(w) * (2.0 if w == asked.head else 1.0) for w in asked.words}
    total = sum(weight.values())
    best: dict[str, tuple[float, list[Figure]]] = {}
    for figure, text in found:
        score = sum(w * says(word, text) for word, w in weight.items()) / total if total else 0.0
        if score < MIN_SCORE:
            continue
        high, chosen = best.get(figure.report_id, (0.0, []))
        if score > high + 1e-9:
            best[figure.report_id] = (score, [figure])
        elif score >= high - 1e-9:
            chosen.append(figure)
    if not best:
        return None
    by_report = {}
    for report_id, (_, chosen) in best.items():
        wholes = [f for f in chosen if not f.part]
        by_report[report_id] = tuple(dict.fromkeys(wholes or chosen))
    return Matched(by_report, kind, max(score for score, _ in best.values()))


def _with_clause_before(figure: Figure) -> str:
    """The figure's clause with the clause before it in its sentence (its clause alone when first)."""
    clause = figure.clause or figure.quote
    at = figure.quote.find(clause)
    if at <= 0:
        return clause
    before = figure.quote[:at].rstrip("".join(_CLAUSE_MARKS) + " \u3000")
    cut = max(before.rfind(mark) for mark in _CLAUSE_MARKS)
    return before[cut + 1 :] + "，" + clause
