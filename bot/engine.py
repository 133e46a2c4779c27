"""The question-answering engine: load the index once, then answer questions from it."""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.answers.answer import answer
from bot.answers.context import AnswerContext, CorpusView
from bot.answers.corpus import greeting
from bot.answers.model import Answer, Passage
from bot.answers.notes import with_dense_note
from bot.errors import EmptyCorpus, EncoderFailure, ModelUnavailable, ZhenbaoError, check_top_k
from bot.figures.vocabulary import load_vocabulary
from bot.heap import settle
from bot.index.background import DenseJob, DenseWork, IndexingProgress
from bot.index.store import IndexData, index_dir_for
from bot.index.sync import SyncResult, sync_index
from bot.ingest.formats import describe_supported
from bot.ingest.readers.ocr import use_cache_root as use_ocr_cache_root
from bot.ingest.scan import SkippedFile
from bot.lang.followup import resolve_followup
from bot.lang.scope import Scope, check_question, is_greeting
from bot.lang.script import is_traditional, to_simplified
from bot.lang.tokenizer import Tokenizer
from bot.report import Report
from bot.search.retriever import HybridRetriever
from bot.snapshot import BackendFactory, Snapshot, search_backend

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class AddedReport:
    """One file added through `Bot.add_reports`: its report once indexed, else why not."""

    report_id: str
    report: Report | None
    reason: str | None


@dataclass(frozen=True)
class RefreshResult:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    skipped: tuple[SkippedFile, ...]
    changed: tuple[str, ...] = ()


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
        backend: BackendFactory | None = None,
        *,
        background: bool = False,
    ):
        self.corpus_dir = corpus_dir
        self.index_dir = index_dir
        self.encoder = encoder
        self.tokenizer = tokenizer
        self.vocabulary = load_vocabulary()
        self._lock = threading.Lock()
        self._backend = backend
        self._state = Snapshot(data, backend)
        settle()  # the snapshot out of the cyclic GC's full collections (bot/heap.py)
        # "哪些镇…" questions look up the same query in every report; embed it once.
        self._query_vector = functools.lru_cache(maxsize=256)(self._encode_query)
        self._skipped = sync.skipped
        # Sentence vectors still being embedded (load_bot(background=True)); answers say so meanwhile.
        self._background = background
        self._refreshing = threading.Lock()  # one refresh at a time, and never beside a dense job
        self._dense: DenseJob | None = None
        self._start_dense(sync.dense)

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

    @property
    def corpus(self) -> CorpusView:
        """The parsed reports and figures that answers are drawn from (one snapshot of the index)."""
        return self._state.corpus

    # --- keeping up with the corpus folder ---------------------------------------------------
    def refresh(self, progress: Progress | None = None) -> RefreshResult:
        """Rescan the corpus folder and index new or changed files; questions keep working meanwhile."""
        with self._refreshing:
            self.stop_indexing()  # its checkpoint is reused by the sync below
            with self._lock, embeddings_errors_as_bot_errors():
                data, sync = sync_index(
                    self.corpus_dir,
                    self.index_dir,
                    self.encoder,
                    self.tokenizer,
                    progress=progress,
                    defer_dense=self._background,
                )
                self._state = Snapshot(data, self._backend)
                self._skipped = sync.skipped
                settle()
            self._start_dense(sync.dense)
        return RefreshResult(sync.added, sync.removed, sync.skipped, sync.changed)

    def add_reports(
        self, sources: Sequence[Path | str], progress: Progress | None = None
    ) -> list[AddedReport]:
        """Copy report files into the corpus folder (all or none) and index them.

        Raises UploadTooLarge, UnsupportedFile or DuplicateReport (nothing is then stored).
        """
        from bot.ingest.upload import store_uploads

        stored = store_uploads(self.corpus_dir, [Path(s) for s in sources])
        result = self.refresh(progress)
        by_id = {report.report_id: report for report in self.reports}
        reasons = {Path(s.path).resolve(): s.reason for s in result.skipped}
        added = []
        for path in stored:
            report_id = path.relative_to(self.corpus_dir).as_posix()
            # store_uploads read it as the index does, so only a concurrent change of the folder (the
            # same file copied in by hand at that moment) leaves it unindexed.
            reason = None if report_id in by_id else reasons.get(path.resolve(), "原因不明")
            added.append(AddedReport(report_id, by_id.get(report_id), reason))
        return added

    def set_report_info(
        self,
        report_id: str,
        *,
        township: str | None = None,
        county: str | None = None,
        year: int | None = None,
        progress: Progress | None = None,
    ) -> Report:
        """Record the user's township/county/year for one file in 报告信息.csv and re-index it.

        Raises ZhenbaoError when the file is not an indexed report of this corpus.
        """
        from bot.ingest.report_info import ReportInfo, write_info

        known = {report.report_id for report in self.reports}
        if report_id not in known:
            raise ZhenbaoError(f"语料库中没有报告文件“{report_id}”。请从已索引的报告中选择")
        township = (township or "").strip() or None
        county = (county or "").strip() or None
        write_info(self.corpus_dir, ReportInfo(report_id, township, county, year))
        self.refresh(progress)
        return next(report for report in self.reports if report.report_id == report_id)

    def is_sample(self, report_id: str) -> bool:
        """A copied sample report of the default corpus (switched off as a whole, never removed alone)."""
        from bot.paths import is_sample

        return is_sample(self.corpus_dir, report_id)

    def remove_report(self, report_id: str, progress: Progress | None = None) -> None:
        """Delete one of the user's report files from the corpus folder and drop it from the index.

        Raises ZhenbaoError for a file that is not an indexed report here, or for a sample report.
        """
        if report_id not in {report.report_id for report in self.reports}:
            raise ZhenbaoError(f"语料库中没有报告文件“{report_id}”。请从已索引的报告中选择")
        if self.is_sample(report_id):
            raise ZhenbaoError("示例报告不能单独删除；有了自己的报告后，可以整体停用示例报告。")
        (self.corpus_dir / report_id).unlink(missing_ok=True)
        self.refresh(progress)

    # --- answering ----------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        *,
        top_k: int = 3,
        towns: Sequence[str] = (),
        year: int | None = None,
        history: Sequence[str] = (),
    ) -> Answer:
        """Answer a question: figures across reports when it asks for them, else quoted passages.

        `history` holds the conversation's earlier questions, oldest first, so that "那河市镇呢？"
        asks the previous question of another township. Raises BadQuestion, UnknownTownship or
        UnknownYear (Chinese messages) for unusable input.
        """
        question = check_question(question)
        check_top_k(top_k)
        state = self._state
        question = self._standalone(question, history, state.townships)
        if is_greeting(question):
            result = greeting(question, state.townships)
        else:
            result = answer(self._context(state, question, state.scope(question, towns, year), top_k))
            job = self._dense
            if job is not None and job.pending:
                result = with_dense_note(result)
        return result

    def search(
        self, question: str, *, top_k: int = 5, towns: Sequence[str] = (), year: int | None = None
    ) -> list[Passage]:
        """Ranked passages without figure answers or abstaining (benchmarks and evidence lookups)."""
        question = check_question(question)
        state = self._state
        if not state.paragraphs:
            raise EmptyCorpus(str(self.corpus_dir), supported=describe_supported())
        return self._retriever(state).search(question, state.scope(question, towns, year), top_k)

    def best_in_report(self, query: str, report_id: str) -> Passage | None:
        """The best passage of one report for a query (the evidence "哪些镇…" answers choose among)."""
        return self._retriever(self._state).best_in_report(query, report_id)

    # --- sentence vectors in the background ------------------------------------------------------
    def indexing_progress(self) -> IndexingProgress:
        """How many distinct sentences have their vector (done/total) and a Chinese status line."""
        job = self._dense
        if job is None:
            n = len(set(self._state.data.chunk_keys))
            return IndexingProgress(n, n, "句子向量已全部完成")
        return job.progress()

    def wait_for_dense(self, timeout: float | None = None) -> bool:
        """Wait until every sentence has its vector (or the job ended); True when none is missing."""
        job = self._dense
        if job is not None:
            job.wait(timeout)
        return job is None or not job.pending

    def dense_seconds_left(self) -> float:
        """Estimated seconds until dense search is complete; 0 when it is or no job runs any more."""
        job = self._dense
        return job.seconds_left() if job is not None and job.pending and job.running else 0.0

    def stop_indexing(self) -> None:
        """Stop embedding after the current batch and keep what was embedded (resumed at the next load)."""
        job = self._dense
        if job is not None:
            job.stop()

    def _start_dense(self, job: DenseJob | None) -> None:
        self._dense = job
        if job is not None:
            job.start(functools.partial(self._swap_vectors, job))

    def _swap_vectors(self, job: DenseJob, work: DenseWork) -> None:
        with self._lock:
            if job is self._dense:  # a refresh may have replaced the snapshot it was started for
                self._state = self._state.with_vectors(work)

    # --- internals ----------------------------------------------------------------------------
    def _retriever(self, state: Snapshot) -> HybridRetriever:
        return HybridRetriever(state, self.encoder, self.tokenizer, query_vector=self._query_vector)

    def _context(self, state: Snapshot, question: str, scope: Scope, top_k: int) -> AnswerContext:
        """Everything an answerer may use, bound to one snapshot of the index."""
        return AnswerContext(
            question=question,
            scope=scope,
            corpus=state.corpus,
            retriever=self._retriever(state),
            vocabulary=self.vocabulary,
            tokenizer=self.tokenizer,
            top_k=top_k,
        )

    @staticmethod
    def _standalone(question: str, history: Sequence[str], townships: Sequence[str]) -> str:
        """The question with what earlier turns left implicit filled in (each turn resolved in order)."""
        previous: str | None = None
        for earlier in history:
            if earlier and earlier.strip():
                # Earlier turns are read as the question itself is (check_question): simplified.
                text = to_simplified(earlier.strip()) if is_traditional(earlier) else earlier.strip()
                previous = resolve_followup(text, previous, townships)
        return resolve_followup(question, previous, townships)

    def _encode_query(self, text: str) -> np.ndarray:
        vector = self.encoder.encode_queries([text])
        vector.setflags(write=False)  # shared through the cache
        return vector


@contextlib.contextmanager
def embeddings_errors_as_bot_errors() -> Iterator[None]:
    """embeddings has its own errors (it imports nothing from bot); the CLI and page catch ZhenbaoError."""
    from embeddings.errors import EmbeddingsError
    from embeddings.errors import ModelUnavailable as EmbeddingsModelUnavailable

    try:
        yield
    except EmbeddingsModelUnavailable as exc:
        raise ModelUnavailable(str(exc)) from exc
    except EmbeddingsError as exc:
        raise EncoderFailure(str(exc)) from exc


def load_bot(
    corpus: Path | str | None = None,
    *,
    model: str | None = None,
    encoder=None,
    cache_dir: Path | str | None = None,
    progress: Progress | None = None,
    show_bar: bool = False,
    backend: str | None = None,
    milvus_uri: str | None = None,
    background: bool = False,
) -> Bot:
    """Load (or build, or bring up to date) the index of a corpus folder and return a ready Bot.

    Args:
        corpus: folder of reports; default: the user's report folder with the samples (bot.paths).
        model: embedding model: None/"default", "e5", "use", or a sentence-transformers name or folder.
        encoder: a ready embeddings.encoders.Encoder instead of `model` (tests, embedding apps).
        cache_dir: where indexes are kept; default: ZHENBAO_CACHE_DIR or the user's cache folder.
        backend: "faiss" (in memory, default) or "milvus"; default: ZHENBAO_BACKEND.
        milvus_uri: a milvus-lite file or http://host:19530; default: ZHENBAO_MILVUS_URI, else a file
            in the index folder.
        background: return once words and figures are indexed and embed sentences in a thread
            (answers note that dense search is incomplete; `Bot.indexing_progress`); else embed first.
    """
    from bot.paths import default_corpus
    from embeddings.encoders import load_encoder
    from embeddings.files import default_cache_dir

    corpus_dir = Path(corpus) if corpus else default_corpus()
    if not corpus_dir.is_dir():
        raise EmptyCorpus(str(corpus_dir), missing=True)
    with embeddings_errors_as_bot_errors():
        encoder = encoder or load_encoder(model)
    tokenizer = Tokenizer()
    # jieba's dictionary takes most of a second to load; do it while the index loads.
    warm = threading.Thread(target=tokenizer.warm_up, daemon=True)
    warm.start()
    use_ocr_cache_root(Path(cache_dir) if cache_dir else None)  # scans are cached beside the index
    index_dir = index_dir_for(Path(cache_dir) if cache_dir else default_cache_dir(), corpus_dir, encoder.name)
    # Chosen before indexing, so that a bad backend name or URI fails at once.
    factory = search_backend(backend, milvus_uri, index_dir, encoder.dim)
    with embeddings_errors_as_bot_errors():
        data, sync = sync_index(
            corpus_dir,
            index_dir,
            encoder,
            tokenizer,
            progress=progress,
            show_bar=show_bar,
            defer_dense=background,
        )
    if not data.reports:
        raise EmptyCorpus(
            str(corpus_dir), [(s.path, s.reason) for s in sync.skipped], supported=describe_supported()
        )
    tokenizer.add_words(r.report.township for r in data.reports)
    warm.join()
    _report_sync(sync)
    return Bot(corpus_dir, index_dir, encoder, tokenizer, sync, data, factory, background=background)


def _report_sync(sync: SyncResult) -> None:
    """What the sync wants the user to know (a rebuild, skipped files), on stderr."""
    if sync.message:
        print(sync.message, file=sys.stderr)
    for skipped in sync.skipped:
        print(f"已跳过 {skipped.path}：{skipped.reason}", file=sys.stderr)
