#!/usr/bin/env python3
"""Build corpus/ from the probe reports in src/ (one UTF-8 text per report).

Run with a Python that has python-docx (the project's .venv has it):
    python benchmarks/data/probe_reports/make_corpus.py
Rebuilding gives byte-identical .txt files and an equivalent .docx (it carries timestamps).
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
OUT = os.path.join(HERE, "corpus")

# id -> (file name in corpus/, format, options); options: enc (utf-8 | gbk), bom, crlf
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


def write_docx(path: str, text: str) -> None:
    """Word's own heading styles (the dev set's .docx files type headings as ordinary paragraphs)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    lines = [line for line in text.split("\n") if line.strip()]
    for i, line in enumerate(lines):
        if i == 0:
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


def main() -> None:
    only = set(sys.argv[1:])
    for rid, (name, fmt, opts) in sorted(FILES.items()):
        if only and rid not in only:
            continue
        with open(os.path.join(SRC, rid + ".txt"), encoding="utf-8") as f:
            text = f.read()
        path = os.path.join(OUT, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if fmt == "docx":
            write_docx(path, text)
        else:
            write_txt(path, text, opts)
        print(rid, "->", name)


if __name__ == "__main__":
    main()
