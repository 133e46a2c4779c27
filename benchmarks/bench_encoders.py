"""Encoder speed and memory on the seed reports: load time, passages/s, query latency, RSS.

Usage: python benchmarks/bench_encoders.py [--encoders e5,use] [--queries 60]

Each encoder is measured in its own fresh Python process, so that load time includes importing its
package and RSS is that encoder's alone, as when the CLI starts.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
QUESTIONS = [
    "化解了多少矛盾纠纷",
    "今年开展了多少次普法宣传活动",
    "行政执法案件办理了多少件",
    "领导干部学法几次",
    "法律顾问参与了哪些重大决策",
    "存在哪些问题和不足",
    "明年的工作打算是什么",
    "重大行政决策合法性审查情况",
    "政务公开做得怎么样",
    "行政复议和行政诉讼案件情况",
]


def seed_paragraphs() -> list[str]:
    """Non-blank lines of the seed reports: close enough to the parser's paragraphs for timing."""
    return [
        line.strip()
        for path in sorted(SEEDS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def rss_mib() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MiB."""
    status = Path("/proc/self/status")
    if status.exists():
        fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    import resource  # macOS: only the peak is available (bytes there, KiB on Linux)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mib = peak / 2**20 if sys.platform == "darwin" else peak / 1024
    return peak_mib, peak_mib


def measure(choice: str, n_queries: int) -> dict[str, float | str | int]:
    """Runs inside the child process: load one encoder and time it."""
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    from embeddings.encoders import load_encoder

    encoder = load_encoder(choice)
    load_s = time.perf_counter() - started
    rss_after_load, _ = rss_mib()

    paragraphs = seed_paragraphs()
    started = time.perf_counter()
    encoder.encode_passages(paragraphs)
    encode_s = time.perf_counter() - started

    encoder.encode_queries([QUESTIONS[0]])  # first call may allocate buffers
    latencies = []
    for i in range(n_queries):
        started = time.perf_counter()
        encoder.encode_queries([QUESTIONS[i % len(QUESTIONS)]])
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    _, peak = rss_mib()
    return {
        "encoder": encoder.name,
        "dim": encoder.dim,
        "load_s": load_s,
        "paragraphs": len(paragraphs),
        "characters": sum(map(len, paragraphs)),
        "passages_per_s": len(paragraphs) / encode_s,
        "query_p50_ms": 1000 * latencies[len(latencies) // 2],
        "query_p95_ms": 1000 * latencies[min(len(latencies) - 1, round(0.95 * len(latencies)) - 1)],
        "rss_after_load_mib": rss_after_load,
        "peak_rss_mib": peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoders", default="e5,use", help="comma-separated: e5, use, or a model folder")
    parser.add_argument("--queries", type=int, default=60, help="single-query calls for the latency figures")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.queries), ensure_ascii=False))
        return

    print(
        f"# {datetime.date.today()} · {platform.platform()} · {platform.processor() or platform.machine()}"
        f" · {os.cpu_count()} CPUs · Python {platform.python_version()}"
    )
    if hasattr(os, "getloadavg"):  # other work on the machine skews every figure below
        print(f"# load average before: {os.getloadavg()[0]:.2f}")
    header = (
        f"{'encoder':<42} {'dim':>4} {'load s':>7} {'passages/s':>10} "
        f"{'q p50 ms':>9} {'q p95 ms':>9} {'RSS MiB':>8} {'peak MiB':>9}"
    )
    print(header)
    for choice in args.encoders.split(","):
        result = subprocess.run(
            [sys.executable, __file__, "--child", choice, "--queries", str(args.queries)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            print(f"{choice:<42} failed: {result.stderr.strip().splitlines()[-1:]}")
            continue
        row = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"{row['encoder']:<42} {row['dim']:>4} {row['load_s']:>7.2f} {row['passages_per_s']:>10.1f} "
            f"{row['query_p50_ms']:>9.1f} {row['query_p95_ms']:>9.1f} "
            f"{row['rss_after_load_mib']:>8.0f} {row['peak_rss_mib']:>9.0f}"
        )
    print(f"(passages: {row['paragraphs']} non-blank seed lines, {row['characters']} characters)")


if __name__ == "__main__":
    main()
