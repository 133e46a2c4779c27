"""Uploaded reports (bot/upload.py): checked by content, size-limited, safely named, never duplicated."""

from __future__ import annotations

import io
import shutil
import threading
from pathlib import Path

import docx
import pytest

from bot.errors import UnsupportedFile, ZhenbaoError
from bot.ingest.upload import DuplicateReport, UploadTooLarge, safe_filename, store_upload

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
REPORT = "石马镇2024年法治政府建设情况报告\n\n一、主要举措\n\n全年共调解矛盾纠纷35件。\n".encode()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "work" / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def test_a_readable_report_is_stored_verbatim_under_its_chinese_name(corpus):
    stored = store_upload(corpus, "石马镇2024年报告.txt", REPORT)
    assert stored == corpus / "石马镇2024年报告.txt"
    assert stored.read_bytes() == REPORT
    # Only the report was added: no temporary file is left in the corpus folder.
    assert _tree(corpus) == {p.name for p in SEEDS.iterdir()} | {"石马镇2024年报告.txt"}


def test_a_docx_report_is_accepted(corpus):
    document = docx.Document()
    document.add_paragraph("石马镇2024年法治政府建设情况报告")
    document.add_paragraph("全年共调解矛盾纠纷35件。")
    buffer = io.BytesIO()
    document.save(buffer)
    stored = store_upload(corpus, "石马镇.DOCX", buffer.getvalue())
    assert stored.name == "石马镇.docx" and stored.read_bytes() == buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("../../x.txt", "x.txt"),
        ("/etc/cron.d/x.txt", "x.txt"),
        ("..\\..\\x.txt", "x.txt"),
        ("C:\\Users\\张三\\桌面\\季家镇报告.txt", "季家镇报告.txt"),
        ("\\\\server\\share\\x.txt", "x.txt"),
        ("报\x00告\n\u202e.txt", "报告.txt"),
        ('a<b>:"c"|d?*.txt', "a_b___c__d__.txt"),
        ("CON.txt", "_CON.txt"),
        ("nul.tar.txt", "_nul.tar.txt"),
        ("LPT9.PDF", "_LPT9.pdf"),
        ("  报告.txt. ", "报告.txt"),
        (".txt", "报告.txt"),
        ("~$季家镇.docx", "季家镇.docx"),
        ("a..txt", "a.txt"),
        ("..", None),
        ("x.exe", None),
        ("报告", None),
        ("report.txt.exe", None),
    ],
)
def test_safe_filename(filename, expected):
    if expected is None:
        with pytest.raises(UnsupportedFile, match=r"支持的类型：\.txt、\.docx、\.pdf"):
            safe_filename(filename)
    else:
        assert safe_filename(filename) == expected


@pytest.mark.parametrize(
    "filename",
    ["../../x.txt", "../x.txt", "/tmp/x.txt", "..\\x.txt", "..\\..\\x.txt", "C:\\x.txt", "sub/../../x.txt"],
)
def test_uploaded_names_never_escape_the_corpus_folder(corpus, filename):
    outside_before = _tree(corpus.parent.parent)
    stored = store_upload(corpus, filename, REPORT)
    assert stored.parent == corpus and stored.name == "x.txt"
    assert _tree(corpus.parent.parent) - outside_before == {"work/corpus/x.txt"}


def test_a_taken_name_gets_a_number(corpus):
    first = store_upload(corpus, "报告.txt", REPORT)
    second = store_upload(corpus, "报告.txt", REPORT.replace(b"35", b"36"))
    third = store_upload(corpus, "报告.txt", REPORT.replace(b"35", b"37"))
    assert (first.name, second.name, third.name) == ("报告.txt", "报告（2）.txt", "报告（3）.txt")
    assert b"36" in second.read_bytes() and b"37" in third.read_bytes()


def test_duplicate_content_names_the_existing_report_and_stores_nothing(corpus):
    seed = SEEDS / "004_e5c0c62a5ed9b609.txt"
    before = _tree(corpus)
    with pytest.raises(DuplicateReport, match=r"004_e5c0c62a5ed9b609\.txt") as caught:
        store_upload(corpus, "季家镇报告.txt", seed.read_bytes())
    assert caught.value.existing == "004_e5c0c62a5ed9b609.txt"
    assert isinstance(caught.value, ZhenbaoError) and "内容完全相同" in str(caught.value)
    assert _tree(corpus) == before


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        ("报告.txt", b"", "空"),
        ("报告.txt", b"%PDF-1.7\n garbage", "PDF"),
        ("报告.txt", b"Annual report of the township, English only.\n", "没有任何中文"),
        ("报告.docx", b"not a zip at all", "Word 文件已损坏"),
        ("报告.pdf", b"%PDF-1.4 broken", "PDF 文件已损坏"),
        ("报告.exe", REPORT, "不支持的文件类型"),
    ],
)
def test_unreadable_files_are_rejected_in_chinese_and_leave_nothing_behind(corpus, filename, data, reason):
    before = _tree(corpus)
    with pytest.raises(UnsupportedFile, match=reason) as caught:
        store_upload(corpus, filename, data)
    # The message names the uploaded file, never the temporary copy that was read.
    assert caught.value.path.startswith("报告") and "zhenbao-upload" not in str(caught.value)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.reason)
    assert _tree(corpus) == before


def test_too_large_files_are_rejected_before_reading(corpus):
    before = _tree(corpus)
    with pytest.raises(UploadTooLarge, match="超过 1 MB 的上限"):
        store_upload(corpus, "大报告.txt", REPORT * 40000, max_bytes=1024 * 1024)
    assert _tree(corpus) == before
    # At the limit exactly is fine.
    assert store_upload(corpus, "刚好.txt", REPORT, max_bytes=len(REPORT)).exists()


def test_concurrent_uploads_of_one_name_keep_both_files(corpus):
    contents = [REPORT.replace(b"35", str(n).encode()) for n in range(40, 48)]
    stored: list[Path] = []
    threads = [
        threading.Thread(target=lambda data=data: stored.append(store_upload(corpus, "同名.txt", data)))
        for data in contents
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({p.name for p in stored}) == len(contents)
    assert sorted(p.read_bytes() for p in stored) == sorted(contents)
