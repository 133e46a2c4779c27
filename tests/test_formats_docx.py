"""Word tables (issue 11): rows become labelled lines in document order, quotable and countable as figures."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from bot.errors import UnsupportedFile
from bot.figures.extract import extract_figures
from bot.ingest.readers.word import read_docx, table_lines
from bot.ingest.scan import load_corpus

TITLE = "河市镇2024年法治政府建设情况报告"


def _table(document, rows: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value


@pytest.fixture
def report(tmp_path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph("一、主要成效")
    document.add_paragraph("全年依法行政工作稳步推进，主要数据如下。")
    _table(document, [("项目", "数量"), ("行政执法案件", "728件"), ("化解矛盾纠纷", "217件")])
    document.add_paragraph("二、工作对比")
    _table(
        document,
        [("项目", "2023年", "2024年"), ("行政执法案件", "650件", "728件"), ("法治讲座", "12场", "15场")],
    )
    document.add_paragraph("部分干部法治意识有待提高。")
    folder = tmp_path / "reports"
    folder.mkdir()
    path = folder / "河市镇.docx"
    document.save(path)
    return path


def test_table_rows_keep_their_labels_in_document_order(report):
    assert read_docx(report).split("\n") == [
        TITLE,
        "一、主要成效",
        "全年依法行政工作稳步推进，主要数据如下。",
        "项目｜数量。",
        "行政执法案件｜728件。",
        "化解矛盾纠纷｜217件。",
        "二、工作对比",
        "项目｜2023年｜2024年。",
        "行政执法案件｜2023年｜650件。",
        "行政执法案件｜2024年｜728件。",
        "法治讲座｜2023年｜12场。",
        "法治讲座｜2024年｜15场。",
        "部分干部法治意识有待提高。",
    ]


def test_each_row_is_a_verbatim_passage_in_its_section(report):
    parsed = load_corpus(report.parent).reports[0]
    by_text = {p.text: p for p in parsed.paragraphs}
    assert by_text["行政执法案件｜728件。"].section_path == ("一、主要成效",)
    assert by_text["法治讲座｜2024年｜15场。"].section_path == ("二、工作对比",)
    assert all(p.text == parsed.text[p.start : p.end] for p in parsed.paragraphs)
    assert list(by_text)[-1] == "部分干部法治意识有待提高。"  # the paragraph after a table stays apart


def test_figures_are_read_from_table_rows(report):
    parsed = load_corpus(report.parent).reports[0]
    found = {(f.metric, f.value, f.unit, f.quote) for f in extract_figures(parsed)}
    assert ("行政执法案件", 728.0, "件", "行政执法案件｜728件。") in found
    assert ("行政执法案件", 650.0, "件", "行政执法案件｜2023年｜650件。") in found
    assert ("法治讲座", 15.0, "场", "法治讲座｜2024年｜15场。") in found
    assert all(f.quote == parsed.text[f.start : f.end] for f in extract_figures(parsed))


def test_merged_cells_appear_once_per_row(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "2024年执法数据"
    for c, value in enumerate(("行政执法案件", "728件", "")):
        table.cell(1, c).text = value
    document.save(tmp_path / "a.docx")
    assert read_docx(tmp_path / "a.docx").split("\n") == ["2024年执法数据。", "行政执法案件｜728件。"]


@pytest.mark.parametrize(
    ("rows", "lines"),
    [
        ([["全镇情况"], ["正文一段"]], ["全镇情况", "正文一段"]),  # a one-column frame: cells stay lines
        ([["", ""], ["行政执法案件", "728件"]], ["行政执法案件｜728件。"]),  # empty rows dropped
        ([["a  b\nc", "已完成。"]], ["a b c｜已完成。"]),  # whitespace runs made one space, no 。 doubled
        ([["项目", "数量"], ["行政执法案件", ""]], ["项目｜数量。", "行政执法案件。"]),
        ([["项目", "2023年", "2024年"], ["法治讲座", "", ""]], ["项目｜2023年｜2024年。", "法治讲座。"]),
        ([], []),
        (  # a 序号 column: the label is the next column; one value column needs no header name
            [["序号", "项目", "数量"], ["1", "行政执法案件", "728件"], ["2", "化解矛盾纠纷", "217件"]],
            ["序号｜项目｜数量。", "行政执法案件｜728件。", "化解矛盾纠纷｜217件。"],
        ),
        (
            [["", "项目", "2023年", "2024年"], ["1.", "法治讲座", "12场", "15场"]],
            ["项目｜2023年｜2024年。", "法治讲座｜2023年｜12场。", "法治讲座｜2024年｜15场。"],
        ),
    ],
)
def test_table_lines_edge_cases(rows, lines):
    assert table_lines(rows) == lines


def test_a_report_framed_in_a_one_cell_table_keeps_its_paragraphs_and_headings(tmp_path):
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = TITLE
    for line in ("一、主要成效", "全年办理行政执法案件728件。", "二、存在问题", "部分干部法治意识有待提高。"):
        cell.add_paragraph(line)
    folder = tmp_path / "reports"
    folder.mkdir()
    document.save(folder / "框.docx")
    parsed = load_corpus(folder).reports[0]
    assert [(p.section_path, p.text) for p in parsed.paragraphs] == [
        (("一、主要成效",), "全年办理行政执法案件728件。"),
        (("二、存在问题",), "部分干部法治意识有待提高。"),
    ]


def test_docx_without_its_body_part_is_refused(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "a.docx", "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(UnsupportedFile) as caught:
        read_docx(tmp_path / "a.docx")
    assert "另存为 .docx" in caught.value.reason
