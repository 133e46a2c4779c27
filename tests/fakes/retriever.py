"""The one fake retriever of the test suite: bot.answers.context.Retriever by plain word overlap,
and `fake_context`, an AnswerContext over parsed reports that uses it.

Words are a text's two-character runs of Chinese characters, letters or digits, so no tokenizer,
index or encoder is needed. Deterministic: ties go to the earlier paragraph. `calls` records every
`best_in_report` lookup, so tests can see when an answerer asks retrieval to choose.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence

from bot.answers.context import AnswerContext, CorpusView, Retriever
from bot.answers.model import Passage
from bot.figures.extract import extract_figures
from bot.figures.figure import Figure
from bot.figures.vocabulary import Vocabulary, load_vocabulary
from bot.lang.scope import Scope, resolve_scope
from bot.lang.sentences import sentences
from bot.lang.tokenizer import Tokenizer
from bot.report import ParsedReport

# The share of the question's words a passage must hold to count as an answer (the real gate's
# lexical floor, bot.search.retriever.MIN_LEXICAL_COVERAGE).
SUPPORT = 0.3
_WORD_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def words(text: str) -> set[str]:
    """Two-character runs of word characters: "化解矛盾" → 化解, 解矛, 矛盾."""
    return {a + b for a, b in itertools.pairwise(text) if _WORD_CHAR.match(a) and _WORD_CHAR.match(b)}


def overlap(question: str, text: str) -> float:
    """The share of the question's words that the text contains (0..1)."""
    asked = words(question)
    return len(asked & words(text)) / len(asked) if asked else 0.0


class FakeRetriever:
    """Passages ranked by the share of the question's words they contain."""

    def __init__(self, reports: Sequence[ParsedReport]):
        self._reports = tuple(reports)
        self.calls: list[tuple[str, str]] = []

    def search(self, question: str, scope: Scope, top_k: int) -> list[Passage]:
        query = _without_towns(question, scope)
        scored = [
            Passage(parsed.report, paragraph, overlap(query, paragraph.text))
            for parsed in self._reports
            if scope.covers(parsed.report)
            for paragraph in parsed.paragraphs
        ]
        ranked = sorted((p for p in scored if p.score > 0), key=lambda p: -p.score)
        return ranked[:top_k]

    def best_in_report(self, query: str, report_id: str) -> Passage | None:
        self.calls.append((query, report_id))
        parsed = next(p for p in self._reports if p.report.report_id == report_id)
        if not parsed.paragraphs:
            return None
        best = max(parsed.paragraphs, key=lambda p: overlap(query, p.text))
        return Passage(parsed.report, best, overlap(query, best.text))

    def best_in_reports(self, query: str, report_ids: Sequence[str]) -> dict[str, Passage]:
        found = {r: self.best_in_report(query, r) for r in report_ids}
        return {r: passage for r, passage in found.items() if passage is not None}

    def supported(self, question: str, passage: Passage, scope: Scope) -> bool:
        return overlap(_without_towns(question, scope), passage.paragraph.text) >= SUPPORT

    def lead_sentence(self, question: str, passage: Passage, scope: Scope) -> str:
        text = passage.paragraph.text
        return max(sentences(text) or [text], key=lambda s: overlap(question, s)).strip()

    def matched_terms(self, question: str, passages: Sequence[Passage], scope: Scope) -> tuple[str, ...]:
        found = {w for w in words(question) if any(w in p.paragraph.text for p in passages)}
        return tuple(sorted(found))


def _without_towns(question: str, scope: Scope) -> str:
    """The question without its townships: the scope already narrows to them."""
    for town in scope.towns:
        question = question.replace(town, "")
    return question


def fake_context(
    question: str,
    reports: Sequence[ParsedReport],
    figures: Sequence[Figure] | None = None,
    *,
    towns: Sequence[str] = (),
    year: int | None = None,
    retriever: Retriever | None = None,
    vocabulary: Vocabulary | None = None,
    top_k: int = 3,
) -> AnswerContext:
    """An AnswerContext as Bot.ask builds it (the production scope, figures extracted from the
    reports unless given), with this fake retriever unless another is given."""
    if figures is None:
        figures = [f for parsed in reports for f in extract_figures(parsed, vocabulary)]
    found = [p.report for p in reports]
    scope = resolve_scope(
        question,
        townships=list(dict.fromkeys(r.township for r in found)),
        years=sorted({r.year for r in found if r.year is not None}),
        districts=sorted({r.district for r in found if r.district}),
        towns=towns,
        year=year,
    )
    return AnswerContext(
        question=question,
        scope=scope,
        corpus=CorpusView(tuple(reports), tuple(figures)),
        retriever=retriever or FakeRetriever(reports),
        vocabulary=vocabulary or load_vocabulary(),
        tokenizer=_tokenizer(),
        top_k=top_k,
    )


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Tokenizer:
    """One tokenizer for every test context: jieba's dictionary loads once per session."""
    return Tokenizer()
