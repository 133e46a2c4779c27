"""`zhenbao figures`: the figures table queried and exported (bot.figures_export) on the seeds' figures."""

from __future__ import annotations

import csv

import pytest

from bot.figures.extract import extract_figures
from bot.figures_export import CSV_COLUMNS, select, source_names, text_lines, write_csv
from bot.index.figures_db import FiguresDb, write_figures_db


@pytest.fixture
def table(tmp_path, seed_corpus):
    figures = tuple(f for parsed in seed_corpus.reports for f in extract_figures(parsed))
    write_figures_db(tmp_path / "figures.db", figures)
    with FiguresDb(tmp_path / "figures.db") as db:
        yield db


def _sources(seed_corpus, seeds_dir):
    return source_names([p.report for p in seed_corpus.reports], seeds_dir)


def test_a_metric_is_ranked_within_each_unit_with_its_count_of_reports(table, seed_corpus, seeds_dir):
    rows = select(table, metric="矛盾纠纷化解", town=None, year=None)
    assert [(f.township, f.value_text) for f in rows] == [
        ("季家镇", "485件"),
        ("河市镇", "217件"),
        ("兴隆镇", "60余起"),
    ]
    lines = text_lines(rows, _sources(seed_corpus, seeds_dir), "矛盾纠纷化解")
    assert lines[0] == "矛盾纠纷化解（件）：2份报告给出，合计702件"
    assert lines[1].startswith("1. 季家镇（2024年）485件 —— “本年度，我镇共排处矛盾纠纷共485件")
    assert lines[3] == "矛盾纠纷化解（起）：1份报告给出"  # one report: no 合计 of one figure
    assert lines[4].startswith("1. 兴隆镇（2024年）60余起")


def test_a_towns_figures_and_the_csv_quote_each_source_at_its_span(table, seed_corpus, seeds_dir, tmp_path):
    rows = select(table, metric=None, town="季家镇", year=2024)
    assert rows and {f.township for f in rows} == {"季家镇"}
    sources = _sources(seed_corpus, seeds_dir)
    write_csv(tmp_path / "out.csv", rows, sources)
    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel on Windows reads the BOM as UTF-8
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as lines:
        header, *body = list(csv.reader(lines))
    assert tuple(header) == CSV_COLUMNS and len(body) == len(rows)
    for row in body:
        record = dict(zip(header, row, strict=True))
        text = (seeds_dir / record["来源文件"]).read_text(encoding="utf-8")  # relative to the report folder
        assert text[int(record["起"]) : int(record["止"])] == record["原句"]
        assert record["乡镇"] == "季家镇" and record["年份"] == "2024"


def test_nothing_matching_gives_no_rows(table):
    assert select(table, metric="没有这个指标", town=None, year=None) == []
    assert select(table, metric="矛盾纠纷化解", town="季家镇", year=2019) == []
