#!/usr/bin/env python3
"""Build batch2/corpus/ from batch2/src/ (see ../make_corpus.py, whose writers this uses)."""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# id -> (file name in corpus/, format, options), as in ../make_corpus.py
FILES = {
    "b01": ("潭门镇2025年度法治政府建设情况报告.pdf", "pdf", {}),
    "b02": ("永庆乡2023年法治政府建设工作报告.txt", "txt", {}),
    "b03": ("关于2024年度法治政府建设工作情况的报告.txt", "txt", {"enc": "gbk"}),
    "b04": ("往年/育才街道.txt", "txt", {"crlf": True}),
    "b05": ("黄羊川镇2022年法治政府建设工作情况报告.docx", "docx", {"plain": True}),
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
