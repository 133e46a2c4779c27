#!/usr/bin/env python3
"""Build corpus/ from the probe reports in src/ (one UTF-8 text per report).

Run with a Python that has python-docx (the project's .venv has it); a .pdf also needs LibreOffice
`soffice` (saved from the .docx, as an office would):
    python benchmarks/data/probe_reports/make_corpus.py            # batch 1: src/ → corpus/
    python benchmarks/data/probe_reports/batch2/make_corpus.py     # batch 2: batch2/src/ → batch2/corpus/
Rebuilding gives byte-identical .txt files and equivalent .docx/.pdf files (they carry timestamps).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
OUT = os.path.join(HERE, "corpus")

# id -> (file name in corpus/, format, options); format txt | docx | pdf; options: enc (utf-8 | gbk),
# bom, crlf; plain (a .docx typed with headings as ordinary paragraphs)
FILES = {
    "p01": ("永兴镇2024年法治政府建设工作报告.txt", "txt", {}),
    "p02": ("2023年度法治政府建设情况报告.txt", "txt", {"bom": True}),
    "p03": ("12.txt", "txt", {}),
    "p04": ("安海鎮2023年度法治政府建設情況報告.txt", "txt", {}),
    "p05": ("东观镇2025年度法治政府建设情况报告.txt", "txt", {"enc": "gbk"}),
    "p06": ("新阳路街道2022年法治政府建设工作报告.docx", "docx", {}),
    "p07": ("威远镇2024年法治政府建设工作报告.txt", "txt", {"crlf": True}),
    "p08": ("那日图苏木2024年法治政府建设工作报告.txt", "txt", {}),
    "p09": ("往年/南伊珞巴民族乡2023年度法治政府建设工作报告.txt", "txt", {"enc": "gbk", "crlf": True}),
    "p10": ("南伊珞巴民族乡2024年法治政府建设工作报告.txt", "txt", {}),
}

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
    build(FILES, SRC, OUT, set(sys.argv[1:]))


if __name__ == "__main__":
    main()
