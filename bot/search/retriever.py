"""Hybrid passage search over one index snapshot: BM25 + dense, fused; the support check; lead lines.

Implements bot.answers.context.Retriever. A question's words are read once (`QueryTerms`, cached per
question and scope) and every step below uses them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from bot.answers.model import Passage
from bot.answers.phrases import answering_kinds, states_kind
from bot.lang.asks import asks_for_number
from bot.lang.parts import asked_part, in_part
from bot.lang.scope import Scope
from bot.lang.sentences import sentences
from bot.lang.tokenizer import BIGRAM_MARK, Tokenizer
from bot.search.backend import Where, paragraph_mask
from bot.search.fusion import Hit, best_per_report, fuse
from bot.search.terms import QueryTerms, query_terms

if TYPE_CHECKING:
    from embeddings import Encoder

# A question is answered from passages only if the best paragraph shares enough meaningful words
# with it (IDF-weighted), or failing that, if its best sentence is close in meaning AND stands out
# from the other paragraphs (the encoder's own measured gate: embeddings' EncoderTuning).
MIN_LEXICAL_COVERAGE = 0.3
_COUNTED = re.compile(r"\d|[一二三四五六七八九十百千万两]+(?:余)?[个次件场起人名份条项]")
_EVERY_TOWN = Scope(towns=(), year=None, named_towns=(), unknown_places=())
# How many of the best paragraphs a question asking for a part of a report (its shortcomings, its
# plans) looks through for paragraphs under that part's heading.
_PART_DEPTH = 10


# One-character words of everyday speech that carry no topic ("给镇里出了几次主意", "往哪里反映",
# "执法的人有没有犯过事"): rare in official prose, so their IDF would outweigh the words that matter.
# They count for a paragraph that has them, never against one that has not.
_PLAIN_CHARS = frozenset(
    "给出往来去上下里事人没是在把被让跟和对向从到多少过了的得着回个等又也都还就才谁啥开搞弄做干"
)


def _content(terms: Sequence[str], present: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """A question's words without numbers, and without everyday one-character words not in `present`
    (unless nothing else is left)."""
    unique = [t for t in dict.fromkeys(terms) if not t.isdigit()]
    meaningful = [t for t in unique if len(t) > 1 or t not in _PLAIN_CHARS or t in present]
    return meaningful or unique


class HybridRetriever:
    """Passage search over one immutable snapshot; safe to share between threads."""

    def __init__(self, snapshot, encoder: Encoder, tokenizer: Tokenizer, query_vector=None):
        # `snapshot` is a bot.snapshot.Snapshot; not imported even for typing, since bot.snapshot
        # builds on this package (tests/test_layers.py forbids the cycle).
        self._snapshot = snapshot
        self._encoder = encoder
        self._tokenizer = tokenizer
        self._tuning = getattr(encoder, "tuning", None)
        # The engine passes its cached query encoder so that vectors survive index refreshes.
        self._query_vector = query_vector or functools.lru_cache(maxsize=256)(self._encode_query)
        self._terms = functools.lru_cache(maxsize=256)(self._read_terms)
        # Dense evidence of recent hits, for the support check: (question, scope, paragraph id) →
        # (cosine, margin over the median candidate). Passages carry only the fused score.
        self._dense_seen: dict[tuple[str, Scope, int], tuple[float, float]] = {}

    # --- the Retriever protocol -----------------------------------------------------------------
    def search(self, question: str, scope: Scope, top_k: int) -> list[Passage]:
        hits = self._hits(question, scope, top_k, Where.of_scope(scope))
        if len(self._dense_seen) > 4096:
            self._dense_seen.clear()
        for hit in hits:
            self._dense_seen[(question, scope, hit.paragraph_id)] = (hit.dense, hit.dense_margin)
        return [self._passage(hit) for hit in hits]

    def best_in_report(self, query: str, report_id: str) -> Passage | None:
        return self.best_in_reports(query, [report_id]).get(report_id)

    def best_in_reports(self, query: str, report_ids: Sequence[str]) -> dict[str, Passage]:
        """The best paragraph of each report, each report searched on its own: BM25 over its
        paragraphs fused with its sentences' cosines (what `search` filtered to it returns first).
        All reports in one call to the backend, so that the cost follows them, not the corpus."""
        snapshot = self._snapshot
        indexes = [snapshot.report_index[r] for r in dict.fromkeys(report_ids) if r in snapshot.report_index]
        if not indexes:
            return {}
        terms = self._terms(query, _EVERY_TOWN).index_terms
        scores = snapshot.backend.report_scores(terms, self._query_vector(query), indexes)
        best = best_per_report(scores, self._tuning.dense_weight if self._tuning else 1.0)
        passages = {}
        for paragraph_id, score in best.values():
            report, paragraph = snapshot.paragraphs[paragraph_id]
            passages[report.report_id] = Passage(report, paragraph, score)
        return passages

    def supported(self, question: str, passage: Passage, scope: Scope) -> bool:
        terms = self._terms(question, scope)
        tokens = self._snapshot.tokens[self._paragraph_id(passage)]
        coverage = max(self._coverage(words, tokens) for words in (terms.words, terms.rewritten))
        if coverage >= MIN_LEXICAL_COVERAGE:
            return True
        content = [t for t in terms.all_words if not t.isdigit()]
        if content and not any(self._snapshot.bm25.known(t) for t in content):
            # "老军乡2025年的GDP是多少": no report holds any word of what is asked, so the town and the
            # year alone would carry the dense similarity to the report's opening paragraph.
            return False
        if self._lacks_distinctive_word(terms, tokens):
            # "江川路街道培养了多少名“法律明白人”": close in meaning, but without the one rare word asked.
            return False
        gate = self._tuning
        dense = self._dense_seen.get((question, scope, self._paragraph_id(passage)))
        return (
            gate is not None and dense is not None and dense[0] >= gate.similarity and dense[1] >= gate.margin
        )

    def lead_sentence(self, question: str, passage: Passage, scope: Scope) -> str:
        """The sentence sharing most (IDF-weighted) words; one with a count when "多少/几…" is asked,
        of the kind asked when the question says which (people, a rate …: phrases.answering_kinds)."""
        unique = set(self._terms(question, scope).index_terms)
        wants_number = asks_for_number(question)
        kinds = answering_kinds(question)  # "多少人参加了学法": a count of people, not any count
        bm25 = self._snapshot.bm25

        def weight(sentence: str) -> float:
            lowered = sentence.lower()
            score = sum(bm25.idf(t) for t in unique if t.lstrip(BIGRAM_MARK) in lowered)
            if kinds:  # a count of the kind asked, not any count
                return score + (10.0 if states_kind(sentence, kinds) else 0.0)
            return score + (10.0 if wants_number and _COUNTED.search(sentence) else 0.0)

        text = passage.paragraph.text
        return max(sentences(text) or [text], key=weight).strip()

    def matched_terms(self, question: str, passages: Sequence[Passage], scope: Scope) -> tuple[str, ...]:
        """Question words found in the quotes, longest first. A word inside a longer question word
        ("行政" in "行政诉讼") is left out: alone it would light up every 行政 in unrelated sentences."""
        terms = self._terms(question, scope).all_words
        found = {t for t in terms if len(t) > 1 and any(t in p.paragraph.text for p in passages)}
        whole = {t for t in found if not any(t != other and t in other for other in terms)}
        return tuple(sorted(whole, key=lambda t: (-len(t), t)))

    # --- internals ----------------------------------------------------------------------------
    def _read_terms(self, question: str, scope: Scope) -> QueryTerms:
        return query_terms(question, scope, self._tokenizer)

    def _hits(self, question: str, scope: Scope, top_k: int, where: Where) -> list[Hit]:
        snapshot = self._snapshot
        n = len(snapshot.paragraphs)
        allowed = paragraph_mask(where, snapshot.reports, snapshot.paragraph_report, snapshot.report_index)
        candidates = np.arange(n) if allowed is None else np.flatnonzero(allowed)
        if len(candidates) == 0:
            return []
        bm25_scores = snapshot.backend.bm25_scores(self._terms(question, scope).index_terms, where)
        dense = self._dense_scores(question, where)
        dense_weight = self._tuning.dense_weight if self._tuning else 1.0
        part = asked_part(question)
        if part is None:
            return fuse(bm25_scores, dense, candidates, top_k, dense_weight=dense_weight)
        hits = fuse(bm25_scores, dense, candidates, max(top_k, _PART_DEPTH), dense_weight=dense_weight)
        inside = [h for h in hits if in_part(snapshot.paragraphs[h.paragraph_id][1].section_path, part)]
        return (inside + [h for h in hits if h not in inside])[:top_k]

    def _dense_scores(self, question: str, where: Where) -> np.ndarray:
        """Each paragraph's best sentence cosine (-inf where none was among the neighbours)."""
        return self._snapshot.backend.dense_scores(self._query_vector(question), where)

    def _lacks_distinctive_word(self, terms: QueryTerms, paragraph_tokens: Sequence[str]) -> bool:
        """Whether the paragraph misses the rarest word the corpus knows of the question as written and
        as rewritten alike: dense closeness alone does not stand in for the one word that says what is
        asked (a word no report uses is left to the encoder)."""
        bm25 = self._snapshot.bm25
        present = set(paragraph_tokens)
        for words in (terms.words, terms.rewritten):
            known = [t for t in _content(words) if bm25.known(t)]
            rarest = max(known, key=lambda t: (bm25.idf(t), len(t))) if known else ""
            if len(rarest) < 3 or rarest in present:  # a term ("法律明白人"), not an everyday word (小区)
                return False
        return True

    def _coverage(self, terms: Sequence[str], paragraph_tokens: Sequence[str]) -> float:
        """IDF-weighted share of the question's words that the paragraph contains (0..1). Everyday
        one-character words (给, 出, 往, 事) count only where the paragraph has them."""
        present = set(paragraph_tokens)
        unique = _content(terms, present)
        if not unique:
            return 0.0
        bm25 = self._snapshot.bm25
        total = sum(bm25.idf(t) for t in unique)
        found = sum(bm25.idf(t) for t in unique if t in present)
        return found / total if total else 0.0

    def _passage(self, hit: Hit) -> Passage:
        report, paragraph = self._snapshot.paragraphs[hit.paragraph_id]
        return Passage(report, paragraph, hit.score)

    def _paragraph_id(self, passage: Passage) -> int:
        return self._snapshot.paragraph_id(passage.report.report_id, passage.paragraph.index)

    def _encode_query(self, text: str) -> np.ndarray:
        vector = self._encoder.encode_queries([text])
        vector.setflags(write=False)  # shared through the cache
        return vector
