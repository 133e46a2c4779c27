"""Questions about the corpus itself, over the real dev corpus (tests/data/realworld): counts and lists
of reports by year, kind of township, county and script, alone and combined. Expected reports come from
truth.json, not from the answerer's own rules; every answer is checked for soundness, and every count
it states must equal the reports it lists."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.answers.answer import answer
from bot.answers.intent import classify, read_corpus_question
from bot.ingest.scan import load_corpus
from bot.lang.places import township_kinds
from bot.lang.scope import check_question
from tests.checks import assert_sound
from tests.fakes.retriever import fake_context

REALWORLD = Path(__file__).resolve().parent / "data" / "realworld"
TRUTH = json.loads((REALWORLD / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dev_reports():
    return load_corpus(REALWORLD / "corpus").reports


@pytest.fixture(scope="module")
def ask(dev_reports):
    def ask(question: str):
        question = check_question(question)
        result = answer(fake_context(question, dev_reports))
        assert_sound(result, dev_reports)
        assert result.kind == "corpus" and result.status == "answered", result.answer
        return result

    return ask


def truth_towns(keep) -> set[str]:
    return {v["township"] for v in TRUTH.values() if keep(v)}


def listed_towns(result) -> set[str]:
    """Townships of the report rows ("- 庙垭乡（2025年）《…》")."""
    rows = (re.match(r"- (\S+?)（(?:\d{4}年|年份不详)）", row.text) for row in result.rows)
    return {m.group(1) for m in rows if m}


def assert_counts_what_it_lists(result, expected: set[str]) -> None:
    count = re.match(r"语料库中共有(\d+)份", result.lead)
    assert count, result.lead
    assert int(count.group(1)) == len(result.rows) == len(expected)
    assert listed_towns(result) == expected


def is_street(v) -> bool:
    return v["township"].endswith(("街道", "街"))


@pytest.mark.parametrize(
    ("question", "keep"),
    [
        ("语料里一共有多少份报告？", lambda v: True),
        ("有几份2025年的报告？", lambda v: v["year"] == 2025),
        ("哪些报告是2022年的？", lambda v: v["year"] == 2022),
        ("有几份街道的报告？", is_street),
        ("有几份乡的报告？", lambda v: v["township"].endswith("乡")),
        ("有几份镇的报告？", lambda v: v["township"].endswith(("镇", "鎮"))),
        ("哪些是民族乡的报告？", lambda v: v["township"].endswith("族乡")),
        ("有几份瑶族乡的报告", lambda v: v["township"].endswith("瑶族乡")),
        ("2024年有几份街道的报告", lambda v: v["year"] == 2024 and is_street(v)),
        ("2023年和2024年的乡有几份报告", lambda v: v["year"] in (2023, 2024) and v["township"][-1] == "乡"),
        ("武隆区的报告是哪个乡的？", lambda v: v["county"] == "武隆区"),
        ("遂溪县的报告是哪个镇的？", lambda v: v["county"] == "遂溪县"),
        ("哪份报告是用繁体字写的？", lambda v: v["township"] == "三角鎮"),
        ("请列出所有报告的标题", lambda v: True),
        ("列出全部街道的报告", is_street),
        # the county read from the body ("在雷州市委、市政府领导下"), not only from titles
        ("雷州市的报告是哪个镇的？", lambda v: v["county"] == "雷州市"),
    ],
)
def test_counts_and_lists_the_reports_asked_for(ask, question, keep):
    assert_counts_what_it_lists(ask(question), truth_towns(keep))


def test_kinds_of_township_follow_the_name_suffixes():
    assert township_kinds("罗子山瑶族乡") == {"乡", "民族乡"}
    assert township_kinds("西翥街道办事处") == township_kinds("万兴街") == {"街道"}
    assert township_kinds("三角鎮") == {"镇"}
    assert township_kinds("某某苏木") == {"苏木"}


def test_a_count_of_none_says_so_and_lists_what_there_is(ask):
    result = ask("有几份2020年的报告？")
    assert result.lead == "语料库中没有2020年的报告。现有的55份报告按年份："
    assert "- 2025年（22份）：" in result.answer and not re.search(r"(?<!\d)0份", result.answer)


def test_an_empty_combination_lists_the_reports_of_the_other_filter(ask):
    result = ask("2021年有几份乡的报告")
    assert result.lead == "语料库中没有2021年乡的报告。现有的5份2021年的报告按乡镇类型："
    assert [row.text.split("：")[0] for row in result.rows] == ["- 镇（4份）", "- 街道（1份）"]


def test_which_years_and_which_counties(ask):
    years = ask("语料库里有哪些年份")
    assert years.answer.startswith("语料库中报告的年份：2021年（")
    assert all(f"{y}年（" in years.answer for y in range(2021, 2026))
    counties = ask("报告涉及哪些县区？")
    named = {v["county"] for v in TRUTH.values() if v["county"]}
    assert re.match(r"语料库中报告共55份，涉及(\d+)个县区：", counties.lead)
    assert any(row.text.startswith("- 武隆区（1份）：庙垭乡（2025年）") for row in counties.rows)
    assert len(counties.rows) <= len(named) + 1  # one row per county read, one for the rest
    # every county truth.json names is read (42 of 55 before the body's authorities were read)
    assert {row.text[2:].split("（")[0] for row in counties.rows} >= named
    none = ask("宁安镇的报告是哪个县的？")
    assert none.lead == "语料库中宁安镇的报告共1份，原文都没有写明所属县区："


@pytest.mark.parametrize(
    "question",
    [
        "哪些乡镇开展了法治讲座",
        "有几个镇提到了嘎查",
        "哪个镇办理案件最多",
        "2024年哪些街道开展了法治讲座",
        "有几份报告提到了枫桥经验",
        "武隆区的报告讲了什么",
    ],
)
def test_questions_about_contents_are_not_corpus_questions(question):
    assert read_corpus_question(question) is None
    intent = classify(question, 0)
    assert intent is None or intent.kind != "corpus"


def test_question_is_read_into_filters():
    query = read_corpus_question("2024年武隆区有几份街道办事处的报告", ["季家镇"])
    read = (query.topic, query.years, query.places, query.kinds)
    assert read == ("reports", (2024,), ("武隆区",), ("街道",))
    assert read_corpus_question("季家镇是哪一年的报告", ["季家镇"]).towns == ("季家镇",)
    assert read_corpus_question("有几个乡镇").kinds == ()  # 乡镇 is every kind
    assert read_corpus_question("武隆区的报告是哪个镇的").kinds == ()  # 哪个镇 asks, it does not filter


def test_a_report_without_a_title_is_listed_with_its_file(ask, dev_reports):
    # 伊金霍洛镇's report has no title line: the list names the file an official would open.
    result = ask("伊金霍洛镇的报告标题是什么？")
    untitled = next(r for r in dev_reports if r.report.township == "伊金霍洛镇").report
    assert untitled.title is None
    assert f"原文无标题，文件：{untitled.report_id}" in result.answer
