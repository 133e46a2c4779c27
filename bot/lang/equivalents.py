"""Words a question may use for a report's own wording of an act or a thing counted (bot/data/
equivalents.txt): "培养" asked credits "培育“法律明白人”86名", "审查" credits "审核…合同19份". Used to
match questions to figures; the question itself is never rewritten (that is `bot.lang.synonyms`)."""

from __future__ import annotations

import functools

from bot.data import word_list


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, ...]]:
    """Asked word → the report words that say it too, the asked word's own group first."""
    table: dict[str, list[str]] = {}
    for line in word_list("equivalents.txt"):
        asked, arrow, stated = line.partition(">")
        if arrow:
            for word in asked.split():
                table.setdefault(word, []).extend(stated.split())
            continue
        group = line.split()
        for word in group:
            table.setdefault(word, []).extend(w for w in group if w != word)
    return {word: tuple(dict.fromkeys(others)) for word, others in table.items()}


def equivalents(word: str) -> tuple[str, ...]:
    """The report words that say what `word` says (not `word` itself); empty when none is listed."""
    return _table().get(word, ())


@functools.lru_cache(maxsize=1)
def acts() -> tuple[str, ...]:
    """The words of the list's groups of one act (排查, 化解, 审核 …), not its asked words."""
    groups = (line.split() for line in word_list("equivalents.txt") if ">" not in line)
    return tuple(dict.fromkeys(w for group in groups for w in group))


def listed_words() -> frozenset[str]:
    """Every asked word the list knows: `read_asked` keeps these whole ("依申请公开")."""
    return frozenset(_table())
