"""A snapshot's figures grouped by metric and by report, once: rankings, totals and their related
metrics each filtered all ~140,000 figures of 1,500 reports by metric several times a question, and
the wordings shown for reports lacking a figure scanned them all for those few reports."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from bot.figures.figure import Figure
from bot.heap import forget_on_settle

# (id(figures), key name) → (figures, key → positions of its figures in order). Holding the sequence
# keeps its id unique while the entry exists; a few entries, since scoped questions pass their own
# subsets.
_GROUPED: dict[tuple[int, str], tuple[Sequence[Figure], dict[str, tuple[int, ...]]]] = {}
_MAX_ENTRIES = 8
forget_on_settle(_GROUPED.clear)


def _groups(figures: Sequence[Figure], by: str, key: Callable[[Figure], str]) -> dict[str, tuple[int, ...]]:
    entry = _GROUPED.get((id(figures), by))
    if entry is None or entry[0] is not figures:
        groups: dict[str, list[int]] = {}
        for i, f in enumerate(figures):
            groups.setdefault(key(f), []).append(i)
        if len(_GROUPED) >= _MAX_ENTRIES:
            _GROUPED.pop(next(iter(_GROUPED)))
        entry = (figures, {name: tuple(group) for name, group in groups.items()})
        _GROUPED[(id(figures), by)] = entry
    return entry[1]


def of_metric(figures: Sequence[Figure], name: str) -> tuple[Figure, ...]:
    """The figures whose metric is `name`, in their order."""
    groups = _groups(figures, "metric", _metric)
    found = _OF_METRIC.get((id(groups), name))
    if found is None or found[0] is not groups:
        if len(_OF_METRIC) >= _MAX_METRICS:
            _OF_METRIC.clear()
        found = (groups, tuple(figures[i] for i in groups.get(name, ())))
        _OF_METRIC[(id(groups), name)] = found
    return found[1]


# (id(groups), metric) → (groups, its figures): a ranking asks for the same metric's ~1,450
# figures several times a question. Holding the groups keeps the key's id unique.
_OF_METRIC: dict[tuple[int, str], tuple[dict[str, tuple[int, ...]], tuple[Figure, ...]]] = {}
_MAX_METRICS = 4096
forget_on_settle(_OF_METRIC.clear)


def of_reports(figures: Sequence[Figure], report_ids: Collection[str]) -> list[Figure]:
    """The figures of the given reports, in their order."""
    groups = _groups(figures, "report", _report)
    return [figures[i] for i in sorted(i for r in report_ids for i in groups.get(r, ()))]


def _metric(figure: Figure) -> str:
    return figure.metric


def _report(figure: Figure) -> str:
    return figure.report_id
