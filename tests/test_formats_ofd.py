"""OFD reports built from their XML parts: same paragraphs as the .txt, broken files skipped with a reason."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from bot.errors import UnsupportedFile
from bot.ingest.limits import lowered
from bot.ingest.readers import ofd
from bot.ingest.scan import load_corpus

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
GLYPH = 4.0  # millimetres per character
PER_LINE = 40
LINES_PER_PAGE = 50


def _wrap(paragraph: str) -> list[tuple[float, str]]:
    """A paragraph cut into page-width lines; the first is indented two characters, as Word lays it out."""
    lines, rest, indent = [], paragraph, 2
    while rest:
        width = PER_LINE - indent
        lines.append((indent * GLYPH, rest[:width]))
        rest, indent = rest[width:], 0
    return lines


def _content(lines: list[tuple[float, str]]) -> str:
    objects = []
    for number, (x, text) in enumerate(lines):
        y = 20 + number * GLYPH * 1.5
        deltas = f"g {len(text) - 1} {GLYPH}" if len(text) > 1 else ""
        objects.append(
            f'<ofd:TextObject ID="{number + 10}" Boundary="{20 + x} {y} {len(text) * GLYPH} {GLYPH * 1.2}"'
            f' Font="3" Size="{GLYPH}"><ofd:TextCode X="0" Y="{GLYPH}" DeltaX="{deltas}">'
            f"{text.replace('&', '&amp;').replace('<', '&lt;')}</ofd:TextCode></ofd:TextObject>"
        )
    layer = f'<ofd:Layer ID="2">{"".join(objects)}</ofd:Layer>'
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    return f"{head}<ofd:Page {NS}><ofd:Content>{layer}</ofd:Content></ofd:Page>"


def build_ofd(path: Path, paragraphs: list[str]) -> Path:
    """An OFD package in the layout GB/T 33190 producers write: OFD.xml → Doc_0/Document.xml → pages."""
    lines = [line for paragraph in paragraphs for line in _wrap(paragraph)]
    pages = [lines[start : start + LINES_PER_PAGE] for start in range(0, len(lines), LINES_PER_PAGE)]
    page_refs = "".join(
        f'<ofd:Page ID="{index + 100}" BaseLoc="Pages/Page_{index}/Content.xml"/>'
        for index in range(len(pages))
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} DocType="OFD" Version="1.0"><ofd:DocBody>'
            "<ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
            "</ofd:DocBody></ofd:OFD>",
        )
        package.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}><ofd:CommonData><ofd:MaxUnitID>999'
            "</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
            f"</ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>",
        )
        for index, page in enumerate(pages):
            package.writestr(f"Doc_0/Pages/Page_{index}/Content.xml", _content(page))
    return path


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _seed_paragraphs(seed: Path) -> list[str]:
    return [line.strip() for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_ofd_of_each_seed_gives_the_txt_paragraphs(seeds_dir, tmp_path):
    for seed in sorted(seeds_dir.glob("*.txt")):  # 5 seeds, several pages each: paragraphs cross pages
        paragraphs = _seed_paragraphs(seed)
        text = ofd.read_ofd(build_ofd(tmp_path / f"{seed.stem}.ofd", paragraphs))
        assert [line for line in text.splitlines() if line] == paragraphs, seed.name


@pytest.mark.parametrize("index", range(5))
def test_ofd_report_parses_like_its_txt(seeds_dir, seed_corpus, tmp_path, index):
    seed = sorted(seeds_dir.glob("*.txt"))[index]
    folder = tmp_path / "reports"
    folder.mkdir()
    build_ofd(folder / f"{seed.stem}.ofd", _seed_paragraphs(seed))
    [parsed] = load_corpus(folder).reports
    expected = seed_corpus.report(seed.name)
    assert (parsed.report.township, parsed.report.year) == (expected.report.township, expected.report.year)
    assert [_squash(p.text) for p in parsed.paragraphs] == [_squash(p.text) for p in expected.paragraphs]
    assert [p.section_path for p in parsed.paragraphs] == [
        tuple(_squash(part) for part in p.section_path) for p in expected.paragraphs
    ]


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("empty.ofd", b"", "文件为空"),
        ("garbage.ofd", b"not a zip at all" * 10, "OFD 文件已损坏"),
    ],
)
def test_broken_ofd_is_refused_with_a_reason(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnsupportedFile) as caught:
        ofd.read_ofd(path)
    assert expected in caught.value.reason


def test_ofd_without_its_parts_or_with_bad_xml_is_refused(tmp_path):
    missing = tmp_path / "missing.ofd"
    with zipfile.ZipFile(missing, "w") as package:
        package.writestr("Doc_0/Document.xml", "<x/>")
    bad_xml = tmp_path / "bad.ofd"
    with zipfile.ZipFile(bad_xml, "w") as package:
        package.writestr("OFD.xml", "<ofd:OFD")  # truncated XML
    for path in (missing, bad_xml):
        with pytest.raises(UnsupportedFile) as caught:
            ofd.read_ofd(path)
        assert "OFD 文件已损坏" in caught.value.reason


def test_ofd_member_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = build_ofd(tmp_path / "big.ofd", ["某某镇2023年法治政府建设工作报告", "全年办理案件12件。" * 50])
    with lowered(member_bytes=1000), pytest.raises(UnsupportedFile) as caught:
        ofd.read_ofd(path)
    assert "limits.member_bytes" in caught.value.reason


def test_password_protected_ofd_is_named_encrypted_not_broken(tmp_path):
    plain = build_ofd(tmp_path / "plain.ofd", ["某某镇2023年法治政府建设工作报告", "全年办理案件12件。"])
    locked = tmp_path / "locked.ofd"
    # Each member's flag bit 0 set, in its local header and its central directory entry, as a zip saved
    # with a password has it: zipfile then asks for the password before inflating anything.
    data = bytearray(plain.read_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for found in re.finditer(re.escape(signature), bytes(data)):
            data[found.start() + flag_at] |= 0x1
    locked.write_bytes(bytes(data))
    with zipfile.ZipFile(locked) as package:
        assert all(info.flag_bits & 0x1 for info in package.infolist())
    with pytest.raises(UnsupportedFile) as caught:
        ofd.read_ofd(locked)
    assert "已加密" in caught.value.reason and "已损坏" not in caught.value.reason
    assert "某某镇" in ofd.read_ofd(plain)
