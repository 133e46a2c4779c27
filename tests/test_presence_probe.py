"""Which-towns questions over the out-of-sample probe reports (benchmarks/data/probe_reports): a report in
traditional script mentions what a simplified question asks, and a phrase written only in a heading is
still a mention, quoted from the paragraph under it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.answer import answer
from bot.ingest.scan import load_corpus
from bot.lang.scope import check_question
from tests.checks import assert_sound
from tests.fakes.retriever import fake_context

PROBE = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "probe_reports" / "corpus"


@pytest.fixture(scope="module")
def probe_reports():
    return load_corpus(PROBE).reports


def _ask(question: str, reports):
    result = answer(fake_context(check_question(question), reports))
    assert_sound(result, reports)
    return result


def test_a_traditional_report_mentions_what_a_simplified_question_asks(probe_reports):
    # 安海鎮 writes "全面推行“首違不罰”清單制度"; the question, like every question, is read simplified.
    result = _ask("哪些乡镇的报告提到了“首违不罚”？", probe_reports)
    assert result.status == "answered" and result.kind == "presence"
    assert {p.report.township for p in result.passages} == {"安海鎮"}
    assert "首違不罰" in result.answer  # quoted as the report writes it


def test_a_phrase_only_in_a_heading_is_a_mention_quoted_from_the_paragraph_under_it(probe_reports):
    # 威远镇: "（四）深化“枫桥经验”，化解基层矛盾纠纷" heads the paragraph; no paragraph repeats the phrase.
    result = _ask("哪些乡镇的报告提到了“枫桥经验”？", probe_reports)
    towns = {p.report.township for p in result.passages}
    assert {"威远镇", "永兴镇"} <= towns
    weiyuan = next(p for p in result.passages if p.report.township == "威远镇")
    assert "枫桥经验" in weiyuan.paragraph.section
    assert "但未见）" not in result.answer
