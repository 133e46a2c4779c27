"""Chinese word splitting for BM25 and highlighting: jieba plus the reports' own vocabulary."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

from bot.data import word_list

# Words that carry no retrieval signal in these reports or in questions about them.
STOPWORDS = frozenset(
    """
    的 了 和 与 及 或 在 是 为 对 把 将 被 由 从 以 于 等 也 都 并 而 其 之 这
    那 有 个 各 每 中 我 我们 我镇 本镇 全镇 镇 乡 街道 年 年度 今年 本年度 共 共计
    进行 开展 工作 情况 方面 相关 哪个 哪些 哪 什么 怎么 怎样 如何 多少 几 吗 呢 吧
    啊 请问 请 一下 是否 有没有 没有 哪里 谁 报告 提到 提及 说 讲 关于 通过 进一步
    不断 全面 积极 深入 加强 推进 切实 持续 认真 做好
    """.split()
)

_WORDLIKE = re.compile(r"[\u4e00-\u9fff]|[A-Za-z0-9]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
# Character bigrams are marked so they never collide with a two-character jieba word.
BIGRAM_MARK = "#"


class Tokenizer:
    """A jieba tokenizer with the report vocabulary; thread-safe, dictionary loaded on first use."""

    def __init__(self, extra_words: Iterable[str] = ()):
        self._extra_words = set(extra_words)
        self._jieba = None
        self._lock = threading.Lock()

    def _tokenizer(self):
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    import jieba

                    jieba.setLogLevel(logging.WARNING)
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                    for term, freq in _vocabulary():
                        tokenizer.add_word(term, freq)
                    for word in self._extra_words:
                        tokenizer.add_word(word, 5000)
                    self._jieba = tokenizer
        return self._jieba

    def warm_up(self) -> None:
        """Load jieba's dictionary now (it takes ~0.5-1 s), e.g. in a background thread at start."""
        self._tokenizer()

    def extra_words(self) -> tuple[str, ...]:
        """The words added to jieba's dictionary: `Tokenizer(t.extra_words())` cuts exactly as `t` does."""
        return tuple(sorted(self._extra_words))

    def add_words(self, words: Iterable[str]) -> None:
        new = set(words) - self._extra_words
        self._extra_words |= new
        if self._jieba is not None:
            for word in new:
                self._jieba.add_word(word, 5000)

    def words(self, text: str) -> list[str]:
        """Search-mode jieba words (long words and their parts), lower-cased, no punctuation."""
        return [w.lower() for w in self._tokenizer().cut_for_search(text) if _WORDLIKE.search(w)]

    def terms(self, text: str) -> list[str]:
        """`words` without stopwords: the meaningful words of a question or paragraph."""
        return [w for w in self.words(text) if w not in STOPWORDS]

    def index_terms(self, text: str) -> list[str]:
        """What BM25 indexes and matches: `terms` plus character bigrams.

        Bigrams catch what jieba splits differently in question and report ("周五集中学习",
        "综合行政执法大队"): +4 points recall@1 on tests/data/questions.jsonl.
        """
        return self.terms(text) + bigrams(text)


def bigrams(text: str) -> list[str]:
    """Marked character bigrams of the Chinese runs in `text`, skipping stopword bigrams."""
    grams = []
    for run in _CJK_RUN.findall(text):
        grams += [
            BIGRAM_MARK + run[i : i + 2] for i in range(len(run) - 1) if run[i : i + 2] not in STOPWORDS
        ]
    return grams


def _vocabulary() -> list[tuple[str, int]]:
    entries = []
    for line in word_list("vocab.txt"):
        term, _, freq = line.partition(" ")
        entries.append((term, int(freq) if freq.strip() else 1000))
    return entries
