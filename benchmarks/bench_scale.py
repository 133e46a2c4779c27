"""Scale: corpora of 5, 150 and 1,500 reports — time to searchable, dense projection, warm latency, RSS.

Run: python benchmarks/bench_scale.py [--sizes 5 150 1500] [--full 5 150] [--rounds 3]
Iterate: python benchmarks/bench_scale.py --sizes 1500 --searchable-only --corpus-dir /tmp/scale
         python benchmarks/bench_scale.py --sizes 1500 --corpus-dir /tmp/scale --latency-only rank each
Each size runs in its own process (so peak RSS is that size's). Corpora are built in a temp folder:
5 = the seeds; larger = the real-report development set (tests/data/realworld/corpus, 55 files in
.txt/.docx/.pdf) plus reports derived from the seeds under other township names (about 2,000
two-character names, 镇/乡/街道), years shifted by 0-4 and every count nudged by ±50%.

"Searchable" is load_bot(background=True) with a no-op encoder (random unit vectors, 384 dims like
e5, so FAISS costs what it would) until it returns a Bot that answers from BM25 and figures: reading,
parsing, BM25 words, figures, the first index generation and the in-memory BM25. "Complete" adds the
no-op vectors (checkpoints, vector swaps) and the complete generation, which the CLI and the page do
in a thread — everything but the sentence encoder. Fully indexed is measured with the bundled encoder
for the sizes in --full, and projected from its measured rate otherwise.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine import Bot, load_bot  # noqa: E402

REALWORLD = ROOT / "tests" / "data" / "realworld"
SEEDS = ROOT / "seeds"
# Two-character place names as townships are named: ~3,000 stems, ~2,000 names none inside another.
_FIRST = (
    "青白石柳杨梅桃李松竹金银铜铁龙凤马牛云雾清明安平永宁长乐"
    "兴隆福寿新丰东西南北高双三古黄红花桂溪沙碧翠乌太大小上下前后中朱罗"
)
_SECOND = "山河溪湖桥岭坪坝塘湾口集店庄寨营城关沟岗渡埠铺堡源泉田洲峰林阳江滩场台坡圩垭港"
_SUFFIX = ("镇",) * 6 + ("乡", "街道")
# A count in the text: digits before a unit. Years, dates and numbered items are left alone.
_COUNT = re.compile(r"(?<![\d.年月])(\d+)(?=(?:余|多)?(?:件|次|场|份|人次|人|个|起|条|名|项|户|家|元|万元))")
_YEAR = re.compile(r"20(1[5-9]|2[0-6])(?=年)")


@dataclass(frozen=True)
class Template:
    """A report text to derive others from, and the township it names."""

    text: str
    township: str


class NoopEncoder:
    """Random unit vectors (deterministic per call): every stage but the model's cost, 384 dims."""

    name = "bench-noop"
    dim = 384
    tuning = None

    def __init__(self) -> None:
        self._rng = np.random.default_rng(0)

    def _vectors(self, n: int) -> np.ndarray:
        rows = self._rng.standard_normal((n, self.dim)).astype(np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._vectors(len(texts))

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        return self._vectors(len(texts))


def templates() -> list[Template]:
    """The seeds (full-length reports, ~48 embedded sentences each), each with the township it names.

    The development set's texts are short rewrites (~700 characters): deriving from them would make
    a corpus a third of the size a real one of that many reports is."""
    from bot.ingest.scan import load_corpus

    return [Template(p.text, p.report.township) for p in load_corpus(SEEDS).reports]


def township_names(n: int, rng: random.Random, taken: set[str]) -> list[str]:
    names = [a + b for a in _FIRST for b in _SECOND]
    rng.shuffle(names)
    chosen = []
    for stem in names:
        name = stem + rng.choice(_SUFFIX)
        if name not in taken and not any(name in t or t in name for t in taken):
            chosen.append(name)
            taken.add(name)
        if len(chosen) == n:
            return chosen
    raise SystemExit(f"只能生成 {len(chosen)} 个镇名，需要 {n} 个")


def derive(template: Template, township: str, rng: random.Random) -> str:
    """The template under another township name, shifted by 0–4 years, its counts nudged ±50%."""
    shift = rng.randint(-4, 0)
    text = template.text.replace(template.township, township)
    text = _YEAR.sub(lambda m: str(int("20" + m.group(1)) + shift), text)
    return _COUNT.sub(lambda m: str(max(1, round(int(m.group(1)) * rng.uniform(0.5, 1.5)))), text)


def build_corpus(folder: Path, size: int, seed: int = 7) -> None:
    """`size` report files in `folder`: the seeds for 5, else the development set plus derived ones."""
    if size <= len(list(SEEDS.glob("*.txt"))):
        for path in sorted(SEEDS.glob("*.txt"))[:size]:
            shutil.copy(path, folder / path.name)
        return
    shutil.copytree(REALWORLD / "corpus", folder, dirs_exist_ok=True)
    existing = sum(1 for p in folder.rglob("*") if p.is_file())
    rng = random.Random(seed)
    sources = templates()
    taken = {t.township for t in sources}
    for n, name in enumerate(township_names(size - existing, rng, taken)):
        text = derive(sources[n % len(sources)], name, rng)
        year = (_YEAR.search(text) or re.search(r"\d{4}", "2024")).group(0)
        (folder / f"{n:04d}_{name}{year}年法治政府建设情况报告.txt").write_text(text, encoding="utf-8")


def questions(bot: Bot) -> dict[str, list[str]]:
    """Questions of each kind, over townships of this corpus (a few per kind, different towns)."""
    towns = [r.township for r in bot.reports if r.township.endswith("镇")][:: max(1, len(bot.reports) // 4)][
        :3
    ]
    year = bot.years()[-1] if bot.years() else 2024
    return {
        "lookup": [f"{t}怎样开展普法宣传？" for t in towns],
        "figure": [f"{t}化解了多少件矛盾纠纷？" for t in towns],
        "presence": ["哪些镇提到了法律顾问？", "哪些镇开展了民法典宣传？", "哪些镇提到了枫桥经验？"],
        "rank": ["哪个镇化解矛盾纠纷最多？", "哪个镇发放宣传资料最多？", "哪个镇普法受众人次最多？"],
        "each": ["各镇化解矛盾纠纷的数量分别是多少？", "各镇发放宣传资料分别是多少份？"],
        "total": ["各镇一共化解了多少矛盾纠纷？", "各镇一共发放了多少份宣传资料？"],
        "corpus": ["语料里一共有多少份报告？", f"有几份{year}年的报告？", "报告涉及哪些县区？"],
    }


def warm_latency(bot: Bot, rounds: int, kinds: Sequence[str] | None = None) -> dict[str, dict[str, float]]:
    """p50/p95 per kind over `rounds` repetitions, after one untimed pass (warm): wall-clock ms and
    this process's CPU ms (the CPU figure is what matters while other jobs share the cores)."""
    asked = {k: v for k, v in questions(bot).items() if not kinds or k in kinds}
    for kind in asked.values():
        for q in kind:
            bot.ask(q)
    result = {}
    for kind, items in asked.items():
        wall, cpu = [], []
        for _ in range(rounds):
            for q in items:
                start, start_cpu = time.perf_counter(), time.process_time()
                bot.ask(q)
                wall.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
        result[kind] = {
            "p50_ms": _percentile(wall, 0.5),
            "p95_ms": _percentile(wall, 0.95),
            "cpu_p50_ms": _percentile(cpu, 0.5),
            "cpu_p95_ms": _percentile(cpu, 0.95),
        }
    return result


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)


def encoder_rate(bot: Bot, sample: int = 128) -> float:
    """Sentences per second of the bundled encoder on this corpus's own sentences."""
    from bot.search.fusion import dense_chunks
    from embeddings.encoders import load_encoder

    encoder = load_encoder(None)
    texts = [t for r, p in bot._state.paragraphs[:400] for t in dense_chunks(r, p)][:sample]
    encoder.encode_passages(texts[:8])  # first call loads the model
    start = time.perf_counter()
    encoder.encode_passages(texts)
    return len(texts) / (time.perf_counter() - start)  # wall-clock: the encoder uses both cores


def corpus_folder(tmp: Path, size: int, keep: Path | None) -> Path:
    """The corpus of `size` reports: generated in `tmp`, or kept in `keep`/<size> and reused."""
    corpus = keep / str(size) if keep else tmp / "corpus"
    done = corpus.with_name(corpus.name + ".complete")  # beside the folder: not a file in the corpus
    if not done.exists():
        shutil.rmtree(corpus, ignore_errors=True)
        corpus.mkdir(parents=True)
        build_corpus(corpus, size)
        done.touch()
    return corpus


def latency_only(size: int, rounds: int, keep: Path, kinds: Sequence[str]) -> dict[str, object]:
    """Warm latency on an index kept in <keep>/<size>.cache (built by the first such run, then
    reloaded): the loop to iterate on answer speed without rebuilding 1,500 reports each time."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = corpus_folder(Path(tmp), size, keep)
        bot = load_bot(corpus, encoder=NoopEncoder(), cache_dir=keep / f"{size}.cache")
        return {"size": size, "warm": warm_latency(bot, rounds, kinds)}


def one_size(
    size: int, full: bool, rounds: int, checkpoint: int, keep: Path | None = None, quick: bool = False
) -> dict[str, object]:
    figures: dict[str, object] = {"size": size}
    with tempfile.TemporaryDirectory() as tmp:
        corpus, cache = corpus_folder(Path(tmp), size, keep), Path(tmp) / "cache"
        for step in ("searchable", "reload"):  # build, then load the stored index
            # The build's Bot is let go first: a reload is how a new process starts, not a second copy.
            bot = None
            gc.unfreeze()  # the engine froze the build's snapshot out of the GC (bot/heap.py)
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            # The build answers once words and figures are indexed (background=True, as the CLI and
            # the page load); the no-op vectors and the complete generation follow in a thread.
            bot = load_bot(corpus, encoder=NoopEncoder(), cache_dir=cache, background=step == "searchable")
            figures[f"{step}_s"] = round(time.perf_counter() - start, 2)
            figures[f"{step}_cpu_s"] = round(time.process_time() - start_cpu, 2)
            if step == "searchable":
                bot.wait_for_dense()
                figures["complete_s"] = round(time.perf_counter() - start, 2)
                figures["complete_cpu_s"] = round(time.process_time() - start_cpu, 2)
            # The index workers' CPU (bot.index.workers: ZHENBAO_INDEX_WORKERS, --workers) and peak RSS.
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            figures[f"{step}_workers_cpu_s"] = round(
                after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime, 2
            )
            figures["rss_mb_workers"] = round(after.ru_maxrss / 1024)
            figures[f"rss_mb_{step}"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        if quick:  # --searchable-only: the build and reload figures, nothing else
            return figures
        sentences = len(bot._state.chunk_paragraph)
        figures.update(
            reports=len(bot.reports),
            skipped=len(bot.skipped),
            paragraphs=len(bot._state.paragraphs),
            sentences=sentences,
            figures=len(bot.corpus.figures),
        )
        figures["warm"] = warm_latency(bot, rounds)
        rate = encoder_rate(bot)
        figures["encoder_sentences_per_s"] = round(rate, 1)
        figures["dense_projected_s"] = round(sentences / rate, 1)
        # No checkpoint on this branch: a kill during embedding loses the whole run. With a
        # checkpoint every `checkpoint` sentences (the background branch) it loses at most this:
        figures["kill_loses_s_today"] = figures["dense_projected_s"]
        figures["kill_loses_s_per_checkpoint"] = round(min(checkpoint, sentences) / rate, 1)
        figures["rss_mb_warm"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        if full:
            start = time.perf_counter()
            load_bot(corpus, cache_dir=Path(tmp) / "cache-e5")
            figures["fully_indexed_s"] = round(time.perf_counter() - start, 1)
            figures["rss_mb_full"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 150, 1500])
    parser.add_argument(
        "--full", type=int, nargs="*", default=[5, 150], help="sizes indexed with the real encoder"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--checkpoint", type=int, default=1024, help="sentences per dense checkpoint")
    parser.add_argument(
        "--corpus-dir", type=Path, help="keep the generated corpora here (<dir>/<size>) and reuse them"
    )
    parser.add_argument(
        "--searchable-only", action="store_true", help="only build and reload (the fast path to iterate)"
    )
    parser.add_argument(
        "--latency-only",
        nargs="*",
        metavar="KIND",
        help="only warm latency (of these kinds: lookup figure presence rank each total corpus; "
        "all if none named) on an index kept beside --corpus-dir",
    )
    parser.add_argument("--workers", type=int, help="index worker processes (default: the cores, up to 4)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one size in this process
    args = parser.parse_args()
    if args.latency_only is not None and not args.corpus_dir:
        parser.error("--latency-only 需要 --corpus-dir（索引保存在那里，下次直接载入）")
    if args.one is not None and args.latency_only is not None:
        figures = latency_only(args.one, args.rounds, args.corpus_dir, args.latency_only)
        print(json.dumps(figures, ensure_ascii=False))
        return
    if args.one is not None:
        full = args.one in args.full and not args.searchable_only
        quick = args.searchable_only
        figures = one_size(args.one, full, args.rounds, args.checkpoint, args.corpus_dir, quick)
        print(json.dumps(figures, ensure_ascii=False))
        return
    for size in args.sizes:
        command = [sys.executable, __file__, "--one", str(size), "--rounds", str(args.rounds)]
        command += ["--checkpoint", str(args.checkpoint), "--full", *map(str, args.full)]
        command += ["--corpus-dir", str(args.corpus_dir.resolve())] if args.corpus_dir else []
        command += ["--searchable-only"] if args.searchable_only else []
        command += ["--latency-only", *args.latency_only] if args.latency_only is not None else []
        env = {**os.environ, **({"ZHENBAO_INDEX_WORKERS": str(args.workers)} if args.workers else {})}
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
        if done.returncode:
            print(f"size {size} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
            continue
        print(done.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
