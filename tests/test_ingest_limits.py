"""Bounded cost per file (issue 13, point 4): each case reproduced small, skipped or cut with its reason.

Each file over a limit is named in the skipped list with a reason naming the limit (limits.<name>), and
finishes in seconds; the good report beside it is still read.
"""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import docx
import openpyxl

from bot.index.sync import sync_index
from bot.ingest import parse
from bot.ingest.limits import LIMITS, lowered
from bot.ingest.scan import load_corpus
from bot.lang.tokenizer import Tokenizer
from bot.search.fusion import dense_chunks
from tests.fakes.encoder import FakeEncoder
from tests.test_formats_ofd import build_ofd

TITLE = "季家镇2024年法治政府建设情况报告"
GOOD = f"{TITLE}\n一、主要举措\n全年办理行政执法案件728件。\n二、存在问题\n部分干部法治意识有待提高。\n"
# The 1 MB one-sentence text of the issue: 349,540 characters without a single 。
ONE_SENTENCE = ("全镇坚持依法行政推进法治政府建设并持续加强行政执法监督" * 13_000)[:349_540]
SECONDS = 20  # generous: the machine may be shared; before the limits these took minutes


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "好报告.txt").write_text(GOOD, encoding="utf-8")
    return folder


def _skipped(folder: Path) -> dict[str, str]:
    started = time.monotonic()
    corpus = load_corpus(folder)
    assert time.monotonic() - started < SECONDS
    assert [parsed.report.report_id for parsed in corpus.reports] == ["好报告.txt"]
    return {Path(entry.path).name: entry.reason for entry in corpus.skipped}


def test_one_megabyte_one_sentence_text_is_skipped_naming_report_chars(tmp_path):
    folder = _folder(tmp_path)
    (folder / "一句话.txt").write_text(f"{TITLE}\n{ONE_SENTENCE}\n", encoding="utf-8")
    assert (folder / "一句话.txt").stat().st_size > 1_000_000 * 0.95
    reason = _skipped(folder)["一句话.txt"]
    assert "limits.report_chars" in reason and "已跳过" in reason


def test_a_long_run_under_the_report_limit_is_cut_into_bounded_passages(tmp_path):
    folder = _folder(tmp_path)
    run = ONE_SENTENCE[:20_000]
    (folder / "长句.txt").write_text(f"{TITLE}\n一、主要举措\n{run}\n", encoding="utf-8")
    started = time.monotonic()
    corpus = load_corpus(folder)
    assert time.monotonic() - started < SECONDS
    parsed = next(p for p in corpus.reports if p.report.report_id == "长句.txt")
    limit = LIMITS.passage_chars
    assert len(parsed.paragraphs) >= len(run) // limit
    assert all(len(p.text) <= limit and p.text == parsed.text[p.start : p.end] for p in parsed.paragraphs)
    # Together the pieces still hold every character of the run, in order.
    assert "".join(p.text for p in parsed.paragraphs) == run
    chunks = [chunk for p in parsed.paragraphs for chunk in dense_chunks(parsed.report, p)]
    assert max(len(chunk) for chunk in chunks) <= limit + 20  # + the "季家镇：一、主要举措。" prefix


def test_an_over_long_paragraph_is_cut_after_a_sentence_end_when_it_has_one(tmp_path):
    folder = _folder(tmp_path)
    sentence = "全镇坚持依法行政，推进法治政府建设，持续加强行政执法监督。"  # 29 characters
    (folder / "长段.txt").write_text(f"{TITLE}\n一、主要举措\n{sentence * 10}\n", encoding="utf-8")
    with lowered(passage_chars=100):
        parsed = next(p for p in load_corpus(folder).reports if p.report.report_id == "长段.txt")
    assert [len(p.text) for p in parsed.paragraphs] == [87, 87, 87, 29]
    assert all(p.text.endswith("。") for p in parsed.paragraphs)


def test_a_very_long_text_is_skipped_before_it_is_decoded(tmp_path):
    folder = _folder(tmp_path)
    (folder / "超长.txt").write_text(
        TITLE + "\n" + "全年办理行政执法案件728件。\n" * 20_000, encoding="utf-8"
    )
    with lowered(report_chars=50_000):
        reason = _skipped(folder)["超长.txt"]
    assert "limits.report_chars" in reason and "50,000" in reason


def test_too_many_paragraphs_are_skipped_naming_the_limit(tmp_path):
    folder = _folder(tmp_path)
    (folder / "多段.txt").write_text(TITLE + "\n" + "全年办理行政执法案件728件。\n" * 300, encoding="utf-8")
    with lowered(report_paragraphs=100):
        assert "limits.report_paragraphs" in _skipped(folder)["多段.txt"]


def _docx_with_body(path: Path, body_xml: bytes) -> Path:
    """A real .docx (python-docx's template) whose word/document.xml is replaced by `body_xml`."""
    template = path.with_suffix(".template.docx")
    docx.Document().save(template)
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = body_xml if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info.filename, data)
    template.unlink()
    return path


def _document_xml(paragraphs: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + paragraphs
        + b"</w:body></w:document>"
    )


def test_zip_bomb_docx_is_refused_before_it_is_inflated(tmp_path):
    """The issue's 193 KB .docx of 104.9 MB empty paragraphs, at the default limits."""
    folder = _folder(tmp_path)
    bomb = _docx_with_body(folder / "炸弹.docx", _document_xml(b"<w:p/>" * 17_500_000))
    assert bomb.stat().st_size < 1_000_000
    reason = _skipped(folder)["炸弹.docx"]
    assert "limits.member_bytes" in reason


def test_docx_of_many_empty_paragraphs_under_the_size_limit_is_refused_by_count(tmp_path):
    folder = _folder(tmp_path)
    _docx_with_body(folder / "空段.docx", _document_xml(b"<w:p/>" * 2_000_000))  # 12 MB inflated
    assert "limits.report_paragraphs" in _skipped(folder)["空段.docx"]


def test_xlsx_whose_cells_span_the_whole_width_is_skipped_naming_table_cells(tmp_path):
    """Each row holding a cell in the last column (XFD) would make openpyxl pad 16,384 cells a row."""
    folder = _folder(tmp_path)
    book = openpyxl.Workbook()
    sheet = book.active
    for row in range(1, 101):
        sheet.cell(row=row, column=1, value="行政执法案件")
        sheet.cell(row=row, column=16_384, value="728件")
    book.save(folder / "宽表.xlsx")
    assert "limits.table_cells" in _skipped(folder)["宽表.xlsx"]


def test_xlsx_bomb_is_refused_before_it_is_inflated(tmp_path):
    folder = _folder(tmp_path)
    book = openpyxl.Workbook()
    for row in range(1, 2001):
        book.active.append(["行政执法案件", f"{row}件"])
    book.save(folder / "大表.xlsx")
    with lowered(member_bytes=20_000):
        assert "limits.member_bytes" in _skipped(folder)["大表.xlsx"]
    with lowered(unzipped_bytes=20_000):
        assert "limits.unzipped_bytes" in _skipped(folder)["大表.xlsx"]


def test_parse_time_limit_skips_naming_it(tmp_path, monkeypatch):
    """A parse stage that takes too long (here made slow on purpose) ends the file's parse with a reason."""
    folder = _folder(tmp_path)
    (folder / "慢.txt").write_text(GOOD.replace("728", "729"), encoding="utf-8")
    slow_frame = parse.frame

    def frame(lines):
        if any("729" in line.text for line in lines):
            time.sleep(0.2)
        return slow_frame(lines)

    monkeypatch.setattr(parse, "frame", frame)
    with lowered(parse_seconds=0.1):
        reasons = _skipped(folder)
    assert set(reasons) == {"慢.txt"}
    assert "limits.parse_seconds" in reasons["慢.txt"]


def test_over_limit_files_are_in_the_index_skipped_list(tmp_path):
    folder = _folder(tmp_path)
    (folder / "一句话.txt").write_text(f"{TITLE}\n{ONE_SENTENCE}\n", encoding="utf-8")
    started = time.monotonic()
    data, result = sync_index(folder, tmp_path / "index", FakeEncoder(), Tokenizer())
    assert time.monotonic() - started < SECONDS
    assert [r.report.report_id for r in data.reports] == ["好报告.txt"]
    assert any(
        Path(s.path).name == "一句话.txt" and "limits.report_chars" in s.reason for s in result.skipped
    )


def test_lowered_restores_the_defaults():
    with lowered(passage_chars=5) as inside:
        assert inside.passage_chars == 5
    from bot.ingest import limits

    assert limits.current() == LIMITS


def test_ofd_glyph_step_shorthand_with_a_huge_count_costs_nothing(tmp_path):
    """ "g 999999999 4" (GB/T 33190's repeat shorthand) once meant a billion-element list."""
    folder = _folder(tmp_path)
    path = build_ofd(folder / "步长.ofd", [TITLE, "全年办理行政执法案件728件。"])
    forged = tmp_path / "forged.ofd"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(forged, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("Content.xml"):
                data = re.sub(rb'DeltaX="g \d+', b'DeltaX="g 999999999', data)
            target.writestr(info, data)
    forged.replace(path)
    started = time.monotonic()
    corpus = load_corpus(folder)
    assert time.monotonic() - started < SECONDS
    assert "步长.ofd" in {Path(parsed.report.source).name for parsed in corpus.reports}


def test_a_long_whitespace_run_is_parsed_in_linear_time(tmp_path):
    """150,000 spaces on one line: the one-line-report heading search once backtracked for hours."""
    folder = _folder(tmp_path)
    (folder / "空格.txt").write_text(
        f"{TITLE}\n一、主要举措\n全年{' ' * 150_000}办理案件。\n", encoding="utf-8"
    )
    started = time.monotonic()
    corpus = load_corpus(folder)
    assert time.monotonic() - started < SECONDS
    assert "空格.txt" in {parsed.report.report_id for parsed in corpus.reports}


def test_too_many_lines_are_refused_before_the_line_by_line_stages(tmp_path):
    folder = _folder(tmp_path)
    (folder / "短行.txt").write_text(TITLE + "\n" + "全\n" * 30_000, encoding="utf-8")
    reason = _skipped(folder)["短行.txt"]
    assert "limits.report_paragraphs" in reason and "30,001" in reason
