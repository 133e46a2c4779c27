"""HTML for the chat page: every piece of question or report text goes through html.escape here."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot import Answer, Passage

COPY_LABEL = "复制引用"
SCANNED_TIP = "由扫描件文字识别得到，个别字可能识别有误，引用前请对照原件"


@dataclass(frozen=True)
class Turn:
    """One exchange in the chat: what the official typed, what was asked after follow-up resolution."""

    question: str
    resolved: str  # equals `question` unless the previous turn filled in a township or topic
    answer: Answer


def render_conversation(turns: Sequence[Turn]) -> str:
    if not turns:
        return (
            '<div class="zb-chat"><div class="zb-empty">在下方输入问题，或点击示例问题。'
            "每条回答都逐字引用报告原文，并注明乡镇、年份和章节。</div></div>"
        )
    return '<div class="zb-chat">' + "".join(render_turn(turn) for turn in turns) + "</div>"


def render_turn(turn: Turn) -> str:
    understood = ""
    if turn.resolved != turn.question:
        understood = f'<div class="zb-understood">理解为：{html.escape(turn.resolved)}</div>'
    return (
        '<div class="zb-turn">'
        f'<div class="zb-question"><span class="zb-who">问</span>{html.escape(turn.question)}'
        f"{understood}</div>"
        f"{render_answer(turn.answer)}"
        "</div>"
    )


def render_answer(answer: Answer) -> str:
    status = "zb-not-found" if answer.status == "not_found" else "zb-answered"
    parts = [f'<div class="zb-answer {status}"><span class="zb-who">答</span>']
    # Figure answers put a headline first and the ranked table below it; the table reads better set apart.
    # Other leads stay whole: they may quote a paragraph that itself spans lines.
    headline, _, details = answer.answer.strip().partition("\n")
    if answer.kind == "figures" and details.strip():
        parts.append(f'<div class="zb-lead zb-headline">{html.escape(headline)}</div>')
        parts.append(f'<div class="zb-details">{html.escape(details.strip())}</div>')
    else:
        parts.append(f'<div class="zb-lead">{html.escape(answer.answer.strip())}</div>')
    # Figure answers already state some notes in their table; say each thing once.
    notes = [note for note in answer.notes if note.strip() not in answer.answer]
    if notes:
        items = "".join(f"<li>{html.escape(note)}</li>" for note in notes)
        parts.append(f'<ul class="zb-notes">{items}</ul>')
    # A figure answer's passages are the quotes its numbers came from, not search hits: their score (1.000)
    # says nothing, so only retrieved passages show one.
    scored = answer.kind != "figures"
    parts.extend(
        render_passage(passage, answer.terms, number, scored=scored)
        for number, passage in enumerate(answer.passages, 1)
    )
    parts.append("</div>")
    return "".join(parts)


def render_passage(passage: Passage, terms: Sequence[str], number: int, *, scored: bool = True) -> str:
    """A card: township, year, title and section, the verbatim quote with terms marked, score, copy."""
    report, paragraph = passage.report, passage.paragraph
    score = f'<span class="zb-score">相关度 {passage.score:.3f}</span>' if scored else "<span></span>"
    year = f"{report.year}年" if report.year else "年份不详"
    section = paragraph.section or "正文开头"
    # A machine-read quote says so: the reader checks it against the scan before citing it.
    scanned = ""
    if report.scanned:
        scanned = f'<span class="zb-scanned" title="{SCANNED_TIP}">{report.scan_mark}</span>'
    return (
        '<div class="zb-card">'
        '<div class="zb-card-head">'
        f'<span class="zb-number">{number}</span>'
        f'<span class="zb-township">{html.escape(report.township)}</span>'
        f'<span class="zb-year">{html.escape(year)}</span>'
        f'<span class="zb-title">{html.escape(report.cited_title)}</span>'
        f"{scanned}"
        "</div>"
        f'<div class="zb-section">{html.escape(section)}</div>'
        f'<blockquote class="zb-quote">{highlight(paragraph.text.strip(), terms)}</blockquote>'
        '<div class="zb-card-foot">'
        f"{score}"
        f'<button type="button" class="zb-copy" data-memo="{html.escape(passage.memo_text, quote=True)}"'
        f' title="复制原文和来源，可直接粘贴到文稿">{COPY_LABEL}</button>'
        "</div>"
        "</div>"
    )


def highlight(text: str, terms: Sequence[str]) -> str:
    """Escaped text with each occurrence of a term wrapped in <mark>; longer terms win over their parts."""
    wanted = sorted({term for term in terms if term.strip()}, key=len, reverse=True)
    if not wanted:
        return html.escape(text)
    # Split the raw text first and escape each piece: marking after escaping could match inside "&lt;".
    pattern = re.compile("|".join(re.escape(term) for term in wanted))
    pieces: list[str] = []
    cursor = 0
    for match in pattern.finditer(text):
        pieces.append(html.escape(text[cursor : match.start()]))
        pieces.append(f"<mark>{html.escape(match.group())}</mark>")
        cursor = match.end()
    pieces.append(html.escape(text[cursor:]))
    return "".join(pieces)


# Runs once when the chat component mounts; one delegated listener serves every card rendered later.
# navigator.clipboard exists on http://127.0.0.1 (a secure context); execCommand covers older browsers
# and pages opened through a LAN address, where the Clipboard API is withheld.
COPY_JS = """
element.addEventListener('click', async (event) => {
  const button = event.target.closest('button.zb-copy');
  if (!button) return;
  const text = button.dataset.memo || '';
  button.dataset.label = button.dataset.label || button.textContent;
  let copied = false;
  if (navigator.clipboard && window.isSecureContext) {
    try { await navigator.clipboard.writeText(text); copied = true; } catch (error) { copied = false; }
  }
  if (!copied) {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.top = '-1000px';
    document.body.appendChild(area);
    area.select();
    try { copied = document.execCommand('copy'); } catch (error) { copied = false; }
    area.remove();
  }
  button.textContent = copied ? '已复制' : '复制失败，请手动选中原文';
  button.classList.toggle('zb-copied', copied);
  setTimeout(() => {
    button.textContent = button.dataset.label;
    button.classList.remove('zb-copied');
  }, 2000);
});
"""

# System fonts only: the page must not fetch web fonts (offline laptops, no outside requests).
CSS = """
.zb-chat { display: flex; flex-direction: column; gap: 18px; font-size: 15px; line-height: 1.7; }
.zb-empty { color: #6b7280; padding: 28px 8px; text-align: center; }
.zb-who { display: inline-block; min-width: 1.8em; margin-right: 8px; padding: 0 6px; border-radius: 4px;
  font-weight: 600; text-align: center; color: #fff; }
.zb-question { padding: 10px 14px; border-radius: 10px; background: #eef2ff; }
.zb-question .zb-who { background: #4f46e5; }
.zb-understood { margin-top: 4px; font-size: 13px; color: #6b7280; }
.zb-answer { padding: 12px 14px; border-radius: 10px; background: #f9fafb; border: 1px solid #e5e7eb; }
.zb-answer .zb-who { background: #b91c1c; }
.zb-not-found .zb-who { background: #6b7280; }
.zb-lead { display: inline; white-space: pre-wrap; }
.zb-headline { font-weight: 600; }
.zb-details { margin-top: 8px; padding: 8px 12px; border-radius: 6px; background: #fff;
  border: 1px dashed #e5e7eb; white-space: pre-wrap; font-size: 13px; line-height: 1.8; color: #374151; }
.zb-notes { margin: 8px 0 0 0; padding-left: 1.4em; font-size: 13px; color: #6b7280; }
.zb-card { margin-top: 12px; padding: 10px 12px; border-radius: 8px; background: #fff;
  border: 1px solid #e5e7eb; border-left: 4px solid #b91c1c; }
.zb-card-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px; }
.zb-number { font-size: 12px; color: #9ca3af; }
.zb-township { font-weight: 700; font-size: 16px; color: #111827; }
.zb-year { color: #374151; }
.zb-title { color: #6b7280; font-size: 13px; }
.zb-scanned { color: #b45309; font-size: 13px; }
.zb-section { margin-top: 2px; font-size: 13px; color: #4b5563; }
.zb-chat .zb-quote { margin: 8px 0; padding: 6px 10px; border-left: 3px solid #d1d5db; background: #fafafa;
  white-space: pre-wrap; color: #111827; }
.zb-quote mark { background: #fde68a; color: inherit; padding: 0 1px; border-radius: 2px; }
.zb-card-foot { display: flex; justify-content: space-between; align-items: center; }
.zb-score { font-size: 12px; color: #9ca3af; }
.zb-copy { padding: 3px 12px; border-radius: 6px; border: 1px solid #d1d5db; background: #fff;
  cursor: pointer; font-size: 13px; }
.zb-copy:hover { background: #f3f4f6; }
.zb-copy.zb-copied { border-color: #16a34a; color: #16a34a; }
"""
