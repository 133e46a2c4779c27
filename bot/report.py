"""What a report is once read: the report's identity and its citable paragraphs."""

from __future__ import annotations

from dataclasses import dataclass, field

SECTION_SEPARATOR = " > "
# How the page and the CLI name identity fields for the user.
FIELD_LABELS = {"township": "乡镇", "county": "县区", "year": "年份", "title": "标题"}
# Below this confidence an identity field is shown to the user as doubtful (待确认).
DOUBTFUL_BELOW = 0.6
SCAN_MARK = "（扫描件识别）"


@dataclass(frozen=True)
class FieldSource:
    """Where one identity field of a report was read and how sure that reading is.

    `source` is one of: "table" (报告信息.csv), "title", "metadata" (发布机构/标题 lines), "issuer",
    "signature" (落款), "addressee" (致送 line), "opening", "heading", "body", "file_name", "folder",
    "none" (not found).
    """

    field: str  # "township", "county", "year" or "title"
    source: str
    confidence: float  # 0..1


@dataclass(frozen=True)
class Report:
    """One annual report file, identified by township and the year it reports on."""

    report_id: str  # the file's path relative to the corpus folder, "/"-separated; unique in a corpus
    township: str  # e.g. "季家镇", "某某乡", "某某街道"
    district: str | None  # county/district where the report states it, e.g. "大足区"
    year: int | None  # the year reported on (2023 for 商酒务镇), not the next-year plan
    title: str | None  # the title line without artifacts, e.g. "2024年法治政府建设情况报告"; None if absent
    source: str  # absolute path of the file on disk
    sha256: str  # hash of the file's bytes, used by the index manifest
    script: str = "simplified"  # "traditional" for a report written in traditional characters
    doubtful: tuple[str, ...] = ()  # identity fields read with low confidence, e.g. ("township",)
    sources: tuple[FieldSource, ...] = field(default=())  # one per identity field
    scanned: bool = False  # text read by OCR from a scan: a quoted character may be misread

    def __post_init__(self) -> None:
        # A report read back from JSON carries lists and dicts; keep the dataclass hashable and typed.
        object.__setattr__(self, "doubtful", tuple(self.doubtful))
        sources = tuple(s if isinstance(s, FieldSource) else FieldSource(**s) for s in self.sources)
        object.__setattr__(self, "sources", sources)

    def source_of(self, name: str) -> FieldSource | None:
        """Where the named identity field ("township", "county", "year", "title") was read."""
        return next((s for s in self.sources if s.field == name), None)

    @property
    def scan_mark(self) -> str:
        """What a citation adds for a report read by OCR, so readers check the quote against the scan."""
        return SCAN_MARK if self.scanned else ""

    @property
    def cited_title(self) -> str:
        """The title as a memo cites it: 《…》, or a plain description when the report has none."""
        return self._titled("原文无标题")

    @property
    def listed_title(self) -> str:
        """The title as a list of reports shows it: an untitled report also by its file, to find it by."""
        return self._titled(f"原文无标题，文件：{self.report_id}")

    def _titled(self, untitled: str) -> str:
        if self.title:
            return f"《{self.title}》"
        year = f"{self.year}年" if self.year else ""
        return f"{year}法治政府建设报告（{untitled}）"


@dataclass(frozen=True)
class Paragraph:
    """A citable stretch of a report: `text` is exactly the decoded source text[start:end]."""

    report_id: str
    index: int  # position of the paragraph in its report, 0-based
    section_path: tuple[str, ...]  # headings from outermost to innermost; () before the first heading
    start: int
    end: int
    text: str  # verbatim, what is quoted to the user
    clean: str  # text with conversion artifacts and stray whitespace removed: what is indexed

    @property
    def section(self) -> str:
        return SECTION_SEPARATOR.join(self.section_path)


@dataclass(frozen=True)
class ParsedReport:
    """A report with its full decoded text (the offsets' reference) and its paragraphs in order."""

    report: Report
    text: str
    paragraphs: tuple[Paragraph, ...]


__all__ = [
    "DOUBTFUL_BELOW",
    "FIELD_LABELS",
    "SCAN_MARK",
    "SECTION_SEPARATOR",
    "FieldSource",
    "Paragraph",
    "ParsedReport",
    "Report",
]
