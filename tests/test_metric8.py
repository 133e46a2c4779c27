"""Curated metrics as a boost, not a gate (branch metric8): a bare unit word chooses no metric, the
vocabulary's wordings of case totals, shares in others' mediation, contract review and 政务公开, totals
and thresholds that add like with like, and one town's line without the question's measure word.
Each on the probe report's own wording and on one or two wordings of our own."""

from __future__ import annotations

import pytest

from bot.answers.answer import answer
from bot.figures.extract import extract_figures
from bot.figures.vocabulary import load_vocabulary
from bot.ingest.parse import parse_report
from tests.checks import assert_sound
from tests.fakes.retriever import fake_context


def _report(town: str, *lines: str, year: int = 2024):
    text = f"{town}{year}年法治政府建设情况报告\n一、主要工作\n" + "\n".join(lines) + "\n"
    return parse_report(text, report_id=f"{town}.txt", source=f"{town}.txt", sha256="0")


def _metric_of(sentence: str, value: float) -> str:
    (figure,) = [f for f in extract_figures(_report("某镇", sentence)) if f.value == value]
    return figure.metric if figure.known_metric else ""


# --- 1. a bare unit word chooses no metric (B5-P11) ------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "茅坪镇给三峡移民解答了多少人次的法律问题？",  # B5-P11
        "公义镇帮老百姓解答法律问题有多少人次？",
        "大湾乡免费给老百姓解答法律问题多少人次？",
    ],
)
def test_legal_questions_answered_are_consultations_not_the_audience_of_the_unit(question):
    metric, _ = load_vocabulary().for_question(question)
    assert metric.name == "法律咨询接待"


def test_a_unit_alone_chooses_no_metric_but_still_breaks_a_tie():
    vocabulary = load_vocabulary()
    assert vocabulary.for_question("镇里一共有多少人次？") is None
    assert vocabulary.for_question("哪个镇普法受众人次最多")[0].name == "普法受众人次"


def test_the_consultations_figure_answers_not_the_audience_in_the_same_unit():
    reports = [
        _report(
            "茅坪镇",
            "疫情期间通过村村响广播、微信群推送防疫法律知识，覆盖群众2万余人次。",
            "为三峡移民群众提供法律咨询260余人次。",
            year=2022,
        )
    ]
    result = answer(fake_context("茅坪镇给三峡移民解答了多少人次的法律问题？", reports))
    assert_sound(result, reports)
    assert "260余人次" in result.lead and "2万" not in result.lead and "20000" not in result.lead


# --- 2. the vocabulary's wordings (batch 5 and 6 reports) --------------------------------------


@pytest.mark.parametrize(
    ("sentence", "value", "metric"),
    [
        # A case total written 查处各类（违法）案件 (湖滨街道 2023, 连江口镇), with its parts after 其中.
        (
            "全年查处各类案件203件，其中占道经营、流动摊贩案件88件，违规设置户外广告案件27件；",
            203,
            "行政执法案件",
        ),
        ("镇综合行政执法办全年查处各类违法案件67件，其中违法用地案件21宗。", 67, "行政执法案件"),
        ("城管执法中队全年立案查处各类案件215件，其中生活垃圾分类案件58件。", 215, "行政执法案件"),
        # Penalty cases of one kind stay so (a seed's; 白沙镇 in figures_heldout_provinces).
        ("全年立案查处违法行为5起。", 5, "行政处罚案件"),
        ("镇综合行政执法办共立案查处违法建设等案件41宗，结案38宗。", 41, "行政处罚案件"),
        # Someone's share in others' mediation is not the town's disputes resolved (大湾乡).
        ("组织“法律明白人”参与调解纠纷9件。", 9, ""),
        ("村法律顾问协助调处矛盾纠纷12件。", 12, ""),
        ("全年调处矛盾纠纷37件，调处成功率100%。", 37, "矛盾纠纷化解"),
        # Contract review: words between verb and noun (徐家湾街道), no adviser named (江川路街道).
        ("法律顾问参与街道重大事项讨论16次，审核街道各部门报送的合同19份。", 19, "法律顾问审查文件"),
        ("全年审查合同及协议61份，提出合法性审查意见47条。", 61, "法律顾问审查文件"),
        ("镇司法所全年审查各类经济合同40份。", 40, "法律顾问审查文件"),
        # 政务公开: requests and what was published unasked are two counts.
        ("受理依申请公开12件，全部在法定期限内答复。", 12, "依申请公开"),
        ("受理政府信息公开申请7件，均依法按期答复。", 7, "依申请公开"),
        ("全年主动公开政府信息91条，依申请公开政府信息2件。", 91, "主动公开政府信息"),
        ("全年主动公开政府信息91条，依申请公开政府信息2件。", 2, "依申请公开"),
        # “法律明白人” a town trained, in any verb; a per-village quota is no town's count.
        ("培育“法律明白人”86名，每个村民小组至少有1名“法律明白人”。", 86, "法律明白人"),
        ("邀请“法律明白人”参与调解，全镇“法律明白人”达到130余名。", 130, "法律明白人"),
        ("全镇共有“法律明白人”112名。", 112, "法律明白人"),
        ("十八洞村等村开展“法治夜校”，每村培养“法律明白人”不少于5名。", 5, ""),
    ],
)
def test_the_vocabulary_files_each_wording_under_what_it_counts(sentence, value, metric):
    assert _metric_of(sentence, value) == metric


def _cases_with_parts():
    return [
        _report(
            "湖滨街道",
            "全年查处各类案件203件，其中占道经营、流动摊贩案件88件，违规设置户外广告案件27件；",
            year=2023,
        ),
        _report("周庄镇", "办理行政执法案件158件，其中违法建设案件38件；"),
    ]


def test_a_case_total_written_as_cases_investigated_is_the_towns_total():
    reports = _cases_with_parts()
    one = answer(fake_context("湖滨街道2023年办理了多少件行政执法案件？", reports))
    assert_sound(one, reports)
    assert "203件" in one.lead and "分项" not in one.lead
    total = answer(fake_context("所有乡镇一共办理了多少件行政执法案件？", reports))
    assert_sound(total, reports)
    assert "361件" in total.lead


# --- 3. totals and thresholds add like with like (B5-A11, B6-A08) ---------------------------------


def _disclosure():
    return [
        _report("稻田镇", "依申请公开政府信息5件，均依法按时答复。", year=2025),
        _report("下营镇", "主动公开政府信息91条。", year=2025),
        _report("江川路街道", "受理依申请公开12件，全部在法定期限内答复。"),
        _report("周庄镇", "受理政府信息公开申请7件，均依法按期答复。"),
    ]


def test_a_total_of_requests_adds_no_information_published_unasked():
    reports = _disclosure()
    result = answer(fake_context("所有乡镇依申请公开的政府信息一共有多少件？", reports))
    assert_sound(result, reports)
    assert "24件" in result.lead and "115" not in result.lead and "同一口径" not in result.answer


def test_a_threshold_of_requests_lists_the_towns_over_it_in_their_own_words():
    reports = _disclosure()
    result = answer(fake_context("办理依申请公开超过5件的乡镇有哪些？", reports))
    assert_sound(result, reports)
    assert "江川路街道（12件）" in result.lead and "周庄镇（7件）" in result.lead
    assert "下营镇" not in result.lead and "稻田镇" not in result.lead


def _suggestions():
    return [
        _report("甲镇", "认真办理人大代表建议3件。"),
        _report("乙镇", "认真办理人大代表建议4件。"),
        _report("丙镇", "认真办理人大代表建议20条。"),
    ]


def test_a_total_of_the_questions_own_wording_adds_only_the_asked_measure():
    reports = _suggestions()
    result = answer(fake_context("各镇一共办理了多少件人大代表建议？", reports))
    assert_sound(result, reports)
    assert "7件" in result.lead and "27" not in result.lead
    assert "未计入合计：\n- 丙镇（2024年）20条" in result.answer


def test_a_threshold_in_one_measure_is_not_passed_by_another():
    reports = _suggestions()
    result = answer(fake_context("办理人大代表建议超过3件的乡镇有哪些？", reports))
    assert_sound(result, reports)
    assert "乙镇（4件）" in result.lead and "丙镇" not in result.lead


# --- 4. one town's line without the question's measure word (S7-P03's neighbour) ---------------------


@pytest.mark.parametrize(
    ("question", "unit"), [("兴隆镇今年有多少起矛盾", "起"), ("兴隆镇今年有多少件纠纷", "件")]
)
def test_one_towns_line_does_not_repeat_the_measure_word(question, unit):
    reports = [_report("兴隆镇", f"今年共摸排各类矛盾纠纷60余{unit}，均已化解。")]
    result = answer(fake_context(question, reports))
    assert_sound(result, reports)
    assert f"60余{unit}" in result.lead and f"镇{unit}" not in result.lead


def test_a_traditional_reports_paragraph_naming_the_asked_noun_is_pointed_to():
    # B5-F06: 茅坪鎮 writes 行政複議; the question's noun is simplified 行政复议. (The report's own
    # "未發生行政複議案件" is a figure of 0 now, bot/figures/zeros.py: here it names the noun, no count.)
    reports = [
        _report(
            "茅坪镇",
            "全鎮調解矛盾糾紛118件，成功調解115件。",
            "全鎮共有村（社區）14個。",
            "嚴格落實行政應訴制度，依法辦理行政複議、行政訴訟案件。",
            year=2022,
        )
    ]
    result = answer(fake_context("茅坪镇发生了几件行政复议案件？", reports))
    assert_sound(result, reports)
    assert "相关段落" in result.answer
    assert any("行政複議" in p.paragraph.text for p in result.passages)


def test_the_towns_trained_legal_helpers_rank_whatever_verb_the_report_uses():
    # B5-A04: the question says 培养, the reports 培育 / 达到 / 共培养.
    reports = [
        _report("稻田镇", "邀请“法律明白人”参与调解，全镇“法律明白人”达到130余名。", year=2025),
        _report("后坪乡", "培育“法律明白人”86名，每个村民小组至少有1名“法律明白人”。", year=2023),
        _report("关庙乡", "全乡共培养“法律明白人”52名。"),
    ]
    result = answer(fake_context("哪个乡镇培养的“法律明白人”最多？", reports))
    assert_sound(result, reports)
    assert result.lead.startswith("稻田镇") and "130余名" in result.lead
    ranking = result.answer.split("排名：")[1]
    assert ranking.index("后坪乡") < ranking.index("关庙乡")
