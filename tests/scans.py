"""Scanned pages made in the tests: report paragraphs drawn on A4 at 150 dpi with a CJK font.

Laid out as Word lays out a Chinese report: the title centred, every other paragraph's first line
indented two characters, lines filled to the right margin. Saved as an image-only PDF (one JPEG
per page, no text layer: what a scanner writes) or as one image per page.
"""

from __future__ import annotations

from pathlib import Path

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
WIDTH, HEIGHT = 1240, 1754  # A4 at 150 dpi
MARGIN = 150
SIZE = 25  # 12 pt at 150 dpi
PITCH = 42  # line spacing about 1.5


def report_paragraphs(path: Path) -> list[str]:
    """The paragraphs of a seed .txt: its non-blank lines."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _wrap(font, paragraph: str, indent: float) -> list[tuple[float, str]]:
    """(x, text) of each visual line: characters fill the width, the first line indented."""
    lines: list[tuple[float, str]] = []
    rest, x = paragraph, MARGIN + indent
    while rest:
        count = 1
        while count < len(rest) and font.getlength(rest[: count + 1]) <= WIDTH - MARGIN - x:
            count += 1
        lines.append((x, rest[:count]))
        rest, x = rest[count:], MARGIN
    return lines


def render_pages(paragraphs: list[str], *, title_lines: int = 2) -> list:
    """PIL images of the pages, text black on white."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), SIZE)
    placed: list[tuple[float, str]] = []
    for number, paragraph in enumerate(paragraphs):
        if number < title_lines and font.getlength(paragraph) < WIDTH - 2 * MARGIN:  # title lines, centred
            placed.append(((WIDTH - font.getlength(paragraph)) / 2, paragraph))
        else:
            placed.extend(_wrap(font, paragraph, 2 * SIZE))
    per_page = (HEIGHT - 2 * MARGIN) // PITCH
    pages = []
    for start in range(0, len(placed), per_page):
        page = Image.new("L", (WIDTH, HEIGHT), 255)
        draw = ImageDraw.Draw(page)
        for row, (x, text) in enumerate(placed[start : start + per_page]):
            draw.text((x, MARGIN + row * PITCH), text, font=font, fill=0)
        pages.append(page.convert("RGB"))
    return pages


def image_pdf(pages: list, path: Path) -> Path:
    """An image-only PDF: one JPEG per page at 150 dpi, no text layer."""
    pages[0].save(path, "PDF", resolution=150, save_all=True, append_images=pages[1:], quality=85)
    return path
