#!/usr/bin/env python3
"""Build batch5/corpus/ from batch5/src/ (see ../make_corpus.py, whose writers this uses)."""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# id -> (file name in corpus/, format, options), as in ../make_corpus.py
FILES = {
    "d01": ("渤海镇2024年法治政府建设工作情况报告.txt", "txt", {}),
    "d02": ("下营镇2025年度法治政府建设情况报告.txt", "txt", {"enc": "gbk"}),
    "d03": ("江川路街道2024年度法治政府建设情况报告.docx", "docx", {"plain": True}),
    "d04": ("后坪苗族土家族乡2023年法治政府建设情况报告.txt", "txt", {"crlf": True}),
    "d05": ("关庙乡2024年法治政府建设工作报告.txt", "txt", {}),
    "d06": ("往年/关庙乡2023年度法治政府建设情况报告.docx", "docx", {}),
    "d07": ("2025年度法治政府建设情况报告.txt", "txt", {"enc": "gbk", "crlf": True}),
    "d08": ("秭歸縣茅坪鎮2022年法治政府建設工作報告.txt", "txt", {}),
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
