"""What an answerer receives: the question read once, the corpus snapshot, and a retriever.

Answerers never reach back into the engine: everything they may use is here. `Retriever` is the
seam to the search stage (bot.search.HybridRetriever implements it; tests use tests/fakes/retriever.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from bot.answers.model import Passage
from bot.figures.figure import Figure
from bot.lang.scope import Scope
from bot.report import ParsedReport

if TYPE_CHECKING:
    from bot.figures.vocabulary import Vocabulary
    from bot.lang.tokenizer import Tokenizer


class Retriever(Protocol):
    """Passage search over one snapshot of the index."""

    def search(self, question: str, scope: Scope, top_k: int) -> list[Passage]:
        """Ranked passages for the question within the scope (hybrid BM25 + dense)."""
        ...

    def best_in_report(self, query: str, report_id: str) -> Passage | None:
        """The best passage of one report for a query, or None when the report has no paragraph."""
        ...

    def best_in_reports(self, query: str, report_ids: Sequence[str]) -> dict[str, Passage]:
        """best_in_report for several reports at once (report id → passage; reports without one left out)."""
        ...

    def supported(self, question: str, passage: Passage, scope: Scope) -> bool:
        """Whether the passage really bears on the question (else the answer abstains)."""
        ...

    def lead_sentence(self, question: str, passage: Passage, scope: Scope) -> str:
        """The sentence of the passage that answers best (shared words; a number when asked)."""
        ...

    def matched_terms(self, question: str, passages: Sequence[Passage], scope: Scope) -> tuple[str, ...]:
        """Question words to highlight in the quotes, longest first."""
        ...


@dataclass(frozen=True)
class CorpusView:
    """The reports and figures of one index snapshot, in corpus order."""

    reports: tuple[ParsedReport, ...]
    figures: tuple[Figure, ...]

    @property
    def townships(self) -> list[str]:
        return list(dict.fromkeys(p.report.township for p in self.reports))


@dataclass(frozen=True)
class AnswerContext:
    """One question, read once: its scope, the corpus it is asked of and the tools to answer it."""

    question: str
    scope: Scope
    corpus: CorpusView
    retriever: Retriever
    vocabulary: Vocabulary
    tokenizer: Tokenizer
    top_k: int = 3

    @cached_property
    def reports(self) -> tuple[ParsedReport, ...]:
        """The reports the question is about (scope.covers), in corpus order."""
        return tuple(p for p in self.corpus.reports if self.scope.covers(p.report))

    @cached_property
    def figures(self) -> tuple[Figure, ...]:
        """The figures of those reports."""
        if len(self.reports) == len(self.corpus.reports):  # all of them: no pass over 140,000 figures
            return self.corpus.figures
        ids = {p.report.report_id for p in self.reports}
        return tuple(f for f in self.corpus.figures if f.report_id in ids)

    @property
    def n_towns(self) -> int:
        """How many townships the question is restricted to (0: every township)."""
        return len({p.report.township for p in self.reports}) if self.scope.towns else 0

    @property
    def query(self) -> str:
        """The question without the townships it is restricted to: what to look for in each report."""
        query = self.question
        for town in self.scope.towns:
            query = query.replace(town, "")
        return query
