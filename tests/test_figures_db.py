"""The figures table in SQLite: every Figure round-trips, queries filter on the indexed columns,
and a read-only cache folder can be read (hash mismatch → rebuild is in tests/test_integrity.py)."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import stat
from collections import defaultdict

import pytest

from bot.figures.extract import extract_figures
from bot.figures.figure import Figure
from bot.index.figures_db import FiguresDb, write_figures_db


@pytest.fixture(scope="module")
def figures(seed_corpus) -> tuple[Figure, ...]:
    found = tuple(f for parsed in seed_corpus.reports for f in extract_figures(parsed))
    assert len({f.township for f in found}) == 5 and len(found) > 50
    return found


@pytest.fixture
def table(tmp_path, figures):
    write_figures_db(tmp_path / "figures.db", figures)
    with FiguresDb(tmp_path / "figures.db") as db:
        yield db


def test_every_figure_round_trips_with_all_its_fields(tmp_path, figures, table):
    assert table.all() == figures
    with sqlite3.connect(tmp_path / "figures.db") as raw:
        stored = json.loads(raw.execute("SELECT figure FROM figures LIMIT 1").fetchone()[0])
    raw.close()
    # Stored generically: a field added to Figure is stored and read back with no change here.
    assert set(stored) == {f.name for f in dataclasses.fields(Figure)}


def test_per_town_lists_by_township_and_year(figures, table):
    for township in {f.township for f in figures}:
        assert table.figures(township=township) == [f for f in figures if f.township == township]
    year = figures[0].year
    assert table.figures(township=figures[0].township, year=year) == [
        f for f in figures if f.township == figures[0].township and f.year == year
    ]
    assert table.figures(township="不存在镇") == []
    assert table.figures(report_id=figures[-1].report_id)[-1] == figures[-1]


def test_ranking_by_metric_is_largest_first(figures, table):
    metric, unit = "宣传资料发放", "份"
    expected = [f for f in figures if f.metric == metric and f.unit == unit]
    assert len({f.township for f in expected}) >= 3
    ranked = table.ranking(metric, unit)
    assert sorted(ranked, key=lambda f: -f.value) == ranked and set(ranked) == set(expected)
    assert all(f.year == expected[0].year for f in table.ranking(metric, unit, year=expected[0].year))


def test_totals_per_unit_equal_the_sums(figures, table):
    metric = "普法受众人次"
    sums: dict[str, float] = defaultdict(float)
    for f in figures:
        if f.metric == metric:
            sums[f.unit] += f.value
    totals = table.totals(metric)
    assert {t.unit: t.value for t in totals} == pytest.approx(dict(sums))
    assert totals[0].reports == len(
        {f.report_id for f in figures if f.metric == metric and f.unit == totals[0].unit}
    )
    assert table.totals("没有这个指标") == []
    assert metric in table.metrics()


def test_opens_from_a_read_only_folder_without_writing(tmp_path, figures):
    folder = tmp_path / "readonly"
    folder.mkdir()
    write_figures_db(folder / "figures.db", figures)
    (folder / "figures.db").chmod(stat.S_IRUSR)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with FiguresDb(folder / "figures.db") as db:
            assert db.figures(township=figures[0].township)
        assert os.listdir(folder) == ["figures.db"]  # no journal, WAL or lock file left behind
    finally:
        folder.chmod(stat.S_IRWXU)


def test_an_empty_table_is_a_valid_file(tmp_path):
    write_figures_db(tmp_path / "figures.db", ())
    with FiguresDb(tmp_path / "figures.db") as db:
        assert db.all() == () and db.ranking("矛盾纠纷", "件") == []
