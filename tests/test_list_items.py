"""Short numbered list items are text, not headings (bot/ingest/layout.py `_is_list_item`).

Real reports often write their 存在的问题 and 下一步 parts as short numbered sentences, one a line. Read as
headings (each is heading-sized) their words were in no paragraph: unsearchable, unquotable. The wording
below is from the probe reports (benchmarks/data/probe_reports) and, for headings that must stay headings,
from the dev set and the seeds.
"""

from __future__ import annotations

from bot.ingest.parse import parse_report
from bot.report import ParsedReport

OPENING = (
    "2023年，喜洲镇党委、政府在大理市委、市政府的正确领导下，全面推进法治政府建设。现将有关工作报告如下："
)
CLOSING = "\n\n大理市喜洲镇人民政府\n2024年1月22日\n"


def parse(body: str) -> ParsedReport:
    text = "2023年度法治政府建设情况报告\n\n" + OPENING + "\n" + body + CLOSING
    parsed = parse_report(text, report_id="t.txt", source="/corpus/t.txt", sha256="0" * 64)
    for paragraph in parsed.paragraphs:
        assert paragraph.text == parsed.text[paragraph.start : paragraph.end]  # quotes stay verbatim
    return parsed


def sections(parsed: ParsedReport) -> list[tuple[tuple[str, ...], str]]:
    return [(p.section_path, p.text) for p in parsed.paragraphs if p.section_path]


ACHIEVEMENTS = (
    "一、2023年推进法治政府建设的主要举措和成效\n"
    "（一）抓学习，提升领导干部法治素养。一是落实学法制度，镇党委理论学习中心组全年学法8次；"
    "二是开展法治培训，组织全镇干部参加法治专题培训2期。\n"
)
XIZHOU_PLANS = [
    "（一）持续加强理论学习，把习近平法治思想学习纳入中心组年度学习计划；",
    "（二）加强执法规范化建设，开展执法案卷评查，提升办案质量；",
    "（三）深化“法治喜洲”建设，完善矛盾纠纷多元化解机制，为建设世界一流旅游目的地提供法治保障。",
]


def test_a_plan_of_short_numbered_lines_is_three_paragraphs_of_its_part():
    parsed = parse(ACHIEVEMENTS + "三、2024年工作计划\n" + "\n".join(XIZHOU_PLANS))
    assert sections(parsed)[-3:] == [(("三、2024年工作计划",), item) for item in XIZHOU_PLANS]


def test_problems_then_plans_each_item_in_its_own_part():
    # 威远镇: the last plan is too long for a heading; it continues the list, so it is no section of its own.
    problems = [
        "（一）少数干部法治意识不强，依法决策、依法办事的能力还有待提高；",
        "（二）执法人员大多身兼数职，执法专业化水平不高；",
        "（三）农牧区群众法律意识相对薄弱，普法工作覆盖还不够均衡。",
    ]
    plans = [
        "（一）持续深化学法用法，把法治教育贯穿干部教育培训全过程；",
        "（二）加强执法人员专业培训，推进执法规范化建设；",
        "（三）深入实施“八五”普法规划，推进“法律明白人”培养工程，力争实现每个村民小组都有“法律明白人”。",
    ]
    body = "二、存在的问题和不足\n" + "\n".join(problems) + "\n三、下一步工作打算\n" + "\n".join(plans)
    parsed = parse(ACHIEVEMENTS + body)
    assert sections(parsed)[-6:] == [(("二、存在的问题和不足",), item) for item in problems] + [
        (("三、下一步工作打算",), item) for item in plans
    ]


def test_items_without_punctuation_are_separate_paragraphs():
    # Nothing ends these lines, yet each is one item: they must not run together into one paragraph.
    items = ["（一）海上执法点多线长，执法装备不足", "（二）法治人才缺乏，基层法治工作力量薄弱"]
    parsed = parse(ACHIEVEMENTS + "二、存在的不足\n" + "\n".join(items))
    assert sections(parsed)[-2:] == [(("二、存在的不足",), item) for item in items]


def test_numbered_items_at_the_third_level():
    items = ["1.健全学法制度，落实领导干部应知应会法律法规清单；", "2.加强执法监督，开展执法案卷评查。"]
    parsed = parse(ACHIEVEMENTS + "三、下一步工作打算\n（一）抓好学法用法\n" + "\n".join(items))
    assert sections(parsed)[-2:] == [(("三、下一步工作打算", "（一）抓好学法用法"), item) for item in items]


def test_items_run_in_on_one_line_are_one_paragraph_of_their_part():
    # 黄羊川镇: "（一）…。" is no heading of "（二）…（三）…": the whole line is the list.
    line = (
        "（一）部分干部运用法治思维解决问题的能力还不强。（二）执法人员数量不足，执法装备落后。"
        "（三）移民新村群众法律意识有待提高。"
    )
    parsed = parse(ACHIEVEMENTS + "二、存在的问题。\n" + line)
    assert sections(parsed)[-1] == (("二、存在的问题",), line)


def test_a_long_line_of_items_names_no_section():
    # 黄羊川镇's plans: too long before its first 。 to be a heading, and a list all the same.
    line = (
        "（一）持续深化学法用法，推动领导干部学法制度化；（二）加强执法队伍建设，提升执法规范化水平；"
        "（三）深化移民新村法治建设，推动法律服务向移民村延伸。"
    )
    parsed = parse(ACHIEVEMENTS + "三、2023年工作打算。\n" + line)
    assert sections(parsed)[-1] == (("三、2023年工作打算",), line)


def test_headings_with_body_under_them_stay_headings():
    body = (
        "一、主要举措及成效\n"
        "（一）强化法治思维，领导干部带头尊法学法守法用法\n"
        "1.健全学法制度。将习近平法治思想纳入镇党委理论学习中心组学习重点，全年中心组集中学法11次。\n"
        "（二）推进依法决策，提升决策公信力\n"
        "重大行政决策全部履行法定程序，镇政府常年法律顾问全年审查合同36份。\n"
        "（三）履行推进法治建设第一责任人职责。\n"
        "镇党委书记、镇长在年终述职中专题述法。\n"
        "二、存在的问题和不足\n"
        "（一）法治意识有待提高；\n"
        "部分干部依法办事的能力还有待提高。"
    )
    parsed = parse(body)
    assert [path for path, _ in sections(parsed)] == [
        ("一、主要举措及成效", "（一）强化法治思维，领导干部带头尊法学法守法用法", "1.健全学法制度"),
        ("一、主要举措及成效", "（二）推进依法决策，提升决策公信力"),
        ("一、主要举措及成效", "（三）履行推进法治建设第一责任人职责"),
        ("二、存在的问题和不足", "（一）法治意识有待提高"),
    ]


def test_a_heading_ending_in_a_semicolon_with_sections_under_it_stays_a_heading():
    # 兴隆镇 (a seed) ends its first part's heading with "；"; what decides is that sections follow it.
    body = (
        "一、上一年度法治政府建设的主要举措和成效；\n"
        "（一）聚焦理论学习，举好法治工作“指挥棒”\n"
        "镇领导班子学法4次。"
    )
    parsed = parse(body)
    assert sections(parsed) == [
        (
            ("一、上一年度法治政府建设的主要举措和成效", "（一）聚焦理论学习，举好法治工作“指挥棒”"),
            "镇领导班子学法4次。",
        )
    ]


def test_a_half_width_full_stop_ends_a_run_in_heading():
    # 永庆乡 writes its whole report with half-width punctuation: "(一)加强组织领导.乡党委…".
    body = (
        "一、主要工作情况\n"
        "(一)加强组织领导.乡党委、政府成立了法治政府建设领导小组,全年召开专题会议研究法治工作3次.\n"
        "(二)规范执法行为.全乡持有执法证件的人员5名.全年共办理行政执法案件12件,罚款1.5万元.\n"
        "(三)全年罚款4.3万元,开展柔性执法30余次"
    )
    parsed = parse(body)
    assert sections(parsed) == [
        (
            ("一、主要工作情况", "(一)加强组织领导"),
            "乡党委、政府成立了法治政府建设领导小组,全年召开专题会议研究法治工作3次.",
        ),
        (
            ("一、主要工作情况", "(二)规范执法行为"),
            "全乡持有执法证件的人员5名.全年共办理行政执法案件12件,罚款1.5万元.",
        ),
        (("一、主要工作情况",), "(三)全年罚款4.3万元,开展柔性执法30余次"),
    ]
