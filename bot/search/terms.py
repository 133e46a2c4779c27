"""A question's words, computed once per question and scope and shared by every search step."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.lang import synonyms
from bot.lang.scope import Scope
from bot.lang.script import to_simplified
from bot.lang.tokenizer import BIGRAM_MARK, Tokenizer

# How reports head their plans for the year after the one reported on: "2025年有什么打算" asked
# of 2024 reports is answered by their 下一年度 section.
NEXT_YEAR_PLANS = "下一年度工作安排"


@dataclass(frozen=True)
class QueryTerms:
    """The words of one question, minus the townships it is filtered to.

    `words` and `rewritten` are the question's meaningful words as written and after the everyday
    → report words rewrite ("城管" → "综合执法"); `index_terms` adds BM25 bigrams to both.
    """

    words: tuple[str, ...]
    rewritten: tuple[str, ...]
    index_terms: tuple[str, ...]

    @property
    def all_words(self) -> tuple[str, ...]:
        """`words` and `rewritten` together, each once."""
        return tuple(dict.fromkeys((*self.words, *self.rewritten)))


def query_terms(question: str, scope: Scope, tokenizer: Tokenizer) -> QueryTerms:
    """Read a question's words once: as written, rewritten into report words, and for BM25."""
    rewritten = synonyms.rewrite(question)
    index_terms = dict.fromkeys(tokenizer.index_terms(question))
    index_terms.update(dict.fromkeys(tokenizer.index_terms(rewritten)))
    if scope.asks_plans:
        index_terms.update(dict.fromkeys(tokenizer.index_terms(NEXT_YEAR_PLANS)))
    return QueryTerms(
        words=without_towns(tokenizer.terms(question), scope.named_towns),
        rewritten=without_towns(tokenizer.terms(rewritten), scope.named_towns),
        index_terms=without_towns(index_terms, scope.named_towns),
    )


def without_towns(terms: Iterable[str], towns: Sequence[str]) -> tuple[str, ...]:
    """Drop words (and bigrams) that are part of a township already used as a filter: they would
    match every paragraph of that town's report and none of the others'. A traditional-script town
    ("周莊鎮") is also dropped as the question writes it once simplified ("周庄镇")."""
    towns = tuple(dict.fromkeys((*towns, *(to_simplified(town) for town in towns))))
    return tuple(t for t in terms if not any(t.lstrip(BIGRAM_MARK) in town for town in towns))
