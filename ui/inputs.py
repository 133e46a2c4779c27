"""What the API and the page's controls may send, checked before `bot` sees it: a wrongly typed value
(`"top_k": "abc"`, `"towns": 3`) gets a Chinese message naming the field, not Gradio's English
"The upstream Gradio app has raised an exception" and `{"error": null}` (issue 13)."""

from __future__ import annotations

from typing import Any

from bot import TOP_K_RANGE, ZhenbaoError, check_top_k


def question_text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ZhenbaoError('question 应为文字（字符串），例如 "哪个镇办理行政执法案件最多"。')
    return value


def town_names(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and all(isinstance(town, str) for town in value):
        return tuple(value)
    raise ZhenbaoError('towns 应为乡镇名称的列表，例如 ["季家镇", "河市镇"]；不限乡镇时留空。')


def year_number(value: Any) -> int | None:
    """A year from the API (2024, "2024") or the page's year list ("" = every year)."""
    if value in (None, ""):
        return None
    year = _whole_number(value)
    if year is None:
        raise ZhenbaoError("year 应为四位年份数字，例如 2024；不限年份时留空。")
    return year


def passage_count(value: Any) -> int:
    count = _whole_number(value)
    if count is None:
        low, high = TOP_K_RANGE.start, TOP_K_RANGE.stop - 1
        raise ZhenbaoError(f"top_k 应为 {low} 到 {high} 之间的整数（引用段落数）。")
    return check_top_k(count)


def _whole_number(value: Any) -> int | None:
    # bool is an int subclass, but `true` for a year or a count is a mistake, not 1.
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdecimal() and value.strip().isascii():
        return int(value.strip())
    return None
