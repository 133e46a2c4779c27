"""Fuzzing the file readers (issue 13): random and mutated bytes never raise anything but UnsupportedFile.

Every reader, fed random bytes, a seed file with bytes flipped, cut or inserted, or (for the zip
formats) a package whose XML members are mutated and re-zipped, either returns text or raises
UnsupportedFile (which the scan turns into a skipped file with its reason), and does so quickly.
Read through bot.ingest.scan.read_report, so parsing the text that comes out is fuzzed too.
Bounded: few examples, a per-example deadline, under 30 s in all on a shared 2-core machine.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import UnsupportedFile
from bot.ingest.scan import read_report
from tests.test_formats_ofd import build_ofd

ROOT = Path(__file__).resolve().parent.parent
SEED = sorted((ROOT / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
PARAGRAPHS = [line for line in SEED.splitlines() if line.strip()][:12]
FUZZ = settings(
    max_examples=20,
    deadline=3000,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
    derandomize=True,
)


def _docx() -> bytes:
    document = docx.Document()
    for paragraph in PARAGRAPHS[:6]:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=2, cols=2)
    for (r, c), value in zip(
        [(0, 0), (0, 1), (1, 0), (1, 1)], ["项目", "数量", "行政执法案件", "728件"], strict=True
    ):
        table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "执法数据"
    for row in [("项目", "2023年", "2024年"), ("行政执法案件", "650件", "728件"), ("化解矛盾纠纷", 180, 217)]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ofd() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return build_ofd(Path(folder) / "a.ofd", PARAGRAPHS).read_bytes()


SEEDS = {".txt": SEED.encode("utf-8"), ".docx": _docx(), ".xlsx": _xlsx(), ".ofd": _ofd()}


def _read(suffix: str, data: bytes) -> None:
    """Read bytes as a report file of `suffix`: text out, or UnsupportedFile; anything else fails."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"报告{suffix}"
        path.write_bytes(data)
        try:
            parsed = read_report(path, Path(folder))
        except UnsupportedFile as exc:
            assert exc.reason.strip()
            return
        assert all(p.text == parsed.text[p.start : p.end] for p in parsed.paragraphs)


# One mutation of a byte string: flip bytes, cut it short, insert or delete a run.
_MUTATION = st.one_of(
    st.tuples(
        st.just("flip"), st.lists(st.tuples(st.integers(0), st.integers(0, 255)), min_size=1, max_size=8)
    ),
    st.tuples(st.just("cut"), st.integers(0)),
    st.tuples(st.just("insert"), st.tuples(st.integers(0), st.binary(min_size=1, max_size=64))),
    st.tuples(st.just("delete"), st.tuples(st.integers(0), st.integers(1, 200))),
)


def _mutate(data: bytes, mutations: list[tuple[str, object]]) -> bytes:
    out = bytearray(data)
    for kind, arg in mutations:
        if not out:
            break
        if kind == "flip":
            for position, value in arg:
                out[position % len(out)] = value
        elif kind == "cut":
            del out[arg % len(out) :]
        elif kind == "insert":
            position, extra = arg
            out[position % len(out) : position % len(out)] = extra
        else:
            position, length = arg
            del out[position % len(out) : position % len(out) + length]
    return bytes(out)


def _mutate_members(package: bytes, mutations: list[tuple[str, object]], which: int) -> bytes:
    """The package re-zipped with one of its XML members mutated: reaches the XML and layout code."""
    source = zipfile.ZipFile(io.BytesIO(package))
    names = [name for name in source.namelist() if name.endswith((".xml", ".rels"))]
    target_name = names[which % len(names)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, _mutate(data, mutations) if name == target_name else data)
    return buffer.getvalue()


@pytest.mark.parametrize("suffix", sorted(SEEDS))
@FUZZ
@given(data=st.binary(max_size=3000))
def test_random_bytes(suffix, data):
    _read(suffix, data)


@pytest.mark.parametrize("suffix", sorted(SEEDS))
@FUZZ
@given(mutations=st.lists(_MUTATION, min_size=1, max_size=4))
def test_mutated_seed_bytes(suffix, mutations):
    _read(suffix, _mutate(SEEDS[suffix], mutations))


@pytest.mark.parametrize("suffix", [".docx", ".ofd", ".xlsx"])
@FUZZ
@given(mutations=st.lists(_MUTATION, min_size=1, max_size=4), which=st.integers(0, 50))
def test_mutated_xml_members(suffix, mutations, which):
    _read(suffix, _mutate_members(SEEDS[suffix], mutations, which))


@pytest.mark.parametrize("suffix", sorted(SEEDS))
def test_the_unmutated_seeds_read(suffix):
    """The fuzz starts from files that do read: a mutation, not the seed, is what a failure points at."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"报告{suffix}"
        path.write_bytes(SEEDS[suffix])
        assert read_report(path, Path(folder)).paragraphs
