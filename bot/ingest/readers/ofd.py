"""OFD reports (GB/T 33190): a zip of XML pages whose TextCode elements carry text at X/Y positions.

Read with zipfile + xml.etree rather than easyofd: the text is all in the XML, and easyofd pulls in
PyMuPDF, reportlab and more only to render pages this reader never draws.
OFD.xml → DocBody/DocRoot (Document.xml) → Pages/Page/@BaseLoc (Content.xml) → TextObject/TextCode.
Visual lines are rebuilt from the glyph positions and rejoined into paragraphs from the page geometry:
a line that starts indented, or follows a line ending short of the right edge, opens a paragraph.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from bot.errors import UnsupportedFile
from bot.ingest.limits import check_zip
from bot.ingest.readers import EMPTY_FILE, read_bytes

_BROKEN_ERRORS = (
    zipfile.BadZipFile,
    ElementTree.ParseError,
    KeyError,
    ValueError,
    RuntimeError,
    OSError,
    EOFError,
    zlib.error,
    NotImplementedError,
)
_LOCKED = (
    "OFD 文件设置了密码（已加密），无法读取。请用 OFD 阅读器（数科、福昕）输入密码打开后另存为 PDF/.docx"
)
_BROKEN = "OFD 文件已损坏或不是有效的 OFD 文件。请用 OFD 阅读器（数科、福昕）重新导出，或另存为 PDF/.docx"


@dataclass(frozen=True)
class _Run:
    """One TextCode: its text at an absolute position (millimetres) in the font size of its object."""

    page: int
    x: float
    y: float
    right: float
    size: float
    text: str


def read_ofd(path: Path) -> str:
    """The text of every page of an OFD in reading order, paragraphs apart by a blank line."""
    data = read_bytes(path)
    if not data.strip():
        raise UnsupportedFile(str(path), EMPTY_FILE)
    try:
        with zipfile.ZipFile(path) as package:
            # Member sizes (bot.ingest.limits) are checked before any is inflated: a zip bomb costs nothing.
            check_zip(str(path), package)
            # Bit 0 of a member's flags marks zip encryption: said as such, not as a broken file.
            if any(info.flag_bits & 0x1 for info in package.infolist()):
                raise UnsupportedFile(str(path), _LOCKED)
            members = _page_members(package)
            runs = [run for page, member in enumerate(members) for run in _page_runs(package, member, page)]
    except UnsupportedFile:
        raise
    except _BROKEN_ERRORS as exc:
        # RuntimeError: an encrypted zip member; ValueError: a number attribute that is not one;
        # OSError, EOFError, zlib.error: offsets or compressed data cut or garbled (found by fuzzing);
        # NotImplementedError: a compression method zipfile does not have.
        raise UnsupportedFile(str(path), _BROKEN) from exc
    # Pages are joined before paragraphs are rebuilt: a paragraph runs on across a page break.
    # A blank line between paragraphs, as Word's text export writes: layout reads it as a paragraph end.
    return "\n\n".join(_paragraphs(_lines(runs)))


def _xml(package: zipfile.ZipFile, member: str) -> ElementTree.Element:
    return ElementTree.fromstring(package.read(member))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    """Descendants with local tag `name`, whatever namespace prefix the producer used."""
    return [node for node in element.iter() if _local(node.tag) == name]


def _resolve(base: str, location: str) -> str:
    # Locations are relative to the referring file's folder, or absolute from the package root.
    location = location.strip()
    if location.startswith("/"):
        return location.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), location))


def _page_members(package: zipfile.ZipFile) -> list[str]:
    """Content.xml member names of the first document's pages, in page order."""
    names = set(package.namelist())
    if "OFD.xml" not in names:
        raise KeyError("OFD.xml")
    roots = [node.text or "" for node in _children(_xml(package, "OFD.xml"), "DocRoot")]
    if not roots:
        raise KeyError("DocRoot")
    document_name = _resolve("OFD.xml", roots[0])
    document = _xml(package, document_name)
    pages = [node.get("BaseLoc", "") for node in _children(document, "Page") if node.get("BaseLoc")]
    return [_resolve(document_name, location) for location in pages]


def _numbers(value: str | None) -> list[float]:
    return [float(part) for part in (value or "").split()]


def _page_runs(package: zipfile.ZipFile, member: str, page: int) -> list[_Run]:
    runs: list[_Run] = []
    for text_object in _children(_xml(package, member), "TextObject"):
        left, top = [*_numbers(text_object.get("Boundary")), 0.0, 0.0][:2]
        size = float(text_object.get("Size") or 3.5)
        for code in _children(text_object, "TextCode"):
            text = code.text or ""
            if not text.strip():
                continue
            x = left + float(code.get("X") or 0)
            y = top + float(code.get("Y") or 0)
            runs.append(_Run(page, x, y, x + _advance(code, text, size), size, text))
    return runs


def _advance(code: ElementTree.Element, text: str, size: float) -> float:
    """The run's width: the sum of its DeltaX steps plus one glyph, else one em per character."""
    deltas = code.get("DeltaX")
    if not deltas:
        return size * len(text)
    steps: list[float] = []
    parts = deltas.split()
    index = 0
    while index < len(parts):
        # "g 3 4.2" is GB/T 33190's shorthand for three steps of 4.2.
        if parts[index] == "g" and index + 2 < len(parts):
            # Never more steps than the run has glyphs: "g 999999999 1" must not build a billion floats.
            steps.extend([float(parts[index + 2])] * min(int(parts[index + 1]), len(text)))
            index += 3
        else:
            steps.append(float(parts[index]))
            index += 1
    return sum(steps[: len(text) - 1]) + size


def _lines(runs: list[_Run]) -> list[list[_Run]]:
    """Runs grouped into visual lines: baselines closer than half a glyph share a line."""
    lines: list[list[_Run]] = []
    for run in sorted(runs, key=lambda run: (run.page, run.y, run.x)):
        if lines and lines[-1][0].page == run.page and abs(lines[-1][0].y - run.y) < run.size / 2:
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda run: run.x) for line in lines]


def _paragraphs(lines: list[list[_Run]]) -> list[str]:
    """Visual lines rejoined: an indented line or one after a short line opens a paragraph."""
    if not lines:
        return []
    margin = min(line[0].x for line in lines)
    edge = max(line[-1].right for line in lines)
    paragraphs: list[str] = []
    previous: list[_Run] | None = None
    for line in lines:
        size = line[0].size
        text = "".join(run.text for run in line)
        opens = (
            previous is None
            or line[0].x > margin + size / 2
            or previous[-1].right < edge - size * 1.5
            or (line[0].page == previous[0].page and line[0].y - previous[0].y > size * 2.5)
        )
        if opens:
            paragraphs.append(text)
        else:
            paragraphs[-1] += text
        previous = line
    return paragraphs
