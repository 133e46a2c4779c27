#!/usr/bin/env python3
"""Build batch3/corpus/ from batch3/src/ (see ../make_corpus.py, whose writers this uses)."""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# id -> (file name in corpus/, format, options), as in ../make_corpus.py
FILES = {
    "c01": ("将台堡镇2024年法治政府建设工作报告.txt", "txt", {"enc": "utf-16"}),
    "c02": ("江湾镇法治政府建设年度报告.txt", "txt", {}),
    "c03": ("勐仑镇2023年法治政府建设情况报告.docx", "docx", {"plain": True}),
    "c04": ("2025年报告.txt", "txt", {"enc": "gb18030", "crlf": True}),
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
