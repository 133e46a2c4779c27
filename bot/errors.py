"""Domain errors. Each message is Chinese, says what went wrong and what to do next."""

from __future__ import annotations


class ZhenbaoError(Exception):
    """Base class: anything the CLI or UI should show to the user as a message, not a traceback."""


class UnsupportedFile(ZhenbaoError):
    """A file that cannot be read as a report (empty, binary, undecodable, scanned PDF, unknown type)."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"无法读取报告文件 {path}：{reason}")


class BadQuestion(ZhenbaoError):
    """An empty, over-long or otherwise unusable question."""


# How many passages one answer may quote. One copy of the range: the engine, the CLI (before the index
# loads, which may take minutes) and the page's slider and API all check against it.
TOP_K_RANGE = range(1, 21)


def check_top_k(value: int) -> int:
    """`value` when it is in TOP_K_RANGE, else BadQuestion naming the range."""
    if value not in TOP_K_RANGE:
        low, high = TOP_K_RANGE.start, TOP_K_RANGE.stop - 1
        raise BadQuestion(f"top_k（引用段落数）应为 {low} 到 {high} 之间的整数，收到的是 {value}。")
    return value


class UnknownTownship(ZhenbaoError):
    """A --town filter naming a township that is not in the corpus."""

    def __init__(self, name: str, known: list[str]):
        self.name = name
        self.known = known
        listed = "、".join(known) if known else "（语料库为空）"
        super().__init__(f"语料库中没有“{name}”。可选的乡镇：{listed}")


class UnknownYear(ZhenbaoError):
    """A --year filter for a year no report in the corpus covers."""

    def __init__(self, year: int, known: list[int]):
        self.year = year
        self.known = known
        listed = "、".join(str(y) for y in known) if known else "（语料库为空）"
        super().__init__(f"语料库中没有 {year} 年的报告。可选的年份：{listed}")


class EmptyCorpus(ZhenbaoError):
    """No readable report in the corpus folder (or no such folder)."""

    def __init__(
        self,
        corpus: str,
        skipped: list[tuple[str, str]] | None = None,
        *,
        missing: bool = False,
        supported: str = "",
    ):
        self.corpus = corpus
        self.skipped = skipped or []
        if missing:
            message = f"找不到报告文件夹 {corpus}。请检查 --corpus 的路径。"
        else:
            # The caller passes bot.ingest.formats.describe_supported(): this leaf module cannot import it.
            types = f"（支持 {supported}）" if supported else ""
            message = f"文件夹 {corpus} 中没有可读取的报告{types}。请放入报告文件后重试。"
        if self.skipped:
            listed = "；".join(f"{path}：{reason}" for path, reason in self.skipped)
            message += f"以下文件无法读取：{listed}"
        super().__init__(message)


class ModelUnavailable(ZhenbaoError):
    """The chosen embedding model cannot be loaded (package missing, path wrong, no network).

    load_bot raises it for embeddings.errors.ModelUnavailable, whose message it keeps.
    """


class EncoderFailure(ZhenbaoError):
    """The embedding model or an index file failed in a way the user must act on (the message says how).

    load_bot raises it for any other embeddings.errors.EmbeddingsError.
    """


class CacheUnwritable(ZhenbaoError):
    """The cache folder cannot take a changed index (read-only, no permission, disk full).

    The message (bot.index.background.cache_problem) says what to free or where to point ZHENBAO_CACHE_DIR.
    """

    def __init__(self, index_dir: str, message: str):
        self.index_dir = index_dir
        super().__init__(message)
