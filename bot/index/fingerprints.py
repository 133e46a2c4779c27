"""What an index was built with, one fingerprint per kind of derived data.

Each stored thing is redone only when its own rules change:
- parse: the ingest rules (the code of bot/ingest and the script reader) and the corpus folder's
  报告信息.csv. A change re-reads every file; vectors are still reused for every sentence whose
  embedded text is unchanged, so only new text is embedded.
- tokens: the tokenizer and its word list (bot/data/vocab.txt). A change re-tokenises; nothing is
  embedded or re-read.
- chunks: how a paragraph becomes embedded sentence texts (bot.search.fusion.dense_chunks). Only
  while it is unchanged can a stored vector be matched to its text; a change embeds everything.
- figures: the figure rules and bot/data/metrics.json. A change re-extracts figures only.
The encoder is part of the index folder's name (bot.index.store.index_dir_for), so vectors of two
encoders never meet.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.data import fingerprint as data_fingerprint

_BOT = Path(__file__).resolve().parent.parent
# The sources whose every edit may change what a report file is read as.
_PARSE_SOURCES = ("ingest", "lang/script.py", "report.py")
_TOKEN_SOURCES = ("lang/tokenizer.py", "search/fusion.py")
_CHUNK_SOURCES = ("search/fusion.py", "lang/sentences.py")


@dataclass(frozen=True)
class Fingerprints:
    parse: str
    tokens: str
    chunks: str
    figures: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def current_fingerprints(corpus_dir: Path) -> Fingerprints:
    """The fingerprints of the rules this code would build the index of `corpus_dir` with."""
    from bot.figures.extract import rules_fingerprint
    from bot.ingest.report_info import fingerprint as table_fingerprint

    return Fingerprints(
        parse=f"{_code_hash(_PARSE_SOURCES)}-table{table_fingerprint(corpus_dir)[:10]}",
        tokens=f"{_code_hash(_TOKEN_SOURCES)}-vocab{data_fingerprint('vocab.txt')}",
        chunks=_code_hash(_CHUNK_SOURCES),
        figures=rules_fingerprint(),
    )


def _code_hash(sources: tuple[str, ...]) -> str:
    digest = hashlib.sha1()
    for source in sources:
        path = _BOT / source
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(_BOT).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:10]
