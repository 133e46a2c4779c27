"""The one evaluation helper shared by tests and benchmarks: labelled question sets, judging answers
against their labels, per-type tallies, figure-label matching, and identity / section-path checks.

The real-report dev set is judged by `tests/data/realworld/score.py` itself, imported by path: that file
must stay byte-identical to the shared copy, so its rules are reused here, never rewritten.
"""

from __future__ import annotations

import importlib.util
import json
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SEED_LABELLED = DATA / "questions.jsonl"  # tuned on
SEED_HELDOUT = DATA / "questions_heldout.jsonl"  # written after the rules were fixed
OFF_TOPIC = DATA / "off_topic.jsonl"
FIGURE_LABELS = DATA / "figures_labelled.json"
REALWORLD = DATA / "realworld"


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("realworld_score", REALWORLD / "score.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the dev-set scorer from {REALWORLD / 'score.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCORER = _load_scorer()
TYPE_ORDER: tuple[str, ...] = tuple(SCORER.ORDER)
norm = SCORER.norm  # whitespace dropped, punctuation width folded: how every dev-set comparison is made


# --- the seeds' labelled questions (retrieval) ------------------------------------------------------------
@dataclass(frozen=True)
class SeedQuestion:
    """A seed question labelled with the township and a verbatim quote of the paragraph that answers it."""

    question: str
    township: str
    quote: str
    kind: str  # "direct" or "paraphrase"


def load_seed_questions(path: Path = SEED_LABELLED) -> tuple[SeedQuestion, ...]:
    return tuple(
        SeedQuestion(row["question"], row["township"], row["quote"], row.get("kind", "direct"))
        for row in load_jsonl(path)
    )


def load_off_topic(path: Path = OFF_TOPIC) -> tuple[str, ...]:
    return tuple(row["question"] for row in load_jsonl(path))


def seed_rank(passages: Sequence[Any], item: SeedQuestion) -> int | None:
    """1-based rank of the first passage from the labelled township that contains the quote."""
    for rank, passage in enumerate(passages, start=1):
        if passage.report.township == item.township and item.quote in passage.paragraph.text:
            return rank
    return None


@dataclass(frozen=True)
class RetrievalScores:
    questions: int
    recall_at_1: float
    recall_at_3: float
    recall_at_5: float
    mrr: float
    not_rank_1: tuple[str, ...]


def retrieval_scores(items: Sequence[SeedQuestion], ranks: Sequence[int | None]) -> RetrievalScores:
    """Recall@1/3/5 and MRR from each question's rank (None: not in the list)."""
    n = len(items)
    if n == 0 or len(ranks) != n:
        raise ValueError(f"{len(ranks)} ranks for {n} questions")
    return RetrievalScores(
        questions=n,
        recall_at_1=sum(r == 1 for r in ranks) / n,
        recall_at_3=sum(r is not None and r <= 3 for r in ranks) / n,
        recall_at_5=sum(r is not None and r <= 5 for r in ranks) / n,
        mrr=sum(1 / r for r in ranks if r) / n,
        not_rank_1=tuple(q.question for q, r in zip(items, ranks, strict=True) if r != 1),
    )


# --- the real-report dev set (questions.jsonl, judged by score.py) ---------------------------------------
@dataclass(frozen=True)
class DevQuestion:
    """One dev-set item; `label` is the questions.jsonl row, which score.py's judge reads."""

    id: str
    type: str  # the group it is tallied under: lookup … meta, or followup
    kind: str  # the rule it is judged by: a followup's `as` type, else its type
    turns: tuple[str, ...]  # the question, or a conversation's turns oldest first
    label: Mapping[str, Any]

    @property
    def question(self) -> str:
        return self.turns[-1]

    @property
    def history(self) -> tuple[str, ...]:
        return self.turns[:-1]


def load_dev_questions(path: Path = REALWORLD / "questions.jsonl") -> tuple[DevQuestion, ...]:
    items = []
    for row in load_jsonl(path):
        turns = tuple(row["turns"]) if row["type"] == "followup" else (row["q"],)
        items.append(DevQuestion(row["id"], row["type"], SCORER.kind_of(row), turns, row))
    return tuple(items)


@dataclass(frozen=True)
class Verdict:
    question: DevQuestion
    at_1: bool
    at_3: bool
    answer: Mapping[str, Any]  # the answer as `ask --json` prints it

    @property
    def why(self) -> str:
        """score.py's first guess at why an answer failed (empty when it passed at rank 1)."""
        return "" if self.at_1 else SCORER.diagnose(dict(self.question.label), dict(self.answer))


def judge(question: DevQuestion, answer: Mapping[str, Any]) -> Verdict:
    """Judge an answer (the `ask --json` object, for a followup the answer to its last turn)."""
    at_1, at_3 = SCORER.judge(dict(question.label), dict(answer))
    return Verdict(question, bool(at_1), bool(at_3), answer)


def answer_record(bot: Any, question: DevQuestion, *, top_k: int = 3) -> dict[str, Any]:
    """The bot's answer to the item's last turn as `ask --json -` prints it, earlier turns as history.

    A refused question (a ZhenbaoError) becomes the not_found object the CLI prints for it, so that a
    benchmark run scores exactly as tests/data/realworld/run.sh does.
    """
    from bot.errors import ZhenbaoError

    try:
        return bot.ask(question.question, top_k=top_k, history=list(question.history)).to_dict()
    except ZhenbaoError as exc:
        text = str(exc)
        return {"question": question.question, "status": "not_found", "answer": text, "passages": []}


@dataclass(frozen=True)
class TypeScore:
    type: str  # a question type, or "all"
    questions: int
    at_1: int
    at_3: int

    @property
    def rate_1(self) -> float:
        return self.at_1 / self.questions if self.questions else 0.0

    @property
    def rate_3(self) -> float:
        return self.at_3 / self.questions if self.questions else 0.0

    def line(self) -> str:
        return (
            f"{self.type:11s} @1 {self.at_1}/{self.questions} = {self.rate_1:.2f}  "
            f"@3 {self.at_3}/{self.questions} = {self.rate_3:.2f}"
        )


def tally(verdicts: Iterable[Verdict]) -> dict[str, TypeScore]:
    """Per-type scores in score.py's order (types with no question left out), then "all"."""
    verdicts = list(verdicts)
    scores = {}
    for kind in (*TYPE_ORDER, *sorted({v.question.type for v in verdicts} - set(TYPE_ORDER))):
        group = [v for v in verdicts if v.question.type == kind]
        if group:
            scores[kind] = TypeScore(kind, len(group), sum(v.at_1 for v in group), sum(v.at_3 for v in group))
    scores["all"] = TypeScore(
        "all", len(verdicts), sum(v.at_1 for v in verdicts), sum(v.at_3 for v in verdicts)
    )
    return scores


# --- identity and section paths of the dev set's reports -------------------------------------------------
@dataclass(frozen=True)
class IdentityCheck:
    """One corpus file: what truth.json says against what the bot read (None: not indexed)."""

    file: str
    township: str
    year: int
    county: str | None
    read_township: str | None
    read_year: int | None
    read_county: str | None

    @property
    def indexed(self) -> bool:
        return self.read_township is not None

    @property
    def township_right(self) -> bool:
        return self.read_township == self.township

    @property
    def year_right(self) -> bool:
        return self.read_year == self.year

    @property
    def county_right(self) -> bool:
        return self.indexed and self.read_county == self.county


def load_truth(path: Path = REALWORLD / "truth.json") -> dict[str, dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def identity_checks(reports: Iterable[Any], truth: Mapping[str, Mapping[str, Any]]) -> list[IdentityCheck]:
    """Compare each truth.json file with the Report read from it (matched by report_id)."""
    by_file = {report.report_id: report for report in reports}
    checks = []
    for file, expected in truth.items():
        report = by_file.get(file)
        checks.append(
            IdentityCheck(
                file,
                expected["township"],
                expected["year"],
                expected.get("county"),
                None if report is None else report.township,
                None if report is None else report.year,
                None if report is None else report.district,
            )
        )
    return checks


@dataclass(frozen=True)
class SectionLabel:
    file: str
    quote: str
    section: tuple[str, ...]
    note: str


def load_section_labels(path: Path = REALWORLD / "sections.jsonl") -> tuple[SectionLabel, ...]:
    return tuple(
        SectionLabel(row["file"], row["quote"], tuple(row["section"]), row.get("note", ""))
        for row in load_jsonl(path)
    )


@dataclass(frozen=True)
class SectionCheck:
    label: SectionLabel
    found: tuple[str, ...] | None  # the section path of the paragraph holding the quote; None: no paragraph

    @property
    def right(self) -> bool:
        return self.found is not None and tuple(map(_heading_norm, self.found)) == tuple(
            map(_heading_norm, self.label.section)
        )


def _heading_norm(title: str) -> str:
    # A heading's closing 。 is not part of its title, and PDF text layers move quote marks away from
    # the words they enclose ("“ ”（二）…狠抓 关键少数"): neither counts as a different section.
    return norm(title).rstrip("。.").translate(str.maketrans("", "", "“”\"'‘’"))


def section_checks(parsed_reports: Iterable[Any], labels: Iterable[SectionLabel]) -> list[SectionCheck]:
    """For each label, the section path of the paragraph whose text contains the quote.

    Texts are compared after `norm` because PDF text layers wrap lines inside a quote.
    """
    by_file = {parsed.report.report_id: parsed for parsed in parsed_reports}
    checks = []
    for label in labels:
        parsed = by_file.get(label.file)
        quote = norm(label.quote)
        holder = None
        if parsed is not None:
            holder = next((p for p in parsed.paragraphs if quote in norm(p.text)), None)
        checks.append(SectionCheck(label, None if holder is None else tuple(holder.section_path)))
    return checks


# --- figure labels (tests/data/figures_labelled.json and the province batches) ---------------------------
def match_labels(figures: Sequence[Any], labels: Sequence[Mapping[str, Any]], texts: Mapping[str, str]):
    """Pair labels with figures one to one: same township, value, unit and approximate flag, and the
    label's quote inside the figure's sentence; a figure with the labelled metric is preferred.

    Returns (pairs of (label, figure), the figures no label claimed).
    """
    used: set[int] = set()
    pairs = []
    for label in labels:
        position = texts[label["township"]].index(label["quote"])
        candidates = [
            i
            for i, f in enumerate(figures)
            if i not in used
            and (f.township, f.value, f.unit, f.approximate)
            == (label["township"], label["value"], label["unit"], label["approximate"])
            and f.start <= position
            and position + len(label["quote"]) <= f.end
        ]
        candidates.sort(key=lambda i: figures[i].metric != label["metric"])
        if candidates:
            used.add(candidates[0])
            pairs.append((label, figures[candidates[0]]))
    return pairs, [f for i, f in enumerate(figures) if i not in used]


# --- latency -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p95_ms: float
    samples: int


def latency(timings_ms: Sequence[float]) -> Latency:
    """Median and 95th percentile (nearest rank below, as bench_retrieval has always reported it)."""
    if not timings_ms:
        raise ValueError("no timings")
    ordered = sorted(timings_ms)
    return Latency(statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))], len(ordered))


# --- one pass of the dev set through a bot -----------------------------------------------------------------
@dataclass(frozen=True)
class DevRun:
    verdicts: tuple[Verdict, ...]
    timings_ms: tuple[float, ...]  # one per question, warm (after `warm_up` untimed questions)


def run_dev_set(bot: Any, questions: Sequence[DevQuestion], *, warm_up: int = 3) -> DevRun:
    """Ask every question (a followup with its earlier turns as history), judge it and time it."""
    import time

    for question in questions[:warm_up]:  # loads jieba and the encoder's first-call state
        answer_record(bot, question)
    verdicts, timings = [], []
    for question in questions:
        start = time.perf_counter()
        record = answer_record(bot, question)
        timings.append((time.perf_counter() - start) * 1000)
        verdicts.append(judge(question, record))
    return DevRun(tuple(verdicts), tuple(timings))
