"""报告信息.csv: the user's word on a file's township, county and year wins over detection."""

from __future__ import annotations

from bot.ingest.report_info import TABLE_NAME, read_table
from bot.ingest.scan import load_corpus

SILENT = "2024年法治政府建设情况报告\n一、主要举措\n我们全年开展普法宣传12次。\n"
NAMED = "东风镇2024年法治政府建设情况报告\n一、主要举措\n东风镇全年开展普法宣传12次。\n"


def _folder(tmp_path, table: str | None, encoding: str = "utf-8"):
    (tmp_path / "往年").mkdir()
    (tmp_path / "往年" / "3.txt").write_text(SILENT, encoding="utf-8")
    (tmp_path / "东风镇.txt").write_text(NAMED, encoding="utf-8")
    if table is not None:
        (tmp_path / TABLE_NAME).write_text(table, encoding=encoding)
    return tmp_path


def _reports(folder):
    return {p.report.report_id: p.report for p in load_corpus(folder).reports}


def test_without_a_table_detection_stands_and_a_silent_report_is_doubtful(tmp_path):
    reports = _reports(_folder(tmp_path, None))
    assert reports["往年/3.txt"].township == "3"
    assert "township" in reports["往年/3.txt"].doubtful


def test_table_sets_township_county_and_year_and_clears_the_doubt(tmp_path):
    table = "文件,乡镇,县区,年份\n往年/3.txt,东庄镇,鼓楼区,2023\n"
    report = _reports(_folder(tmp_path, table))["往年/3.txt"]
    assert (report.township, report.district, report.year) == ("东庄镇", "鼓楼区", 2023)
    assert report.doubtful == ()
    assert report.source_of("township").source == "table"
    assert report.source_of("title").source == "title"  # a field the table does not set is kept


def test_table_saved_by_excel_in_gbk_with_bare_file_names_and_empty_cells(tmp_path):
    table = "文件,乡镇,县区,年份\r\n3.txt,东庄镇,,\r\n东风镇.txt,,,2025年\r\n"
    reports = _reports(_folder(tmp_path, table, encoding="gbk"))
    assert (reports["往年/3.txt"].township, reports["往年/3.txt"].year) == ("东庄镇", 2024)
    assert (reports["东风镇.txt"].township, reports["东风镇.txt"].year) == ("东风镇", 2025)


def test_bad_cells_are_named_and_ignored_never_fatal(tmp_path):
    folder = _folder(tmp_path, "文件,乡镇,县区,年份\n往年/3.txt,东庄镇,,去年\n")
    table = read_table(folder)
    assert table.rows["往年/3.txt"].township == "东庄镇"
    assert table.rows["往年/3.txt"].year is None
    assert len(table.problems) == 1 and "第2行" in table.problems[0] and "去年" in table.problems[0]
    assert _reports(folder)["往年/3.txt"].year == 2024


def test_a_table_without_its_header_is_reported_not_used(tmp_path):
    folder = _folder(tmp_path, "往年/3.txt,东庄镇,,2023\n")
    assert read_table(folder).rows == {}
    assert "第一行应为列名" in read_table(folder).problems[0]


def test_write_info_adds_or_replaces_one_row_and_keeps_the_others(tmp_path):
    from bot.ingest.report_info import ReportInfo, write_info

    folder = _folder(tmp_path, "文件,乡镇,县区,年份\n东风镇.txt,,,2025\n3.txt,西庄镇,,\n")
    write_info(folder, ReportInfo("往年/3.txt", township="东庄镇", county="鼓楼区", year=2023))
    raw = (folder / TABLE_NAME).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens a UTF-8 CSV right only with its BOM
    rows = read_table(folder).rows
    assert set(rows) == {"东风镇.txt", "往年/3.txt"}  # the bare-name row for the same file is replaced
    assert rows["东风镇.txt"].year == 2025
    report = _reports(folder)["往年/3.txt"]
    assert (report.township, report.district, report.year) == ("东庄镇", "鼓楼区", 2023)
