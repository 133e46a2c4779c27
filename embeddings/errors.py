"""The embeddings package's own errors: Chinese messages that say what to do.

`embeddings` imports nothing from `bot`; `bot.engine.load_bot` turns these into `bot.errors`
types (ZhenbaoError subclasses) for the CLI and the page.
"""

from __future__ import annotations

import os


class EmbeddingsError(Exception):
    """Base class: a model or an index file that cannot be used; the message is for the user."""


class ModelUnavailable(EmbeddingsError):
    """The chosen embedding model cannot be loaded (package missing, path wrong, no network)."""


class IndexNotBuilt(EmbeddingsError):
    """The index is missing or was built for another corpus/encoder and may not be rebuilt here."""


class CorruptIndex(IndexNotBuilt):
    """An index file is missing, unreadable, truncated or was built for another model.

    A subclass of IndexNotBuilt so that callers treat it the same way: rebuild, or tell the user to.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(
            f"索引文件 {self.path} 无法使用：{reason}。请重新建立索引（旧索引文件夹可以直接删除）。"
        )
