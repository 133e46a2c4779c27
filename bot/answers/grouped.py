"""A snapshot's figures grouped by metric, once: rankings, totals and their related metrics each
filtered all ~140,000 figures of 1,500 reports by metric several times a question."""

from __future__ import annotations

from collections.abc import Sequence

from bot.figures.figure import Figure

# id(figures) → (figures, metric → its figures in order). Holding the sequence keeps its id unique
# while the entry exists; a few entries, since scoped questions pass their own subsets.
_GROUPED: dict[int, tuple[Sequence[Figure], dict[str, tuple[Figure, ...]]]] = {}
_MAX_ENTRIES = 4


def of_metric(figures: Sequence[Figure], name: str) -> tuple[Figure, ...]:
    """The figures whose metric is `name`, in their order."""
    entry = _GROUPED.get(id(figures))
    if entry is None or entry[0] is not figures:
        groups: dict[str, list[Figure]] = {}
        for f in figures:
            groups.setdefault(f.metric, []).append(f)
        if len(_GROUPED) >= _MAX_ENTRIES:
            _GROUPED.pop(next(iter(_GROUPED)))
        entry = (figures, {metric: tuple(group) for metric, group in groups.items()})
        _GROUPED[id(figures)] = entry
    return entry[1].get(name, ())
