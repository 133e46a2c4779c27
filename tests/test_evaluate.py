"""The shared evaluator on small hand-made answers: each rule passes a right answer, fails a wrong one."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from benchmarks.evaluate import (
    DevQuestion,
    SectionLabel,
    SeedQuestion,
    identity_checks,
    judge,
    latency,
    load_dev_questions,
    match_labels,
    retrieval_scores,
    section_checks,
    seed_rank,
    tally,
)
from bot.figures.figure import Figure
from bot.report import Paragraph, ParsedReport, Report


def dev(row: dict) -> DevQuestion:
    turns = tuple(row["turns"]) if row["type"] == "followup" else (row["q"],)
    kind = row.get("as", row["type"])
    return DevQuestion(row.get("id", "T"), row["type"], kind, turns, row)


def answer(text: str = "", status: str = "answered", passages: tuple[dict, ...] = ()) -> dict:
    return {"question": "", "status": status, "answer": text, "passages": list(passages)}


def passage(township: str, text: str, section: str = "") -> dict:
    return {"township": township, "year": 2024, "section": section, "text": text, "source": "/x/a.txt"}


LOOKUP = dev(
    {"type": "lookup", "q": "河头镇有多少名执法人员？", "town": "河头镇", "evidence": ["31名执法人员"]}
)


def test_lookup_needs_the_right_township_and_the_evidence_in_the_top_passage():
    right = judge(LOOKUP, answer(passages=(passage("河头镇", "全镇31名执法人员通过考核。"),)))
    wrong_town = judge(LOOKUP, answer(passages=(passage("果园街道", "全镇31名执法人员通过考核。"),)))
    no_evidence = judge(LOOKUP, answer(passages=(passage("河头镇", "开展普法宣传。"),)))
    assert (right.at_1, right.at_3) == (True, True)
    assert (wrong_town.at_1, wrong_town.at_3) == (False, False)
    assert (no_evidence.at_1, no_evidence.at_3) == (False, False)
    assert "wrong town" in wrong_town.why


def test_evidence_is_compared_ignoring_whitespace_and_punctuation_width():
    wrapped = passage("河头镇", "全镇31名\n执法人员通过考核")  # a PDF text layer wraps inside the quote
    assert judge(LOOKUP, answer(passages=(wrapped,))).at_1


def test_rank_three_counts_the_evidence_in_the_second_or_third_passage():
    passages = (passage("河头镇", "开展普法宣传。"), passage("河头镇", "31名执法人员"))
    verdict = judge(LOOKUP, answer(passages=passages))
    assert (verdict.at_1, verdict.at_3) == (False, True)


def test_section_question_may_find_its_evidence_in_the_section_path():
    item = dev(
        {
            "type": "section",
            "q": "吉水镇在组织领导方面做了什么？",
            "town": "吉水镇",
            "evidence": ["加强组织领导"],
        }
    )
    top = passage("吉水镇", "拟定详细的年度计划。", section="一、主要工作 > （二）加强组织领导")
    assert judge(item, answer(passages=(top,))).at_1
    lookup_rule = dev({**item.label, "type": "lookup"})
    assert not judge(lookup_rule, answer(passages=(top,))).at_1


def test_negative_none_passes_only_an_abstention():
    item = dev({"type": "negative", "q": "明天天气怎么样？", "none": True})
    assert judge(item, answer("没有找到", status="not_found")).at_1
    assert not judge(item, answer("最相关的原文…", passages=(passage("河头镇", "…"),))).at_1


def test_negative_forbid_fails_an_answer_that_states_the_forbidden_figure():
    item = dev({"type": "negative", "q": "河头镇有多少名律师？", "forbid": ["31"]})
    assert judge(item, answer("河头镇的报告没有给出律师人数。")).at_1
    assert not judge(item, answer("河头镇有31名。")).at_1
    assert judge(item, answer("河头镇有315名。")).at_1  # a bare number matches only as a whole number


def test_aggregate_needs_every_figure_and_the_first_town_named():
    item = dev({"type": "aggregate", "q": "哪个乡镇执法人员最多", "first": "河头镇", "answer_has": ["31"]})
    assert judge(item, answer("河头镇最多（31名），其次果园街道（26名）。")).at_1
    assert not judge(item, answer("果园街道26名，河头镇31名。")).at_1
    assert not judge(item, answer("河头镇最多。")).at_1


def test_list_counts_a_town_only_where_the_answer_itself_names_it():
    item = dev({"type": "list", "q": "哪些乡镇的报告提到了嘎查？", "towns_all": ["伊金霍洛镇", "河头镇"]})
    assert judge(item, answer("伊金霍洛镇、河头镇的报告提到了。")).at_1
    quoted = answer("伊金霍洛镇：“与河头镇共建嘎查……”")
    assert not judge(item, quoted).at_1


def test_followup_is_judged_by_its_as_rule_on_the_last_turn():
    item = dev(
        {
            "type": "followup",
            "turns": ["河头镇有多少名执法人员？", "那果园街道呢？"],
            "as": "lookup",
            "town": "果园街道",
            "evidence": ["26名执法人员"],
        }
    )
    assert (item.question, item.history, item.kind) == (
        "那果园街道呢？",
        ("河头镇有多少名执法人员？",),
        "lookup",
    )
    assert judge(item, answer(passages=(passage("果园街道", "26名执法人员"),))).at_1
    assert not judge(item, {"status": "skipped"}).at_1


def test_tally_groups_by_type_and_adds_an_overall_line():
    lookup_pass = judge(LOOKUP, answer(passages=(passage("河头镇", "31名执法人员"),)))
    lookup_fail = judge(LOOKUP, answer(status="not_found"))
    meta = judge(dev({"type": "meta", "q": "有几份报告？", "answer_has": ["55"]}), answer("共55份报告。"))
    scores = tally([lookup_pass, lookup_fail, meta])
    assert list(scores) == ["lookup", "meta", "all"]
    assert (scores["lookup"].at_1, scores["lookup"].questions, scores["lookup"].rate_1) == (1, 2, 0.5)
    assert (scores["all"].at_1, scores["all"].questions) == (2, 3)


def test_dev_questions_load_with_their_turns():
    items = load_dev_questions()
    assert len(items) == 186
    followups = [q for q in items if q.type == "followup"]
    assert followups and all(len(q.turns) >= 2 and q.kind != "followup" for q in followups)
    assert all(q.turns == (q.label["q"],) for q in items if q.type != "followup")


def _seed_passage(township: str, text: str):
    return SimpleNamespace(report=SimpleNamespace(township=township), paragraph=SimpleNamespace(text=text))


def test_seed_rank_and_retrieval_scores():
    item = SeedQuestion("兴隆镇领导班子学法几次？", "兴隆镇", "学法 4 次", "direct")
    passages = [_seed_passage("宁河镇", "学法 4 次"), _seed_passage("兴隆镇", "开展领导班子学法 4 次")]
    assert seed_rank(passages, item) == 2
    assert seed_rank(passages[:1], item) is None
    scores = retrieval_scores([item, item, item], [1, 2, None])
    assert (scores.recall_at_1, scores.recall_at_3, scores.mrr) == (
        pytest.approx(1 / 3),
        pytest.approx(2 / 3),
        0.5,
    )
    assert scores.not_rank_1 == (item.question, item.question)


def _report(file: str, township: str, year: int | None, district: str | None = None) -> Report:
    return Report(file, township, district, year, None, f"/c/{file}", "0")


def test_identity_checks_compare_each_truth_file_with_what_was_read():
    truth = {
        "a.txt": {"township": "吉水镇", "year": 2024, "county": "廉江市"},
        "b.txt": {"township": "宜城街道", "year": 2024, "county": None},
        "c.txt": {"township": "鲍沟镇", "year": 2025, "county": None},
    }
    reports = [
        _report("a.txt", "吉水镇", 2024, "廉江市"),
        _report("b.txt", "现将街道", 2024),
        _report("d.txt", "x镇", 1),
    ]
    a, b, c = identity_checks(reports, truth)
    assert (a.township_right, a.year_right, a.county_right) == (True, True, True)
    assert (b.township_right, b.year_right, b.county_right) == (False, True, True)
    assert (c.indexed, c.township_right, c.county_right) == (False, False, False)


def test_section_check_finds_the_paragraph_holding_the_quote():
    text = "一、主要工作\n拟定详细的年度\n法治建设计划。"
    report = _report("a.txt", "吉水镇", 2024)
    paragraph = Paragraph("a.txt", 0, ("一、主要工作",), 7, len(text), text[7:], text[7:])
    parsed = ParsedReport(report, text, (paragraph,))
    right = SectionLabel("a.txt", "年度法治建设计划", ("一、主要工作",), "")
    wrong = SectionLabel("a.txt", "年度法治建设计划", ("一、主要工作", "（二）加强组织领导"), "")
    absent = SectionLabel("a.txt", "不在报告里", (), "")
    checks = section_checks([parsed], [right, wrong, absent])
    assert [c.right for c in checks] == [True, False, False]
    assert checks[2].found is None


def _figure(township: str, value: float, start: int, end: int, metric: str = "m") -> Figure:
    return Figure("a.txt", township, 2024, metric, metric, value, "件", False, "", start, end, (), True)


def test_match_labels_pairs_one_to_one_and_prefers_the_labelled_metric():
    texts = {"甲镇": "办理案件5件，化解纠纷5件。"}
    label = {"township": "甲镇", "quote": "化解纠纷5件", "value": 5, "unit": "件", "approximate": False}
    cases, disputes = _figure("甲镇", 5, 0, 14, "案件"), _figure("甲镇", 5, 0, 14, "纠纷")
    pairs, unmatched = match_labels([cases, disputes], [dict(label, metric="纠纷")], texts)
    assert [f for _, f in pairs] == [disputes] and unmatched == [cases]
    elsewhere = _figure("甲镇", 5, 0, 7)  # its sentence ends before the quote
    assert match_labels([elsewhere], [dict(label, metric="纠纷")], texts)[0] == []


def test_latency_percentiles():
    measured = latency([float(n) for n in range(1, 101)])
    assert (measured.p50_ms, measured.p95_ms, measured.samples) == (50.5, 95.0, 100)
    with pytest.raises(ValueError):
        latency([])
