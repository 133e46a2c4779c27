"""bot/parse.py on the five real seeds (each differs in form) and on small made-up reports."""

from __future__ import annotations

import re

import pytest

from bot.errors import UnsupportedFile
from bot.ingest.clean import clean_text, strip_artifacts
from bot.ingest.identity import find_township, find_year, most_frequent_township
from bot.ingest.identity import name_at_start as admin_name_at_start
from bot.ingest.parse import parse_report
from bot.report import ParsedReport

XINGLONG = "000_78c4f8f18955f2e8.txt"
HESHI = "001_593f4c6809c4721a.txt"
SHANGJIUWU = "002_4abc9341a956d2f1.txt"
NINGHE = "003_f2f2c0b7cdbe11e1.txt"
JIJIA = "004_e5c0c62a5ed9b609.txt"

HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.、．](?!\d))"
)


def parse(text: str, report_id: str = "t.txt") -> ParsedReport:
    return parse_report(text, report_id=report_id, source=f"/corpus/{report_id}", sha256="0" * 64)


def seed(corpus, name: str) -> ParsedReport:
    return corpus.report(name)


def paragraph_with(parsed: ParsedReport, needle: str):
    found = [p for p in parsed.paragraphs if needle in p.text]
    assert len(found) == 1, f"{needle!r} in {len(found)} paragraphs"
    return found[0]


# ---------------------------------------------------------------- the seeds: identity


@pytest.mark.parametrize(
    ("name", "township", "district", "year", "title", "paragraphs"),
    [
        (XINGLONG, "兴隆镇", None, 2024, "关于2024年法治政府建设情况的报告", 14),
        (HESHI, "河市镇", None, 2024, None, 17),
        (SHANGJIUWU, "商酒务镇", None, 2023, "关于2023年度法治政府建设情况的报告", 29),
        (NINGHE, "宁河镇", None, 2024, "宁河镇2024年度法治政府建设情况报告", 22),
        (JIJIA, "季家镇", "大足区", 2024, "2024年法治政府建设情况报告", 31),
    ],
)
def test_seed_identity(seed_corpus, seeds_dir, name, township, district, year, title, paragraphs):
    parsed = seed(seed_corpus, name)
    report = parsed.report
    assert (report.township, report.district, report.year, report.title) == (township, district, year, title)
    assert report.report_id == name
    assert report.source == str((seeds_dir / name).resolve())
    assert len(parsed.paragraphs) == paragraphs


@pytest.mark.parametrize("name", [XINGLONG, HESHI, SHANGJIUWU, NINGHE, JIJIA])
def test_seed_paragraphs_are_verbatim_slices(seed_corpus, seeds_dir, name):
    parsed = seed(seed_corpus, name)
    assert parsed.text == (seeds_dir / name).read_bytes().decode("utf-8")
    previous_end = 0
    for index, paragraph in enumerate(parsed.paragraphs):
        assert paragraph.index == index
        assert paragraph.report_id == name
        assert paragraph.text == parsed.text[paragraph.start : paragraph.end]
        assert paragraph.text == paragraph.text.strip() and paragraph.text
        assert paragraph.start >= previous_end  # in order, never overlapping
        previous_end = paragraph.end
        assert not re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", paragraph.clean)
        assert "\n" not in paragraph.clean and "[bookmark" not in paragraph.clean


@pytest.mark.parametrize("name", [XINGLONG, HESHI, SHANGJIUWU, NINGHE, JIJIA])
def test_no_title_heading_or_signature_line_is_a_paragraph(seed_corpus, name):
    parsed = seed(seed_corpus, name)
    report = parsed.report
    # Two 商酒务镇 lines are numbered sentences too long to be headings: kept whole as paragraphs.
    numbered_sentences = {"（一）围绕全面履职职能", "（三）强化执法监督"}
    for paragraph in parsed.paragraphs:
        if HEADING_START.match(paragraph.text):
            assert paragraph.section_path[-1] in numbered_sentences
            assert paragraph.text.startswith(paragraph.section_path[-1])
        assert report.township + "人民政府" != paragraph.clean
        assert paragraph.clean != "县委、县政府："
        if report.title:
            assert report.title not in paragraph.clean
    headings = {heading for p in parsed.paragraphs for heading in p.section_path}
    assert not headings & {p.clean for p in parsed.paragraphs}


# ---------------------------------------------------------------- the seeds: structure


def test_xinglong_paragraph_broken_across_a_blank_line_is_merged(seed_corpus):
    parsed = seed(seed_corpus, XINGLONG)
    merged = paragraph_with(parsed, "化解，让")
    assert "化解，让\n\n群众诉求及时得到解决" in merged.text
    assert "化解，让群众诉求及时得到解决" in merged.clean
    assert merged.text.startswith("围绕“两大一防”专项攻坚行动")
    assert merged.text.endswith("便捷高效。")
    assert merged.section_path == (
        "一、上一年度法治政府建设的主要举措和成效",
        "（五）聚焦风险防控，筑牢矛盾化解“防火墙”",
    )
    assert "共摸排各类矛盾纠纷60余起" in merged.clean  # "60 余起" collapses in clean only
    assert "矛盾纠纷 60 余起" in merged.text


def test_xinglong_heading_with_body_and_trailing_semicolon(seed_corpus):
    parsed = seed(seed_corpus, XINGLONG)
    plan = paragraph_with(parsed, "重视和统筹法治建设与经济社会发展共同推进")
    assert plan.text.startswith("重视和统筹")  # the heading "（一）纵深推进法治政府建设。" is not in it
    assert plan.section_path == ("三、下一年度推进法治政府建设的主要安排", "（一）纵深推进法治政府建设")
    assert parsed.paragraphs[0].section_path[0] == "一、上一年度法治政府建设的主要举措和成效"  # no "；"
    assert parsed.paragraphs[-1].text == "无。"
    assert parsed.paragraphs[-1].section_path == ("四、其他需要报告的情况",)


def test_xinglong_inline_items_split(seed_corpus):
    parsed = seed(seed_corpus, XINGLONG)
    first = paragraph_with(parsed, "一是普法宣传载体")
    second = paragraph_with(parsed, "二是合法性审查")
    assert first.text.startswith("一是") and first.text.endswith("导致普法效果降低。")
    assert second.text.startswith("二是") and second.index == first.index + 1
    assert first.section_path == second.section_path == ("二、上一年度法治政府建设存在的不足和原因",)


def test_heshi_opening_paragraph_and_ascii_headings(seed_corpus):
    parsed = seed(seed_corpus, HESHI)
    opening = parsed.paragraphs[0]
    assert opening.section_path == ()
    assert opening.text.startswith("2024年河市镇法治建设工作在区管委的统一领导下")
    mediation = paragraph_with(parsed, "共化解矛盾纠纷217件")
    assert mediation.section_path == ("一、2024年主要举措和成效", "(三)扎实基层法治,助力社会治理")
    assert mediation.text.startswith("二是深入开展矛盾纠纷排查化解")


def test_heshi_inline_items_follow_ordinals_in_order(seed_corpus):
    parsed = seed(seed_corpus, HESHI)
    path = ("一、2024年主要举措和成效", "(一)坚持深入学习,领会全会精神")
    items = [p for p in parsed.paragraphs if p.section_path == path]
    assert [p.text[:2] for p in items] == ["一是", "二是", "三是"]
    assert items[0].text.startswith("一是领导带头,抓法治学习。")
    assert items[0].text.endswith("自上而下推动河市法治政府建设。")
    # The restarted "一是按照…" belongs to the second item, it is not an item of its own.
    assert items[1].text.startswith("二是多管齐下,抓普法宣传。一是按照河市镇“八五”普法规划")
    assert items[1].text.endswith("受教育人数达10000余人次。")
    assert items[2].text.startswith("三是规范引领,抓示范创建。")
    assert items[0].end <= items[1].start and items[1].end <= items[2].start


def test_heshi_plan_section_is_not_the_report_year(seed_corpus):
    parsed = seed(seed_corpus, HESHI)
    plan = [p for p in parsed.paragraphs if p.section_path == ("三、2025年法治建设工作思路",)]
    assert len(plan) == 4
    assert parsed.report.year == 2024


def test_shangjiuwu_artifact_is_stripped_from_title_but_kept_in_text(seed_corpus):
    parsed = seed(seed_corpus, SHANGJIUWU)
    assert parsed.report.title == "关于2023年度法治政府建设情况的报告"
    assert "[bookmark: _GoBack]关于2023年度" in parsed.text
    assert all("bookmark" not in p.text for p in parsed.paragraphs)  # the title line is no paragraph


def test_shangjiuwu_heading_with_body_on_the_same_line(seed_corpus):
    parsed = seed(seed_corpus, SHANGJIUWU)
    body = paragraph_with(parsed, "坚持实施了党委中心组学法制度")
    heading_line = "（一）将增强领导干部法治思维和法治能力作为法治政府建设工作的关键环节。"
    assert parsed.text[body.start - len(heading_line) : body.start] == heading_line
    assert body.section_path == (
        "二、2023年度推进法治政府建设的主要举措和成效",
        "（一）将增强领导干部法治思维和法治能力作为法治政府建设工作的关键环节",
    )
    mediation = paragraph_with(parsed, "120余次")
    assert mediation.section_path[-1] == "（五）妥善处理群众信访工作，依法化解矛盾纠纷，切实维护社会和谐稳定"


def test_shangjiuwu_tab_and_lead_in(seed_corpus):
    parsed = seed(seed_corpus, SHANGJIUWU)
    plan = paragraph_with(parsed, "2024年我们将继续坚持")
    assert plan.section_path == ("四、2024年度推进法治政府建设的初步安排",)  # line ends with a tab
    # A lead-in fragment joins the first item; a full-sentence lead-in stands alone.
    fragment = paragraph_with(parsed, "法治政府建设工作主要成效，一是各级干部")
    assert fragment.text.startswith("法治政府建设工作主要成效，一是")
    sentence = paragraph_with(parsed, "坚持整体推进、分类指导的原则")
    assert sentence.text.endswith("责任观。")
    assert parsed.paragraphs[sentence.index + 1].text.startswith("一是以“法律进机关”活动为载体")


def test_shangjiuwu_numbered_sentence_too_long_for_a_heading(seed_corpus):
    parsed = seed(seed_corpus, SHANGJIUWU)
    whole = paragraph_with(parsed, "围绕全面履职职能")
    assert whole.text.startswith("（一）围绕全面履职职能，提高法治能力建设")
    assert whole.text.endswith("民主化和法治化水平。")
    assert whole.section_path == ("四、2024年度推进法治政府建设的初步安排", "（一）围绕全面履职职能")
    after = paragraph_with(parsed, "加强以青少年、企业等重点的法治教育宣传工作")
    assert after.section_path[-1] == "（二）加强普法和法治培训工作，提高法治意识和水平"


def test_ninghe_indented_headings_and_paragraphs(seed_corpus):
    parsed = seed(seed_corpus, NINGHE)
    awareness = paragraph_with(parsed, "部分干部和群众对法治政府建设的重要性认识不足")
    assert awareness.text == "部分干部和群众对法治政府建设的重要性认识不足，法治观念淡薄。"
    assert awareness.section_path == (
        "二、上一年度推进法治政府建设存在的不足和原因",
        "（一）法治意识有待提高",
    )
    duty = paragraph_with(parsed, "一是充分发挥镇党委")
    assert duty.section_path == (
        "三、上一年度党政主要责任人履行推进法治建设第一责任人职责，加强法治政府建设有关情况",
    )
    plan = paragraph_with(parsed, "切实做好行政决策风险评估工作")
    assert plan.section_path == ("四、下一年度推进法治政府建设的主要安排", "（一）着力提升依法行政水平")
    enforcement = paragraph_with(parsed, "行政处罚案件42起")
    assert enforcement.text.startswith("2024年以来")  # leading space of the line is outside the slice
    assert enforcement.text.endswith("归档保存。")  # trailing space too


def test_jijia_numbered_subsections(seed_corpus):
    parsed = seed(seed_corpus, JIJIA)
    cases = paragraph_with(parsed, "共办理各类行政执法案件728件")
    assert cases.section_path == (
        "一、推进法治政府建设的主要举措及成效",
        "（四）推进综合执法改革，不断提升执法能力水平",
        "2.优化行政执法流程，规范行政执法行为",
    )
    assert cases.text.startswith("梳理制定综合执法事项清单")
    business = paragraph_with(parsed, "高度重视招商引资工作")
    assert business.section_path[-1] == "1.强化招商引资服务"
    # A new （…） heading resets the 1./2./3. level below it.
    study = paragraph_with(parsed, "纳入主要学习内容")
    assert study.section_path == ("一、推进法治政府建设的主要举措及成效", "（一）深入学习贯彻习近平法治思想")
    lead = paragraph_with(parsed, "镇党委、政府主要领导担任法治政府建设第一责任人")
    assert lead.section_path == (
        "二、党政主要负责人履行推进法治建设第一责任人职责情况",
        "（一）强化组织领导，推动责任落实",
    )
    problem = paragraph_with(parsed, "乡镇合法性审查处于起步阶段")
    assert problem.section_path == (
        "三、存在的问题及2025年工作安排",
        "（一）存在的问题",
        "3.合法性审查改革推进存在难度",
    )


def test_jijia_dates_inside_text_and_signature(seed_corpus):
    parsed = seed(seed_corpus, JIJIA)
    consumer_day = paragraph_with(parsed, "3.15国际消费者权益日")
    assert consumer_day.section_path[-1] == "2.营造全民学法用法的浓厚法治氛围"
    assert parsed.paragraphs[-1].text.startswith("二是对群众的普法教育不放松")
    assert parsed.paragraphs[-1].text.endswith("依法维权能力。")
    assert all("重庆市大足区季家镇人民政府" not in p.text for p in parsed.paragraphs)


@pytest.mark.parametrize("name", [XINGLONG, HESHI, SHANGJIUWU, NINGHE, JIJIA])
@pytest.mark.parametrize("width", [30, 38, 45])
def test_hard_wrapped_text_parses_like_the_original(seed_corpus, name, width):
    """A PDF's text layer breaks every line at the page width; paragraphs and sections must survive."""
    original = seed(seed_corpus, name)
    lines = original.text.split("\n")
    wrapped_text = "\n".join(
        line[i : i + width] for line in lines for i in range(0, max(len(line), 1), width)
    )
    wrapped = parse(wrapped_text, name)
    assert wrapped.report.title == original.report.title
    assert wrapped.report.township == original.report.township
    assert [(p.section_path, p.clean) for p in wrapped.paragraphs] == [
        (p.section_path, p.clean) for p in original.paragraphs
    ]
    assert all(wrapped_text[p.start : p.end] == p.text for p in wrapped.paragraphs)


# ---------------------------------------------------------------- made-up reports


def test_crlf_offsets_are_exact_and_merge_across_blank_lines():
    text = (
        "\r\n东风镇人民政府\r\n关于 2024 年法治政府建设情况的报告\r\n\r\n区委、区政府：\r\n"
        "一、主要举措\r\n（一）普法宣传\r\n全年开展宣传 12 次，覆盖\r\n\r\n群众 3000 余人。\r\n"
        "2024年12月30日\r\n"
    )
    parsed = parse(text)
    assert parsed.report.title == "关于2024年法治政府建设情况的报告"
    assert parsed.report.township == "东风镇"
    [paragraph] = parsed.paragraphs
    assert paragraph.text == "全年开展宣传 12 次，覆盖\r\n\r\n群众 3000 余人。"
    assert text[paragraph.start : paragraph.end] == paragraph.text
    assert paragraph.clean == "全年开展宣传12次，覆盖群众3000余人。"
    assert paragraph.section_path == ("一、主要举措", "（一）普法宣传")


def test_county_and_xiang_in_issuer_line():
    parsed = parse("中共沛县张庄乡委员会\n2023年法治建设工作总结\n一、主要做法\n张庄乡全年调解纠纷30件。\n")
    assert (parsed.report.township, parsed.report.district, parsed.report.year) == ("张庄乡", "沛县", 2023)
    assert parsed.report.title == "2023年法治建设工作总结"


def test_subdistrict_and_chinese_numeral_year():
    parsed = parse("城关街道办事处\n二〇二三年度法治政府建设工作报告\n今年城关街道办理案件5件。\n")
    assert (parsed.report.township, parsed.report.year) == ("城关街道", 2023)
    assert parsed.paragraphs[0].section_path == ()


def test_no_township_anywhere_is_kept_under_its_file_name_and_marked_doubtful():
    parsed = parse(
        "2024年法治政府建设情况报告\n一、主要举措\n我们全年开展普法宣传12次。\n", "往年/某地报告.txt"
    )
    assert parsed.report.township == "某地报告"
    assert parsed.report.year == 2024
    assert "township" in parsed.report.doubtful
    assert parsed.report.source_of("township").source == "none"


def test_township_from_the_file_name_when_the_text_is_silent():
    parsed = parse(
        "2025年度法治政府建设情况报告\n一、主要举措\n全年开展普法宣传12次。\n", "大桥江乡2025年度报告.txt"
    )
    assert parsed.report.township == "大桥江乡"
    assert parsed.report.source_of("township").source == "file_name"


def test_title_only_is_refused():
    with pytest.raises(UnsupportedFile) as caught:
        parse("东风镇2024年法治政府建设情况报告\n东风镇人民政府\n")
    assert "没有找到正文段落" in caught.value.reason


def test_false_headings_stay_in_the_text():
    text = (
        "东风镇2024年法治政府建设情况报告\n"
        "一、主要举措\n"
        "2024年，东风镇完善制度如下：\n"
        "1.建立台账；\n"
        "2.定期回访。\n"
        "3.15消费者权益日开展宣传。\n"
        "二、存在问题\n"
        "一、这一行编号倒退，只是正文。\n"
        "（二）跳过（一）仍是标题\n"
        "人员不足。\n"
    )
    parsed = parse(text)
    texts = [p.text for p in parsed.paragraphs]
    assert texts == [
        "2024年，东风镇完善制度如下：",
        "1.建立台账；",
        "2.定期回访。",
        "3.15消费者权益日开展宣传。",
        "一、这一行编号倒退，只是正文。",
        "人员不足。",
    ]
    assert {p.section_path for p in parsed.paragraphs[:4]} == {("一、主要举措",)}
    assert parsed.paragraphs[4].section_path == ("二、存在问题",)
    assert parsed.paragraphs[5].section_path == ("二、存在问题", "（二）跳过（一）仍是标题")


def test_deeper_levels_reset_and_parenthesised_numbers():
    text = (
        "东风镇2024年法治政府建设情况报告\n"
        "一、举措\n（一）普法\n1.进校园\n（1）小学\n讲座3场。\n2.进社区\n宣传5次。\n"
        "（二）执法\n办理案件8件。\n"
    )
    paths = {p.text: p.section_path for p in parse(text).paragraphs}
    assert paths == {
        "讲座3场。": ("一、举措", "（一）普法", "1.进校园", "（1）小学"),
        "宣传5次。": ("一、举措", "（一）普法", "2.进社区"),
        "办理案件8件。": ("一、举措", "（二）执法"),
    }


def test_sub_sections_numbered_through_and_a_spaced_signature():
    text = (
        "东风镇2024年法治政府建设情况报告\n"
        "一、举措\n（一）普法\n宣传5次。\n（二）执法\n办案8件。\n"
        "二、问题\n（三）人员不足\n缺少法律人才。\n（三）经费不足\n经费紧张。\n"
        "东 风 镇 人 民 政 府\n二〇二四年十二月三十日\n"
    )
    paths = {p.text: p.section_path for p in parse(text).paragraphs}
    assert paths == {
        "宣传5次。": ("一、举措", "（一）普法"),
        "办案8件。": ("一、举措", "（二）执法"),
        "缺少法律人才。": ("二、问题", "（三）人员不足"),
        "经费紧张。": ("二、问题", "（三）经费不足"),
    }


def test_long_heading_without_a_full_stop_is_still_a_heading():
    heading = "（一）全面发挥法治服务保障作用，持续优化法治营商环境，不断提升群众的法治获得感、幸福感和安全感"
    parsed = parse(f"东风镇2024年法治政府建设情况报告\n一、举措\n{heading}\n宣传5次。\n")
    [paragraph] = parsed.paragraphs
    assert paragraph.section_path == ("一、举措", heading)


def test_inline_ordinals_need_punctuation_before_them():
    text = "东风镇2024年法治政府建设情况报告\n我们坚持统一是原则，二是不成对的。\n一是甲。二是乙；三是丙。\n"
    texts = [p.text for p in parse(text).paragraphs]
    assert texts == ["我们坚持统一是原则，二是不成对的。", "一是甲。", "二是乙；", "三是丙。"]


def test_artifacts_are_removed_from_clean_and_title_only():
    text = "[bookmark: _GoBack]东风镇2024年法治政府建设情况报告\n全年[]{#_Toc1 .anchor}办理案件\u200b8件。\n"
    parsed = parse(text)
    assert parsed.report.title == "东风镇2024年法治政府建设情况报告"
    [paragraph] = parsed.paragraphs
    assert paragraph.text == "全年[]{#_Toc1 .anchor}办理案件\u200b8件。"
    assert paragraph.clean == "全年办理案件8件。"


def test_year_without_title_comes_from_the_opening_not_the_plan():
    text = (
        "2023年东风镇认真推进法治建设。\n一、2023年主要举措\n开展普法。\n"
        "二、2024年工作计划\n2024年继续推进。2024年再接再厉。\n"
    )
    assert parse(text).report.year == 2023


# ---------------------------------------------------------------- helpers the lead reuses


def test_find_township_sources():
    assert find_township("重庆市大足区季家镇人民政府\n2024年法治政府建设情况报告") == ("季家镇", "大足区")
    assert find_township("关于兴隆镇2024年法治政府建设情况的报告") == ("兴隆镇", None)
    assert find_township("各乡镇要加强新型城镇化建设，全镇、我镇、本镇都不是镇名。") is None
    assert find_township("今年季家镇办理了多少案件") == ("季家镇", None)
    assert find_township("在大足区季家镇的执法") == ("季家镇", "大足区")


def test_most_frequent_township_prefers_whole_names():
    assert most_frequent_township("2024年河市镇工作。河市镇党委研究。各乡镇、全镇推进。") == "河市镇"
    assert most_frequent_township("商酒务镇人民政府。商酒务镇党委。我镇推进。") == "商酒务镇"


def test_admin_name_at_start():
    assert admin_name_at_start("中共兴隆镇党委 兴隆镇人民政府") == ("兴隆镇", None)
    assert admin_name_at_start("宝丰县商酒务镇人民政府") == ("商酒务镇", "宝丰县")
    assert admin_name_at_start("2024年法治政府建设情况报告") is None


def test_clean_text_and_years():
    assert clean_text(" 关于 2024 年法治\n政府建设 ") == "关于2024年法治政府建设"
    assert clean_text("利用 LED 显示屏和 Open AI 工具") == "利用LED显示屏和Open AI工具"
    assert clean_text("准确率达10\n0%，利用L\r\nED屏") == "准确率达100%，利用LED屏"
    assert strip_artifacts("[bookmark: _GoBack]关于[重点]{.mark}报告") == "关于重点报告"
    assert find_year("关于 2024 年法治政府建设情况的报告") == 2024
    assert find_year("二〇二三年度报告") == 2023
    assert find_year("没有年份") is None


def test_run_in_heading_ends_at_its_colon():
    parsed = parse(
        "东风镇2024年法治政府建设情况报告\n一、主要举措\n"
        "1.城市综合执法工作：镇综合执法大队全年开展控烟检查362起，检查餐饮企业2619家。\n"
    )
    paragraph = paragraph_with(parsed, "控烟检查362起")
    assert paragraph.section_path == ("一、主要举措", "1.城市综合执法工作")
    assert paragraph.text.startswith("镇综合执法大队")


def test_numbered_list_sentence_names_no_section():
    parsed = parse(
        "东风镇2024年法治政府建设情况报告\n一、主要举措\n（一）始终坚持党的领导\n"
        "1.始终把党的领导作为工作的指向标，以习近平新时代中国特色社会主义思想为指导，深入贯彻执行党的路线。\n"
        "2.落实党政主要负责人法治建设第一责任人职责，由党政班子领导牵头，年初就重点工作作出具体部署，"
        "并明确专人负责；工作机制不断完善。\n"
    )
    paragraph = paragraph_with(parsed, "年初就重点工作")
    assert paragraph.section_path == ("一、主要举措", "（一）始终坚持党的领导")
    assert paragraph.text.startswith("2.落实")


def test_empty_quote_pair_moved_by_a_pdf_does_not_hide_a_heading():
    parsed = parse(
        "东风镇2024年法治政府建设情况报告\n一、主要举措\n（一）履行第一责任人职责\n镇里成立领导小组。\n"
        "“ ”（二）强化依法执政，狠抓 关键少数\n全面落实镇党委中心组学法制度。\n"
    )
    assert paragraph_with(parsed, "中心组学法制度").section_path == (
        "一、主要举措",
        "（二）强化依法执政，狠抓关键少数",
    )


def test_top_heading_printed_without_its_number():
    parsed = parse(
        "东风镇2024年法治政府建设情况报告\n2024年，东风镇全力推进法治政府建设。现将有关情况报告如下\n"
        "2024年推进法治政府建设的主要举措和成效\n（一）加强党对法治工作的领导\n年内召开专题会议4次。\n"
    )
    assert paragraph_with(parsed, "专题会议4次").section_path == (
        "2024年推进法治政府建设的主要举措和成效",
        "（一）加强党对法治工作的领导",
    )


def test_site_banner_above_the_furniture_is_not_part_of_the_title():
    parsed = parse(
        "蒙城县许疃镇\n当前位置： 网站首页 > 政府信息公开 > 蒙城县许疃镇\n"
        "发布机构： 蒙城县许疃镇 主题分类： 其他\n"
        "中共蒙城县许疃镇委员会 许疃镇人民政府关于2023年度法治政府建设情况的报告\n"
        "中共蒙城县委、蒙城县人民政府：\n2023年，许疃镇扎实推进法治政府建设。\n"
    )
    assert parsed.report.title == "中共蒙城县许疃镇委员会许疃镇人民政府关于2023年度法治政府建设情况的报告"
    assert (parsed.report.township, parsed.report.district, parsed.report.year) == ("许疃镇", "蒙城县", 2023)


def test_a_township_whose_name_begins_like_a_preposition_is_read_from_its_title():
    # probe_reports batch 3 (宁夏西吉县将台堡镇): 将 begins the name here, not a verb
    # ("现将街道…", "将兴隆镇打造成…").
    text = (
        "西吉县将台堡镇2024年法治政府建设工作报告\n"
        "2024年，将台堡镇以习近平新时代中国特色社会主义思想为指导，认真落实县委、县政府法治建设工作部署。\n"
        "西吉县将台堡镇人民政府\n"
    )
    report = parse_report(text, report_id="将台堡镇.txt", source="将台堡镇.txt", sha256="0").report
    assert (report.township, report.district) == ("将台堡镇", "西吉县")
    assert admin_name_at_start("现将街道2024年工作报告如下") is None
    assert most_frequent_township("镇里将兴隆镇打造成示范镇，兴隆镇党委牵头") == "兴隆镇"


def test_a_township_named_like_a_village_or_market_is_read_from_its_title():
    # probe_reports batch 7 (山西汾阳市杏花村镇): 村镇/集镇/城镇 are ordinary words in running text, but a
    # title opening with 杏花村镇, 王集镇 or 古城镇 names the place; the body's quoted slogan “酒都名镇”
    # is no township.
    text = (
        "汾阳市杏花村镇关于2023年度法治政府建设工作情况的报告\n"
        "2023年，杏花村镇深入贯彻习近平法治思想，围绕“酒都名镇”建设，全面推进依法行政。\n"
        "汾阳市杏花村镇人民政府\n"
    )
    report = parse_report(text, report_id="杏花村镇.txt", source="杏花村镇.txt", sha256="0").report
    assert (report.township, report.district) == ("杏花村镇", "汾阳市")
    assert admin_name_at_start("王集镇2024年法治政府建设工作报告") == ("王集镇", None)
    assert admin_name_at_start("古城镇人民政府") == ("古城镇", None)
    assert admin_name_at_start("新型城镇化建设工作报告") is None
    assert most_frequent_township("推进新型城镇化，中心集镇建设提速，河市镇党委牵头") == "河市镇"
