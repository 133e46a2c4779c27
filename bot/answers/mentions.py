"""Which paragraphs of a corpus hold a phrase, from character-bigram postings over their plain texts.

A "哪些镇…" question asks every report whether some paragraph holds each term (or a synonym).
Checking `phrase in text` paragraph by paragraph cost ~0.5 s a question at 1,500 reports (33,000
paragraphs); the postings of a phrase's rarest character pairs name the few paragraphs that can
hold it, and only those are checked. "Plain" text is the text without quote marks and spaces, as
presence compares it ("发扬“枫桥”经验" mentions 枫桥经验), and in simplified script (questions are read
as simplified: 安海鎮's "首違不罰" mentions 首违不罚). BM25's own postings cannot decide this:
they hold jieba words and bigrams of the unstripped text, so "“枫桥”经验" has no 桥经.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

import numpy as np

from bot.answers.context import CorpusView
from bot.lang.script import aligned_simplified
from bot.report import ParsedReport

QUOTE_MARKS = re.compile(r"[“”‘’\"'「」『』\s]")
_SEPARATOR = "\n"  # between paragraphs in the joined text; never in a plain text (\s is stripped)
_CODE_BITS = 21  # every Unicode code point is below 2**21
# Up to this many texts, (pair, text) fits one int64: pair × n + text, two code points taking 42 bits.
_COMBINED_TEXTS = 1 << (63 - 2 * _CODE_BITS)


def plain(text: str) -> str:
    return QUOTE_MARKS.sub("", text)


def plain_reading(text: str, script: str) -> str:
    """A report's text as presence compares it: plain, and simplified when the report's `script` is
    traditional (converted only then: OpenCC over every paragraph of 1,500 reports would cost seconds)."""
    return plain(aligned_simplified(text) if script == "traditional" else text)


class Postings:
    """Character-pair postings over some plain texts: which of them hold a phrase."""

    def __init__(self, texts: Sequence[str]):
        self.texts = tuple(texts)
        self._keys, self._indptr, self._ids = _bigram_postings(self.texts)

    def containing(self, phrase: str) -> np.ndarray:
        """Ascending positions of the texts holding `phrase` (itself plain)."""
        if len(phrase) < 2:
            return np.array([i for i, t in enumerate(self.texts) if phrase in t], dtype=np.int64)
        found = self.candidates(phrase)
        if len(phrase) == 2:  # one pair: holding it is holding the phrase
            return found
        return np.array([i for i in found.tolist() if phrase in self.texts[i]], dtype=np.int64)

    def candidates(self, phrase: str) -> np.ndarray:
        """Ascending positions of the texts holding the rarest pairs of `phrase` (≥ 2 characters):
        every text holding it, and maybe a few more (the text check in `containing` is exact)."""
        codes = np.array([ord(c) for c in phrase], dtype=np.int64)
        wanted = (codes[:-1] << _CODE_BITS) | codes[1:]
        slots = np.minimum(np.searchsorted(self._keys, wanted), max(len(self._keys) - 1, 0))
        if not len(self._keys) or np.any(self._keys[slots] != wanted):  # a pair no text has
            return np.zeros(0, dtype=np.int64)
        lists = sorted((self._ids[self._indptr[s] : self._indptr[s + 1]] for s in slots), key=len)
        found = lists[0]
        for other in lists[1:3]:  # the rarest pairs narrow it enough
            found = np.intersect1d(found, other, assume_unique=True)
        return found.astype(np.int64)

    def containing_any(self, phrases: Sequence[str]) -> np.ndarray:
        """Ascending positions of the texts holding at least one of `phrases`."""
        found = [self.containing(p) for p in dict.fromkeys(phrases)]
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


class MentionIndex:
    """The plain texts of one snapshot's paragraphs and of its reports, each with its postings.

    Paragraph ids are positions in corpus order (report by report), as in the snapshot. A report's
    text holds headings and the breaks between paragraphs too, so it has postings of its own."""

    def __init__(self, reports: Sequence[ParsedReport]):
        self.reports = tuple(reports)
        self.paragraphs = Postings(
            [plain_reading(par.text, p.report.script) for p in self.reports for par in p.paragraphs]
        )
        self.wholes = Postings([plain_reading(p.text, p.report.script) for p in self.reports])
        counts = np.array([len(p.paragraphs) for p in self.reports], dtype=np.int64)
        self.first = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
        self.paragraph_report = np.repeat(np.arange(len(self.reports), dtype=np.int64), counts)
        # Keyed by id(): ParsedReport holds lists, so it is not hashable; self.reports keeps them alive.
        self._position = {id(p): i for i, p in enumerate(self.reports)}

    def reports_holding(self, phrase: str, paragraphs: np.ndarray | None = None) -> np.ndarray:
        """Ascending positions of the reports whose plain text holds `phrase` (wholes.containing).

        A report with a paragraph holding it holds it (a paragraph is a piece of its report); only
        the other candidates are checked text by text — the phrase across a heading or a break
        between paragraphs. Checking each of ~1,460 report texts of ~10,000 characters for
        "法律顾问" took 10 ms. `paragraphs`: paragraphs.containing(phrase), when already known."""
        if len(phrase) < 2:
            return self.wholes.containing(phrase)
        if paragraphs is None:
            paragraphs = self.paragraphs.containing(phrase)
        sure = np.unique(self.paragraph_report[paragraphs])
        rest = np.setdiff1d(self.wholes.candidates(phrase), sure, assume_unique=True)
        across = [i for i in rest.tolist() if phrase in self.wholes.texts[i]]
        return np.union1d(sure, np.array(across, dtype=np.int64))

    def position(self, parsed: ParsedReport) -> int:
        """The report's position in the corpus (a report of another snapshot is a KeyError)."""
        return self._position[id(parsed)]


def _bigram_postings(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted distinct pair keys, indptr, paragraph ids): the paragraphs holding the pair with key
    keys[k] are ids[indptr[k]:indptr[k + 1]], ascending. A pair's key is its two code points."""
    n = len(texts)
    joined = _SEPARATOR.join(texts)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=n)
    paragraph = np.repeat(np.arange(n, dtype=np.int32), lengths)[: max(len(codes) - 1, 0)]
    keys = (codes[:-1] << _CODE_BITS) | codes[1:]
    inside = (codes[:-1] != ord(_SEPARATOR)) & (codes[1:] != ord(_SEPARATOR))
    keys, paragraph = keys[inside], paragraph[inside]
    if not len(keys):
        return keys, np.zeros(1, dtype=np.int64), paragraph
    # Sorted by pair, then text. One plain sort of pair × n + text when that fits in 63 bits (fewer
    # than 2**21 texts): 0.08 s for 4 million pairs, against 0.8 s for a stable argsort.
    if n < _COMBINED_TEXTS:
        combined = np.sort(keys * n + paragraph)
        keys, paragraph = combined // n, (combined % n).astype(np.int32)
    else:
        order = np.lexsort((paragraph, keys))
        keys, paragraph = keys[order], paragraph[order]
    first = np.r_[True, (keys[1:] != keys[:-1]) | (paragraph[1:] != paragraph[:-1])]
    keys, paragraph = keys[first], paragraph[first]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    indptr = np.append(starts, len(keys)).astype(np.int64)
    return keys[starts], indptr, paragraph


# The index of the latest snapshots' corpora (a refresh may still be answering on the previous one).
_INDEXES: dict[int, tuple[CorpusView, MentionIndex]] = {}
_LOCK = threading.Lock()


def mention_index(corpus: CorpusView) -> MentionIndex:
    """The corpus's index, built on its first presence question (~0.5 s at 1,500 reports)."""
    entry = _INDEXES.get(id(corpus))
    if entry is not None and entry[0] is corpus:
        return entry[1]
    with _LOCK:
        entry = _INDEXES.get(id(corpus))
        if entry is not None and entry[0] is corpus:
            return entry[1]
        index = MentionIndex(corpus.reports)
        if len(_INDEXES) >= 2:
            _INDEXES.pop(next(iter(_INDEXES)))
        _INDEXES[id(corpus)] = (corpus, index)
        return index
