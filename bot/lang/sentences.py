"""Sentences of a paragraph: the one splitting rule for figures, dense chunks and lead lines."""

from __future__ import annotations

SENTENCE_END = "。！？；!?;"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of `text` as (start, end), cut after 。！？；, surrounding whitespace left out."""
    spans = []
    start = 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END or i == len(text) - 1:
            spans.append((start, i + 1))
            start = i + 1
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            result.append((s, e))
    return result


def sentences(text: str) -> list[str]:
    """The sentence texts of `sentence_spans`."""
    return [text[s:e] for s, e in sentence_spans(text)]
