"""Ingestion on the real-report dev set (tests/data/realworld): identity, nothing skipped, section paths.

These figures are in-sample: the rules were developed against this set. The held-out check is kept
outside the repository.
"""

from __future__ import annotations

import pytest

from benchmarks.evaluate import REALWORLD, identity_checks, load_section_labels, load_truth, section_checks
from bot.ingest.scan import load_corpus


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(REALWORLD / "corpus")


def test_every_readable_report_is_indexed(corpus):
    assert corpus.skipped == ()
    assert len(corpus.reports) == len(load_truth())


def test_township_and_year_right_for_every_report(corpus):
    wrong = [
        (c.file, c.read_township, c.read_year, c.township, c.year)
        for c in identity_checks([p.report for p in corpus.reports], load_truth())
        if not (c.township_right and c.year_right)
    ]
    assert wrong == []


def test_only_weakly_sourced_townships_are_marked_doubtful(corpus):
    # A township read from the title, header, issuer or 落款 needs no check; one guessed from the body
    # does (3.txt names itself only as "我镇" and once as 东庄镇), and `index` tells the user so.
    reports = {p.report.report_id: p.report for p in corpus.reports}
    for report in reports.values():
        if report.source_of("township").source in ("title", "issuer", "metadata", "signature"):
            assert "township" not in report.doubtful, report.report_id
    assert "township" in reports["3.txt"].doubtful


def test_section_paths_right_for_95_percent_of_the_checked_sample(corpus):
    checks = section_checks(corpus.reports, load_section_labels())
    right = sum(c.right for c in checks)
    assert right / len(checks) >= 0.95, [
        (c.label.file, c.found, c.label.section) for c in checks if not c.right
    ]


def test_titles_hold_no_page_furniture(corpus):
    furniture = ("当前位置", "首页", "索引号", "设为首页", "无障碍", "发布机构", "网站")
    bad = [
        p.report.title
        for p in corpus.reports
        if p.report.title and any(w in p.report.title for w in furniture)
    ]
    assert bad == []


def test_traditional_report_keeps_its_script(corpus):
    parsed = next(p for p in corpus.reports if p.report.report_id.startswith("三角鎮"))
    assert parsed.report.script == "traditional"
    assert parsed.report.township == "三角鎮"
    assert all(p.text == parsed.text[p.start : p.end] for p in parsed.paragraphs)
    assert any("鎮" in p.text for p in parsed.paragraphs)  # quotes as written
    assert not any("鎮" in p.clean for p in parsed.paragraphs)  # searched in simplified form
