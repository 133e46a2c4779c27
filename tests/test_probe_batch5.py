"""Causes found by batch 5 of the probe questions (benchmarks/data/probe_questions.jsonl): a county
named instead of its township, and a near-miss township name (河头乡 for 河头镇). Checked on the real
corpus's names and the wording of real reports of tests/data/realworld."""

from __future__ import annotations

import json
from pathlib import Path

from bot.answers.answer import answer
from bot.ingest.parse import parse_report
from bot.lang.places import named_townships
from bot.lang.scope import resolve_scope, unknown_places
from tests.checks import assert_sound
from tests.fakes.retriever import fake_context

TRUTH = json.loads((Path(__file__).resolve().parent / "data/realworld/truth.json").read_text("utf-8"))
TOWNS = list(dict.fromkeys(v["township"] for v in TRUTH.values()))
DISTRICTS = sorted({v["county"] for v in TRUTH.values() if v["county"]})
DISTRICT_TOWNS = {d: tuple(v["township"] for v in TRUTH.values() if v["county"] == d) for d in DISTRICTS}
YEARS = sorted({v["year"] for v in TRUTH.values()})


def _scope(question: str):
    return resolve_scope(
        question, townships=TOWNS, years=YEARS, districts=DISTRICTS, district_towns=DISTRICT_TOWNS
    )


def test_a_county_named_instead_of_its_township_narrows_to_that_county_s_townships():
    assert _scope("遂溪县那个镇有多少名执法人员通过了考试？").towns == ("河头镇",)
    assert _scope("柳城县的镇梳理出多少条配合履职事项？").towns == ("龙头镇",)
    assert _scope("辰溪县的乡组织了几场法治培训？").towns == ("罗子山瑶族乡",)
    # A township named wins over its county; a question naming no place stays corpus-wide.
    assert _scope("遂溪县河头镇有多少名执法人员").towns == ("河头镇",)
    assert _scope("哪个镇办理行政执法案件最多").towns == ()
    # A county with a township the corpus lacks ("松阳县竹源镇": its township is 竹源乡) is not narrowed.
    scope = _scope("松阳县竹源镇开展了几次专题学习？")
    assert scope.towns == () and scope.unknown_places == ("竹源镇",)


def test_a_near_miss_kind_of_township_is_another_place():
    assert named_townships("河头乡有多少名执法人员？", TOWNS) == ()
    assert unknown_places("河头乡有多少名执法人员？", TOWNS) == ("河头乡",)
    assert unknown_places("宁安街道办理了几件法律援助案件？", TOWNS) == ("宁安街道",)
    # The township's own kind, its bare stem and a 民族乡's stem still name it.
    assert named_townships("河头镇有多少名执法人员", TOWNS) == ("河头镇",)
    assert named_townships("河头有多少名执法人员", TOWNS) == ("河头镇",)
    assert named_townships("罗子山瑶族乡开了几次党委会", TOWNS) == ("罗子山瑶族乡",)
    assert named_townships("三角镇出具了多少条法律意见", TOWNS) == ("三角鎮",)


# 河头镇's report (遂溪县): the sentence "河头乡有多少名执法人员" used to be answered with.
HETOU = """遂溪县河头镇人民政府2025年法治政府建设年度报告
一、2025年度推进法治政府建设的主要举措和成效
全镇还组织了行政执法人员资格认证培训和考试，31名执法人员全部通过考核，持证上岗率保持100%。
"""


def test_a_near_miss_township_is_not_answered_from_the_real_one():
    reports = [parse_report(HETOU, report_id="河头镇.txt", source="河头镇.txt", sha256="0")]
    result = answer(fake_context("河头乡有多少名执法人员？", reports))
    assert_sound(result, reports)
    assert result.status == "not_found" and "31名" not in result.answer
    real = answer(fake_context("河头镇有多少名执法人员？", reports))
    assert real.status == "answered" and "31名" in real.lead


def test_which_year_or_county_has_the_most_reports_is_a_corpus_question():
    from bot.ingest.scan import load_corpus

    reports = load_corpus(Path(__file__).resolve().parent / "data" / "realworld" / "corpus").reports
    most = answer(fake_context("哪个年份的报告最多？", reports))
    assert most.kind == "corpus" and most.lead.startswith("语料库中报告最多的年份是2025年（22份）")
    fewest = answer(fake_context("哪一年的报告最少", reports))
    assert fewest.lead.startswith("语料库中报告最少的年份是2021年、2022年（并列，各5份）")
    county = answer(fake_context("哪个县的报告最多？", reports))
    assert county.lead.startswith("语料库中报告在各县区一样多：31个县区各1份")
    for result in (most, fewest, county):
        assert_sound(result, reports)
    # A question about the reports' contents stays one: the figures answer it.
    assert answer(fake_context("哪个镇办理行政执法案件最多", reports)).kind != "corpus"


def test_a_topic_follow_up_that_only_ends_like_a_township_keeps_the_previous_town():
    from bot.lang.followup import resolve_followup

    previous = "宁安镇开展了多少场广场法治宣传活动？"
    assert resolve_followup("送法下乡呢？", previous, TOWNS).startswith("宁安镇送法下乡")
    # A township the corpus lacks is still no topic of the previous town.
    assert resolve_followup("那石马镇呢？", previous, TOWNS) == "那石马镇呢？"
