"""Load test of the page (issue 13): 20 concurrent clients × 25 questions against /ask, an upload midway.

Run: python benchmarks/bench_load.py [--clients 20] [--questions 25] [--model NAME]

Starts `python -m ui` on a free port with a temporary copy of seeds/ and a temporary cache (so the
user's index is never touched), waits for the page, then lets every client ask its questions one after
another through the page's /ask API (gradio_client, as tests/test_ui_app.py calls it). When half the
questions have been answered, one more client uploads a new .docx report (with a table) through
/upload, and afterwards asks a question only that report answers. Prints the errors (an exception or an
answer without text counts), latency p50/p95/max of /ask, the upload's time and outcome; exits 1 when
anything failed. Copy the lines into benchmarks/README.md with the date, machine and load it prints.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "tests" / "data" / "questions.jsonl"
START_TIMEOUT = 900  # first start builds the index with the real encoder
ASK_TIMEOUT = 300
UPLOAD_TOWNSHIP = "石马镇"
UPLOAD_QUESTION = "石马镇化解了多少件矛盾纠纷？"


@dataclass
class Tally:
    """What the clients saw, shared between their threads."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    half: threading.Event = field(default_factory=threading.Event)
    total: int = 0

    def record(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)
            if len(self.latencies) >= self.total // 2:
                self.half.set()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _questions(count: int) -> list[str]:
    lines = QUESTIONS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()][:count]


def _start_page(work: Path, model: str | None) -> tuple[subprocess.Popen, str]:
    corpus = work / "reports"
    shutil.copytree(ROOT / "seeds", corpus)
    port = _free_port()
    env = {**os.environ, "ZHENBAO_CACHE_DIR": str(work / "cache"), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "ui", "--port", str(port), "--corpus", str(corpus)]
    if model:
        command += ["--model", model]
    log = (work / "page.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(
                f"网页进程已退出（{process.returncode}）：\n{(work / 'page.log').read_text('utf-8')}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(1)
    process.terminate()
    raise SystemExit(f"网页 {START_TIMEOUT} 秒内未启动")


def _ask(client, question: str) -> str | None:
    """None when the answer came back with text, else what went wrong."""
    try:
        answer = client.predict(question, api_name="/ask")
    except Exception as exc:  # every failure of a request is a counted error, never a stop
        return f"{question}：{type(exc).__name__}: {exc}"
    if not isinstance(answer, dict) or not answer.get("answer"):
        return f"{question}：回答没有正文：{str(answer)[:200]}"
    return None


def _client_run(url: str, questions: list[str], tally: Tally) -> None:
    from gradio_client import Client

    try:
        client = Client(url, verbose=False, download_files=False)
    except Exception as exc:  # a client that cannot connect fails all its questions
        for question in questions:
            tally.record(0.0, f"{question}：无法连接：{type(exc).__name__}: {exc}")
        return
    for question in questions:
        started = time.perf_counter()
        error = _ask(client, question)
        tally.record(time.perf_counter() - started, error)


def _new_report(folder: Path) -> Path:
    import docx

    document = docx.Document()
    for line in (
        f"{UPLOAD_TOWNSHIP}人民政府关于2024年法治政府建设情况的报告",
        "一、主要举措和成效",
        f"{UPLOAD_TOWNSHIP}全年共排查化解矛盾纠纷137件，设立“院坝调解室”9个，调解成功率98%。",
    ):
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    for row, cells in enumerate((("项目", "数量"), ("法治讲座", "26场"))):
        for column, value in enumerate(cells):
            table.cell(row, column).text = value
    document.add_paragraph("二、存在的问题")
    document.add_paragraph("部分村干部法治意识有待提高。")
    path = folder / f"{UPLOAD_TOWNSHIP}2024年法治政府建设情况报告.docx"
    document.save(path)
    return path


def _upload(url: str, work: Path, tally: Tally) -> dict:
    from gradio_client import Client, handle_file

    tally.half.wait()
    client = Client(url, verbose=False, download_files=False)
    started = time.perf_counter()
    outcome: dict = {}
    try:
        status, *_rest = client.submit([handle_file(str(_new_report(work)))], api_name="/upload").result(
            timeout=ASK_TIMEOUT
        )
        outcome["status"] = status
    except Exception as exc:  # counted and printed like any other failure
        outcome["error"] = f"上传失败：{type(exc).__name__}: {exc}"
    outcome["seconds"] = time.perf_counter() - started
    answer = client.predict(UPLOAD_QUESTION, api_name="/ask")
    outcome["answer"] = answer.get("answer", "") if isinstance(answer, dict) else str(answer)
    return outcome


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _report(tally: Tally, upload: dict, clients: int, wall: float) -> int:
    ms = [seconds * 1000 for seconds in tally.latencies]
    print(
        f"请求：{len(ms)} 次 /ask（{clients} 个并发客户端），用时 {wall:.1f} s，"
        f"吞吐 {len(ms) / wall:.1f} 次/秒"
    )
    print(f"错误：{len(tally.errors)}")
    for error in tally.errors[:20]:
        print(f"  {error}")
    print(
        f"延迟 ms：p50 {statistics.median(ms):.0f}，p95 {_percentile(ms, 0.95):.0f}，"
        f"max {max(ms):.0f}，mean {statistics.fmean(ms):.0f}"
    )
    upload_ok = "error" not in upload and "已建立索引" in upload.get("status", "")
    answered = "137" in upload.get("answer", "")
    print(f"上传：{upload.get('status') or upload.get('error')}（{upload['seconds']:.1f} s）")
    print(
        f"上传后提问“{UPLOAD_QUESTION}”：{'答出 137件' if answered else '未答出'}："
        f"{upload.get('answer', '')[:120]}"
    )
    return 0 if not tally.errors and upload_ok and answered else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="网页负载测试：并发提问，中途上传一份报告")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--questions", type=int, default=25)
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)
    questions = _questions(args.questions)
    print(
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC · {platform.platform()} · "
        f"{os.cpu_count()} cores"
    )
    with tempfile.TemporaryDirectory(prefix="zhenbao-load-") as folder:
        work = Path(folder)
        started = time.monotonic()
        process, url = _start_page(work, args.model)
        print(f"网页已启动：{url}（{time.monotonic() - started:.0f} s，含建立索引）")
        print(f"开始时负载：{os.getloadavg()[0]:.1f}")
        tally = Tally(total=args.clients * len(questions))
        try:
            with ThreadPoolExecutor(max_workers=args.clients + 1) as pool:
                upload = pool.submit(_upload, url, work, tally)
                began = time.monotonic()
                runs = [pool.submit(_client_run, url, questions, tally) for _ in range(args.clients)]
                for run in runs:
                    run.result()
                wall = time.monotonic() - began
                tally.half.set()  # the upload must not wait for a half that failed clients never reached
                outcome = upload.result()
        finally:
            process.terminate()
            process.wait(timeout=30)
        print(f"结束时负载：{os.getloadavg()[0]:.1f}")
        return _report(tally, outcome, args.clients, wall)


if __name__ == "__main__":
    sys.exit(main())
