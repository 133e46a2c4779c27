"""Retrieval quality and speed on the seeds: recall@1/@5, MRR, build time, warm and cold latency, RSS.

Run: python benchmarks/bench_retrieval.py [--model NAME] [--corpus DIR]
Prints one line per figure; copy them into benchmarks/README.md with the date and machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.evaluate import (  # noqa: E402
    SEED_HELDOUT,
    SeedQuestion,
    latency,
    load_off_topic,
    load_seed_questions,
    retrieval_scores,
    seed_rank,
)
from bot.engine import load_bot  # noqa: E402


def quality(bot, questions: tuple[SeedQuestion, ...]) -> dict[str, object]:
    ranks = [seed_rank(bot.search(q.question, top_k=5), q) for q in questions]
    scores = retrieval_scores(questions, ranks)
    return {
        "questions": scores.questions,
        "recall@1": scores.recall_at_1,
        "recall@3": scores.recall_at_3,
        "recall@5": scores.recall_at_5,
        "mrr": scores.mrr,
        "not_rank_1": list(scores.not_rank_1),
    }


def abstain_rates(bot, questions: tuple[SeedQuestion, ...], off_topic: tuple[str, ...]) -> dict[str, float]:
    answered = sum(bot.ask(q.question).status == "answered" for q in questions) / len(questions)
    refused = sum(bot.ask(q).status == "not_found" for q in off_topic) / len(off_topic)
    return {"labelled_answered": answered, "off_topic_refused": refused}


def warm_latency(bot, questions: tuple[SeedQuestion, ...], rounds: int = 5) -> dict[str, float]:
    timings = []
    for _ in range(rounds):
        bot._query_vector.cache_clear()  # measure embedding every question, not cache hits
        for q in questions:
            start = time.perf_counter()
            bot.ask(q.question)
            timings.append((time.perf_counter() - start) * 1000)
    measured = latency(timings)
    return {"warm_ask_p50_ms": measured.p50_ms, "warm_ask_p95_ms": measured.p95_ms}


def cold_start(corpus: Path, cache: str, model: str | None) -> dict[str, float]:
    """Process start → first answer printed, with the index already cached (median of 3 runs)."""
    command = [
        sys.executable,
        "-m",
        "bot",
        "ask",
        "季家镇办理了多少件行政执法案件",
        "--json",
        "--corpus",
        str(corpus),
    ]
    if model:
        command += ["--model", model]
    env = {**os.environ, "ZHENBAO_CACHE_DIR": cache}
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        runs.append(time.perf_counter() - start)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"cold_start_s": statistics.median(runs), "cli_peak_rss_mb": peak_kb / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=None)
    parser.add_argument("--corpus", default=str(ROOT / "seeds"))
    args = parser.parse_args()
    questions = load_seed_questions()
    off_topic = load_off_topic()
    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        bot = load_bot(args.corpus, model=args.model, cache_dir=cache)
        build_s = time.perf_counter() - start
        n_paragraphs = sum(len(r.paragraphs) for r in bot._state.data.reports)
        figures: dict[str, object] = {
            "encoder": bot.encoder.name,
            "reports": len(bot.reports),
            "paragraphs": n_paragraphs,
            "sentences_embedded": len(bot._state.data.chunk_paragraph),
            "index_build_s": build_s,
        }
        figures.update(quality(bot, questions))
        heldout = quality(bot, load_seed_questions(SEED_HELDOUT))
        figures.update({f"heldout_{k}": v for k, v in heldout.items()})
        figures.update(abstain_rates(bot, questions, off_topic))
        figures.update(warm_latency(bot, questions))
        figures["bench_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        figures.update(cold_start(Path(args.corpus), cache, args.model))
    for key, value in figures.items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")


if __name__ == "__main__":
    main()
