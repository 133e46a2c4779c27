"""Branch extract8: figure extraction, follow-ups and lists, each on the failing wording of probe
batches 5/6 or seed_questions7 and on wordings of our own the fix must also carry."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers.answer import answer
from bot.answers.presence import presence_terms
from bot.figures.extract import extract_figures
from bot.figures.zeros import stated_nones
from bot.ingest.parse import parse_report
from bot.ingest.scan import load_corpus
from bot.lang.followup import resolve_followup
from bot.lang.scope import check_question
from tests.checks import assert_sound
from tests.fakes.retriever import fake_context

BATCHES = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "probe_reports"


def _report(name: str, title: str, *lines: str):
    text = title + "\n一、主要工作成效\n" + "\n".join(lines) + "\n"
    return parse_report(text, report_id=name, source=name, sha256="0")


def _line(path: Path, words: str) -> str:
    """The line of a probe report that holds `words` (the report's own wording, not retyped)."""
    return next(line.strip() for line in path.read_text("utf-8").splitlines() if words in line)


# --- 1. a none stated in words is a figure of 0 (B5-F06) -------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "nouns"),
    [
        ("全年未发生行政复议、行政诉讼案件", ["行政复议案件", "行政诉讼案件"]),  # 茅坪鎮, simplified
        ("全年未发生行政复议和行政诉讼案件", ["行政复议案件", "行政诉讼案件"]),  # 后坪
        ("全年发生行政诉讼案件1件，未发生行政复议案件。", ["行政复议案件"]),  # 下营镇
        ("无一起行政复议和行政诉讼案件。", ["行政复议案件", "行政诉讼案件"]),
        ("办理行政复议应诉案件1件，行政诉讼案件未发生。", ["行政诉讼案件"]),
        ("全年无行政复议案件。", ["行政复议案件"]),
        ("实现行政诉讼案件零发生", ["行政诉讼案件"]),
        ("未发生执法人员违法违纪事件", ["执法人员违法违纪事件"]),
        ("全年未发生以镇政府为被告的行政诉讼案件。", ["行政诉讼案件"]),
    ],
)
def test_a_none_in_words_names_each_kind(sentence, nouns):
    assert [n.noun for n in stated_nones(sentence)] == nouns


@pytest.mark.parametrize(
    "sentence",
    [
        "宁河镇全年无一起行政诉讼败诉案件的发生",  # no lost suit is not no suit
        "未发生因执法不当引发的行政复议和行政诉讼",  # only those caused so
        "全镇未发生因矛盾纠纷激化引发的刑事案件",
        "全年镇政府未发生行政复议被纠错和行政诉讼败诉案件。",
        "均已依法办结，未发生败诉",
        "查处无证经营案件12件",  # 无 inside a noun
        "全年未发生安全生产事故和森林火灾",  # no head: not a count
    ],
)
def test_a_qualified_none_is_no_zero_of_the_kind(sentence):
    assert stated_nones(sentence) == []


def _maoping():
    path = next((BATCHES / "batch5" / "corpus").glob("*茅坪鎮*.txt"))
    title = "秭歸縣茅坪鎮2022年法治政府建設工作報告"
    return _report(path.name, title, _line(path, "未發生行政複議"))


def test_a_traditional_report_saying_none_happened_answers_zero_with_its_quote():
    reports = [_maoping()]
    (figure,) = [f for f in extract_figures(reports[0]) if f.metric == "行政复议案件"]
    assert (figure.value, figure.unit, figure.known_metric) == (0, "件", True)
    assert "未發生行政複議" in figure.quote  # the quote stays as written
    result = answer(fake_context("茅坪镇发生了几件行政复议案件？", reports))
    assert_sound(result, reports)
    assert result.status == "answered" and "0件" in result.lead
    assert "未發生行政複議" in result.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [("青石镇有多少件行政诉讼案件？", "0件"), ("哪个镇的行政复议案件最多？", "河口乡")],
)
def test_a_zero_answers_and_ranks_like_any_figure(question, expected):
    qingshi = "全年办理行政处罚案件47件，无一起行政复议和行政诉讼案件。"
    hekou = "全年发生行政复议案件2件，行政诉讼案件未发生。"
    reports = [
        _report("青石镇.txt", "青石镇2024年法治政府建设工作报告", qingshi),
        _report("河口乡.txt", "河口乡2024年法治政府建设工作报告", hekou),
    ]
    result = answer(fake_context(question, reports))
    assert_sound(result, reports)
    assert result.status == "answered" and expected in result.lead


# --- 2. a 其中 list runs on across "，" (湖滨街道 2023) --------------------------------------------


def _parts(*lines: str) -> list[tuple[float, bool]]:
    parsed = _report("某街道.txt", "某街道2023年法治政府建设工作报告", *lines)
    return [(f.value, f.part) for f in extract_figures(parsed)]


def test_the_items_of_a_list_after_its_comma_stay_parts():
    path = BATCHES / "batch6" / "src" / "d05.txt"
    line = _line(path, "查处各类案件203件")
    found = _parts(line)
    assert (203, False) in found
    assert (88, True) in found and (27, True) in found


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "排查矛盾纠纷152件，其中婚姻家庭纠纷40件，邻里纠纷30件，成功化解149件。",
            [(152, False), (40, True), (30, True), (149, False)],
        ),
        ("办理行政执法案件57件，其中适用简易程序41件，普通程序16件。", [(57, False), (41, True), (16, True)]),
        # a verb, a sum word or another unit starts a statement of its own
        ("受理矛盾纠纷96件，其中邻里纠纷42件，调解纠纷93件。", [(96, False), (42, True), (93, False)]),
        (
            "办理行政执法案件62件，其中涉及农家院经营的案件26件，罚没款共计4.3万元。",
            [(62, False), (26, True), (43000, False)],
        ),
    ],
)
def test_a_list_ends_where_a_statement_of_its_own_begins(line, expected):
    assert _parts(line) == expected


# --- 3. follow-ups: a township and a year (B6-F09); "和X比哪个多" (S7-F06) ---------------------------

TOWNS = ["季家镇", "河市镇", "湖滨街道", "周莊鎮", "兴隆镇"]


@pytest.mark.parametrize(
    ("question", "previous", "resolved"),
    [
        (
            "那湖滨街道2023年呢？",
            "周莊鎮辦理了多少件行政執法案件？",
            "湖滨街道2023年辦理了多少件行政執法案件？",
        ),
        ("那河市镇2023年呢？", "季家镇2024年化解了多少矛盾纠纷？", "河市镇2023年化解了多少矛盾纠纷？"),
        ("河市镇去年的呢", "季家镇2024年化解了多少矛盾纠纷？", "河市镇2023年化解了多少矛盾纠纷？"),
    ],
)
def test_a_followup_naming_a_township_and_a_year_swaps_both(question, previous, resolved):
    assert resolve_followup(question, previous, TOWNS) == resolved


@pytest.mark.parametrize(
    ("question", "resolved"),
    [
        ("和河市镇比哪个多？", "季家镇和河市镇排处了多少矛盾纠纷，谁更多"),
        ("跟河市镇相比呢？", "季家镇和河市镇排处了多少矛盾纠纷，谁更多"),
        ("与兴隆镇比谁少", "季家镇和兴隆镇排处了多少矛盾纠纷，谁更少"),
    ],
)
def test_compared_with_another_township_compares_the_previous_question(question, resolved):
    assert resolve_followup(question, "季家镇排处了多少矛盾纠纷？", TOWNS) == resolved


@pytest.mark.parametrize("question", ["河市镇比较突出的做法有哪些", "河市镇呢？", "那河市镇的法律顾问是谁"])
def test_a_township_question_that_compares_nothing_is_no_comparison(question):
    assert "谁更" not in resolve_followup(question, "季家镇排处了多少矛盾纠纷？", TOWNS)


# --- 4. lists: the asked thing, not every word (S7-T04, S7-T05); a two-year town (batch 5) ----------

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def seed_reports():
    return load_corpus(SEEDS).reports


def _towns(question: str, reports) -> set[str]:
    result = answer(fake_context(check_question(question), reports))
    assert_sound(result, reports)
    assert result.kind == "presence"
    return {p.report.township for p in result.passages}


@pytest.mark.parametrize(
    "question",
    ["哪些镇执行了“三重一大”制度？", "哪些镇实行“三重一大”制度？"],
)
def test_a_verb_of_doing_is_no_word_a_report_must_hold(question, seed_reports):
    # 季家镇 "制定印发了《季家镇“三重一大”集体决策制度》": it never writes 执行 there.
    assert _towns(question, seed_reports) == {"兴隆镇", "季家镇"}


def test_either_or_is_read_as_either(seed_reports):
    question = "哪些镇通过微信公众号公开信息或普法？"
    assert {"河市镇", "季家镇"} <= _towns(question, seed_reports)
    assert presence_terms(question, [], [p.text for p in seed_reports])[-1] == "信息或普法"


def test_either_or_of_our_own_wording():
    reports = [
        _report("甲镇.txt", "甲镇2024年法治政府建设工作报告", "开展法治讲座12场。"),
        _report("乙镇.txt", "乙镇2024年法治政府建设工作报告", "提供法律咨询300余人次。"),
        _report("丙镇.txt", "丙镇2024年法治政府建设工作报告", "召开党委会议8次。"),
    ]
    assert _towns("哪些镇开展了法治讲座或法律咨询？", reports) == {"甲镇", "乙镇"}
    # an 或 before the asked phrase joins no alternatives of it
    assert presence_terms("哪些镇或街道开展了法治讲座？", [], [r.text for r in reports]) == ["法治讲座"]


def test_a_town_of_two_reports_is_named_with_each_year_among_those_not_mentioning():
    reports = [
        _report("甲乡.txt", "甲乡2024年法治政府建设工作报告", "开展法治讲座12场。"),
        _report("往年/甲乡.txt", "甲乡2023年法治政府建设工作报告", "召开党委会议8次。"),
        _report("乙镇.txt", "乙镇2024年法治政府建设工作报告", "召开党委会议6次。"),
    ]
    assert [r.report.year for r in reports] == [2024, 2023, 2024]
    result = answer(fake_context(check_question("哪些乡镇提到了“枫桥经验”？"), reports))
    assert result.status == "not_found"
    result = answer(fake_context(check_question("哪些乡镇开展了法治讲座？"), reports))
    assert "甲乡（2023年）" in result.answer and "乙镇" in result.answer
