"""The county read from how a report's body names the governments above the township."""

import pytest

from bot.ingest.county import county_from_authorities
from bot.ingest.parse import parse_report


@pytest.mark.parametrize(
    ("text", "town", "county"),
    [
        ("2025年以来，在雷州市委、市政府领导下，在镇党委的领导下。", "东里镇", "雷州市"),
        # a chain runs from higher to lower: the last of it is the township's county
        ("认真贯彻党中央、省委、湛江市委、廉江市委作出的法治建设重大决策。", "吉水镇", "廉江市"),
        ("湛江市委、市政府和雷州市委、市政府有关法治建设的部署。", "东里镇", "雷州市"),
        ("对照省、清远市和英德市的有关会议精神，对全镇学法作出安排。", "下太镇", "英德市"),
        ("结合镇经济社会发展实际，按照伊金霍洛旗法治政府建设的相关要求，", "伊金霍洛镇", "伊金霍洛旗"),
        ("紧扣《朝阳区法治政府建设 实施方案》", "垡头街道", "朝阳区"),
        # a 区 outranks the 市 above it, wherever each is named
        ("按照《南开区关于贯彻落实<天津市法治政府建设实施纲要>的方案》", "万兴街", "南开区"),
        ("在济南高新区党工委、管委会领导下，紧扣目标。", "巨野河街道", "济南高新区"),
        ("街道按照《奉节县法治政府建设实施方案》的要求。", "鱼复街道", "奉节县"),
    ],
)
def test_the_government_the_body_follows_is_the_county(text, town, county):
    assert county_from_authorities(text, town) == county


@pytest.mark.parametrize(
    "text",
    [
        "在区委区政府的领导下，全面依法治区工作稳步推进。",  # no name: only 区委
        "紧扣市委部署，严格落实县委要求，推进本地区法治建设。",
        "加强社区法治建设，在辖区开展普法，老城区改造依法推进。",
        "学习天津市法治政府建设实施纲要。",  # a municipality is a province, never the county
        "在河市镇党委领导下，按照河市镇工作安排。",  # the township's own name
    ],
)
def test_no_county_is_made_up(text):
    assert county_from_authorities(text, "河市镇") is None


def test_a_report_titled_by_township_only_gets_its_county_from_the_body():
    text = "东里镇2025年法治政府建设情况报告\n2025年以来，在雷州市委、市政府领导下，东里镇推进法治建设。\n"
    report = parse_report(text, report_id="东里镇.txt", source="东里镇.txt", sha256="0").report
    assert (report.township, report.district) == ("东里镇", "雷州市")
    # a title naming the county still wins over the body
    titled = "遂溪县河头镇2025年法治政府建设年度报告\n在湛江市委、市政府领导下，河头镇推进法治建设。\n"
    report = parse_report(titled, report_id="河头镇.txt", source="河头镇.txt", sha256="0").report
    assert report.district == "遂溪县"


def test_a_minority_township_is_also_named_by_its_place_alone():
    # probe batch 7: "八岔乡抓了多少起乱捕鱼的案子？" asks of 八岔赫哲族乡; officials drop the people's name.
    from bot.lang.places import township_aliases

    assert township_aliases("八岔赫哲族乡")[:4] == ("八岔赫哲族乡", "八岔赫哲族", "八岔乡", "八岔")
    assert "后坪乡" in township_aliases("后坪苗族土家族乡")
    assert "南伊乡" in township_aliases("南伊珞巴民族乡")
    assert township_aliases("关庙乡") == ("关庙乡", "关庙")
    assert township_aliases("东乡族乡") == ("东乡族乡", "东乡族")  # nothing would be left of the place
