"""The command line contract that the UI, benchmarks and scripts rely on (real seeds, real encoder)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def run(seed_bot, seed_cache, seeds_dir):
    """Run `python -m bot …` against the index the seed_bot fixture already built."""
    env = {**os.environ, "ZHENBAO_CACHE_DIR": str(seed_cache)}

    def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args, "--corpus", str(seeds_dir)],
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            cwd=ROOT,
            timeout=300,
        )

    return run_cli


def test_ask_json(run):
    result = run("ask", "商酒务镇怎样治理违章建筑？", "--json", "--top-k", "2")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "answered"
    assert len(data["passages"]) == 2
    first = data["passages"][0]
    assert first["township"] == "商酒务镇" and first["year"] == 2023
    source = Path(first["source"]).read_bytes().decode("utf-8")
    assert source[first["start"] : first["end"]] == first["text"]


def test_ask_figures_json_has_cited_figures(run):
    result = run("ask", "哪个镇办理行政执法案件最多", "--json")
    data = json.loads(result.stdout)
    assert data["answer"].startswith("季家镇办理行政执法案件最多：728件")
    top = data["figures"][0]
    assert (top["township"], top["value"], top["unit"]) == ("季家镇", 728, "件")
    source = Path(top["source"]).read_bytes().decode("utf-8")
    assert source[top["start"] : top["end"]] == top["quote"]


def test_ask_text_output_shows_quotes_and_citations(run):
    result = run("ask", "宁河镇的常年法律顾问是谁？")
    assert result.returncode == 0
    assert "聘请秦天律所宋建岩同志为镇常年法律顾问" in result.stdout
    assert "（来源：宁河镇《宁河镇2024年度法治政府建设情况报告》" in result.stdout


def test_stdin_mode_answers_each_line_and_reports_bad_lines(run):
    lines = ["河市镇挂了多少条横幅？", "问" * 300, "", "明天天气怎么样？"]
    result = run("ask", "--json", "-", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["status"] for a in answers] == ["answered", "error", "not_found"]
    assert "问题太长" in answers[1]["error"]
    assert answers[0]["passages"][0]["township"] == "河市镇"


def test_unknown_town_exits_2_listing_townships(run):
    result = run("ask", "法律顾问", "--town", "北京镇")
    assert result.returncode == 2
    assert "可选的乡镇：兴隆镇、河市镇、商酒务镇、宁河镇、季家镇" in result.stderr
    assert "Traceback" not in result.stderr


def test_index_lists_reports(run):
    result = run("index")
    assert result.returncode == 0
    assert "已索引 5 份报告" in result.stdout
    assert "商酒务镇  2023" in result.stdout


def test_index_json_gives_each_field_with_its_source_and_confidence(run):
    result = run("index", "--json")
    assert result.returncode == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 5 and {row["status"] for row in rows} == {"indexed"}
    jijia = next(row for row in rows if row["township"] == "季家镇")
    assert (jijia["county"], jijia["year"]) == ("大足区", 2024)
    assert jijia["township_source"] in ("title", "issuer", "signature")
    assert jijia["township_confidence"] >= 0.9
    assert jijia["doubtful"] == []


def test_figures_lists_metrics_ranks_one_and_exports_csv(run, tmp_path):
    listed = run("figures")
    assert listed.returncode == 0, listed.stderr
    assert "矛盾纠纷化解（3份报告）" in listed.stdout
    out = tmp_path / "数字.csv"
    ranked = run("figures", "--metric", "矛盾纠纷化解", "--csv", str(out))
    assert ranked.returncode == 0, ranked.stderr
    lines = ranked.stdout.splitlines()
    assert lines[0] == "矛盾纠纷化解（件）：2份报告给出，合计702件"
    assert lines[1].startswith("1. 季家镇（2024年）485件 —— “") and lines[2].startswith(
        "2. 河市镇（2024年）217件"
    )
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and "已写入 3 行" in ranked.stdout
    missing = run("figures", "--metric", "没有这个指标")
    assert missing.returncode == 2 and "没有找到符合条件（没有这个指标）的数字" in missing.stdout
