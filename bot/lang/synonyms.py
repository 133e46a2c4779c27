"""Everyday words → report words ("城管" → "综合执法"), so colloquial questions meet official prose.

An entry matches as written and with a 的/了/过 between its characters ("请律师" also in "请的律师",
"告到法院" in "告到了法院"); a "*" in an entry stands for a few words of the question between its two
parts ("看*合同": "看了多少份合同"), which stay in the rewritten question after the report term.
"""

from __future__ import annotations

import functools
import re

from bot.data import word_list

# What may stand between the characters of an entry, and between the two parts of a "*" entry.
_PARTICLE = "[的了过]?"
_GAP = r"([^\s，。？！?!,、；;：:“”\"（）()]{0,4}?)"


def _pattern(word: str) -> str:
    """The regex of one everyday word: its characters with an optional particle between them."""
    parts = [_PARTICLE.join(re.escape(ch) for ch in part) for part in word.split("*")]
    return _GAP.join(parts)


def _key(word: str) -> str:
    """An entry, or a matched text, without particles and gaps: what the lookup compares."""
    return re.sub("[的了过*]", "", word)


@functools.lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]], re.Pattern[str]]:
    """Everyday word → report term, and one pattern that finds any everyday word, longest first so
    "输过官司" beats "官司". Built once: `rewrite` runs several times for every question."""
    pairs = []
    for line in word_list("synonyms.txt"):
        term, _, words = line.partition(":")
        pairs += [(word.strip(), term.strip()) for word in words.split(",") if word.strip()]
    pairs.sort(key=lambda pair: -len(_key(pair[0])))
    plain = {_key(word): term for word, term in pairs if "*" not in word}
    gapped = [(re.compile(_pattern(word)), term) for word, term in pairs if "*" in word]
    return plain, gapped, re.compile("|".join(f"(?:{_pattern(word)})" for word, _ in pairs))


def _replace(match: re.Match[str]) -> str:
    plain, gapped, _ = _table()
    text = match.group(0)
    term = plain.get(_key(text))
    if term is not None:
        return term
    for pattern, term in gapped:
        found = pattern.fullmatch(text)
        if found:
            return term + "".join(found.groups())
    return text


def rewrite(question: str) -> str:
    """The question with everyday words replaced by report terms; unchanged if none occurs."""
    pattern = _table()[2]
    if not pattern.search(question):
        return question
    return pattern.sub(_replace, question)
