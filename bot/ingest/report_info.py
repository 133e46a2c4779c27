"""报告信息.csv: the user's own word on a report's township, county and year, which wins over detection.

A small table beside the reports (in the corpus folder), one row per file:

    文件,乡镇,县区,年份
    往年/3.txt,东庄镇,,2024

`文件` is the path under the corpus folder (or just the file name when it is unique); an empty cell
keeps what was detected. Spreadsheet programs on Windows save CSV as GBK or as UTF-8 with a BOM,
so the table is decoded like a .txt report (bot.ingest.readers.text).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from bot.errors import UnsupportedFile
from bot.ingest.readers.text import read_txt
from bot.report import FieldSource, Report

TABLE_NAME = "报告信息.csv"
COLUMNS = ("文件", "乡镇", "县区", "年份")


@dataclass(frozen=True)
class ReportInfo:
    """One row of the table: what the user says about one file (None: keep what was detected)."""

    file: str
    township: str | None = None
    county: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Table:
    """The rows by file, and what in the table could not be used (shown by `python -m bot index`)."""

    rows: dict[str, ReportInfo]
    problems: tuple[str, ...] = ()


def table_path(corpus_dir: Path) -> Path:
    return Path(corpus_dir) / TABLE_NAME


def read_table(corpus_dir: Path) -> Table:
    """The corpus folder's 报告信息.csv; an empty Table when there is none.

    A bad table never stops indexing: an unreadable table or a bad cell is left out and named in
    `problems`, and detection stands for what it would have set.
    """
    path = table_path(corpus_dir)
    if not path.is_file():
        return Table({})
    try:
        text = read_txt(path)
    except UnsupportedFile as exc:
        return Table({}, (f"{TABLE_NAME} 无法读取：{exc.reason}",))
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is not None and "文件" not in [name.strip() for name in reader.fieldnames]:
        return Table({}, (f"{TABLE_NAME} 的第一行应为列名：{','.join(COLUMNS)}",))
    table: dict[str, ReportInfo] = {}
    problems: list[str] = []
    for number, row in enumerate(reader, start=2):
        row = {(key or "").strip(): value for key, value in row.items()}
        info = _row(row, number, problems)
        if info is not None:
            table[info.file] = info
    return Table(table, tuple(problems))


def _row(row: dict[str, str | None], number: int, problems: list[str]) -> ReportInfo | None:
    def cell(name: str) -> str | None:
        value = (row.get(name) or "").strip()
        return value or None

    file = cell("文件")
    if file is None:
        return None
    year = cell("年份")
    digits = (year or "").removesuffix("年度").removesuffix("年")
    if year is not None and not (digits.isdigit() and 1990 <= int(digits) <= 2100):
        problems.append(
            f"{TABLE_NAME} 第{number}行：年份“{year}”不是年份，请写成 2024 这样的四位数（已忽略）"
        )
        digits = ""
    return ReportInfo(
        file=file.replace("\\", "/"),
        township=cell("乡镇"),
        county=cell("县区"),
        year=int(digits) if digits else None,
    )


def info_for(table: Table, report_id: str) -> ReportInfo | None:
    """The row for a report: by its path under the corpus folder, else by its bare file name."""
    return table.rows.get(report_id) or table.rows.get(PurePosixPath(report_id).name)


def apply_info(report: Report, info: ReportInfo | None) -> Report:
    """The report with the table's fields in place of detected ones; they are then no longer doubtful."""
    if info is None:
        return report
    given = {"township": info.township, "county": info.county, "year": info.year}
    stated = {name for name, value in given.items() if value is not None}
    if not stated:
        return report
    sources = tuple(FieldSource(s.field, "table", 1.0) if s.field in stated else s for s in report.sources)
    return replace(
        report,
        township=info.township or report.township,
        district=info.county or report.district,
        year=info.year if info.year is not None else report.year,
        sources=sources,
        doubtful=tuple(name for name in report.doubtful if name not in stated),
    )


def write_info(corpus_dir: Path, info: ReportInfo) -> Path:
    """Set one file's row in 报告信息.csv (added or replaced; other rows kept) and return the table's path.

    Written as UTF-8 with a BOM so that Excel on Windows opens it with the Chinese intact.
    """
    from embeddings.files import atomic_write_bytes  # a half-written table must never be read

    path = table_path(corpus_dir)
    rows = dict(read_table(corpus_dir).rows)
    rows.pop(PurePosixPath(info.file).name, None)  # a bare-name row for the same file is superseded
    rows[info.file] = info
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows.values():
        writer.writerow([row.file, row.township or "", row.county or "", row.year or ""])
    atomic_write_bytes(path, out.getvalue().encode("utf-8-sig"))
    return path
