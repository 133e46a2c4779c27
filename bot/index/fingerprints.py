"""What an index was built with, one fingerprint per kind of derived data.

Each stored thing is redone only when its own rules change:
- parse: the ingest rules (the code of bot/ingest and of every bot module it imports: the script
  reader, the sentence splitter, the numbering markers, the report records). A change
  re-reads every file; a sentence whose embedded text is unchanged keeps its vector, so only new
  text is embedded. A file's row in 报告信息.csv is part of that file's stamp (FileStamp.info), so
  editing one row re-reads that one file.
- tokens: the tokenizer, what it is given (bot.search.fusion.bm25_document) and its word list
  (bot/data/vocab.txt). A change re-tokenises; nothing is read again or embedded.
  bot/data/synonyms.txt is not part of it: synonyms rewrite questions, never the stored words.
- figures: the figure code (bot/figures, the township names it matches) and bot/data/metrics.json.
  A change re-extracts figures from the stored reports only.
- vectors: how a paragraph becomes embedded sentence texts (bot.search.fusion.dense_chunks and the
  sentence splitter). A change rebuilds the sentence list, but each stored vector sits beside the
  key of the exact text it was embedded from (IndexData.chunk_keys), so only texts that changed are
  embedded again. The encoder itself names the index folder (bot.index.store.index_dir_for) and is
  checked against Manifest.encoder/dim: another encoder means a new index.
"""

from __future__ import annotations

import ast
import functools
import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.data import fingerprint as data_fingerprint

_BOT = Path(__file__).resolve().parent.parent
# The code each kind of stored data is made by, under bot/; every bot module these import, directly
# or not, counts too (`_with_imports`), so a rule moved into a helper module still re-reads the index.
_PARSE_SOURCES = ("ingest", "report.py")
_TOKEN_SOURCES = ("lang/tokenizer.py", "search/fusion.py")
_VECTOR_SOURCES = ("search/fusion.py",)
_FIGURE_SOURCES = ("figures",)


@dataclass(frozen=True)
class Fingerprints:
    parse: str
    tokens: str
    vectors: str
    figures: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def current_fingerprints() -> Fingerprints:
    """The fingerprints of the rules this code would build an index with."""
    from bot.figures.extract import rules_fingerprint

    return Fingerprints(
        parse=_code_hash(_PARSE_SOURCES),
        tokens=f"{_code_hash(_TOKEN_SOURCES)}-vocab{data_fingerprint('vocab.txt')}",
        vectors=_code_hash(_VECTOR_SOURCES),
        figures=f"{_code_hash(_FIGURE_SOURCES)}-{rules_fingerprint()}",
    )


def _code_hash(sources: tuple[str, ...]) -> str:
    digest = hashlib.sha1()
    for file in _with_imports(sources):
        digest.update(file.relative_to(_BOT).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:10]


@functools.lru_cache(maxsize=8)
def _with_imports(sources: tuple[str, ...]) -> tuple[Path, ...]:
    """The source files and every bot module they import, in path order."""
    todo = [f for s in sources for f in ((_BOT / s).rglob("*.py") if (_BOT / s).is_dir() else [_BOT / s])]
    seen: set[Path] = set()
    while todo:
        file = todo.pop()
        if file in seen:
            continue
        seen.add(file)
        todo += _bot_imports(file)
    return tuple(sorted(seen))


def _bot_imports(file: Path) -> list[Path]:
    """The files of the bot modules a source file imports (at the top or inside a function)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(file.read_bytes())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
    found = []
    for name in names:
        if name == "bot" or not name.startswith("bot."):
            continue
        base = _BOT.joinpath(*name.split(".")[1:])
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                found.append(candidate)
    return found
