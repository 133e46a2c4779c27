"""What an answerer receives: the question read once, the corpus snapshot, and a retriever.

Answerers never reach back into the engine: everything they may use is here. `Retriever` is the
seam to the search stage (bot.search.Retriever implements it; tests use tests/fakes.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
