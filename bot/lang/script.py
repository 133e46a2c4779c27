"""Traditional-script reports: telling them apart and reading them in simplified characters.

Search, figures and identity rules are written in simplified characters; a traditional report
("三角鎮2024年法治政府建設情況報告") is read through its simplified form, while quotes and its own
name stay in the script it was written in.
"""

from __future__ import annotations

import re
from functools import lru_cache

_HAN = re.compile(r"[\u4e00-\u9fff]")
# Above this share of Chinese characters that change under t2s conversion a text is traditional.
# Simplified text changes almost none (a few shared variants); traditional reports change ≈ 20 %.
_TRADITIONAL_SHARE = 0.05
_SAMPLE_CHARS = 4000


@lru_cache(maxsize=1)
def _converter():
    # Imported here: `import bot` stays light. Pure Python OpenCC (opencc-python-reimplemented).
    try:
        from opencc import OpenCC
    except ImportError as exc:  # pragma: no cover - the dependency is declared
        raise ImportError("繁体报告需要 OpenCC：请运行 pip install opencc-python-reimplemented") from exc
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Text in simplified characters, same length character by character for almost all text."""
    return _converter().convert(text)


def is_traditional(text: str) -> bool:
    """True when a noticeable share of the Chinese characters are traditional-only forms."""
    sample = "".join(_HAN.findall(text[:_SAMPLE_CHARS]))
    if not sample:
        return False
    changed = _changed_in_runs(sample)
    if changed is None:
        simplified = to_simplified(sample)
        changed = sum(1 for a, b in zip(sample, simplified, strict=False) if a != b)
    return changed >= max(2, _TRADITIONAL_SHARE * len(sample))


@lru_cache(maxsize=1)
def _convertible_runs() -> re.Pattern[str] | None:
    """Runs of characters that appear in a t2s dictionary key: no other character is ever converted
    nor part of a converted phrase. None if this OpenCC does not expose its dictionaries."""
    converter = _converter()
    converter.convert("")  # loads the dictionaries
    try:
        tables = [table for group in converter._dict_chain_data for *_, table in group]
        chars = {ch for table in tables for key in table for ch in key}
    except (AttributeError, TypeError, ValueError):
        return None
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]+") if chars else None


def _changed_in_runs(sample: str) -> int | None:
    """The characters t2s changes in `sample`, converting only the runs it can touch (~20 % of a
    simplified report; converting the whole sample was ~13 % of indexing). None when a run changes
    length: then positions shift and the caller compares the whole conversion as before."""
    runs = _convertible_runs()
    if runs is None:
        return None
    changed = 0
    for run in runs.findall(sample):
        simplified = simplified_name(run)  # cached: the same short runs recur across reports
        if len(simplified) != len(run):
            return None
        changed += sum(1 for a, b in zip(run, simplified, strict=True) if a != b)
    return changed


def in_original_script(name: str, original: str) -> str:
    """The spelling in `original` of a name found in its simplified form: "三角镇" → "三角鎮"."""
    width = len(name)
    for start in range(len(original) - width + 1):
        window = original[start : start + width]
        first_matches = window[0] == name[0] or to_simplified(window[0]) == name[0]
        if first_matches and to_simplified(window) == name:
            return window
    return name


def aligned_simplified(text: str) -> str:
    """`to_simplified(text)` with the same length, so offsets into one index the other.

    OpenCC converts phrase by phrase; the rare phrase whose simplified form has another length is
    converted character by character instead.
    """
    converted = to_simplified(text)
    if len(converted) == len(text):
        return converted
    out = []
    for ch in text:
        single = to_simplified(ch)
        out.append(single if len(single) == 1 else ch)
    return "".join(out)


@lru_cache(maxsize=65536)
def simplified_name(name: str) -> str:
    """A short name (a township) in simplified characters, cached: names are compared per question."""
    return to_simplified(name) if name and not name.isascii() else name
