#!/usr/bin/env python3
"""Build a probe batch's corpus/ from its src/ (one UTF-8 text per report), as its files.json says.

Run with a Python that has python-docx (the project's .venv has it); a .pdf also needs LibreOffice
`soffice` (saved from the .docx, as an office would):
    python benchmarks/data/probe_reports/make_corpus.py               # batch 1: src/ → corpus/
    python benchmarks/data/probe_reports/make_corpus.py batch2        # batch 2: batch2/src/ → batch2/corpus/
    python benchmarks/data/probe_reports/make_corpus.py batch2 d03    # only report d03 of batch 2
files.json: id -> [file name in corpus/, format, options]; format txt | docx | pdf; options: enc
(a Python codec: utf-8, gbk, gb18030, utf-16 …), bom, crlf; plain (a .docx typed with
headings as ordinary paragraphs).
Rebuilding gives byte-identical .txt files and equivalent .docx/.pdf files (they carry timestamps).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def files_of(folder: str) -> dict:
    """A batch folder's reports: id -> (file name in corpus/, format, options)."""
    with open(os.path.join(folder, "files.json"), encoding="utf-8") as f:
        return {rid: tuple(row) for rid, row in json.load(f).items()}


HEADING_1 = re.compile(r"^[一二三四五六七八九十]+、")
HEADING_2 = re.compile(r"^（[一二三四五六七八九十]+）")


def write_txt(path: str, text: str, opts: dict) -> None:
    if opts.get("crlf"):
        text = text.replace("\n", "\r\n")
    data = text.encode(opts.get("enc", "utf-8"))
    if opts.get("bom"):
        data = b"\xef\xbb\xbf" + data
    with open(path, "wb") as f:
        f.write(data)


def write_docx(path: str, text: str, plain: bool = False) -> None:
    """Word's own heading styles (the dev set's .docx files type headings as ordinary paragraphs),
    or with `plain` every line an ordinary paragraph."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    lines = [line for line in text.split("\n") if line.strip()]
    for i, line in enumerate(lines):
        if plain:
            document.add_paragraph(line)
        elif i == 0:
            document.add_heading(line, level=0)
        elif HEADING_1.match(line):
            document.add_heading(line, level=1)
        elif HEADING_2.match(line):
            document.add_heading(line, level=2)
        else:
            paragraph = document.add_paragraph(line)
            if i >= len(lines) - 2:  # 落款 and date, right-aligned as printed
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(path)


def write_pdf(path: str, text: str) -> None:
    """Saved from a plain .docx by LibreOffice, as an office's "save as PDF" would."""
    with tempfile.TemporaryDirectory() as work:
        docx = os.path.join(work, "report.docx")
        write_docx(docx, text, plain=True)
        profile = "-env:UserInstallation=file://" + os.path.join(work, "profile")
        subprocess.run(
            ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", work, docx],
            check=True,
            capture_output=True,
        )
        shutil.move(os.path.join(work, "report.pdf"), path)


def build(files: dict, src: str, out: str, only: set[str]) -> None:
    for rid, (name, fmt, opts) in sorted(files.items()):
        if only and rid not in only:
            continue
        with open(os.path.join(src, rid + ".txt"), encoding="utf-8") as f:
            text = f.read()
        path = os.path.join(out, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if fmt == "docx":
            write_docx(path, text, plain=opts.get("plain", False))
        elif fmt == "pdf":
            write_pdf(path, text)
        else:
            write_txt(path, text, opts)
        print(rid, "->", name)


def main() -> None:
    args = sys.argv[1:]
    folder = os.path.join(HERE, args.pop(0)) if args and args[0].startswith("batch") else HERE
    build(files_of(folder), os.path.join(folder, "src"), os.path.join(folder, "corpus"), set(args))


if __name__ == "__main__":
    main()
