"""Figure answers as a table and a bar chart (ui/figures.py), on figures quoted from the seed reports."""

from __future__ import annotations

from pathlib import Path

from bot.answers.model import Answer
from bot.figures.figure import Figure
from bot.report import Report
from ui.figures import BAR_X, BAR_Y, COLUMNS, bar_data, figure_table, figure_updates

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SECTION = ("一、推进法治政府建设的主要举措及成效", "（五）持续完善基层治理体系")


def _pair(township: str, value: float, unit: str = "件", metric: str = "矛盾纠纷化解", year=2024, quote=""):
    report = Report(
        report_id=f"{township}.txt",
        township=township,
        district=None,
        year=year,
        title=f"{year}年法治政府建设情况报告",
        source=str(SEEDS / f"{township}.txt"),
        sha256="0" * 64,
    )
    quote = quote or f"全年共化解矛盾纠纷{value:g}{unit}。"
    figure = Figure(
        report.report_id, township, year, metric, metric, value, unit, False, quote, 0, len(quote),
        SECTION, True,
    )  # fmt: skip
    return figure, report


def _answer(*pairs) -> Answer:
    return Answer("哪个镇化解矛盾纠纷最多", "answered", "季家镇化解矛盾纠纷最多：485件。", figures=pairs,
                  kind="figures")  # fmt: skip


def test_table_has_one_row_per_figure_with_its_verbatim_quote_and_source():
    table = figure_table(_answer(_pair("季家镇", 485), _pair("河市镇", 217, quote="共化解矛盾纠纷217件。")))
    assert list(table.columns) == COLUMNS
    assert table.iloc[1].tolist() == [
        "河市镇",
        "2024年",
        "矛盾纠纷化解",
        "217件",
        "共化解矛盾纠纷217件。",
        "河市镇《2024年法治政府建设情况报告》" + " > ".join(SECTION),
    ]


def test_a_ranking_gets_bars_of_its_own_metric_only():
    answer = _answer(
        _pair("季家镇", 485), _pair("河市镇", 217), _pair("兴隆镇", 60, "起"),
        _pair("宁河镇", 40, metric="突出矛盾纠纷化解"),
    )  # fmt: skip
    bars = bar_data(answer)
    assert bars[BAR_X].tolist() == ["季家镇", "河市镇", "兴隆镇"]
    assert bars[BAR_Y].tolist() == [485, 217, 60]
    table, chart = figure_updates(answer)
    assert table.visible and chart.visible and len(table.value["data"]) == 4


def test_no_chart_for_one_figure_or_for_percentages_beside_counts():
    assert bar_data(_answer(_pair("季家镇", 728))) is None
    assert bar_data(_answer(_pair("季家镇", 98, "%"), _pair("河市镇", 217))) is None
    assert bar_data(None) is None


def test_several_years_label_the_bars_by_town_and_year():
    bars = bar_data(_answer(_pair("季家镇", 485, year=2024), _pair("季家镇", 400, year=2023)))
    assert bars[BAR_X].tolist() == ["季家镇 2024", "季家镇 2023"]


def test_a_passage_answer_hides_table_and_chart():
    table, chart = figure_updates(Answer("普法", "answered", "……"))
    assert table.visible is False and chart.visible is False
