"""Figure extraction (bot/figures.py) and the metric vocabulary (bot/metrics.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from benchmarks.evaluate import match_labels
from bot.figures.extract import (
    FIGURES_VERSION,
    extract_figures,
    figures_from_jsonl,
    figures_to_jsonl,
    rules_fingerprint,
    sentence_spans,
)
from bot.figures.figure import Figure
from bot.figures.vocabulary import VocabularyError, load_vocabulary, parse_vocabulary
from bot.ingest.parse import parse_report
from bot.ingest.scan import load_corpus
from bot.report import Paragraph, ParsedReport, Report

ROOT = Path(__file__).resolve().parents[1]
LABELS = json.loads((ROOT / "tests" / "data" / "figures_labelled.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seeds() -> tuple[ParsedReport, ...]:
    return load_corpus(ROOT / "seeds").reports


@pytest.fixture(scope="module")
def seed_figures(seeds) -> list[Figure]:
    return [f for parsed in seeds for f in extract_figures(parsed)]


def one_paragraph(text: str, township: str = "某某镇", year: int | None = 2024) -> ParsedReport:
    report = Report("test.txt", township, None, year, None, "/tmp/test.txt", "0")
    return ParsedReport(report, text, (Paragraph("test.txt", 0, ("一、测试",), 0, len(text), text, text),))


def test_every_labelled_seed_quantity_is_found_with_its_metric(seeds, seed_figures):
    texts = {p.report.township: p.text for p in seeds}
    pairs, unmatched = match_labels(seed_figures, LABELS["seeds"], texts)
    found = {id(label) for label, _ in pairs}
    missed = [label for label in LABELS["seeds"] if id(label) not in found]
    assert missed == []
    assert unmatched == []  # nothing extracted that the labels do not list
    wrong_metric = [(label["quote"], f.metric) for label, f in pairs if f.metric != label["metric"]]
    assert wrong_metric == []


def test_quotes_are_verbatim_sentences_inside_one_paragraph(seeds, seed_figures):
    by_id = {p.report.report_id: p for p in seeds}
    for figure in seed_figures:
        parsed = by_id[figure.report_id]
        assert parsed.text[figure.start : figure.end] == figure.quote
        paragraph = next(p for p in parsed.paragraphs if p.start <= figure.start and figure.end <= p.end)
        assert paragraph.section_path == figure.section_path
        assert figure.quote[-1] in "。！？；" or figure.end == paragraph.end
        assert figure.township == parsed.report.township and figure.year == parsed.report.year


def test_known_examples_from_the_seeds(seed_figures):
    def find(township, metric):
        return [f for f in seed_figures if f.township == township and f.metric == metric]

    (cases,) = find("季家镇", "行政执法案件")
    assert (cases.value, cases.unit, cases.raw_metric) == (728, "件", "行政执法案件")
    assert cases.quote == "今年以来，共办理各类行政执法案件728件，案件办理准确率达100%。"
    (disputes,) = find("兴隆镇", "矛盾纠纷化解")  # counted as resolved: "…均已化解"
    assert (disputes.value, disputes.approximate, disputes.raw_metric) == (60, True, "摸排矛盾纠纷")
    (penalties,) = find("宁河镇", "行政处罚案件")  # kept apart from 行政执法案件
    assert (penalties.value, penalties.unit) == (42, "起")
    assert find("宁河镇", "矛盾纠纷化解") == []  # its 40余件 are 突出矛盾纠纷 only
    (money,) = find("河市镇", "资金投入")
    assert (money.value, money.unit, money.approximate) == (100000, "元", True)
    (year_2023,) = find("商酒务镇", "纠纷调解参与")
    assert year_2023.year == 2023


PROVINCES = ROOT / "tests" / "data" / "figures_heldout_provinces"


def provinces_batch(name: str):
    """(figures, labels, texts) for a batch of other provinces' sentences: one report per township,
    one paragraph per sentence, as bench_figures.py builds them."""
    cases = json.loads((PROVINCES / name).read_text(encoding="utf-8"))["cases"]
    towns = list(dict.fromkeys(c["township"] for c in cases))
    figures, labels, texts = [], [], {}
    for town in towns:
        text, paragraphs = "", []
        for n, case in enumerate(c for c in cases if c["township"] == town):
            paragraphs.append(
                Paragraph(
                    town,
                    n,
                    ("一、测试",),
                    len(text),
                    len(text) + len(case["text"]),
                    case["text"],
                    case["text"],
                )
            )
            text += case["text"] + "\n"
            labels.extend(dict(label, township=town) for label in case["figures"])
        report = Report(f"{town}.txt", town, None, 2024, None, f"/tmp/{town}.txt", town)
        figures.extend(extract_figures(ParsedReport(report, text, tuple(paragraphs))))
        texts[town] = text
    return figures, labels, texts


def batch_errors(name: str) -> list[tuple[str, str]]:
    """Every labelled quantity of a batch found with nothing extra; the (quote, metric) pairs whose
    vocabulary metric is wrong."""
    figures, labels, texts = provinces_batch(name)
    pairs, unmatched = match_labels(figures, labels, texts)
    assert len(pairs) == len(labels)
    assert unmatched == []
    canonical = {m.name for m in load_vocabulary().metrics}
    return [
        (label["quote"], f.metric)
        for label, f in pairs
        if label["metric"] in canonical and f.metric != label["metric"]
    ]


def test_other_provinces_batch_3():
    assert batch_errors("batch3.json") == []


def test_other_provinces_batch_6_finds_every_quantity_with_at_most_its_known_misses():
    """Held out: run once on the final rules and not tuned on. Every quantity is found; the metric
    misses may shrink but never grow (benchmarks/README.md lists the five)."""
    assert len(batch_errors("batch6.json")) <= 5


@pytest.mark.xfail(
    strict=True, reason="5 held-out wordings (学习习近平法治思想, 化解信访问题…) not read as their metric"
)
def test_other_provinces_batch_6_metrics_all_right():
    assert batch_errors("batch6.json") == []


def test_other_provinces_batch_5():
    """Was held out for the batch-4 rules (first run: precision 0.973, recall 0.973, metric 20/26)."""
    assert batch_errors("batch5.json") == []


def test_other_provinces_batch_4_finds_every_quantity_with_at_most_its_known_miss():
    """Was held out for the first rules (first run: metric 20/28); one wording is still unknown."""
    assert len(batch_errors("batch4.json")) <= 1


@pytest.mark.xfail(strict=True, reason="参训干部群众800余人次 is not read as a training metric")
def test_other_provinces_batch_4_metrics_all_right():
    assert batch_errors("batch4.json") == []


def test_held_out_sentences(seed_figures):
    """Sentences written for the labels file, not taken from the seeds."""
    total = found = 0
    for case in LABELS["held_out"] + LABELS["held_out_2"]:
        parsed = one_paragraph(case["text"])
        figures = extract_figures(parsed)
        labels = [dict(label, township="某某镇") for label in case["figures"]]
        pairs, unmatched = match_labels(figures, labels, {"某某镇": case["text"]})
        total += len(labels)
        found += len(pairs)
        assert unmatched == [], case["text"]
    assert found == total


def test_sentences_split_inside_the_paragraph():
    text = "  第一句。第二句；第三句！\n第四句"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["第一句。", "第二句；", "第三句！", "第四句"]


def test_a_full_stop_typed_half_width_ends_a_sentence_but_not_a_decimal():
    # probe_reports batch 2 (吉林安图县永庆乡): the report is typed with half-width punctuation.
    text = "全年共办理行政执法案件12件,均已依法办结.罚没款1.5万元.调解成功率达95%以上."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "全年共办理行政执法案件12件,均已依法办结.",
        "罚没款1.5万元.",
        "调解成功率达95%以上.",
    ]


def test_number_after_the_noun_and_before_it():
    figures = extract_figures(
        one_paragraph("2024年以来，行政处罚案件42起（其中罚款人民币5900元）。今年共组织了23场法治宣传活动。")
    )
    assert [(f.metric, f.raw_metric, f.value, f.unit) for f in figures] == [
        ("行政处罚案件", "行政处罚案件", 42, "起"),
        ("罚款金额", "罚款", 5900, "元"),
        ("法治宣传活动", "法治宣传活动", 23, "场"),
    ]


def test_identified_disputes_count_as_resolved_only_when_the_report_says_so():
    resolved = extract_figures(one_paragraph("今年共摸排各类矛盾纠纷 60 余起，调解团队均已化解。"))
    assert resolved[0].metric == "矛盾纠纷化解"
    identified = extract_figures(one_paragraph("今年共摸排各类矛盾纠纷 60 余起。"))
    assert identified[0].metric != "矛盾纠纷化解"


@pytest.mark.parametrize(
    "text",
    [
        "全年排查化解邻里矛盾纠纷137件。",  # a modifier between verb and noun
        "调处化解涉农矛盾纠纷137件。",
        "受理调解婚姻家庭矛盾纠纷137件。",
        "成功调解婚姻家庭、邻里纠纷等各类矛盾纠纷137件。",  # an enumeration before the head
        "成功调处因土地承包、征地拆迁引发的纠纷137件。",
        "共化解137件矛盾纠纷。",  # the number before the noun
        "化解137件邻里矛盾纠纷。",
        "矛盾纠纷调处137件。",  # the verb between noun and number
        "累计调处各类矛盾纠纷共计137件。",
        "排查化解矛盾 纠纷 137 件。",  # spaces left by PDF conversion
        "化解各类矛盾137件。",
        "调解矛盾纠纷137宗。",
        "排查出矛盾纠纷137件，已全部调处化解。",
    ],
)
def test_disputes_resolved_however_the_report_words_them(text):
    (figure,) = extract_figures(one_paragraph(text))
    assert (figure.metric, figure.value) == ("矛盾纠纷化解", 137)


def test_a_noun_after_its_number_stays_in_the_wording():
    """件/起 before a noun are classifiers: the wording keeps the noun an answer looks for."""
    (figure,) = extract_figures(one_paragraph("共化解137件矛盾纠纷。"))
    assert figure.raw_metric == "化解矛盾纠纷"
    (figure,) = extract_figures(one_paragraph("调处了12起邻里纠纷。"))
    assert figure.raw_metric == "调处邻里纠纷"


def test_each_item_of_a_list_of_disputes_keeps_the_shared_verb():
    figures = extract_figures(one_paragraph("化解涉农矛盾纠纷43件、劳资纠纷11件。"))
    assert [(f.metric, f.value) for f in figures] == [("矛盾纠纷化解", 43), ("矛盾纠纷化解", 11)]


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("着力化解突出矛盾纠纷40余件。", "突出矛盾纠纷化解"),  # 宁河: a subset, kept apart
        ("化解重大矛盾纠纷5起。", "突出矛盾纠纷化解"),
        ("全年化解矛盾纠纷123起，其中重大疑难纠纷5起。", "突出矛盾纠纷化解"),
        ("参与纠纷调解120余次。", "纠纷调解参与"),  # 商酒务: times of taking part, not disputes
        ("排查矛盾纠纷60起。", "排查矛盾纠纷"),  # identified, not said to be resolved
        ("开展矛盾纠纷化解专项行动3次。", "矛盾纠纷化解专项行动"),
        ("化解信访积案3件。", "信访案件调处"),
    ],
)
def test_disputes_kept_apart(text, metric):
    assert extract_figures(one_paragraph(text))[-1].metric == metric


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("开展“法律七进”活动32场次。", "法治宣传活动"),
        ("开展送法下乡活动十余场。", "法治宣传活动"),
        ("开展“法治进机关”法治宣讲活动6场次。", "法治讲座"),  # a lecture is not a publicity event
        ("组织机关干部职工参加学法活动12次。", "机关干部学法"),  # who studies decides, not the word
        ("镇法律顾问全年审核合同42份。", "法律顾问审查文件"),
        ("其中持有行政执法证件的16名。", "持证执法人员"),
        ("乡综合执法中队办理简易程序案件35件。", "行政处罚案件"),
        ("全年审查规范性文件和重大行政决策事项12件。", "合法性审查"),
        ("全年制发行政规范性文件2件。", "规范性文件"),
        ("其中3个村获评省级民主法治示范村。", "民主法治示范村"),
        ("在全镇9个村开展“民主法治示范村”创建。", "村（社区）数"),
        ("全年调处矛盾纠纷138宗，调处成功率达97%。", "矛盾纠纷办结率"),
        ("全年受理群众来信来访58件次。", "信访案件调处"),
    ],
)
def test_other_provinces_wording(text, metric):
    assert extract_figures(one_paragraph(text))[-1].metric == metric


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The clause after names no noun: it counts the previous clause's.
        ("累计排查各类矛盾纠纷152件，成功化解149件。", [("排查矛盾纠纷", 152), ("矛盾纠纷化解", 149)]),
        ("全年受理矛盾纠纷56件，已化解54件。", [("受理矛盾纠纷", 56), ("矛盾纠纷化解", 54)]),
        # ...but not a second figure of a metric the sentence already gave: 128 are part of the 132.
        ("排查化解各类矛盾纠纷132起，调解成功128起。", [("矛盾纠纷化解", 132), ("调解成功", 128)]),
    ],
)
def test_a_clause_without_a_noun_borrows_the_previous_one(text, expected):
    assert [(f.metric, f.value) for f in extract_figures(one_paragraph(text))] == expected


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("全镇现有行政执法人员9名，全部取得执法资格证。", "持证执法人员"),  # all certified
        ("全镇现有行政执法人员9名。", "综合执法队伍人数"),
        ("办理行政复议应诉案件1件。", "行政复议案件"),
        ("查处违法违规行为23起。", "行政处罚案件"),
        ("开设“法治讲堂”12期。", "法治讲座"),
        ("受益群众1.2万人次。", "普法受众人次"),
        ("机关干部全年参加集中学法培训8次。", "机关干部学法"),
    ],
)
def test_batch_4_wording(text, metric):
    assert extract_figures(one_paragraph(text))[-1].metric == metric


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("接待群众来信来访32批次、65人次。", [("接待来访", 32, "批次"), ("接待来访", 65, "人次")]),
        ("立案处罚12起。", [("行政处罚案件", 12, "起")]),
        ("乡领导班子成员全年开展集体学法6次。", [("领导干部学法", 6, "次")]),
        (
            "全年共办理各类行政执法案件156件，其中简易程序121件、一般程序35件。",
            [("行政执法案件", 156, "件"), ("行政处罚案件", 121, "件"), ("行政处罚案件", 35, "件")],
        ),
        # The previous wording is cut after its head noun: 116 of the 矛盾纠纷 leads were resolved.
        (
            "全年共接收矛盾纠纷线索118条，已化解116条。",
            [("接收矛盾纠纷线索", 118, "条"), ("矛盾纠纷化解", 116, "条")],
        ),
    ],
)
def test_batch_5_wording(text, expected):
    assert [(f.metric, f.value, f.unit) for f in extract_figures(one_paragraph(text))] == expected


@pytest.mark.parametrize(
    "text", ["全镇共有律师、基层法律服务工作者等法律服务人员11人。", "街道现有公职律师2名。"]
)
def test_lawyers_are_not_the_townships_legal_advisers(text):
    (figure,) = extract_figures(one_paragraph(text))
    assert not figure.known_metric


def test_a_continuing_clause_completes_the_number():
    (figure,) = extract_figures(one_paragraph("组织执法队26名干部参加行政执法考试，均取得了行政执法证。"))
    assert (figure.metric, figure.raw_metric, figure.value, figure.unit) == (
        "持证执法人员",
        "执法队干部",
        26,
        "名",
    )


def test_unit_decides_between_metrics():
    figures = extract_figures(one_paragraph("接受法律咨询 200 余人次。律所为我镇提供法律咨询共16次。"))
    assert [(f.metric, f.unit) for f in figures] == [("法律咨询接待", "人次"), ("法律顾问法律咨询", "次")]


def test_an_enumeration_item_ends_at_the_list_comma():
    figures = extract_figures(one_paragraph("发放《民法典》读本600余册、宣传折页3000余份。"))
    assert [(f.metric, f.value) for f in figures] == [("法律书籍发放", 600), ("宣传资料发放", 3000)]


def test_unknown_quantities_keep_their_wording():
    (figure,) = extract_figures(one_paragraph("全年共培育乡村调解能手86名。"))
    assert (figure.known_metric, figure.raw_metric) == (False, "培育乡村调解能手")
    assert figure.metric == figure.raw_metric
    (figure,) = extract_figures(one_paragraph("下达整改通知书23份。"))
    assert (figure.known_metric, figure.raw_metric) == (False, "下达整改通知书")
    # A known metric keeps the report's own wording beside the canonical name.
    (figure,) = extract_figures(one_paragraph("全年共受理行政复议案件3件。"))
    assert (figure.known_metric, figure.metric) == (True, "行政复议案件")
    assert figure.raw_metric == "受理行政复议案件"


def test_township_name_is_not_part_of_the_metric():
    (figure,) = extract_figures(one_paragraph("2024年河市投入资金10余万元。", township="河市镇"))
    assert figure.raw_metric == "投入资金"


def test_rules_fingerprint_follows_the_vocabulary_files():
    data = b"".join((ROOT / "bot" / "data" / name).read_bytes() for name in ("metrics.json", "people.txt"))
    assert rules_fingerprint() == f"figures{FIGURES_VERSION}-metrics{hashlib.sha1(data).hexdigest()[:10]}"


def test_jsonl_round_trip(seed_figures):
    text = figures_to_jsonl(seed_figures)
    assert len(text.splitlines()) == len(seed_figures)
    assert "pickle" not in text and text.lstrip().startswith("{")
    assert figures_from_jsonl(text) == seed_figures


def test_damaged_jsonl_says_to_rebuild():
    with pytest.raises(ValueError, match="重建索引"):
        figures_from_jsonl('{"report_id": "x"}\n')


def test_bundled_vocabulary_is_consistent():
    vocabulary = load_vocabulary()
    names = {m.name for m in vocabulary.metrics}
    assert {
        "矛盾纠纷化解",
        "行政执法案件",
        "行政处罚案件",
        "法治宣传活动",
        "宣传资料发放",
        "持证执法人员",
    } <= names
    for metric in vocabulary.metrics:
        assert set(metric.related) <= names
    assert vocabulary.for_question("哪个镇办理行政执法案件最多")[0].name == "行政执法案件"
    assert vocabulary.for_question("哪个镇行政处罚案件最多")[0].name == "行政处罚案件"
    assert vocabulary.for_question("哪个镇化解突出矛盾纠纷最多")[0].name == "突出矛盾纠纷化解"
    assert vocabulary.for_question("今天天气如何") is None
    assert vocabulary.synonyms_of("聘请")[:2] == ("聘请", "聘用")


def test_a_rate_question_asks_for_a_rate_metric_only():
    vocabulary = load_vocabulary()
    # The count covers more of the question, but what is asked is the rate.
    assert vocabulary.for_question("季家镇办理行政执法案件的准确率是多少")[0].name == "案件办理准确率"
    assert vocabulary.for_question("行政机关负责人出庭应诉的比例是多少")[0].name == "行政机关负责人出庭应诉率"
    # No rate metric matches: no count may answer a rate question.
    assert vocabulary.for_question("行政执法案件的结案率是多少") is None
    # 率先 is "to take the lead", not a rate.
    assert vocabulary.for_question("哪个镇率先办理行政执法案件最多")[0].name == "行政执法案件"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"metrics": [{"name": "甲", "units": ["件"], "patterns": ["("]}]}, "正则表达式有误"),
        (
            {"metrics": [{"name": "甲", "units": ["件"], "patterns": ["甲"], "related": ["乙"]}]},
            "未定义的指标：乙",
        ),
        ({"metrics": [{"name": "甲", "patterns": ["甲"]}]}, "缺少字段"),
        ({"metrics": [{"name": "甲", "units": [], "patterns": ["甲"]}]}, "不能为空"),
        ({"metrics": [{"name": "甲", "units": ["件"], "patterns": ["甲"]}] * 2}, "重名"),
    ],
)
def test_vocabulary_errors_name_the_entry(data, message):
    with pytest.raises(VocabularyError, match=message):
        parse_vocabulary(data)


def test_a_new_metric_is_one_json_entry():
    vocabulary = parse_vocabulary(
        {
            "metrics": [
                {
                    "name": "行政复议",
                    "units": ["件"],
                    "patterns": ["行政复议案件"],
                    "question_words": ["行政复议"],
                }
            ]
        }
    )
    (figure,) = extract_figures(one_paragraph("全年共受理行政复议案件3件。"), vocabulary)
    assert (figure.known_metric, figure.metric) == (True, "行政复议")


def test_rows_of_a_figures_list_are_each_named_by_the_label_before_their_colon():
    # probe_reports batch 4 (辽宁海城市西柳镇, 7.txt): a list of figures, one "label：value" per line.
    text = (
        "一、主要数据\n"
        "1.办理行政执法案件：56件（其中市场经营类案件24件）\r\n"
        "2.持证执法人员：16名\r\n"
        "3.法律顾问审查合同：27份\n"
    )
    parsed = parse_report(text, report_id="7.txt", source="7.txt", sha256="0")
    figures = {f.value: f for f in extract_figures(parsed)}
    assert figures[56].raw_metric == "行政执法案件" and not figures[56].part
    assert figures[24].part
    assert figures[16].raw_metric == "持证执法人员" and figures[16].metric == "持证执法人员"
    assert figures[27].raw_metric == "法律顾问审查合同"
    # each row is its own sentence: its quote does not run into the next row
    assert "持证执法人员" not in figures[56].quote
