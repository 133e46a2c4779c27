"""OCR speed and accuracy on seed reports rendered as image-only PDFs (A4, 150 dpi, Noto Sans CJK).

Usage: python benchmarks/bench_ocr.py [--seeds 1]

Each run uses a fresh OCR cache, so the figures include starting the worker and loading the models
once; a second read of the same file is timed too (every page from the cache). Characters are
compared with the .txt up to whitespace and full/half-width forms.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _normal(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=1, help="how many seed reports to render")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as folder:
        os.environ["ZHENBAO_CACHE_DIR"] = str(Path(folder) / "cache")
        from bot.ingest.readers import ocr
        from bot.ingest.readers.pdf import read_pdf
        from tests.scans import image_pdf, render_pages, report_paragraphs

        seconds: list[float] = []
        ocr.on_page.set(lambda done, total: seconds.append(time.perf_counter()))
        for seed in sorted((ROOT / "seeds").glob("*.txt"))[: args.seeds]:
            pages = render_pages(report_paragraphs(seed))
            path = image_pdf(pages, Path(folder) / f"{seed.stem}.pdf")
            seconds.clear()
            start = time.perf_counter()
            text = read_pdf(path)
            total = time.perf_counter() - start
            steps = [b - a for a, b in zip([start, *seconds], seconds, strict=False)]
            start = time.perf_counter()
            read_pdf(path)
            cached = time.perf_counter() - start
            typed = _normal(seed.read_text(encoding="utf-8"))
            ratio = difflib.SequenceMatcher(None, _normal(text), typed, autojunk=False).ratio()
            print(
                f"{seed.name}: {len(pages)} pages in {total:.1f} s (first page, with worker start,"
                f" {steps[0]:.1f} s; later pages {', '.join(f'{s:.1f}' for s in steps[1:])} s);"
                f" cached re-read {cached * 1000:.0f} ms; characters {ratio:.2%};"
                f" load average {os.getloadavg()[0]:.1f}"
            )


if __name__ == "__main__":
    main()
