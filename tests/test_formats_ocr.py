"""Scanned reports through OCR: image-only PDFs and images made in the tests from a seed report.

Fast tests cover the line/paragraph rebuilding with fake boxes, the OCR cache, the missing extra and
broken files; slow ones run the real engine (RapidOCR) on rendered pages.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from bot.errors import UnsupportedFile
from bot.ingest.parse import parse_report
from bot.ingest.read import read_text
from bot.ingest.readers import EMPTY_FILE, ocr
from bot.ingest.readers.ocr_layout import Box, full_width, page_text
from bot.ingest.scan import load_corpus
from bot.report import SCAN_MARK
from tests.scans import image_pdf, render_pages, report_paragraphs

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_78c4f8f18955f2e8.txt"  # 兴隆镇, 2024
H = 28  # box height of a line of 25-pixel characters


def _line(y: float, left: float, right: float, text: str) -> Box:
    return Box(left, y, right, y + H, text)


# ---------------------------------------------------------------- rebuilding lines and paragraphs


def test_boxes_on_one_line_are_joined_left_to_right():
    boxes = [_line(100, 600, 900, "法治建设"), _line(102, 150, 590, "镇党委高度重视")]
    assert page_text([boxes]) == "镇党委高度重视法治建设"


def test_indent_and_short_line_open_paragraphs():
    page = [
        _line(100, 200, 1090, "兴隆镇把深入学习贯彻习近平法治思想作为一项重要政治任务，"),
        _line(142, 150, 1090, "坚持把习近平法治思想贯穿党委政府工作全过程，确保法治"),
        _line(184, 150, 500, "建设有力有序推进。"),
        _line(226, 150, 1088, "持续推行党员干部学法用法，利用周一例会等学习平台开展"),  # after a short line
        _line(268, 150, 700, "领导班子学法4次。"),
        _line(310, 200, 800, "(二)聚焦职能优化"),  # indented heading
    ]
    assert page_text([page]).split("\n\n") == [
        "兴隆镇把深入学习贯彻习近平法治思想作为一项重要政治任务，坚持把习近平法治思想贯穿党委政府工作全过程，"
        "确保法治建设有力有序推进。",
        "持续推行党员干部学法用法，利用周一例会等学习平台开展领导班子学法4次。",
        "（二）聚焦职能优化",
    ]


def test_a_stray_box_left_of_the_margin_does_not_indent_the_page():
    page = [
        _line(40, 30, 80, "印"),  # a stamp fragment far left
        _line(100, 200, 1090, "第一段第一行文字很长很长很长很长很长很长很长很长很长"),
        _line(142, 150, 1090, "第一段第二行文字很长很长很长很长很长很长很长很长很长很"),
        _line(184, 150, 600, "第一段结束。"),
    ]
    assert page_text([page]).split("\n\n")[1:] == [
        "第一段第一行文字很长很长很长很长很长很长很长很长很长第一段第二行文字很长很长很长很长很长很长很长很长很长很第一段结束。"
    ]


def test_a_paragraph_runs_on_across_a_page_break():
    first = [
        _line(100, 200, 1090, "开头一行很长很长很长很长很长很长很长很长很长很长很长"),
        _line(142, 150, 1090, "第二行也排满了整个版心很长很长很长很长很长很长很长很"),
    ]
    second = [
        _line(100, 150, 500, "接着上一页。"),
        _line(142, 200, 1090, "新的一段从缩进开始很长很长很长很长很长很长很长很长很"),
        _line(184, 150, 600, "结束。"),
    ]
    assert page_text([first, second]).split("\n\n") == [
        "开头一行很长很长很长很长很长很长很长很长很长很长很长第二行也排满了整个版心很长很长很长很长很长很长很长很接着上一页。",
        "新的一段从缩进开始很长很长很长很长很长很长很长很长很结束。",
    ]


def test_block_style_pages_end_paragraphs_at_a_full_stop():
    page = [
        _line(100, 150, 1090, "没有首行缩进的排版方式里每一段都顶格开始而且排满。"),
        _line(142, 150, 1090, "第二段同样顶格开始并且恰好在行尾结束了它的句子。"),
    ]
    assert page_text([page]).split("\n\n") == [
        "没有首行缩进的排版方式里每一段都顶格开始而且排满。",
        "第二段同样顶格开始并且恰好在行尾结束了它的句子。",
    ]


def test_ascii_punctuation_beside_chinese_becomes_full_width():
    assert full_width("(一)聚焦理论学习:一是;二是,三是") == "（一）聚焦理论学习：一是；二是，三是"
    assert full_width("面积1.5平方公里(2024)") == "面积1.5平方公里（2024)"
    assert full_width("GB/T 33190 (OFD)") == "GB/T 33190 (OFD)"


# ---------------------------------------------------------------- files, cache and the missing extra


def _png(path: Path, pages: int = 1) -> Path:
    image = render_pages(report_paragraphs(SEED)[:6])[0]
    image.save(path, save_all=pages > 1, append_images=[image] * (pages - 1))
    return path


def _cache(monkeypatch, tmp_path: Path, path: Path, pages: dict[int, list[Box]]) -> None:
    """Recognised pages stored as the reader would have stored them; the engine must not run."""
    monkeypatch.setenv("ZHENBAO_CACHE_DIR", str(tmp_path / "cache"))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    rows = {str(n): [[b.left, b.top, b.right, b.bottom, b.text] for b in boxes] for n, boxes in pages.items()}
    folder = tmp_path / "cache" / "ocr"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{digest}.json").write_text(json.dumps({"version": 1, "pages": rows}), encoding="utf-8")

    def no_engine(*_args):
        raise AssertionError("a cached page was recognised again")

    monkeypatch.setattr(ocr._ENGINE, "page", no_engine)


REPORT_PAGE = [
    _line(100, 400, 840, "兴隆镇人民政府"),
    _line(142, 300, 940, "关于2024年法治政府建设情况的报告"),
    _line(184, 150, 400, "县委、县政府："),
    _line(226, 200, 900, "一、主要举措和成效"),
    _line(268, 200, 1090, "2024年，兴隆镇开展领导班子学法4次，机关干部学法6次，组织"),
    _line(310, 150, 700, "法治工作者学法培训10余次。"),
]


def test_cached_pages_are_not_recognised_again_and_the_report_is_marked(monkeypatch, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    path = _png(folder / "兴隆镇.tif", pages=2)
    _cache(monkeypatch, tmp_path, path, {0: REPORT_PAGE, 1: [_line(100, 150, 600, "第二页的结尾。")]})
    text = read_text(path)
    assert isinstance(text, ocr.ScannedText)
    assert "开展领导班子学法4次，机关干部学法6次，组织法治工作者学法培训10余次。" in text
    assert text.rstrip().endswith("第二页的结尾。")  # both frames of the TIFF
    corpus = load_corpus(folder)
    report = corpus.reports[0].report
    assert (report.township, report.year, report.scanned) == ("兴隆镇", 2024, True)
    assert report.scan_mark == SCAN_MARK


def test_sync_reports_each_recognised_page(monkeypatch, tmp_path):
    from bot.index.sync import sync_index
    from bot.lang.tokenizer import Tokenizer
    from tests.fakes.encoder import FakeEncoder

    folder = tmp_path / "reports"
    folder.mkdir()
    path = _png(folder / "兴隆镇.tif", pages=2)
    _cache(monkeypatch, tmp_path, path, {0: REPORT_PAGE, 1: [_line(100, 150, 600, "第二页的结尾。")]})
    messages: list[str] = []
    data, _ = sync_index(
        folder, tmp_path / "index", FakeEncoder(), Tokenizer(), progress=lambda _, text: messages.append(text)
    )
    assert "文字识别 兴隆镇.tif：第 1/2 页" in messages and "文字识别 兴隆镇.tif：第 2/2 页" in messages
    assert [parsed.report.scanned for parsed in data.reports] == [True]


def test_a_photo_with_a_few_characters_is_not_a_report(monkeypatch, tmp_path):
    path = _png(tmp_path / "活动照片.jpg")
    _cache(monkeypatch, tmp_path, path, {0: [_line(300, 200, 700, "法治宣传进万家")]})
    with pytest.raises(UnsupportedFile) as error:
        read_text(path)
    assert "只识别出 7 个汉字" in error.value.reason


def test_typed_and_scanned_pages_of_one_pdf_keep_their_order(monkeypatch, tmp_path, pdf_with_text):
    import pypdf

    typed = tmp_path / "typed.pdf"
    lines = ["兴隆镇2024年法治政府建设情况报告", "一、主要举措", "共办理行政执法案件728件。"]
    typed.write_bytes(pdf_with_text(lines))
    scan = image_pdf(render_pages(["签字盖章页"]), tmp_path / "scan.pdf")
    writer = pypdf.PdfWriter()
    for part in (typed, scan, typed):
        writer.append(str(part))
    mixed = tmp_path / "mixed.pdf"
    with mixed.open("wb") as handle:
        writer.write(handle)
    _cache(monkeypatch, tmp_path, mixed, {1: [_line(100, 150, 600, "二、扫描的一页。")]})
    text = read_text(mixed)
    assert isinstance(text, ocr.ScannedText)
    assert text.index("728件") < text.index("二、扫描的一页。") < text.rindex("一、主要举措")


def test_a_typed_report_is_not_marked(seed_corpus):
    assert not any(parsed.report.scanned or parsed.report.scan_mark for parsed in seed_corpus.reports)


def test_without_the_ocr_extra_scans_are_skipped_and_named(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # as if `zhenbao[ocr]` were not installed
    folder = tmp_path / "reports"
    folder.mkdir()
    _png(folder / "scan.png")
    image_pdf(render_pages(["兴隆镇2024年法治政府建设情况报告"]), folder / "scan.pdf")
    (folder / "typed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    corpus = load_corpus(folder)
    assert [parsed.report.report_id for parsed in corpus.reports] == ["typed.txt"]
    reasons = {Path(entry.path).name: entry.reason for entry in corpus.skipped}
    assert reasons == {"scan.pdf": ocr.MISSING, "scan.png": ocr.MISSING}
    assert 'pip install "zhenbao[ocr]"' in ocr.MISSING


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".jpeg", ".tif", ".tiff"])
def test_broken_and_empty_images_are_skipped_with_a_reason(tmp_path, suffix):
    broken = tmp_path / f"broken{suffix}"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 50)
    with pytest.raises(UnsupportedFile) as error:
        read_text(broken)
    assert "已损坏" in error.value.reason
    empty = tmp_path / f"empty{suffix}"
    empty.write_bytes(b"")
    with pytest.raises(UnsupportedFile) as error:
        read_text(empty)
    assert error.value.reason == EMPTY_FILE


def test_truncated_image_is_skipped(tmp_path):
    whole = _png(tmp_path / "whole.png").read_bytes()
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(UnsupportedFile) as error:
        read_text(cut)
    assert "已损坏" in error.value.reason


def test_pdf_without_text_or_images_says_so(tmp_path):
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with (tmp_path / "blank.pdf").open("wb") as handle:
        writer.write(handle)
    with pytest.raises(UnsupportedFile) as error:
        read_text(tmp_path / "blank.pdf")
    assert "没有文字层" in error.value.reason and "OCR" in error.value.reason


def test_encrypted_scan_is_skipped(tmp_path):
    import pypdf

    source = image_pdf(render_pages(["兴隆镇报告"]), tmp_path / "scan.pdf")
    writer = pypdf.PdfWriter(clone_from=str(source))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    with (tmp_path / "locked.pdf").open("wb") as handle:
        writer.write(handle)
    with pytest.raises(UnsupportedFile) as error:
        read_text(tmp_path / "locked.pdf")
    assert "加密" in error.value.reason


# ---------------------------------------------------------------- the real engine (slow)


def _normal(text: str) -> str:
    """Text compared up to whitespace and full/half-width forms."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="session")
def ocr_cache(tmp_path_factory):
    """One OCR cache for the session: each rendered file is recognised once."""
    folder = tmp_path_factory.mktemp("ocr-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ZHENBAO_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def scanned_seed(tmp_path_factory, ocr_cache) -> Path:
    """Seed 000 (兴隆镇 2024) as an image-only PDF, alone in a folder."""
    folder = tmp_path_factory.mktemp("scanned")
    image_pdf(render_pages(report_paragraphs(SEED)), folder / "兴隆镇扫描件.pdf")
    return folder


@pytest.mark.slow
def test_scanned_pdf_gives_the_paragraphs_of_the_txt(scanned_seed):
    path = scanned_seed / "兴隆镇扫描件.pdf"
    scanned = parse_report(read_text(path), report_id="scan.pdf", source=str(path), sha256="x")
    typed = parse_report(SEED.read_text(encoding="utf-8"), report_id="seed.txt", source=str(SEED), sha256="y")
    assert (scanned.report.township, scanned.report.year) == ("兴隆镇", 2024)
    assert [p.section_path[:1] for p in scanned.paragraphs] == [p.section_path[:1] for p in typed.paragraphs]
    ours = [_normal(p.text) for p in scanned.paragraphs]
    theirs = [_normal(p.text) for p in typed.paragraphs]
    assert len(ours) == len(theirs)
    exact = sum(a == b for a, b in zip(ours, theirs, strict=True)) / len(theirs)
    characters = difflib.SequenceMatcher(None, "".join(ours), "".join(theirs), autojunk=False).ratio()
    print(f"paragraphs identical up to whitespace: {exact:.0%}; characters: {characters:.2%}")
    assert exact >= 0.8 and characters >= 0.99


@pytest.mark.slow
def test_scanned_pdf_answers_the_lookup_questions_of_its_txt(scanned_seed, tmp_path, seed_cache):
    from bot.engine import load_bot
    from tests.checks import assert_sound

    typed_folder = tmp_path / "typed"
    typed_folder.mkdir()
    (typed_folder / SEED.name).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    lines = (ROOT / "tests" / "data" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [q for q in map(json.loads, lines) if q["township"] == "兴隆镇" and q["kind"] == "direct"]

    def found(folder: Path, cache: Path) -> list[str]:
        bot = load_bot(folder, cache_dir=cache)
        hits = []
        for question in questions:
            answer = bot.ask(question["question"])
            assert_sound(answer, bot)
            quoted = [p for p in answer.passages if _normal(question["quote"]) in _normal(p.paragraph.text)]
            if quoted:
                assert (quoted[0].report.township, quoted[0].report.year) == ("兴隆镇", 2024)
                assert quoted[0].citation.endswith(SCAN_MARK) == quoted[0].report.scanned
                hits.append(question["question"])
        return hits

    scanned_hits = found(scanned_seed, tmp_path / "scanned-index")
    typed_hits = found(typed_folder, tmp_path / "typed-index")
    print(f"lookup questions answered: scanned {len(scanned_hits)}/{len(questions)}, typed {len(typed_hits)}")
    assert len(typed_hits) >= len(questions) - 2
    assert scanned_hits == typed_hits


@pytest.mark.slow
def test_png_of_one_page(tmp_path, ocr_cache):
    page = render_pages(report_paragraphs(SEED))[0]
    page.save(tmp_path / "第一页.png")
    text = read_text(tmp_path / "第一页.png")
    parsed = parse_report(text, report_id="第一页.png", source="x", sha256="x")
    assert (parsed.report.township, parsed.report.year) == ("兴隆镇", 2024)
    assert _normal("开展领导班子学法 4 次，机关干部学法 6 次") in _normal(text)


@pytest.mark.slow
def test_a_page_past_the_time_limit_skips_the_file_and_nothing_hangs(monkeypatch, tmp_path):
    monkeypatch.setenv("ZHENBAO_CACHE_DIR", str(tmp_path / "cache"))
    path = _png(tmp_path / "scan.png")
    limit = ocr.PAGE_SECONDS
    monkeypatch.setattr(ocr, "PAGE_SECONDS", 0.01)
    with pytest.raises(UnsupportedFile) as error:
        read_text(path)
    assert "PAGE_SECONDS" in error.value.reason and "第 1 页" in error.value.reason
    monkeypatch.setattr(ocr, "PAGE_SECONDS", limit)
    assert "聚焦理论学习" in read_text(path)  # a fresh worker after the killed one


@pytest.mark.slow
def test_nothing_is_written_to_home_or_temp(tmp_path):
    home, temp, cache = tmp_path / "home", tmp_path / "temp", tmp_path / "cache"
    for folder in (home, temp):
        folder.mkdir()
    path = _png(tmp_path / "scan.png")
    env = {
        **os.environ,
        "HOME": str(home),
        "TMPDIR": str(temp),
        "ZHENBAO_CACHE_DIR": str(cache),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("XDG_CACHE_HOME", None)
    code = (
        "from pathlib import Path; from bot.ingest.read import read_text;"
        f"assert '聚焦理论学习' in read_text(Path({str(path)!r}))"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=300, cwd=tmp_path)
    assert list(home.rglob("*")) == [] and list(temp.rglob("*")) == []
    written = {p.name for p in (cache / "ocr").rglob("*") if p.is_file()}
    # The page's text is cached; whatever else onnxruntime writes (a "deviceid" on some
    # machines, nothing on others) lands beside it, never in HOME or the temp folder.
    assert any(name.endswith(".json") for name in written)


def test_the_scan_mark_reaches_the_cli_text_the_card_and_the_memo(tmp_path):
    from datetime import datetime

    from bot.answers.model import Passage, Row
    from bot.answers.render import compose
    from bot.report import Paragraph, Report
    from ui.export import conversation_docx, conversation_markdown
    from ui.render import Turn, render_passage

    text = "开展领导班子学法4次。"
    report = Report("兴隆镇.pdf", "兴隆镇", None, 2024, "2024年法治政府建设情况报告", "x", "y", scanned=True)
    paragraph = Paragraph("兴隆镇.pdf", 0, ("一、主要举措",), 0, len(text), text, text)
    passage = Passage(report, paragraph, 1.0)
    rows = [Row(passage=passage, quote=text)]
    answer = compose("学法几次？", "answered", "passages", "", rows, passages=[passage])
    assert passage.citation == "（来源：兴隆镇《2024年法治政府建设情况报告》一、主要举措）（扫描件识别）"
    assert answer.answer.endswith(SCAN_MARK)  # the CLI prints this text
    assert SCAN_MARK in render_passage(passage, [], 1) and SCAN_MARK in passage.memo_text
    turn = Turn("学法几次？", "学法几次？", answer)
    assert SCAN_MARK in conversation_markdown([turn], datetime(2026, 12, 3))
    from docx import Document

    saved = conversation_docx([turn], tmp_path / "memo.docx", datetime(2026, 12, 3))
    assert any(SCAN_MARK in p.text for p in Document(str(saved)).paragraphs)
    typed = Passage(Report("a.txt", "兴隆镇", None, 2024, None, "x", "y"), paragraph, 1.0)
    assert SCAN_MARK not in typed.citation and SCAN_MARK not in render_passage(typed, [], 1)


def test_the_ocr_cache_follows_the_cache_folder_load_bot_is_given(tmp_path, seeds_dir):
    from bot import load_bot
    from bot.ingest.readers import ocr
    from tests.fakes.encoder import FakeEncoder

    chosen = tmp_path / "chosen-cache"
    try:
        load_bot(seeds_dir, encoder=FakeEncoder(), cache_dir=chosen)
        assert ocr.ocr_cache_dir() == chosen / "ocr"
    finally:
        ocr.use_cache_root(None)
    assert ocr.ocr_cache_dir() != chosen / "ocr"
