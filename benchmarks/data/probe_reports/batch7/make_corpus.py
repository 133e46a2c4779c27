#!/usr/bin/env python3
"""Build batch7/corpus/ from batch7/src/ (see ../make_corpus.py, whose writers this uses)."""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# id -> (file name in corpus/, format, options), as in ../make_corpus.py
FILES = {
    "d01": ("竹沟镇2022年法治政府建设工作报告.txt", "txt", {}),
    "d02": ("杏花村镇2023年度法治政府建设工作情况报告.txt", "txt", {"enc": "gbk"}),
    "d03": ("瑶里镇2025年度法治政府建设情况报告.docx", "docx", {"plain": True}),
    "d04": ("嵩口鎮2024年度法治政府建設工作報告.txt", "txt", {}),
    "d05": ("往年/田铺乡2023年法治政府建设工作报告.txt", "txt", {"crlf": True}),
    "d06": ("田铺乡2024年法治政府建设工作报告.txt", "txt", {}),
    "d07": ("2025年法治政府建设年度报告.txt", "txt", {"enc": "gbk", "crlf": True}),
    "d08": ("新竹街道2024年法治政府建设工作报告.pdf", "pdf", {}),
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
