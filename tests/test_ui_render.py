"""Chat HTML (ui/render.py) and conversation export (ui/export.py), on a quote taken from the 季家镇 seed."""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path

import docx
import pytest

from bot.answers.model import Answer, Passage
from bot.report import Paragraph, Report
from ui.export import conversation_markdown, write_exports
from ui.render import Turn, highlight, render_answer, render_conversation, render_passage

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
JIJIA = SEEDS / "004_e5c0c62a5ed9b609.txt"
SECTION = (
    "一、2024年法治政府建设主要举措和成效",
    "（二）深化行政执法改革",
    "2.优化行政执法流程，规范行政执法行为。",
)


def _passage(text: str, township: str = "季家镇", section=SECTION, score: float = 0.8312) -> Passage:
    report = Report(
        report_id=JIJIA.name,
        township=township,
        district="大足区",
        year=2024,
        title="2024年法治政府建设情况报告",
        source=str(JIJIA),
        sha256="0" * 64,
    )
    paragraph = Paragraph(JIJIA.name, 7, section, 0, len(text), text, text)
    return Passage(report, paragraph, score)


def _seed_line(needle: str) -> str:
    return next(line for line in JIJIA.read_text(encoding="utf-8").splitlines() if needle in line)


CASES = _seed_line("共办理各类行政执法案件728件")


def _answer(question: str, passages: tuple[Passage, ...], terms=("行政执法案件",), **extra) -> Answer:
    return Answer(
        question, "answered", "季家镇：共办理各类行政执法案件728件。", passages, terms=terms, **extra
    )


def _visible_text(fragment: str) -> str:
    """What a browser shows: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_card_shows_township_year_section_verbatim_quote_score_and_copy_memo():
    passage = _passage(CASES)
    card = render_passage(passage, ("行政执法案件",), 1)
    assert '<span class="zb-township">季家镇</span>' in card
    assert '<span class="zb-year">2024年</span>' in card
    assert html.escape(passage.paragraph.section) in card
    assert "相关度 0.831" in card
    # The quote reads exactly as the report once tags are dropped.
    quote = re.search(r'<blockquote class="zb-quote">(.*?)</blockquote>', card).group(1)
    assert _visible_text(quote) == CASES.strip()
    assert "共办理各类<mark>行政执法案件</mark>728件" in quote
    # The copy button carries the memo text: quote plus 来源 line, attribute-escaped.
    memo = html.unescape(re.search(r'data-memo="([^"]*)"', card).group(1))
    assert memo == passage.memo_text
    assert memo.startswith("“" + CASES.strip()) and "（来源：季家镇《2024年法治政府建设情况报告》" in memo


def test_highlight_prefers_longer_terms_and_marks_every_occurrence():
    marked = highlight("行政执法案件和行政执法", ["行政执法", "行政执法案件", " "])
    assert marked == "<mark>行政执法案件</mark>和<mark>行政执法</mark>"
    assert highlight("a<b", []) == "a&lt;b"


def test_highlight_never_marks_inside_an_escaped_entity():
    # Marking after escaping would turn "lt" into "&<mark>lt</mark>;" and break the entity.
    assert highlight("<lt>", ["lt"]) == "&lt;<mark>lt</mark>&gt;"
    assert highlight("a & b", ["amp"]) == "a &amp; b"


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '" onmouseover="alert(1)',
        "</textarea><b>粗体</b>",
    ],
)
def test_question_and_report_text_never_become_markup(payload):
    passage = _passage(f"正文{payload}结尾", township=f"镇{payload}", section=(f"一、{payload}",))
    answer = Answer(
        payload, "answered", f"答案{payload}", (passage,), notes=(f"备注{payload}",), terms=(payload,)
    )
    page = render_conversation([Turn(payload, f"理解{payload}", answer)])
    assert "<script" not in page and "<img" not in page and "<b>" not in page and "</textarea>" not in page
    # Every attribute value is one quoted string: the payload cannot open a new attribute.
    for attributes in re.findall(r"<[a-z]+([^>]*)>", page):
        assert re.fullmatch(r'(\s+[a-z-]+="[^"]*")*', attributes), attributes
    # And all of it is still shown to the user, as text.
    shown = _visible_text(page)
    assert shown.count(payload) >= 6
    memo = html.unescape(re.search(r'data-memo="([^"]*)"', page).group(1))
    assert memo == passage.memo_text


def test_conversation_shows_resolved_follow_up_and_notes_and_not_found():
    found = Turn(
        "那季家镇呢？", "季家镇办理行政执法案件", _answer("季家镇办理行政执法案件", (_passage(CASES),))
    )
    missing = Turn(
        "石马镇化解了多少矛盾纠纷",
        "石马镇化解了多少矛盾纠纷",
        Answer(
            "石马镇化解了多少矛盾纠纷", "not_found", "语料库中没有石马镇的报告。", notes=("可选：季家镇",)
        ),
    )
    page = render_conversation([found, missing])
    assert page.count('class="zb-turn"') == 2
    assert "理解为：季家镇办理行政执法案件" in page
    assert page.count("理解为") == 1
    assert 'class="zb-answer zb-not-found"' in page and "<li>可选：季家镇</li>" in page
    assert "zb-empty" in render_conversation([])


def test_figure_answer_sets_the_table_apart_and_states_each_note_once():
    table = (
        "季家镇办理行政执法案件最多：728件。\n排名：\n1. 季家镇（2024年）728件\n兴隆镇的报告未给出该数字。"
    )
    notes = ("兴隆镇的报告未给出该数字。", "带“余”的数字是约数。")
    page = render_answer(Answer("哪个镇办理行政执法案件最多", "answered", table, kind="figures", notes=notes))
    assert '<div class="zb-lead zb-headline">季家镇办理行政执法案件最多：728件。</div>' in page
    assert (
        '<div class="zb-details">排名：\n1. 季家镇（2024年）728件\n兴隆镇的报告未给出该数字。</div>' in page
    )
    assert page.count("兴隆镇的报告未给出该数字。") == 1
    assert "<li>带“余”的数字是约数。</li>" in page
    # A passage answer whose lead quotes a two-line paragraph is not split into headline and table.
    lead = "最相关的原文出自兴隆镇：“对日常警情强化调度，让\n\n群众诉求及时得到解决。”"
    page = render_answer(Answer("兴隆镇矛盾纠纷", "answered", lead, kind="passages"))
    assert f'<div class="zb-lead">{lead}</div>' in page and "zb-details" not in page


def test_markdown_export_has_each_question_answer_quote_and_citation():
    passage = _passage(CASES)
    turns = [Turn("那季家镇呢？", "季家镇办理行政执法案件", _answer("季家镇办理行政执法案件", (passage,)))]
    text = conversation_markdown(turns, datetime(2025, 3, 1, 9, 30))
    assert text.startswith("# 镇报问答 对话记录\n\n导出时间：2025-03-01 09:30\n")
    assert "## 1. 问：那季家镇呢？" in text and "（理解为：季家镇办理行政执法案件）" in text
    assert f"> {CASES.strip()}\n\n{passage.citation}" in text


def test_docx_export_round_trips_quote_and_citation(tmp_path):
    passage = _passage(CASES)
    turns = [
        Turn("哪个镇办理行政执法案件最多", "哪个镇办理行政执法案件最多", _answer("哪个镇…", (passage,))),
        Turn(
            "<script>x</script>", "<script>x</script>", _answer("<script>x</script>", (), notes=("无数据",))
        ),
    ]
    markdown, word = write_exports(turns, tmp_path / "exports", datetime(2025, 3, 1, 9, 30, 5))
    assert markdown.name == "镇报问答对话-20250301-093005.md" and word.suffix == ".docx"
    assert markdown.read_text(encoding="utf-8") == conversation_markdown(
        turns, datetime(2025, 3, 1, 9, 30, 5)
    )
    paragraphs = [p for p in docx.Document(str(word)).paragraphs]
    texts = [p.text for p in paragraphs]
    assert texts[0] == "镇报问答 对话记录"
    assert "1. 问：哪个镇办理行政执法案件最多" in texts
    quote_at = texts.index(CASES.strip())
    assert paragraphs[quote_at].style.name == "Quote"
    assert texts[quote_at + 1] == passage.citation
    # Text that looks like markup is kept as plain text in Word.
    assert "2. 问：<script>x</script>" in texts and "无数据" in texts


def test_figure_answer_cards_show_no_relevance_score_but_passage_answers_do():
    quote = _passage(CASES, score=1.0)
    figures = _answer("哪个镇办理行政执法案件最多", (quote,), kind="figures")
    page = render_answer(figures)
    assert "zb-card" in page and CASES in _visible_text(page)
    assert "相关度" not in page and "zb-score" not in page
    searched = render_answer(_answer("季家镇行政执法", (_passage(CASES),), kind="passages"))
    assert "相关度 0.831" in searched
