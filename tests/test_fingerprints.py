"""The index fingerprints cover every module the stored data is made by, imports included: a rule
moved from bot/ingest into a bot/lang helper must still re-read the reports when it changes."""

from pathlib import Path

from bot.index import fingerprints

BOT = Path(fingerprints.__file__).resolve().parent.parent


def _covered(sources: tuple[str, ...]) -> set[str]:
    return {p.relative_to(BOT).as_posix() for p in fingerprints._with_imports(sources)}


def test_parse_covers_the_lang_helpers_the_heading_parser_imports():
    covered = _covered(fingerprints._PARSE_SOURCES)
    assert {"ingest/headings.py", "lang/sentences.py", "lang/markers.py", "lang/places.py"} <= covered
    assert "answers/answer.py" not in covered  # answering code never re-reads the reports


def test_figures_and_vectors_cover_the_sentence_splitter_and_its_markers():
    for sources in (fingerprints._FIGURE_SOURCES, fingerprints._VECTOR_SOURCES):
        assert {"lang/sentences.py", "lang/markers.py"} <= _covered(sources)


def test_imports_inside_functions_count(tmp_path):
    source = tmp_path / "module.py"
    source.write_text(
        "from bot.lang.script import simplified\n"
        "def later():\n"
        "    import bot.lang.tokenizer\n"
        "    from bot.figures import numbers\n"
        "import os\n",
        encoding="utf-8",
    )
    found = {p.relative_to(BOT).as_posix() for p in fingerprints._bot_imports(source)}
    assert found == {"lang/script.py", "lang/tokenizer.py", "figures/__init__.py", "figures/numbers.py"}
