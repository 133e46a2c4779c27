"""Old Word (.doc) and WPS (.wps) reports via LibreOffice: the .txt's paragraphs, nothing left behind."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from bot.errors import UnsupportedFile
from bot.ingest.readers import legacy
from bot.ingest.scan import load_corpus

if legacy.find_office() is None and os.environ.get("CI") == "true":
    # As the browser tests do: in CI a missing LibreOffice is a broken set-up, not a reason to skip.
    pytest.fail("LibreOffice (soffice) is missing in CI: .ci/install-system.sh must run first", pytrace=False)
needs_office = pytest.mark.skipif(
    legacy.find_office() is None, reason="LibreOffice (soffice) is not installed; CI installs it"
)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def seed_doc(tmp_path_factory) -> tuple[Path, Path]:
    """The first seed report saved as .doc by LibreOffice (Word 97 format), and the seed itself."""
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    seed = sorted(seeds.glob("*.txt"))[0]
    work = tmp_path_factory.mktemp("doc")
    subprocess.run(
        [
            legacy.find_office() or "soffice",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--infilter=Text (encoded):UTF8,LF,,,",
            "--convert-to",
            "doc",
            "--outdir",
            str(work),
            str(seed),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return work / f"{seed.stem}.doc", seed


@needs_office
def test_doc_and_wps_give_the_txt_paragraphs(seed_doc, seed_corpus, tmp_path, monkeypatch):
    doc, seed = seed_doc
    # A temp folder of this test's own: other programs' conversions may be using the shared one.
    own_temp = tmp_path / "temp"
    own_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own_temp))
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copyfile(doc, folder / "兴隆镇.doc")
    # Kingsoft WPS saves .wps in the same OLE compound format as .doc; LibreOffice reads it by content.
    shutil.copyfile(doc, folder / "sub.wps")
    corpus = load_corpus(folder)
    # Profile, HOME and output lived in one temporary folder per conversion, removed afterwards.
    assert not list(own_temp.glob("zhenbao-soffice-*"))
    expected = seed_corpus.report(seed.name)
    assert corpus.skipped[0].reason.startswith("与 ")  # the .wps holds the same bytes: a duplicate
    [parsed] = corpus.reports
    assert (parsed.report.township, parsed.report.year) == (expected.report.township, expected.report.year)
    assert [_squash(p.text) for p in parsed.paragraphs] == [_squash(p.text) for p in expected.paragraphs]


@needs_office
def test_wps_alone_is_read(seed_doc, tmp_path):
    doc, seed = seed_doc
    wps = tmp_path / "报告.wps"
    shutil.copyfile(doc, wps)
    lines = [_squash(line) for line in legacy.read_legacy_word(wps).splitlines() if line.strip()]
    assert lines == [_squash(line) for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]


@needs_office
def test_corrupt_doc_is_refused_with_a_reason(tmp_path):
    path = tmp_path / "坏.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00\xff" * 300)
    with pytest.raises(UnsupportedFile) as caught:
        legacy.read_legacy_word(path)
    assert "另存为 .docx" in caught.value.reason


@needs_office
def test_conversion_past_the_time_limit_is_killed(seed_doc, tmp_path, monkeypatch):
    monkeypatch.setattr(legacy, "CONVERT_SECONDS", 0.05)
    with pytest.raises(UnsupportedFile) as caught:
        legacy.read_legacy_word(seed_doc[0])
    assert "CONVERT_SECONDS" in caught.value.reason


def test_empty_doc_and_missing_office_are_refused_with_what_to_do(tmp_path, monkeypatch):
    empty = tmp_path / "empty.wps"
    empty.write_bytes(b"")
    with pytest.raises(UnsupportedFile) as caught:
        legacy.read_legacy_word(empty)
    assert "文件为空" in caught.value.reason
    monkeypatch.setattr(legacy, "find_office", lambda: None)
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(UnsupportedFile) as caught:
        legacy.read_legacy_word(doc)
    assert "LibreOffice" in caught.value.reason and "另存为 .docx" in caught.value.reason
