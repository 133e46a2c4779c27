#!/usr/bin/env python3
"""Build batch6/corpus/ from batch6/src/ (see ../make_corpus.py, whose writers this uses)."""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# id -> (file name in corpus/, format, options), as in ../make_corpus.py
FILES = {
    "d01": ("连江口镇2024年法治政府建设年度报告.txt", "txt", {}),
    "d02": ("李庄镇2023年度法治政府建设情况报告.txt", "txt", {"enc": "gbk"}),
    "d03": ("双龙镇2025年度法治政府建设工作报告.docx", "docx", {"plain": True}),
    "d04": ("周莊鎮2024年度法治政府建設情況報告.txt", "txt", {}),
    "d05": ("往年/湖滨街道2023年法治政府建设工作报告.docx", "docx", {}),
    "d06": ("2024年度法治政府建设情况报告.txt", "txt", {"crlf": True}),
    "d07": ("马蹄藏族乡2024年法治政府建设工作报告.txt", "txt", {"bom": True}),
    "d08": ("5.txt", "txt", {"enc": "gbk", "crlf": True}),
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
