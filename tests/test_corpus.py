"""bot/corpus.py: a folder of mixed, partly broken files loads what it can and names what it skips."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from bot.errors import EmptyCorpus, ZhenbaoError
from bot.ingest.read import file_sha256
from bot.ingest.scan import SkippedFile, list_report_files, load_corpus, read_report

JIJIA = "004_e5c0c62a5ed9b609.txt"
NINGHE = "003_f2f2c0b7cdbe11e1.txt"
EASTWIND = "东风镇2024年法治政府建设情况报告\n一、主要举措\n东风镇全年办理行政执法案件12件。\n"


def test_seed_corpus(seed_corpus, seeds_dir):
    ids = [parsed.report.report_id for parsed in seed_corpus.reports]
    assert ids == sorted(path.name for path in seeds_dir.glob("*.txt"))
    assert seed_corpus.skipped == ()
    assert seed_corpus.folder == str(seeds_dir.resolve())
    assert seed_corpus.townships() == sorted(["兴隆镇", "河市镇", "商酒务镇", "宁河镇", "季家镇"])
    assert seed_corpus.years() == [2023, 2024]
    assert seed_corpus.report(JIJIA).report.district == "大足区"


def test_unknown_report_id_lists_the_known_ones(seed_corpus):
    with pytest.raises(ZhenbaoError) as caught:
        seed_corpus.report("nope.txt")
    assert "nope.txt" in str(caught.value) and JIJIA in str(caught.value)


def test_read_report_identity(seeds_dir, tmp_path):
    (tmp_path / "2024" / "重庆").mkdir(parents=True)
    target = tmp_path / "2024" / "重庆" / "季家镇.txt"
    shutil.copyfile(seeds_dir / JIJIA, target)
    parsed = read_report(target, tmp_path)
    assert parsed.report.report_id == "2024/重庆/季家镇.txt"
    assert parsed.report.source == str(target.resolve())
    assert parsed.report.sha256 == file_sha256(seeds_dir / JIJIA)
    assert all(p.report_id == "2024/重庆/季家镇.txt" for p in parsed.paragraphs)


@pytest.fixture
def mixed_folder(tmp_path: Path, seeds_dir: Path) -> Path:
    """Two seeds, good files in other encodings and formats, and every kind of bad file."""
    root = tmp_path / "reports"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    shutil.copyfile(seeds_dir / JIJIA, root / "a_季家镇.txt")
    shutil.copyfile(seeds_dir / NINGHE, root / "sub" / "b_宁河镇.TXT")
    shutil.copyfile(seeds_dir / JIJIA, root / "z_copy.txt")  # same bytes as a_季家镇.txt
    (root / "c_gbk.txt").write_bytes(EASTWIND.replace("东风镇", "西山镇").encode("gbk"))
    (root / "d_utf16.txt").write_bytes(
        EASTWIND.replace("东风镇", "南湖镇").replace("\n", "\r\n").encode("utf-16")
    )
    document = docx.Document()
    for line in EASTWIND.replace("东风镇", "北岭镇").splitlines():
        document.add_paragraph(line)
    document.save(root / "sub" / "e_北岭镇.docx")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (root / "english.txt").write_bytes(b"Annual report of nobody.\n")
    (root / "no_town.txt").write_text(
        "2024年法治政府建设情况报告\n我们全年开展普法宣传12次。\n", encoding="utf-8"
    )
    (root / "notes.md").write_text(EASTWIND, encoding="utf-8")  # unsupported suffix: named as skipped
    (root / ".hidden" / "x.txt").write_text(EASTWIND, encoding="utf-8")
    (root / ".draft.txt").write_text(EASTWIND, encoding="utf-8")
    (root / "~$e_北岭镇.docx").write_bytes(b"lock")
    return root


def test_list_report_files_skips_hidden_and_other_types(mixed_folder):
    names = [path.relative_to(mixed_folder).as_posix() for path in list_report_files(mixed_folder)]
    assert names == [
        "a_季家镇.txt",
        "binary.txt",
        "c_gbk.txt",
        "d_utf16.txt",
        "empty.txt",
        "english.txt",
        "no_town.txt",
        "sub/b_宁河镇.TXT",
        "sub/e_北岭镇.docx",
        "z_copy.txt",
    ]


def test_mixed_folder_loads_good_files_and_names_bad_ones(mixed_folder):
    told: list[SkippedFile] = []
    corpus = load_corpus(mixed_folder, on_skip=told.append)

    loaded = {parsed.report.report_id: parsed.report.township for parsed in corpus.reports}
    assert loaded == {
        "a_季家镇.txt": "季家镇",
        "c_gbk.txt": "西山镇",
        "d_utf16.txt": "南湖镇",
        "no_town.txt": "no_town",  # named after its file until 报告信息.csv says otherwise
        "sub/b_宁河镇.TXT": "宁河镇",
        "sub/e_北岭镇.docx": "北岭镇",
    }
    assert [parsed.report.report_id for parsed in corpus.reports] == sorted(loaded)
    assert corpus.townships() == sorted(loaded.values())

    assert told == list(corpus.skipped)
    reasons = {
        Path(entry.path).relative_to(mixed_folder).as_posix(): entry.reason for entry in corpus.skipped
    }
    # A readable report is never dropped for its identity: no_town.txt is indexed, marked doubtful.
    assert set(reasons) == {"binary.txt", "empty.txt", "english.txt", "z_copy.txt", "notes.md"}
    assert "不支持的文件类型“.md”" in reasons["notes.md"]
    assert "文件为空" in reasons["empty.txt"]
    assert "二进制" in reasons["binary.txt"]
    assert "没有任何中文" in reasons["english.txt"]
    assert "a_季家镇.txt" in reasons["z_copy.txt"] and "相同" in reasons["z_copy.txt"]


def test_crlf_utf16_report_keeps_exact_offsets(mixed_folder):
    parsed = load_corpus(mixed_folder).report("d_utf16.txt")
    assert "\r\n" in parsed.text
    [paragraph] = parsed.paragraphs
    assert paragraph.text == "南湖镇全年办理行政执法案件12件。"
    assert parsed.text[paragraph.start : paragraph.end] == paragraph.text
    assert paragraph.section_path == ("一、主要举措",)


def test_pdf_report_in_a_corpus(tmp_path, pdf_with_text):
    (tmp_path / "r.pdf").write_bytes(pdf_with_text(EASTWIND.splitlines()))
    corpus = load_corpus(tmp_path)
    [parsed] = corpus.reports
    assert parsed.report.township == "东风镇" and parsed.report.year == 2024
    assert [p.text for p in parsed.paragraphs] == ["东风镇全年办理行政执法案件12件。"]


def test_wrapped_pdf_of_a_seed_matches_the_seed(tmp_path, seed_corpus, pdf_with_text):
    """The seed printed to PDF (38 characters a line, no blank lines) yields the same paragraphs."""
    original = seed_corpus.report(JIJIA)
    lines = [line[i : i + 38] for line in original.text.splitlines() for i in range(0, len(line), 38)]
    (tmp_path / "季家镇.pdf").write_bytes(pdf_with_text([line for line in lines if line.strip()]))
    parsed = load_corpus(tmp_path).report("季家镇.pdf")
    assert (parsed.report.township, parsed.report.district, parsed.report.year) == ("季家镇", "大足区", 2024)
    assert [(p.section_path, p.clean) for p in parsed.paragraphs] == [
        (p.section_path, p.clean) for p in original.paragraphs
    ]


def test_missing_folder(tmp_path):
    with pytest.raises(ZhenbaoError) as caught:
        load_corpus(tmp_path / "nowhere")
    assert "不存在" in str(caught.value) and "nowhere" in str(caught.value)


def test_file_instead_of_folder(tmp_path):
    (tmp_path / "a.txt").write_text(EASTWIND, encoding="utf-8")
    with pytest.raises(ZhenbaoError) as caught:
        load_corpus(tmp_path / "a.txt")
    assert "不是文件夹" in str(caught.value)


def test_folder_without_a_readable_report(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "readme.md").write_text(EASTWIND, encoding="utf-8")
    told: list[SkippedFile] = []
    with pytest.raises(EmptyCorpus):
        load_corpus(tmp_path, on_skip=told.append)
    assert [Path(entry.path).name for entry in told] == ["empty.txt", "readme.md"]
