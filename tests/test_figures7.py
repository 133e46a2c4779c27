"""Figure-reading causes of issue 9 (branch figures7), each checked on a real report's wording from
tests/data/realworld/src: a count of people written with no measure word, a coordinated noun before
one number, a combined count ranked with single ones, and a follow-up's 报备 figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.answer import answer
from bot.figures.extract import extract_figures
from bot.figures.numbers import find_quantities
from bot.ingest.parse import parse_report
from tests.checks import assert_sound
from tests.fakes.retriever import fake_context

SRC = Path(__file__).resolve().parent / "data" / "realworld" / "src"


def _report(name: str, text: str):
    return parse_report(text, report_id=name, source=name, sha256="0")


HETOU_TITLE = "遂溪县河头镇人民政府2025年法治政府建设年度报告\n一、主要举措\n"


def _sentence(source: str, words: str) -> str:
    """The line of a dev report that holds `words` (the report's own wording, not retyped)."""
    return next(line.strip() for line in (SRC / source).read_text("utf-8").splitlines() if words in line)


# --- 1. a count of people with no measure word ("我镇47公职人员全部通过", 河头镇 d32) -------------


def test_a_number_straight_before_a_people_noun_counts_people():
    line = _sentence("d32.txt", "我镇47公职人员全部通过")
    bare = [q for q in find_quantities(line) if q.value == 47]
    assert [(q.unit, q.display, line[q.start : q.end]) for q in bare] == [("人", "47公职人员", "47")]
    hetou = _report("河头镇.txt", HETOU_TITLE + line + "\n")
    (figure,) = [f for f in extract_figures(hetou) if f.value == 47]
    assert (figure.unit, figure.raw_metric, figure.clause) == ("人", "公职人员", "我镇47公职人员全部通过")


@pytest.mark.parametrize(
    "text",
    [
        "2024干部学法",  # a year
        "拨打12345热线群众反映问题",  # a hotline
        "12348法律服务热线为群众解答",
        "第3村民小组",  # an ordinal, a numbered group
        "3村民小组开展调解",
        "推行“3+N”干部包村模式",  # a model's name
        "G20干部",
        "1.5干部",
        "召开2村民代表会议",
    ],
)
def test_numbers_that_name_no_count_of_people_stay_no_figure(text):
    assert [q for q in find_quantities(text) if q.unit == "人"] == []


def test_a_count_with_its_measure_word_is_read_once():
    assert [(q.value, q.stated) for q in find_quantities("组织47名公职人员、32村民代表参加")] == [
        (47, "47名"),
        (32, "32"),
    ]
    # "47人员" was already 47人: read once, with its unit.
    assert [(q.value, q.stated) for q in find_quantities("全镇47人员参加")] == [(47, "47人")]


def test_people_who_passed_an_exam_named_in_the_clause_before_are_ranked():
    line = _sentence("d32.txt", "我镇47公职人员全部通过")
    reports = [_report("河头镇.txt", HETOU_TITLE + line + "\n")]
    result = answer(fake_context("参加学法考试人数最多的是哪个乡镇", reports))
    assert_sound(result, reports)
    assert result.kind == "figures" and "河头镇" in result.lead and "47公职人员" in result.lead


# --- 2. a coordinated noun before one number ("普法活动和普法课堂7场次", 汤头街道 d29) -------------


def _tangtou():
    line = _sentence("d29.txt", "普法活动和普法课堂7场次")
    return _report("汤头街道.txt", "汤头街道2024年度法治政府建设情况报告\n一、主要举措和成效\n" + line + "\n")


def test_a_number_after_coordinated_nouns_counts_them_together():
    (figure,) = [f for f in extract_figures(_tangtou()) if f.value == 7]
    assert figure.combined == ("普法活动", "普法课堂")
    assert (figure.raw_metric, figure.known_metric) == ("普法活动和普法课堂", False)


@pytest.mark.parametrize(
    ("source", "words", "value"),
    [
        ("d40.txt", "便民服务中心和21个便民服务站", 21),  # two numbers, one noun each
        ("d18.txt", "参考率和通过率", 100),  # 中梁山街道: both rates are 100%
    ],
)
def test_coordinations_that_are_no_combined_count(source, words, value):
    parsed = _report("某街道.txt", "某街道2025年报告\n一、举措\n" + _sentence(source, words) + "\n")
    found = [f.combined for f in extract_figures(parsed) if f.value == value]
    assert found and all(kinds == () for kinds in found)


def test_modifiers_or_verbs_sharing_one_noun_are_no_combined_count():
    seed = (Path(__file__).resolve().parent.parent / "seeds" / "003_f2f2c0b7cdbe11e1.txt").read_text("utf-8")
    line = next(x for x in seed.splitlines() if "反恐怖、《中华人民共和国民法典》读本" in x)
    texts = [line, "排查和化解矛盾纠纷共137件。", "学习党的二十届二中、三中、四中全会精神共12次。"]
    for text in texts:
        parsed = _report("某镇.txt", "某镇2024年报告\n一、举措\n" + text.strip() + "\n")
        assert all(f.combined == () for f in extract_figures(parsed)), text


@pytest.mark.parametrize("question", ["汤头街道组织了多少场普法活动？", "汤头街道举办了几场普法课堂？"])
def test_a_question_about_either_noun_finds_the_combined_count(question):
    reports = [_tangtou()]
    result = answer(fake_context(question, reports))
    assert_sound(result, reports)
    assert result.kind == "figures" and result.status == "answered"
    assert "7场次" in result.lead and "没有直接给出" not in result.lead
    assert "“普法活动和普法课堂”7场次是几类合计的数字" in result.answer


# --- 3. a combined count ranked with single ones ("…和社区书记例会共12次", 银杏大街街道 d54) ----------


def _meetings():
    yinxing = _sentence("d54.txt", "社区书记例会共12次")
    miaoya = _sentence("d48.txt", "召开专题会议研究部署4")
    return [
        _report("银杏大街街道.txt", "银杏大街街道2025年法治政府建设报告\n一、举措\n" + yinxing + "\n"),
        _report("庙垭乡.txt", "庙垭乡2025年度法治政府建设情况的报告\n一、举措\n" + miaoya + "\n"),
    ]


def test_a_combined_count_is_listed_apart_from_a_ranking_of_one_kind():
    reports = _meetings()
    (combined,) = [f for f in extract_figures(reports[0]) if f.value == 12]
    assert combined.combined == ("党工委会议", "法治工作专题会", "社区书记例会")
    result = answer(fake_context("2025年哪个乡镇召开专题会议最多", reports))
    assert_sound(result, reports)
    assert result.lead.startswith("庙垭乡") and "4次" in result.lead
    ranking, apart = result.answer.split("几类合计的数字（未与单类的数字一起排序）：")
    assert "银杏大街街道" not in ranking.split("排名：")[1] and "银杏大街街道（2025年）12次" in apart


def test_a_question_naming_the_combination_ranks_it():
    reports = _meetings()
    result = answer(fake_context("哪个街道召开党工委会议和社区书记例会最多", reports))
    assert_sound(result, reports)
    assert result.lead.startswith("银杏大街街道") and "12次" in result.lead


# --- 4. a question naming only the act and the unit ("报备了多少件", 凤鸣镇 d50) ------------------------


def test_a_question_naming_the_act_finds_the_figure_of_the_thing_acted_on():
    line = _sentence("d50.txt", "报备疑似规范性文件35件")
    reports = [
        _report(
            "凤鸣镇.txt", "关于2025年法治政府建设情况的报告\n凤鸣镇人民政府\n一、主要举措\n" + line + "\n"
        )
    ]
    result = answer(fake_context("凤鸣镇报备了多少件？", reports))
    assert_sound(result, reports)
    assert result.kind == "figures" and "35件" in result.lead and "1800" not in result.lead
    # The act that is the thing counted stays phrases' case: "审查了多少件文件" is the 1800余件.
    review = answer(fake_context("凤鸣镇审查了多少件文件？", reports))
    assert "1800余件" in review.lead


def test_a_total_adds_no_combined_count_to_single_kinds():
    reports = _meetings()
    result = answer(fake_context("各镇一共召开了多少次专题会议", reports))
    assert_sound(result, reports)
    assert "合计召开" in result.lead and "4次" in result.lead and "16" not in result.lead
    assert "几类合计的数字（未计入合计）：\n- 银杏大街街道（2025年）12次" in result.answer
