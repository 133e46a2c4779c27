"""Excel attachments (issue 11): a block per sheet under its name, rows as labelled lines."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from bot.errors import UnsupportedFile
from bot.figures.extract import extract_figures
from bot.ingest.formats import SUPPORTED_SUFFIXES
from bot.ingest.read import read_text
from bot.ingest.readers.xlsx import read_xlsx
from bot.ingest.scan import load_corpus

NAME = "河市镇2024年法治政府建设数据.xlsx"


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "执法数据"
    for row in [
        ("项目", "2023年", "2024年"),
        ("行政执法案件", "650件", "728件"),
        ("化解矛盾纠纷", 180, 217.0),
        ("检查日期", dt.date(2023, 3, 1), dt.datetime(2024, 3, 1, 9, 30)),
    ]:
        sheet.append(row)
    book.create_sheet("空表")
    legal = book.create_sheet("普法")
    legal.append(("法治讲座", "15场"))
    legal.append(("普法宣传活动", "32次"))
    legal.append(("是否完成", True))
    folder = tmp_path / "reports"
    folder.mkdir()
    path = folder / NAME
    book.save(path)
    return path


def test_sheets_are_numbered_blocks_of_labelled_rows(workbook):
    assert read_xlsx(workbook).split("\n") == [
        "一、执法数据",
        "项目｜2023年｜2024年。",
        "行政执法案件｜2023年｜650件。",
        "行政执法案件｜2024年｜728件。",
        "化解矛盾纠纷｜2023年｜180。",
        "化解矛盾纠纷｜2024年｜217。",
        "检查日期｜2023年｜2023-03-01。",
        "检查日期｜2024年｜2024-03-01 09:30:00。",
        "三、普法",  # the empty sheet gives no block but keeps its place in the numbering
        "法治讲座｜15场。",
        "普法宣传活动｜32次。",
        "是否完成｜是。",
    ]


def test_sheet_names_are_the_sections_and_passages_are_verbatim(workbook):
    corpus = load_corpus(workbook.parent)
    assert NAME in {Path(p.report.source).name for p in corpus.reports}
    parsed = corpus.reports[0]
    assert (parsed.report.township, parsed.report.year) == ("河市镇", 2024)
    sections = {p.text: p.section_path for p in parsed.paragraphs}
    assert sections["行政执法案件｜2024年｜728件。"] == ("一、执法数据",)
    assert sections["法治讲座｜15场。"] == ("三、普法",)
    assert all(p.text == parsed.text[p.start : p.end] for p in parsed.paragraphs)
    found = {(f.metric, f.value, f.unit) for f in extract_figures(parsed)}
    assert {("行政执法案件", 728.0, "件"), ("法治讲座", 15.0, "场")} <= found


def test_xlsx_is_a_supported_type():
    assert ".xlsx" in SUPPORTED_SUFFIXES


def _broken_files(folder: Path) -> dict[str, str]:
    """Each kind of bad .xlsx, with a word its reason must hold."""
    (folder / "空文件.xlsx").write_bytes(b"")
    (folder / "旧版.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    (folder / "不是压缩包.xlsx").write_bytes(b"not a zip at all")
    with zipfile.ZipFile(folder / "缺工作簿.xlsx", "w") as package:
        package.writestr("readme.txt", "镇")
    with zipfile.ZipFile(folder / "坏XML.xlsx", "w") as package:
        package.writestr("[Content_Types].xml", "<Types")
        package.writestr("xl/workbook.xml", "<workbook")
    return {
        "空文件.xlsx": "文件为空",
        "旧版.xlsx": ".xls",
        "不是压缩包.xlsx": "另存为 .xlsx",
        "缺工作簿.xlsx": "另存为 .xlsx",
        "坏XML.xlsx": "另存为 .xlsx",
    }


def test_broken_xlsx_files_are_skipped_and_named(workbook):
    expected = _broken_files(workbook.parent)
    corpus = load_corpus(workbook.parent)
    reasons = {Path(entry.path).name: entry.reason for entry in corpus.skipped}
    assert set(reasons) == set(expected)
    for name, word in expected.items():
        assert word in reasons[name], (name, reasons[name])


def test_a_workbook_of_empty_sheets_is_an_empty_file(tmp_path):
    openpyxl.Workbook().save(tmp_path / "a.xlsx")
    assert read_xlsx(tmp_path / "a.xlsx") == ""
    with pytest.raises(UnsupportedFile, match="文件为空"):
        read_text(tmp_path / "a.xlsx")
