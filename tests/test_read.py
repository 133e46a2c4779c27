"""bot/read.py: encodings, binary and empty files, .docx and .pdf, each with the user's Chinese message."""

from __future__ import annotations

import codecs
import hashlib
import io
import subprocess
import sys
from pathlib import Path

import docx
import pypdf
import pytest

from bot.errors import UnsupportedFile
from bot.ingest.formats import SUPPORTED_SUFFIXES
from bot.ingest.read import file_sha256, read_text

REPORT = "季家镇2024年法治政府建设情况报告\n一、主要举措\n共办理各类行政执法案件728件。\n"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _reason(path: Path) -> str:
    with pytest.raises(UnsupportedFile) as caught:
        read_text(path)
    assert caught.value.path == str(path)
    assert str(path) in str(caught.value)
    return caught.value.reason


# ---------------------------------------------------------------- .txt encodings


def test_utf8_text_is_returned_unchanged(tmp_path):
    assert read_text(_write(tmp_path, "a.txt", REPORT.encode("utf-8"))) == REPORT


def test_utf8_bom_is_dropped(tmp_path):
    text = read_text(_write(tmp_path, "a.txt", codecs.BOM_UTF8 + REPORT.encode("utf-8")))
    assert text == REPORT
    assert not text.startswith("\ufeff")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path, encoding):
    bom = {"utf-16": b"", "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}[encoding]
    data = bom + REPORT.encode(encoding)  # "utf-16" writes its own BOM
    assert read_text(_write(tmp_path, "a.txt", data)) == REPORT


def test_gbk_file(tmp_path):
    data = REPORT.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_text(_write(tmp_path, "a.txt", data)) == REPORT


def test_gb18030_only_characters(tmp_path):
    text = "镕基镇2024年报告：㐀字与€符号。\n"  # 㐀 and € are not in GBK
    assert read_text(_write(tmp_path, "a.txt", text.encode("gb18030"))) == text


def test_crlf_and_lone_cr_are_kept(tmp_path):
    text = REPORT.replace("\n", "\r\n") + "末行\r"
    assert read_text(_write(tmp_path, "a.txt", text.encode("utf-8"))) == text


# ---------------------------------------------------------------- files that are not reports


@pytest.mark.parametrize(
    "data", [b"", b"   \r\n\t\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")]
)
def test_empty_file(tmp_path, data):
    assert "文件为空" in _reason(_write(tmp_path, "a.txt", data))


def test_binary_with_nul_bytes(tmp_path):
    reason = _reason(_write(tmp_path, "a.txt", "镇".encode() + bytes(range(256)) * 4))
    assert "二进制" in reason


def test_control_characters_without_nul(tmp_path):
    data = ("镇报告" + "\x01\x02\x03\x04\x05\x06" * 20).encode("utf-8")
    assert "控制字符" in _reason(_write(tmp_path, "a.txt", data))


def test_docx_disguised_as_txt(tmp_path):
    document = docx.Document()
    document.add_paragraph("季家镇报告")
    document.save(tmp_path / "real.docx")
    reason = _reason(_write(tmp_path, "a.txt", (tmp_path / "real.docx").read_bytes()))
    assert ".docx" in reason


def test_pdf_disguised_as_txt(tmp_path, pdf_with_text):
    assert ".pdf" in _reason(_write(tmp_path, "a.txt", pdf_with_text(["季家镇报告"])))


def test_undecodable_bytes(tmp_path):
    assert "UTF-8" in _reason(_write(tmp_path, "a.txt", b"\x81\x20\x81\x20abc"))


def test_text_without_chinese_is_not_a_report(tmp_path):
    reason = _reason(_write(tmp_path, "a.txt", b"Annual report 2024\nNothing in Chinese here.\n"))
    assert "没有任何中文" in reason


def test_unknown_suffix_lists_supported_types(tmp_path):
    reason = _reason(_write(tmp_path, "a.xyz", REPORT.encode()))
    assert ".xyz" in reason
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in reason


def test_a_known_office_type_without_a_reader_says_how_to_convert_it(tmp_path):
    assert "另存为 .docx" in _reason(_write(tmp_path, "a.rtf", b"{\\rtf1 report}"))


def test_suffix_is_case_insensitive(tmp_path):
    assert read_text(_write(tmp_path, "A.TXT", REPORT.encode())) == REPORT


# ---------------------------------------------------------------- .docx


def test_docx_paragraphs_and_table_rows_in_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("季家镇2024年法治政府建设情况报告")
    document.add_paragraph("一、主要举措")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "项目"
    table.cell(0, 1).text = "数量"
    table.cell(1, 0).text = "行政执法案件"
    table.cell(1, 1).text = "728件"
    document.add_paragraph("共办理各类行政执法案件728件。")
    document.save(tmp_path / "a.docx")
    assert read_text(tmp_path / "a.docx") == "\n".join(
        [
            "季家镇2024年法治政府建设情况报告",
            "一、主要举措",
            "项目｜数量。",
            "行政执法案件｜728件。",
            "共办理各类行政执法案件728件。",
        ]
    )


def test_docx_merged_cell_appears_once(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "合并单元格"
    table.cell(0, 2).text = "镇"
    document.save(tmp_path / "a.docx")
    assert read_text(tmp_path / "a.docx").split("\n") == ["合并单元格｜镇。"]


def test_corrupt_docx(tmp_path):
    reason = _reason(_write(tmp_path, "a.docx", b"PK\x03\x04 this is not a real zip archive"))
    assert "另存为 .docx" in reason


def test_zip_that_is_not_a_docx(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "a.docx", "w") as archive:
        archive.writestr("readme.txt", "镇")
    assert ".docx" in _reason(tmp_path / "a.docx")


def test_old_word_doc_renamed_to_docx(tmp_path):
    reason = _reason(_write(tmp_path, "a.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512))
    assert ".doc" in reason and "另存为" in reason


def test_empty_docx(tmp_path):
    docx.Document().save(tmp_path / "a.docx")
    assert "文件为空" in _reason(tmp_path / "a.docx")


# ---------------------------------------------------------------- .pdf


def test_pdf_text_layer_is_read(tmp_path, pdf_with_text):
    lines = ["季家镇2024年法治政府建设情况报告", "一、主要举措", "共办理各类行政执法案件728件。"]
    text = read_text(_write(tmp_path, "a.pdf", pdf_with_text(lines)))
    assert [line for line in text.splitlines() if line.strip()] == lines


def test_scanned_pdf_without_text_layer(tmp_path):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with (tmp_path / "scan.pdf").open("wb") as handle:
        writer.write(handle)
    reason = _reason(tmp_path / "scan.pdf")
    assert "没有文字层" in reason
    assert "OCR" in reason
    assert ".txt" in reason and ".docx" in reason


def test_encrypted_pdf(tmp_path):
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    with (tmp_path / "locked.pdf").open("wb") as handle:
        writer.write(handle)
    assert "加密" in _reason(tmp_path / "locked.pdf")


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_pdf_locked_only_against_editing_is_read(tmp_path, pdf_with_text, algorithm):
    """An owner password alone (copying and printing restricted) opens without a password in any viewer;
    Acrobat and WPS encrypt such files with AES, which pypdf reads only with `cryptography` installed."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_with_text(REPORT.splitlines()))))
    writer.encrypt(user_password="", owner_password="owner", algorithm=algorithm, permissions_flag=0)
    with (tmp_path / "restricted.pdf").open("wb") as handle:
        writer.write(handle)
    assert read_text(tmp_path / "restricted.pdf").split() == REPORT.split()


def test_an_aes_pdf_that_needs_a_password_says_so(tmp_path, pdf_with_text):
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_with_text(REPORT.splitlines()))))
    writer.encrypt(user_password="secret", algorithm="AES-256")
    with (tmp_path / "locked.pdf").open("wb") as handle:
        writer.write(handle)
    assert "需要密码" in _reason(tmp_path / "locked.pdf")


def test_corrupt_pdf(tmp_path):
    reason = _reason(_write(tmp_path, "a.pdf", b"%PDF-1.4\nthis is not a pdf body at all\n"))
    assert "PDF" in reason and ("损坏" in reason or "无法解析" in reason)


def _ole_file(*streams: str) -> bytes:
    """An OLE compound file's header and one directory sector naming `streams` (UTF-16LE names, as
    Office writes them): enough for the readers, which look at the magic and the stream names."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16) + bytes.fromhex("3E000300FEFF0900")
    header += bytes(512 - len(header))
    entries = b""
    for name in ("Root Entry", *streams):
        encoded = (name + "\0").encode("utf-16-le")
        entries += encoded.ljust(64, b"\0") + len(encoded).to_bytes(2, "little") + bytes(62)
    return header + entries.ljust(512, b"\0")


@pytest.mark.parametrize("name", ["报告.docx", "附表.xlsx", "改了扩展名.doc"])
def test_a_password_protected_office_file_is_named_encrypted_not_old_format(tmp_path, name):
    """Office saves a .docx/.xlsx with an open password as an OLE file holding EncryptedPackage, the
    container of old .doc/.xls files too: the user was told to rename it to .doc, which cannot help."""
    data = _ole_file("\x06DataSpaces", "EncryptionInfo", "EncryptedPackage")
    reason = _reason(_write(tmp_path, name, data))
    assert "打开密码" in reason and "旧版" not in reason


@pytest.mark.parametrize(("name", "old"), [("报告.docx", "旧版 Word"), ("附表.xlsx", "旧版 Excel")])
def test_an_old_format_file_under_a_new_suffix_is_still_named_old(tmp_path, name, old):
    reason = _reason(_write(tmp_path, name, _ole_file("WordDocument", "1Table", "Workbook")))
    assert old in reason and "密码" not in reason


def test_a_damaged_pdf_prints_no_english_warnings(tmp_path):
    """Outside pytest (which captures logging) pypdf's warnings reached stderr in English."""
    (tmp_path / "truncated.pdf").write_bytes(b"%PDF-1.7\n1 0 obj<<>>\n")
    (tmp_path / "garbage.pdf").write_bytes(bytes(range(256)) * 8)
    script = (
        "import sys; from pathlib import Path; from bot.errors import UnsupportedFile\n"
        "from bot.ingest.read import read_text\n"
        "for name in sys.argv[1:]:\n"
        "    try: read_text(Path(name))\n"
        "    except UnsupportedFile as error: print(error.reason)\n"
    )
    files = [str(tmp_path / "truncated.pdf"), str(tmp_path / "garbage.pdf")]
    done = subprocess.run(
        [sys.executable, "-c", script, *files], capture_output=True, text=True, encoding="utf-8", timeout=120
    )
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 2, done.stderr
    assert done.stderr == ""


# ---------------------------------------------------------------- hashing


def test_file_sha256(tmp_path):
    data = REPORT.encode() * 1000
    assert file_sha256(_write(tmp_path, "a.txt", data)) == hashlib.sha256(data).hexdigest()
