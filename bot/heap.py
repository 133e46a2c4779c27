"""Keeping the cyclic garbage collector off a loaded snapshot.

A snapshot of 1,500 reports is ~140,000 tracked objects (reports, paragraphs, figures, their
caches) that live until the next refresh. Every answer listing ~1,450 rows promotes its short-lived
rows to the oldest generation, so a full collection ran every ~10 questions and walked the whole
snapshot each time: ~100–200 ms added to one question in ten (the p95). Frozen objects are still
freed by reference counting; only the cycle search skips them.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

# Caches of per-snapshot work (citations, row lines, figure groups): emptied when a new snapshot
# replaces the old one, so that they neither hold the old one alive nor freeze it with the new.
_FORGET: list[Callable[[], None]] = []


def forget_on_settle(clear: Callable[[], None]) -> None:
    """Have `settle` call `clear` (a cache's `clear`) before it freezes a new snapshot."""
    _FORGET.append(clear)


def settle() -> None:
    """Freeze what is alive now (call right after a new snapshot replaced the old one): the old
    snapshot's cycles are collected once, then the new one is left out of every later collection."""
    for clear in _FORGET:
        clear()
    gc.unfreeze()  # the previous snapshot's objects become collectable again
    gc.collect()
    gc.freeze()
