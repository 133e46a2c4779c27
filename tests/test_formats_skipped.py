"""Every file in the report folder is either read or named in the skipped list with its reason."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.index.sync import sync_index
from bot.ingest.report_info import TABLE_NAME
from bot.ingest.scan import load_corpus
from bot.lang.tokenizer import Tokenizer
from tests.fakes.encoder import FakeEncoder


def _folder(tmp_path: Path, seeds_dir: Path) -> Path:
    folder = tmp_path / "reports"
    (folder / "附件").mkdir(parents=True)
    shutil.copyfile(sorted(seeds_dir.glob("*.txt"))[0], folder / "good.txt")
    (folder / "broken.ofd").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "empty.doc").write_bytes(b"")
    (folder / "empty.wps").write_bytes(b" \r\n")
    (folder / "附件" / "空白.docx").write_bytes(b"")  # empty like empty.doc, not a copy of it
    (folder / "附件" / "照片.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 50)
    (folder / "扫描件.txt").write_bytes(
        b"\x89PNG\r\n\x1a\n" + bytes(40)
    )  # a scan saved with the wrong suffix
    (folder / "说明").write_text("没有扩展名的文件", encoding="utf-8")
    (folder / "附件" / "附表1.XLS").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel")
    (folder / "报告.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    (folder / TABLE_NAME).write_text("文件,乡镇\n", encoding="utf-8")  # the folder's own table: not a report
    (folder / "Thumbs.db").write_bytes(b"\x00")
    return folder


EXPECTED = {
    "broken.ofd": "OFD 文件已损坏",
    "empty.doc": "文件为空",
    "empty.wps": "文件为空",
    "附件/空白.docx": "文件为空",
    "附件/照片.jpg": "图片文件（.jpg）已损坏",  # images are read by OCR: this one is not a JPEG
    "扫描件.txt": "请把扩展名改为 .png，即可通过文字识别（OCR）读取",
    "说明": "不支持的文件类型“无扩展名”。支持的类型：.txt、.docx",
    # Known office types without a reader say what to do instead of listing the supported ones.
    "附件/附表1.XLS": "不支持的文件类型“.xls”。请用 Excel/WPS 打开后另存为 .xlsx",
    "报告.zip": "请先解压",
}


def _reasons(folder: Path, skipped) -> dict[str, str]:
    return {Path(entry.path).relative_to(folder).as_posix(): entry.reason for entry in skipped}


def test_load_corpus_names_every_file_it_does_not_read(tmp_path, seeds_dir):
    folder = _folder(tmp_path, seeds_dir)
    corpus = load_corpus(folder)
    assert [parsed.report.report_id for parsed in corpus.reports] == ["good.txt"]
    reasons = _reasons(folder, corpus.skipped)
    assert set(reasons) == set(EXPECTED)
    for name, expected in EXPECTED.items():
        assert expected in reasons[name], name


def test_the_index_names_them_too_when_built_and_when_up_to_date(tmp_path, seeds_dir):
    folder = _folder(tmp_path, seeds_dir)
    for _ in range(2):  # the second sync changes nothing and takes the fast path
        _, result = sync_index(folder, tmp_path / "index", FakeEncoder(), Tokenizer())
        reasons = _reasons(folder, result.skipped)
        assert set(reasons) == set(EXPECTED)
        for name, expected in EXPECTED.items():
            assert expected in reasons[name], name
