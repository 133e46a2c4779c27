"""The figures table of an index generation as an SQLite file (stdlib sqlite3), queried in place.

Each Figure is stored whole as JSON of all its dataclass fields (a field added to Figure passes
through without a change here), next to the columns queries filter and sort on — report, township,
year, metric, unit, value — which are indexed. The file is written once, in memory, and then
atomically into the generation folder; the manifest records its hash like every generation file.
It is opened read-only and immutable, so a read-only cache folder works (no journal, no lock file).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.figures.figure import Figure

FILE_NAME = "figures.db"
_SCHEMA = """
CREATE TABLE figures (
    id INTEGER PRIMARY KEY,  -- corpus order: the order the figures were extracted in
    report_id TEXT NOT NULL,
    township TEXT NOT NULL,
    year INTEGER,
    metric TEXT NOT NULL,
    unit TEXT NOT NULL,
    value REAL NOT NULL,
    figure TEXT NOT NULL  -- JSON of every Figure field
);
CREATE INDEX figures_by_metric ON figures (metric, year, unit, value);
CREATE INDEX figures_by_township ON figures (township, year);
CREATE INDEX figures_by_report ON figures (report_id);
"""
_FIELDS = tuple(f.name for f in dataclasses.fields(Figure))


@dataclass(frozen=True)
class Total:
    """The sum of one metric in one unit over the reports that state it."""

    metric: str
    unit: str
    value: float
    reports: int
    approximate: bool  # some summand was stated as "60余起" or "约…"


def write_figures_db(path: Path, figures: tuple[Figure, ...] | list[Figure]) -> None:
    """Write the figures table to `path` atomically (built in memory, then one file write)."""
    from embeddings.files import atomic_write_bytes

    with contextlib.closing(sqlite3.connect(":memory:")) as db:
        db.executescript(_SCHEMA)
        db.executemany(
            "INSERT INTO figures (report_id, township, year, metric, unit, value, figure)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((f.report_id, f.township, f.year, f.metric, f.unit, f.value, _to_json(f)) for f in figures),
        )
        db.commit()
        data = db.serialize()
    atomic_write_bytes(path, data)


def _to_json(figure: Figure) -> str:
    # Field by field, in field order: what dataclasses.asdict gives for Figure's plain fields, without
    # its deep copy (~10 % of the main process's CPU in a 1,500-report parallel build).
    return json.dumps({name: getattr(figure, name) for name in _FIELDS}, ensure_ascii=False)


def _from_json(text: str) -> Figure:
    data: dict[str, Any] = json.loads(text)
    # JSON has no tuples; Figure's sequence fields (section_path, …) are tuples.
    return Figure(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in _FIELDS})


class FiguresDb:
    """Read-only queries on one generation's figures table: per-town lists, rankings, totals."""

    def __init__(self, path: Path):
        uri = f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1"
        # check_same_thread=False: the engine shares one snapshot between request threads; the
        # connection only reads an immutable file.
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> FiguresDb:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def all(self) -> tuple[Figure, ...]:
        """Every figure in corpus order."""
        return tuple(_from_json(row[0]) for row in self._db.execute("SELECT figure FROM figures ORDER BY id"))

    def figures(
        self,
        *,
        metric: str | None = None,
        township: str | None = None,
        year: int | None = None,
        report_id: str | None = None,
    ) -> list[Figure]:
        """The figures matching every given filter, in corpus order (a township's list: township=…)."""
        where, args = _filters(metric=metric, township=township, year=year, report_id=report_id)
        rows = self._db.execute(f"SELECT figure FROM figures{where} ORDER BY id", args)
        return [_from_json(row[0]) for row in rows]

    def ranking(self, metric: str, unit: str, *, year: int | None = None) -> list[Figure]:
        """One metric in one unit, largest value first (ties in corpus order)."""
        where, args = _filters(metric=metric, unit=unit, year=year)
        rows = self._db.execute(f"SELECT figure FROM figures{where} ORDER BY value DESC, id", args)
        return [_from_json(row[0]) for row in rows]

    def totals(self, metric: str, *, year: int | None = None) -> list[Total]:
        """The metric summed per unit, most-reported unit first."""
        where, args = _filters(metric=metric, year=year)
        rows = self._db.execute(
            "SELECT unit, SUM(value), COUNT(DISTINCT report_id),"
            " MAX(json_extract(figure, '$.approximate'))"
            f" FROM figures{where} GROUP BY unit ORDER BY COUNT(*) DESC, unit",
            args,
        )
        return [Total(metric, unit, value, reports, bool(approx)) for unit, value, reports, approx in rows]

    def metrics(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT DISTINCT metric FROM figures ORDER BY metric")]

    def curated_metrics(self) -> list[tuple[str, int]]:
        """The metrics of the curated vocabulary, each with how many reports state it, most first."""
        rows = self._db.execute(
            "SELECT metric, COUNT(DISTINCT report_id) FROM figures"
            " WHERE json_extract(figure, '$.known_metric') GROUP BY metric ORDER BY 2 DESC, metric"
        )
        return [(metric, reports) for metric, reports in rows]


def _filters(**conditions: object) -> tuple[str, list[object]]:
    """A WHERE clause over the indexed columns for the conditions that are not None."""
    # Column names come from this module's own keyword names, never from user input.
    given = [(column, value) for column, value in conditions.items() if value is not None]
    if not given:
        return "", []
    return " WHERE " + " AND ".join(f"{column} = ?" for column, _ in given), [v for _, v in given]
