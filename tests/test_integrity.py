"""Issue 13 point 2: a damaged index is never answered from. Each stored file's hash is in the
manifest and checked on load; an emptied, halved or edited file means a rebuild, said once; every
quote is the source file's text[start:end] again afterwards."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.engine import load_bot
from bot.index.integrity import GENERATION_FILES
from bot.index.store import read_generation, read_manifest
from bot.ingest.read import file_sha256
from embeddings.errors import CorruptIndex
from tests.fakes.encoder import FakeEncoder

COUNT_QUESTION = "河市镇化解了多少件矛盾纠纷？"
MAX_QUESTION = "哪个镇化解的矛盾纠纷最多？"


@pytest.fixture
def corpus(tmp_path, seeds_dir) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(seeds_dir, folder)
    return folder


def _load(corpus: Path, cache: Path):
    return load_bot(corpus, encoder=FakeEncoder(), cache_dir=cache)


def _generation(cache: Path) -> Path:
    (index,) = (cache / "indexes").iterdir()
    return index / read_manifest(index).generation


def _assert_quotes_are_source_slices(bot, answer) -> None:
    assert answer.passages
    for passage in answer.passages:
        source = Path(passage.report.source).read_bytes().decode("utf-8")
        assert source[passage.paragraph.start : passage.paragraph.end] == passage.paragraph.text


def _empty(path: Path) -> None:
    path.write_text("", encoding="utf-8")


def _halve(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")


def _halve_bytes(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _edit_217_in_db(path: Path) -> None:
    """Change a figure in the SQLite table as a database tool would: a valid file, other content."""
    import sqlite3

    with sqlite3.connect(path) as db:
        changed = db.execute(
            "UPDATE figures SET value = 917, figure = replace(figure, '217', '917') WHERE value = 217"
        )
        assert changed.rowcount
    db.close()


def _edit_217(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "217件" in text
    path.write_text(text.replace("217件", "917件"), encoding="utf-8")


def _rehash(generation: Path, name: str) -> None:
    """Record a generation file's current hash in the manifest, as a careless tool would after editing it."""
    manifest_path = generation.parent / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["stored"][name] = file_sha256(generation / name)
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def _edit_first_report_and_its_hash(corpus: Path, tmp_path: Path, edit) -> Path:
    """Edit the first stored report and update reports.jsonl's hash in the manifest to match, as a
    careless tool would: only the per-report checks can then notice."""
    cache = tmp_path / "cache"
    _load(corpus, cache)
    generation = _generation(cache)
    path = generation / "reports.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    edit(first)
    path.write_text("\n".join([json.dumps(first, ensure_ascii=False), *lines[1:]]) + "\n", encoding="utf-8")
    _rehash(generation, "reports.jsonl")
    return generation


def _span_past_the_end(report: dict) -> None:
    report["paragraphs"][-1]["end"] = len(report["text"]) + 10


def _other_file_version(report: dict) -> None:
    report["report"]["sha256"] = "0" * 64


@pytest.mark.parametrize(
    ("file", "damage"),
    [
        ("figures.db", _empty),
        ("figures.db", _halve_bytes),
        ("figures.db", _edit_217_in_db),
        ("reports.jsonl", _edit_217),
        ("tokens.jsonl", _halve),
    ],
    ids=["emptied-figures", "half-figures", "917-in-figures-db", "217-to-917-in-reports", "half-tokens"],
)
def test_damaged_file_is_rebuilt_said_once_and_answers_right(corpus, tmp_path, capsys, file, damage):
    cache = tmp_path / "cache"
    _load(corpus, cache)
    damage(_generation(cache) / file)
    capsys.readouterr()
    bot = _load(corpus, cache)
    said = capsys.readouterr().err
    assert said.count("正在重建") == 1 and file in said
    count = bot.ask(COUNT_QUESTION)
    assert "217件" in count.answer and "917" not in count.answer and "未给出" not in count.answer
    _assert_quotes_are_source_slices(bot, count)
    most = bot.ask(MAX_QUESTION)
    assert most.answer.startswith("季家镇") and "485件" in most.answer
    # Once rebuilt the index is sound again: the next load says nothing about it.
    _load(corpus, cache)
    assert "重建" not in capsys.readouterr().err


def test_every_generation_file_is_hashed_in_the_manifest(corpus, tmp_path):
    cache = tmp_path / "cache"
    _load(corpus, cache)
    generation = _generation(cache)
    manifest = read_manifest(generation.parent)
    assert set(manifest.stored) == set(GENERATION_FILES)
    for name, digest in manifest.stored.items():
        assert file_sha256(generation / name) == digest
    assert len(manifest.texts) == 5


def test_an_edit_that_also_fixes_the_file_hash_is_caught_by_the_report_text_check(corpus, tmp_path):
    """reports.jsonl edited and its manifest hash updated to match: the report's text hash still differs."""
    cache = tmp_path / "cache"
    _load(corpus, cache)
    generation = _generation(cache)
    _edit_217(generation / "reports.jsonl")
    _rehash(generation, "reports.jsonl")
    with pytest.raises(CorruptIndex, match="正文"):
        read_generation(generation.parent, read_manifest(generation.parent))


def test_a_paragraph_span_outside_its_text_is_caught(corpus, tmp_path):
    generation = _edit_first_report_and_its_hash(corpus, tmp_path, _span_past_the_end)
    with pytest.raises(CorruptIndex, match="超出原文"):
        read_generation(generation.parent, read_manifest(generation.parent))


def test_an_index_of_the_previous_schema_without_hashes_is_rebuilt(corpus, tmp_path, capsys):
    cache = tmp_path / "cache"
    _load(corpus, cache)
    manifest_path = _generation(cache).parent / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["stored"] = {}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    bot = _load(corpus, cache)
    assert "正在重建" in capsys.readouterr().err
    assert "217件" in bot.ask(COUNT_QUESTION).answer


def test_a_report_of_another_file_version_is_caught(corpus, tmp_path):
    """A stored report whose file hash is not the one the manifest lists is not used."""
    generation = _edit_first_report_and_its_hash(corpus, tmp_path, _other_file_version)
    with pytest.raises(CorruptIndex, match="那一版原文件"):
        read_generation(generation.parent, read_manifest(generation.parent))


def test_a_missing_generation_file_is_named_in_chinese(corpus, tmp_path, capsys):
    cache = tmp_path / "cache"
    _load(corpus, cache)
    (_generation(cache) / "chunks.npy").unlink()
    capsys.readouterr()
    _load(corpus, cache)
    assert "索引文件 chunks.npy 已损坏（文件不存在），正在重建。" in capsys.readouterr().err


def test_a_figure_whose_quote_is_not_its_reports_text_is_caught(corpus, tmp_path):
    """figures.db edited (217件 → 917件 in a quote) and its manifest hash updated to match: the quote is
    checked against the report's text at its span, so the figure is never shown."""
    import sqlite3

    cache = tmp_path / "cache"
    _load(corpus, cache)
    generation = _generation(cache)
    with sqlite3.connect(generation / "figures.db") as db:
        (rowid, figure) = db.execute(
            "SELECT rowid, figure FROM figures WHERE figure LIKE '%217件%'"
        ).fetchone()
        db.execute("UPDATE figures SET figure = ? WHERE rowid = ?", (figure.replace("217件", "917件"), rowid))
    _rehash(generation, "figures.db")
    with pytest.raises(CorruptIndex, match="与原文对不上"):
        read_generation(generation.parent, read_manifest(generation.parent))
    bot = _load(corpus, cache)  # rebuilt: the report's own figure again
    assert "217件" in bot.ask(COUNT_QUESTION).answer and "917件" not in bot.ask(COUNT_QUESTION).answer
