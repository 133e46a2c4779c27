#!/usr/bin/env python3
"""Build batch4/corpus/ from batch4/src/ (see ../make_corpus.py, whose writers this uses)."""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# id -> (file name in corpus/, format, options), as in ../make_corpus.py
FILES = {
    "d01": ("黄花镇2024年法治政府建设工作报告.txt", "txt", {}),
    "d02": ("莪山畲族乡2023年度法治政府建设情况报告.txt", "txt", {"enc": "gbk"}),
    "d03": ("平江街道2024年度法治政府建设工作报告.docx", "docx", {"plain": True}),
    "d04": ("7.txt", "txt", {"crlf": True}),
    "d05": ("烟霞镇2022年法治政府建设情况报告.pdf", "pdf", {}),
    "d06": ("2025年法治政府建设工作总结.txt", "txt", {"enc": "gbk"}),
}


def _writers():
    spec = importlib.util.spec_from_file_location(
        "probe_make_corpus", os.path.join(HERE, "..", "make_corpus.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    _writers().build(FILES, os.path.join(HERE, "src"), os.path.join(HERE, "corpus"), set(sys.argv[1:]))
