"""Figure phrase matching (branch phrase8): a question's verb gives credit but does not gate a specific
head noun, words said for one another (培养/培育, 审查/审核, 调解/调处, 排出来/摸排), a noun coordinated
after the head ("合同及协议"), a per-unit quota is no town's count, and a one-character noun asked
("哪个村多"). Each on the probe batches' wording and on wordings of our own."""

from __future__ import annotations

from bot.answers.answer import answer
from bot.answers.phrases import read_asked
from bot.ingest.parse import parse_report
from bot.lang.tokenizer import Tokenizer
from tests.checks import assert_sound
from tests.fakes.retriever import fake_context


def _report(town: str, body: str, year: int = 2024):
    text = f"{town}{year}年法治政府建设工作报告\n一、主要举措和成效\n{body}\n"
    return parse_report(text, report_id=f"{town}{year}.txt", source=f"{town}{year}.txt", sha256=town)


def _ask(question: str, *reports):
    result = answer(fake_context(question, list(reports)))
    assert_sound(result, list(reports))
    return result


# --- 1. a verb of the question gives credit, it does not gate a specific head noun ---------------

MINGBAIREN = (
    _report("后坪乡", "深化法治乡村建设，培育“法律明白人”86名，每个村民小组至少有1名“法律明白人”。"),
    _report("稻田镇", "推进法治乡村建设，全镇“法律明白人”达到130余名。"),
    _report("关庙乡", "全乡共培养“法律明白人”52名。"),
)


def test_a_head_noun_of_its_own_is_matched_whatever_verb_the_report_uses():
    result = _ask("哪个乡镇培养的“法律明白人”最多？", *MINGBAIREN)
    assert result.kind == "figures" and result.lead.startswith("稻田镇") and "130余名" in result.lead
    assert "后坪乡" in result.answer and "86名" in result.answer  # 培育 for 培养


def test_another_verb_for_the_same_head_is_credited_too():
    result = _ask("哪个乡镇发展的“法律明白人”最少？", *MINGBAIREN)
    assert result.kind == "figures" and result.lead.startswith("关庙乡") and "52名" in result.lead


def test_a_figure_of_another_act_on_the_head_is_not_the_one_asked():
    # "排查矛盾纠纷380余件" counts disputes found, not resolved: 化解 asked, 排查 stated.
    report = _report("东山街道", "全年排查矛盾纠纷380余件，成功化解372件。")
    result = _ask("东山街道化解了多少矛盾纠纷？", report)
    assert "380" not in result.lead


def test_a_colloquial_verb_is_read_as_the_report_word_for_it():
    report = _report("兴隆镇", "深入开展矛盾纠纷排查，今年共摸排各类矛盾纠纷60余起，均已妥善处置。")
    for question in ("兴隆镇今年排出来多少起矛盾？", "兴隆镇今年查出来多少起矛盾纠纷？"):
        result = _ask(question, report)
        assert result.kind == "figures" and "60余起" in result.lead, question


def test_review_is_the_same_act_as_checking_for_contracts():
    report = _report("徐家湾街道", "街道法律顾问全年审核街道各部门报送的合同19份，出具法律意见8条。")
    result = _ask("徐家湾街道的法律顾问审查了多少份合同？", report)
    assert result.kind == "figures" and "19份" in result.lead


def test_the_disputes_a_town_mediated_beat_those_its_volunteers_helped_with():
    report = _report(
        "大湾乡", "调处矛盾纠纷37件。培养“法律明白人”41名，组织“法律明白人”参与调解纠纷9件。", 2025
    )
    other = _report("李庄镇", "全年调解矛盾纠纷211件。")
    result = _ask("哪个乡镇调解矛盾纠纷最少？", report, other)
    assert result.lead.startswith("大湾乡") and "37件" in result.lead


# --- 2. a noun coordinated after the head, one number for both ----------------------------------


def test_a_head_coordinated_before_the_number_is_counted():
    reports = (
        _report("江川路街道", "法律顾问全年审查合同及协议61份。"),
        _report("稻田镇", "法律顾问全年审查合同53份。"),
        _report("渤海镇", "全年法律顾问审核合同与协议46份。"),
    )
    result = _ask("哪个乡镇的法律顾问审查的合同最多？", *reports)
    assert result.lead.startswith("江川路街道") and "61份" in result.lead
    over = _ask("法律顾问审查合同超过40份的乡镇有哪些？", *reports)
    assert all(town in over.lead for town in ("江川路街道", "稻田镇", "渤海镇"))


def test_an_application_for_disclosure_is_disclosure_on_application():
    reports = (
        _report("周莊鎮", "受理政府信息公开申请7件，均依法按期答复。"),
        _report("湖滨街道", "主动公开政府信息112条，办理依申请公开14件。"),
        _report("李庄镇", "办理依申请公开3件。"),
    )
    result = _ask("办理依申请公开超过5件的乡镇有哪些？", *reports)
    assert "周莊鎮" in result.lead and "湖滨街道" in result.lead and "李庄镇" not in result.lead


# --- 3. a per-unit quota is no town's count -------------------------------------------------------

QUOTA = (
    _report("双龙镇", "每村培养“法律明白人”不少于5名，全镇共有“法律明白人”112名。", 2025),
    _report("大湾乡", "培养“法律明白人”41名。", 2025),
)


def test_a_quota_for_each_village_is_not_the_towns_count():
    result = _ask("哪个乡镇培养的“法律明白人”最多？", *QUOTA)
    assert result.lead.startswith("双龙镇") and "112名" in result.lead
    least = _ask("哪个乡镇的“法律明白人”最少？", *QUOTA)
    assert least.lead.startswith("大湾乡") and "5名" not in least.lead


def test_a_question_asking_for_each_village_keeps_the_quota():
    asked = read_asked("双龙镇每村培养多少名“法律明白人”？", ["双龙镇"], Tokenizer())
    assert asked is not None and asked.each
    assert not read_asked("每个乡镇培养了多少名“法律明白人”？", [], Tokenizer()).each


# --- 4. the question's scaffolding ---------------------------------------------------------------


def test_a_comparative_after_a_one_character_noun_leaves_the_noun():
    for question in ("商酒务镇和季家镇哪个村多？", "哪个镇村少？"):
        asked = read_asked(question, ["商酒务镇", "季家镇"], Tokenizer())
        assert asked is not None and asked.head == "村", question
    reports = (
        _report("商酒务镇", "全镇辖25个村，常住人口3万余人。"),
        _report("季家镇", "全镇辖8个村（社区）。"),
    )
    result = _ask("商酒务镇和季家镇哪个村多？", *reports)
    assert result.kind == "figures" and "商酒务镇更多" in result.lead


def test_all_and_a_unit_after_you_have_are_no_part_of_the_topic():
    asked = read_asked("所有乡镇依申请公开的政府信息一共有多少件？", [], Tokenizer())
    assert asked is not None and asked.topic == "依申请公开的政府信息" and asked.unit == "件"
    assert read_asked("兴隆镇今年有多少起矛盾？", ["兴隆镇"], Tokenizer()).topic == "矛盾"


def test_the_lawyer_a_town_retains_is_its_legal_adviser():
    report = _report("李庄镇", "严格执行重大行政决策程序，镇法律顾问审查合同31份，出具法律意见12条。", 2023)
    for question in ("李庄镇请的律师帮镇里看了多少份合同？", "李庄镇的律师审核了几份合同？"):
        result = _ask(question, report)
        assert result.kind == "figures" and "31份" in result.lead, question


def test_a_word_said_for_a_qualifier_counts_only_in_the_figures_own_phrase():
    # 审核 (for 审查) belongs to "审核…合同19份"; the clause's next figure, "征求意见59件", is no 审查意见.
    xujiawan = _report(
        "徐家湾街道",
        "法律顾问参与街道重大事项讨论16次，审核街道各部门报送的合同19份、征求意见59件，出具法律意见书2份。",
        2025,
    )
    wuxing = _report("五星街道", "对重大行政决策开展合法性审查，提出合法性审查意见40余条。")
    result = _ask("出具法律意见（审查意见）最多的前三个乡镇（街道）是哪些？", xujiawan, wuxing)
    assert result.lead.startswith("五星街道") and "59" not in result.lead
