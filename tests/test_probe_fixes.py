"""Causes found by the session-5 probe questions (benchmarks/data/probe_questions.jsonl), each
checked on the wording of a real report of tests/data/realworld."""

from __future__ import annotations

from bot.answers.answer import answer
from bot.ingest.parse import parse_report
from tests.checks import assert_sound
from tests.fakes.retriever import fake_context

# 杭州道街道's report: one clause counts inspections in 次, the next the firms inspected in 家.
HANGZHOUDAO = """天津市滨海新区杭州道街道办事处2023年法治政府建设工作报告
一、主要举措和成效
在执行《天津市生活垃圾管理条例》方面，共出动执法队员4237人次，检查餐饮服务企业2619家、居住社区1008个次。
街道积极开展重点场所控烟专项检查行动，出动执法队员955人，对264家网吧、娱乐场所开展吸烟执法检查296次，劝阻378人。
"""


def _ask(question: str, *texts: tuple[str, str]):
    reports = [
        parse_report(text, report_id=name, source=name, sha256=str(i)) for i, (name, text) in enumerate(texts)
    ]
    result = answer(fake_context(question, reports))
    assert_sound(result, reports)
    return result


def test_a_measure_word_for_firms_picks_the_figure_counted_in_it():
    # "多少家" asks for firms: the curated 行政检查 count (296次) is another quantity.
    result = _ask("杭州道街道检查了多少家餐饮服务企业？", ("杭州道街道.txt", HANGZHOUDAO))
    assert "2619家" in result.lead
    assert "296次" not in result.lead


def test_reports_named_by_what_they_are_and_the_earliest_year_are_corpus_questions():
    from pathlib import Path

    from bot.ingest.scan import load_corpus

    reports = load_corpus(Path(__file__).resolve().parent / "data" / "realworld" / "corpus").reports
    count = answer(fake_context("一共收录了多少份法治政府建设报告？", reports))
    assert count.kind == "corpus" and count.lead.startswith("语料库中共有55份报告")
    earliest = answer(fake_context("最早的报告是哪一年的？", reports))
    assert earliest.kind == "corpus" and earliest.lead.startswith("语料库中报告最早的是2021年（")
    level = answer(fake_context("有几份是乡一级的报告？", reports))
    assert level.kind == "corpus" and level.lead.startswith("语料库中共有7份乡的报告")
    latest = answer(fake_context("最新的报告是哪年的", reports))
    assert latest.lead.startswith("语料库中报告最新的是2025年（")
    for result in (count, earliest, latest):
        assert_sound(result, reports)


# 伊金霍洛镇's report: its 法律顾问 sentence is what "红旗乡的法律顾问是谁" used to be answered with.
YIJINHUOLUO = """伊金霍洛镇2023年度法治政府建设工作报告
一、2023年工作总结
镇里专门聘请律师担任常年法律顾问，参与党委、政府重大决策和日常涉法事务，全镇16个嘎查村、1个社区的法律顾问工作实现全覆盖。
"""


def test_a_township_whose_name_begins_with_a_flag_word_is_a_place_the_corpus_lacks():
    from bot.lang.scope import unknown_places

    assert unknown_places("红旗乡的法律顾问是谁？", ["伊金霍洛镇"]) == ("红旗乡",)
    assert unknown_places("联盟镇有多少名执法人员", ["伊金霍洛镇"]) == ("联盟镇",)
    assert unknown_places("哪个镇在国庆节悬挂了红旗", ["伊金霍洛镇"]) == ()
    result = _ask("红旗乡的法律顾问是谁？", ("伊金霍洛镇.txt", YIJINHUOLUO))
    assert result.status == "not_found" and "没有红旗乡的报告" in result.answer


DONGFANGSHAN = """东方山街道2025度法治政府建设年度报告
一、2025年度推进法治政府建设的主要举措和成效
3.抓实矛盾化解，筑牢基层治理防线。搭建一站式矛盾纠纷调处平台，全年排查矛盾纠纷380余件，成功化解372件，化解率达97.9%。
"""


def test_a_year_no_report_covers_is_said_and_not_answered_from_another_year():
    result = _ask("东方山街道2019年化解了多少矛盾纠纷？", ("东方山街道.txt", DONGFANGSHAN))
    assert result.status == "not_found"
    assert "没有东方山街道2019年的报告" in result.answer and "2025年的报告" in result.answer
    # The answer says so first: the other year's figure follows as reference, never as the lead.
    assert result.lead.startswith("语料库中没有东方山街道2019年的报告") and "372件" not in result.lead
    same_year = _ask("东方山街道2025年化解了多少矛盾纠纷？", ("东方山街道.txt", DONGFANGSHAN))
    assert same_year.status == "answered" and "372件" in same_year.lead


def test_a_bare_ranking_place_and_a_bare_topic_follow_up_keep_the_previous_question():
    from bot.lang.followup import resolve_followup

    towns = ["宁安镇", "公义镇", "季家镇"]
    ranking = "哪个乡镇解答法律咨询的人次最多？"
    assert resolve_followup("第二呢？", ranking, towns) == "哪个乡镇解答法律咨询的人次第二多"
    assert resolve_followup("第二呢", "哪个乡镇解答法律咨询的人次最少", towns).endswith("第二少")
    # a new topic after a how-many question asks how many of it
    assert resolve_followup("那矛盾纠纷呢？", "季家镇调处了几起信访案件？", towns) == "季家镇矛盾纠纷有多少"
    assert resolve_followup("那法律顾问呢", "季家镇怎样开展学法？", towns) == "季家镇法律顾问"


# 中长街道's and 龙头镇's reports list their bodies as "6个内设机构、3个事业单位".
ZHONGCHANG = """中长街道2025年法治政府建设报告
一、上一年度推进法治政府建设的主要举措和成效
按照新区编办的机构设置要求，街道完成6个内设机构、3个事业单位的机构设置调整并配齐干部。结合街道实际细致梳理，分类制定3张履职清单共311项，其中基本履职事项132项。
"""
LONGTOU = """龙头镇2025年法治政府建设年度报告
一、主要举措和成效
镇里落实乡镇机构改革部署，设立5个内设机构、4个事业单位，梳理出基本履职事项115条。
"""


def test_an_enumerated_item_counts_the_noun_after_its_number():
    result = _ask(
        "中长街道和龙头镇的事业单位一共几个？", ("中长街道.txt", ZHONGCHANG), ("龙头镇.txt", LONGTOU)
    )
    assert result.lead.startswith("中长街道、龙头镇的报告合计事业单位7个"), result.lead
    assert "311" not in result.answer


def test_the_question_s_own_words_beat_a_curated_metric_none_of_whose_figures_say_them():
    # 行政检查 (curated) holds "吸烟执法检查296次"; only the unclassified 149次 is of 垃圾分类检查.
    report = HANGZHOUDAO + "对19家次大型企业、商超、物业公司的“垃圾分类”检查149次。\n"
    result = _ask("杭州道街道垃圾分类检查了多少次？", ("杭州道街道.txt", report))
    assert result.lead == "杭州道街道垃圾分类检查149次。", result.lead
    # a question in the metric's own words keeps the metric's figure
    assert "296次" in _ask("杭州道街道开展了多少次执法检查？", ("杭州道街道.txt", report)).lead


def test_what_a_report_is_called_is_a_question_about_the_corpus():
    result = _ask("杭州道街道的报告标题是什么？", ("杭州道街道.txt", HANGZHOUDAO))
    assert result.kind == "corpus"
    assert "天津市滨海新区杭州道街道办事处2023年法治政府建设工作报告" in result.answer


def test_a_township_compared_with_the_previous_one_by_a_pronoun():
    from bot.lang.followup import resolve_followup

    towns = ["东晓街道", "西兴街道"]
    first = "东晓街道开展了多少次“第一议题”学习？"
    standalone = resolve_followup("西兴街道和它比谁多？", first, towns)
    assert standalone == "西兴街道和东晓街道开展了多少次“第一议题”学习，谁更多"
    # modelled on the two reports' sentences (tests/data/realworld)
    dongxiao = (
        "东晓街道2025年法治政府建设情况报告\n一、举措\n街道全年开展“第一议题”学习42次、读书班研讨1次。\n"
    )
    xixing = "西兴街道2024年法治政府建设报告\n一、举措\n严格执行“第一议题”制度，组织“第一议题”学习15次。\n"
    result = _ask(standalone, ("东晓街道.txt", dongxiao), ("西兴街道.txt", xixing))
    assert result.lead.startswith("东晓街道开展“第一议题”学习42次，西兴街道15次：东晓街道更多"), result.lead


def test_people_counted_by_the_activity_they_took_part_in():
    # The sentences of 中梁山街道's and 蔡家桥镇's reports: the numbers count people, not exams.
    zhongliangshan = (
        "中梁山街道关于2025年度法治政府建设情况的报告\n一、主要举措和成效\n"
        "二是2025年组织街道121名干部职工参加2025年度全区法治理论知识学习考试，参考率和通过率都达到100%。\n"
    )
    caijiaqiao = (
        "蔡家桥镇2023年度法治政府建设报告\n一、主要举措和成效\n"
        "宣城市国家工作人员在线学法考试平台的学习任务全部完成，蔡家桥镇26名学员都通过了考试。2023年共开展领导班子学法12次。\n"
    )
    result = _ask(
        "参加学法考试人数最多的是哪个乡镇（街道）？",
        ("中梁山.txt", zhongliangshan),
        ("蔡家桥.txt", caijiaqiao),
    )
    assert result.lead.startswith("中梁山街道") and "121名" in result.lead, result.lead
    assert "26名" in result.answer and "12次" not in result.answer


# 长延堡街道 (d-set) and a 镇 with more such meetings: "哪个街道…" compares the 街道 alone.
CHANGYANBAO = """长延堡街道2025年法治政府建设报告
一、2025年推进法治政府建设的主要举措和成效
2025年先后召开法治建设专题会议4次，听取工作汇报，研判解决行政执法、矛盾纠纷化解等问题。
"""
HETOU_MEETINGS = """河头镇2025年法治政府建设年度报告
一、2025年推进法治政府建设的主要举措和成效
镇党委全年召开法治建设专题会议9次，研究部署法治政府建设重点工作。
"""


def test_which_street_compares_the_streets_alone_and_which_town_every_township():
    reports = (("长延堡街道.txt", CHANGYANBAO), ("河头镇.txt", HETOU_MEETINGS))
    streets = _ask("2025年哪个街道召开的法治建设专题会议最多？", *reports)
    assert streets.lead.startswith("长延堡街道") and "河头镇" not in streets.answer
    towns = _ask("2025年哪个镇召开的法治建设专题会议最多？", *reports)
    assert towns.lead.startswith("河头镇") and "长延堡街道" in towns.answer


# probe_reports batch 2 (河北长安区育才街道, two years): a total over one town's years.
YUCAI_2023 = """育才街道2023年法治政府建设工作报告
一、主要工作
健全街道、社区、网格三级调解体系，全年调解矛盾纠纷287件，调解成功率97.2%。
"""
YUCAI_2024 = """关于2024年度法治政府建设工作情况的报告
育才街道办事处
一、2024年度推进法治政府建设的主要举措和成效
以“一站式”矛盾纠纷调处化解中心为依托，全年调解矛盾纠纷318件，其中物业纠纷146件。
"""


def test_a_total_over_one_townships_years_adds_its_reports():
    reports = (("育才街道2023.txt", YUCAI_2023), ("育才街道2024.txt", YUCAI_2024))
    result = _ask("育才街道2023年和2024年调解的矛盾纠纷合计多少件？", *reports)
    assert result.lead.startswith("育才街道2023年、2024年的报告合计") and "605件" in result.lead
    assert "同一乡镇2023年、2024年" in result.answer
    # Without several years named, a town's figure is asked: each report's, not their sum.
    each = _ask("育才街道调解了多少件矛盾纠纷？", *reports)
    assert "605" not in each.answer and "318件" in each.answer and "287件" in each.answer


# probe_reports batch 4 (湖南黄花镇, 陕西烟霞镇): a quoted term right before its number, and 执法资格 named
# without 证.
HUANGHUA = """黄花镇2024年法治政府建设工作报告
一、主要工作
深化法治乡村建设，全年培养“法律明白人”64名，实现村（社区）全覆盖。
"""
YANXIA = """烟霞镇2022年法治政府建设工作报告
一、主要工作
全镇培养法律明白人52名。全镇取得行政执法资格的人员11名。
"""


def test_a_quoted_term_before_its_number_is_ranked_and_a_qualification_without_zheng_is_counted():
    reports = (("黄花镇.txt", HUANGHUA), ("烟霞镇.txt", YANXIA))
    ranked = _ask("哪个乡镇培养的“法律明白人”最多？", *reports)
    assert ranked.lead.startswith("黄花镇") and "64名" in ranked.lead and "52名" in ranked.answer
    licensed = _ask("烟霞镇有多少名持证执法人员？", *reports)
    assert "11名" in licensed.lead
