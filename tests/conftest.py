"""Fixtures shared by several test modules: the seed reports, parsed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ingest.scan import Corpus, load_corpus

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five real seed reports (never modified)."""
    return SEEDS_DIR


@pytest.fixture(scope="session")
def seed_corpus(seeds_dir: Path) -> Corpus:
    """The seed folder loaded as a corpus; report ids are the seed file names."""
    return load_corpus(seeds_dir)


def _pdf_with_text(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds `lines` (CJK included) without embedding any font.

    Glyph codes are the characters' Unicode values (Identity-H) and a ToUnicode map lets readers
    recover the text, which is all pypdf's extract_text needs. Written by hand: no font, no network.
    """
    chars = sorted({ch for line in lines for ch in line})
    cmap = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    for i in range(0, len(chars), 100):
        chunk = chars[i : i + 100]
        cmap += [f"{len(chunk)} beginbfchar", *(f"<{ord(c):04X}> <{ord(c):04X}>" for c in chunk), "endbfchar"]
    cmap.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    shown = "\n".join("<" + "".join(f"{ord(c):04X}" for c in line) + "> Tj T*" for line in lines)
    content = f"BT /F1 12 Tf 14 TL 50 800 Td\n{shown}\nET".encode()
    to_unicode = "\n".join(cmap).encode()

    def stream(data: bytes) -> bytes:
        return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        stream(content),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /DW 1000 "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        stream(to_unicode),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture(scope="session")
def pdf_with_text():
    """Callable lines → bytes of a text-layer PDF (CJK works), for reader and upload tests."""
    return _pdf_with_text


@pytest.fixture(scope="session")
def seed_cache(tmp_path_factory) -> Path:
    """A throwaway index cache shared by the tests that use the real bundled encoder."""
    return tmp_path_factory.mktemp("zhenbao-cache")


@pytest.fixture(scope="session")
def seed_bot(seeds_dir: Path, seed_cache: Path):
    """The real engine (bundled e5 encoder) over the five seeds, built once per session."""
    from bot.engine import load_bot

    return load_bot(seeds_dir, cache_dir=seed_cache)


@pytest.fixture(autouse=True)
def _ocr_cache_follows_each_test():
    """load_bot(cache_dir=…) points the OCR cache at that folder for the process; a test's choice must
    not leak into the next test, which may set ZHENBAO_CACHE_DIR instead."""
    yield
    from bot.ingest.readers.ocr import use_cache_root

    use_cache_root(None)
