"""Everyday words → report words ("城管" → "综合执法"), so colloquial questions meet official prose."""

from __future__ import annotations

import functools
import re

from bot.data import word_list


@functools.lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], re.Pattern[str]]:
    """Everyday word → report term, and one pattern that finds any everyday word, longest first so
    "输过官司" beats "官司". Built once: `rewrite` runs several times for every question."""
    pairs = []
    for line in word_list("synonyms.txt"):
        term, _, words = line.partition(":")
        pairs += [(word.strip(), term.strip()) for word in words.split(",") if word.strip()]
    pairs.sort(key=lambda pair: -len(pair[0]))
    return dict(pairs), re.compile("|".join(re.escape(word) for word, _ in pairs))


def rewrite(question: str) -> str:
    """The question with everyday words replaced by report terms; unchanged if none occurs."""
    replacements, pattern = _table()
    if not pattern.search(question):
        return question
    return pattern.sub(lambda match: replacements[match.group(0)], question)
